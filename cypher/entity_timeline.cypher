// title: Entity timeline
// category: Identity
// description: >
//   The events of an entity in time order: calls, messages, transfers, parcels sent and delivered,
//   logins and posts. For a person, the events of all their phones and accounts. One row per event, with
//   the other party and the source row.
// params:
//   - {name: value, type: identifier, help: "Phone, account, handle, person key or name...", example: "13800138000"}
//   - {name: since, type: datetime, default: null, help: Only events at or after this time}
//   - {name: until, type: datetime, default: null, help: Only events before this time}
//   - {name: limit, type: integer, default: 500, help: Maximum number of events}
// columns: [at, event, direction, own, counterpart, amount, duration_s, source, identifier, link, other]
// draw: {nodes: [identifier, other], relationships: [link]}
CALL () {
  MATCH (n:Phone {number: $value}) RETURN n
  UNION
  MATCH (n:Account {account_id: $value}) RETURN n
  UNION
  MATCH (n:Account {handle: $value}) RETURN n
  UNION
  MATCH (n:Person {person_id: $value}) RETURN n
  UNION
  MATCH (n:Person {id_number: $value}) RETURN n
  UNION
  MATCH (n:Person {name: $value}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($value, ' ', ''))}) RETURN n
  UNION
  MATCH (n:Address {address_id: $value}) RETURN n
  UNION
  MATCH (n:Device {imei: $value}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: $value}) RETURN n
  UNION
  MATCH (n:Case {case_id: $value}) RETURN n
  UNION
  MATCH (n:Site {site_id: $value}) RETURN n
  UNION
  MATCH (n:Ring {ring_id: $value}) RETURN n
}
WITH n AS origin LIMIT 1
CALL (origin) {
  MATCH (origin:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x) RETURN x
  UNION
  WITH origin AS x RETURN x
}
MATCH (x)-[link:CALLED|MESSAGED|TRANSFERRED|SENT|RECEIVED_BY|LOGGED_IN|POSTED|DELIVERED_TO]-(other)
WITH x, link, other, coalesce(link.at, other.sent_at, other.posted_at) AS at
WHERE ($since IS NULL OR at >= $since) AND ($until IS NULL OR at < $until)
RETURN at, type(link) AS event, CASE WHEN startNode(link) = x THEN 'out' ELSE 'in' END AS direction,
       toString(coalesce(x.number, x.account_id, x.waybill, x.name)) AS own,
       toString(coalesce(other.number, other.account_id, other.waybill, other.ip, other.imei, other.text, other.post_id)) AS counterpart,
       link.amount AS amount, link.duration_s AS duration_s,
       coalesce(link.load_id + '#' + toString(link.row), link.load_id) AS source,
       x AS identifier, link, other
ORDER BY at
LIMIT $limit
