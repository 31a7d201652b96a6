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

// Exact keys in one MATCH: each disjunct is one label and one indexed key, so the planner solves it as a
// union of index seeks (one small plan instead of a dozen UNION branches to plan). Keep one property per
// disjunct: `n:Account AND (a OR b)` makes the planner scan the label instead.
CALL () {
  MATCH (n)
  WHERE (n:Phone AND n.number = $value)
     OR (n:Account AND n.account_id = $value)
     OR (n:Account AND n.handle = $value)
     OR (n:Parcel AND n.waybill = toUpper(replace($value, ' ', '')))
     OR (n:Device AND n.imei = $value)
     OR (n:IPAddress AND n.ip = $value)
     OR (n:Case AND n.case_id = $value)
     OR (n:Person AND n.person_id = $value)
     OR (n:Person AND n.id_number = $value)
     OR (n:Person AND n.name = $value)
     OR (n:Address AND n.address_id = $value)
  RETURN n,
         CASE
           WHEN n:Phone THEN 'phone number'
           WHEN n:Account AND n.account_id = $value THEN 'account id'
           WHEN n:Account THEN 'handle'
           WHEN n:Parcel THEN 'waybill'
           WHEN n:Device THEN 'IMEI'
           WHEN n:IPAddress THEN 'IP address'
           WHEN n:Case THEN 'case number'
           WHEN n:Person AND n.person_id = $value THEN 'person key'
           WHEN n:Person AND n.id_number = $value THEN 'ID number'
           WHEN n:Person THEN 'name'
           ELSE 'address'
         END AS matched_on, 10.0 AS score
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
