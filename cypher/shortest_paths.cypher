// title: Shortest paths between two entities
// category: Search
// description: >
//   All shortest paths (up to `max_hops`, at most 6) between two entities, optionally only through some
//   relationship kinds, with the events along each path (kind, time, amount). Derived links
//   (MEMBER_OF rings, SAME_AS candidates, case INVOLVES) are not followed unless named in `kinds`.
// params:
//   - {name: source, type: identifier, help: "First entity (phone, account, person key or name, waybill...)", example: "13800138000"}
//   - {name: target, type: identifier, help: Second entity, example: "13900139000"}
//   - {name: max_hops, type: integer, default: 6, help: Longest path considered (1 to 6)}
//   - {name: kinds, type: list, default: [], help: "Relationship kinds to follow (empty: all evidence links)"}
//   - {name: limit, type: integer, default: 25, help: Maximum number of paths}
// columns: [path, hops, events, people]
// draw: {paths: [path]}
CALL () {
  MATCH (n:Phone {number: $source}) RETURN n
  UNION
  MATCH (n:Account {account_id: $source}) RETURN n
  UNION
  MATCH (n:Account {handle: $source}) RETURN n
  UNION
  MATCH (n:Person {person_id: $source}) RETURN n
  UNION
  MATCH (n:Person {id_number: $source}) RETURN n
  UNION
  MATCH (n:Person {name: $source}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($source, ' ', ''))}) RETURN n
  UNION
  MATCH (n:Address {address_id: $source}) RETURN n
  UNION
  MATCH (n:Device {imei: $source}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: $source}) RETURN n
  UNION
  MATCH (n:Case {case_id: $source}) RETURN n
  UNION
  MATCH (n:Site {site_id: $source}) RETURN n
  UNION
  MATCH (n:Ring {ring_id: $source}) RETURN n
}
WITH n AS a LIMIT 1
CALL () {
  MATCH (n:Phone {number: $target}) RETURN n
  UNION
  MATCH (n:Account {account_id: $target}) RETURN n
  UNION
  MATCH (n:Account {handle: $target}) RETURN n
  UNION
  MATCH (n:Person {person_id: $target}) RETURN n
  UNION
  MATCH (n:Person {id_number: $target}) RETURN n
  UNION
  MATCH (n:Person {name: $target}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($target, ' ', ''))}) RETURN n
  UNION
  MATCH (n:Address {address_id: $target}) RETURN n
  UNION
  MATCH (n:Device {imei: $target}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: $target}) RETURN n
  UNION
  MATCH (n:Case {case_id: $target}) RETURN n
  UNION
  MATCH (n:Site {site_id: $target}) RETURN n
  UNION
  MATCH (n:Ring {ring_id: $target}) RETURN n
}
WITH a, n AS b LIMIT 1
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE a <> b AND length(p) <= $max_hops
  AND all(r IN relationships(p) WHERE
      CASE WHEN size($kinds) = 0 THEN NOT type(r) IN ['MEMBER_OF', 'SAME_AS', 'INVOLVES'] ELSE type(r) IN $kinds END)
// Parallel events between the same two entities give the same route: keep one path per route.
WITH [x IN nodes(p) | elementId(x)] AS route, collect(p)[0] AS p
WITH p LIMIT $limit
RETURN p AS path, length(p) AS hops,
       [r IN relationships(p) | {kind: type(r), at: r.at, amount: r.amount, duration_s: r.duration_s,
         source: coalesce(r.load_id + '#' + toString(r.row), r.load_id)}] AS events,
       [x IN nodes(p) WHERE x:Person | x.name] AS people
