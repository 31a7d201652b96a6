// title: Find an identifier
// category: Search
// description: >
//   Finds a phone (in any format), account or handle, card number, waybill, device, IP address,
//   case number, ID number or name, and shows what each match is attached to. Exact key matches
//   score 10; full-text matches score by relevance. Read one row per matching entity; `attached`
//   lists its neighbours (at most 50 each).
// params:
//   - {name: value, type: identifier, help: "Phone (any format), handle, account, waybill, IMEI, IP, case number or name", example: "138 0013 8000"}
//   - {name: limit, type: integer, default: 20, help: Maximum number of matching entities}
// columns: [entity, label, matched_on, score, attached, links, neighbours]
// draw: {nodes: [entity, neighbours], relationships: [links], score: score}
CALL () {
  MATCH (n:Phone {number: $value}) RETURN n, 'phone number' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Account {account_id: $value}) RETURN n, 'account id' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Account {handle: $value}) RETURN n, 'handle' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($value, ' ', ''))}) RETURN n, 'waybill' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Device {imei: $value}) RETURN n, 'IMEI' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:IPAddress {ip: $value}) RETURN n, 'IP address' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Case {case_id: $value}) RETURN n, 'case number' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Person {person_id: $value}) RETURN n, 'person key' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Person {id_number: $value}) RETURN n, 'ID number' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Person {name: $value}) RETURN n, 'name' AS matched_on, 10.0 AS score
  UNION
  MATCH (n:Address {address_id: $value}) RETURN n, 'address' AS matched_on, 10.0 AS score
  UNION
  // A phrase query: Lucene's special characters inside quotes need no escaping except \ and ".
  CALL db.index.fulltext.queryNodes('identifier_search', '"' + replace(replace($value, '\\', ' '), '"', ' ') + '"')
    YIELD node, score
  WITH node, score LIMIT 50
  RETURN node AS n, 'text' AS matched_on, score
}
WITH n, max(score) AS score, collect(matched_on)[0] AS matched_on
ORDER BY score DESC
LIMIT $limit
CALL (n) {
  OPTIONAL MATCH (n)-[link]-(neighbour)
  WITH link, neighbour LIMIT 50
  RETURN collect(link) AS links, collect(neighbour) AS neighbours,
         collect(type(link) + ' ' + labels(neighbour)[0] + ' ' + toString(coalesce(neighbour.name, neighbour.number,
           neighbour.account_id, neighbour.waybill, neighbour.text, neighbour.imei, neighbour.ip, neighbour.case_id,
           neighbour.ring_id, neighbour.site_id, neighbour.post_id, neighbour.load_id, neighbour.watch_id))) AS attached
}
RETURN n AS entity, labels(n)[0] AS label, matched_on, score, attached, links, neighbours
ORDER BY score DESC
