// title: New link between two rings
// category: Alerts
// description: >
//   The load adds a call, message, transfer or address-book entry between a phone or account of one ring
//   and one of another ring (rings as the analytics last drew them, through the people who hold them),
//   where none of their holders were linked before. One alert per pair of phones or accounts.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:cdr"}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
// From what the load created (an index seek per type; the hints keep the seek, as in leader_contact).
CALL (load) {
  MATCH (x)-[r:CALLED]->(y) USING INDEX SEEK r:CALLED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:MESSAGED]->(y) USING INDEX SEEK r:MESSAGED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:TRANSFERRED]->(y) USING INDEX SEEK r:TRANSFERRED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:HAS_CONTACT]->(y) USING INDEX SEEK r:HAS_CONTACT(load_id) WHERE r.load_id = $load_id RETURN x, r, y
}
// The holders of each end, listed from that end: a plan made while no ring was drawn yet would otherwise
// start from every ring member once the analytics have drawn them.
CALL (x) {
  UNWIND [(x)<-[:HAS_PHONE|HAS_ACCOUNT]-(holder) | holder] AS h
  WITH h WHERE h:Person AND h.ring_id IS NOT NULL
  RETURN collect(DISTINCT h.ring_id) AS rings_x, collect(h) AS holders_x
}
CALL (y) {
  UNWIND [(y)<-[:HAS_PHONE|HAS_ACCOUNT]-(holder) | holder] AS h
  WITH h WHERE h:Person AND h.ring_id IS NOT NULL
  RETURN collect(DISTINCT h.ring_id) AS rings_y, collect(h) AS holders_y
}
// Only phones or accounts each held within one ring: both ends clearly belong to different rings.
WITH load, r, x, y, rings_x, rings_y, holders_x, holders_y
WHERE size(rings_x) = 1 AND size(rings_y) = 1 AND rings_x[0] <> rings_y[0]
WITH load, x, y, rings_x[0] AS ring_x, rings_y[0] AS ring_y, holders_x, holders_y,
     coalesce(x.number, x.account_id) AS key_x, coalesce(y.number, y.account_id) AS key_y,
     collect(DISTINCT r.load_id + '#' + toString(r.row)) AS sources
// Linked before: by anything a load that started earlier wrote between the holders' phones or accounts.
WHERE NOT EXISTS {
  UNWIND holders_x AS hx
  UNWIND [(hx)-[:HAS_PHONE|HAS_ACCOUNT]->(own) | own] AS px
  UNWIND holders_y AS hy
  UNWIND [(hy)-[:HAS_PHONE|HAS_ACCOUNT]->(own) | own] AS py
  // Between two known ends: expanded from the one with fewer links, not through every call of a busy phone.
  MATCH (px)-[r2:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT]-(py)
  WHERE r2.load_id <> $load_id
    AND EXISTS { MATCH (earlier:Load {load_id: r2.load_id}) WHERE earlier.started_at < load.started_at }
}
WITH CASE WHEN key_x < key_y THEN [key_x, key_y] ELSE [key_y, key_x] END AS evidence,
     CASE WHEN ring_x < ring_y THEN [ring_x, ring_y] ELSE [ring_y, ring_x] END AS rings,
     ring_x, ring_y, key_x, key_y, holders_x[0] AS hx, holders_y[0] AS hy, sources
RETURN evidence, rings,
       {ring_x: ring_x, name_x: coalesce(hx.name, key_x), key_x: key_x,
        ring_y: ring_y, name_y: coalesce(hy.name, key_y), key_y: key_y} AS summary,
       sources[..20] AS sources
