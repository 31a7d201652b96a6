// title: Neighbourhood of an entity
// category: Search
// description: >
//   Everything linked to an entity up to N hops (at most 3), optionally only through some relationship
//   kinds and only events inside a time window. Hubs (nodes with more links than `max_degree`, such as a
//   courier depot or a payment platform) are shown but not expanded through. One row per link, with
//   the hop at which it was reached.
// params:
//   - {name: value, type: identifier, help: "Phone, account, handle, waybill, person key or name, case number...", example: "13800138000"}
//   - {name: hops, type: integer, default: 2, choices: [1, 2, 3], help: How many hops out (1 to 3)}
//   - {name: kinds, type: list, default: [], help: "Relationship kinds to follow, e.g. CALLED, TRANSFERRED (empty: all)"}
//   - {name: since, type: datetime, default: null, help: Only events at or after this time (links without a time always count)}
//   - {name: until, type: datetime, default: null, help: Only events before this time}
//   - {name: max_degree, type: integer, default: 200, help: Do not expand through nodes with more links than this}
//   - {name: limit, type: integer, default: 300, help: Maximum number of links per hop}
// columns: [hop, node, link, neighbour]
// draw: {nodes: [node, neighbour], relationships: [link]}
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
// Hop by hop (breadth first): each hop expands only the distinct frontier of the previous one.
CALL (origin) {
  MATCH (origin)-[r]-(x)
  WHERE (size($kinds) = 0 OR type(r) IN $kinds)
    AND ($since IS NULL OR r.at IS NULL OR r.at >= $since)
    AND ($until IS NULL OR r.at IS NULL OR r.at < $until)
  WITH r, x LIMIT $limit
  RETURN collect({hop: 1, node: origin, link: r, neighbour: x}) AS hop1, collect(DISTINCT x) AS frontier1
}
CALL (origin, frontier1) {
  UNWIND CASE WHEN $hops >= 2 THEN frontier1 ELSE [] END AS a
  WITH a WHERE COUNT { (a)--() } <= $max_degree
  MATCH (a)-[r]-(x)
  WHERE x <> origin AND NOT x IN frontier1
    AND (size($kinds) = 0 OR type(r) IN $kinds)
    AND ($since IS NULL OR r.at IS NULL OR r.at >= $since)
    AND ($until IS NULL OR r.at IS NULL OR r.at < $until)
  WITH a, r, x LIMIT $limit
  RETURN collect({hop: 2, node: a, link: r, neighbour: x}) AS hop2, collect(DISTINCT x) AS frontier2
}
CALL (origin, frontier1, frontier2) {
  UNWIND CASE WHEN $hops >= 3 THEN frontier2 ELSE [] END AS a
  WITH a WHERE COUNT { (a)--() } <= $max_degree
  MATCH (a)-[r]-(x)
  WHERE x <> origin AND NOT x IN frontier1 AND NOT x IN frontier2
    AND (size($kinds) = 0 OR type(r) IN $kinds)
    AND ($since IS NULL OR r.at IS NULL OR r.at >= $since)
    AND ($until IS NULL OR r.at IS NULL OR r.at < $until)
  WITH a, r, x LIMIT $limit
  RETURN collect({hop: 3, node: a, link: r, neighbour: x}) AS hop3
}
UNWIND hop1 + hop2 + hop3 AS row
RETURN row.hop AS hop, row.node AS node, row.link AS link, row.neighbour AS neighbour
