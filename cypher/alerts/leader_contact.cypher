// title: New person linked to an organiser or broker
// category: Alerts
// description: >
//   The load links a ring's organiser or broker (roles from the analytics) to a phone or account that
//   belongs to no ring and that the organiser or broker had no link with before: a new face near the top.
//   One alert per phone or account of the organiser or broker and new contact.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:cdr"}
//   - {name: roles, type: list, default: [organiser, broker], help: Roles whose new contacts raise an alert}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
// From what the load created (an index seek per type), then to the people behind it. The hints force
// the seek: on stale index statistics the planner chose to scan a type's whole load_id index instead.
CALL (load) {
  MATCH (x)-[r:CALLED]-(y) USING INDEX SEEK r:CALLED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:MESSAGED]-(y) USING INDEX SEEK r:MESSAGED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:TRANSFERRED]-(y) USING INDEX SEEK r:TRANSFERRED(load_id) WHERE r.load_id = $load_id RETURN x, r, y
  UNION ALL
  MATCH (x)-[r:HAS_CONTACT]-(y) USING INDEX SEEK r:HAS_CONTACT(load_id) WHERE r.load_id = $load_id RETURN x, r, y
}
// The holders of x, listed from x: a plan made while no ring was drawn yet would otherwise start from
// every ring member once the analytics have drawn them.
CALL (x, y) {
  UNWIND [(x)<-[:HAS_PHONE|HAS_ACCOUNT]-(holder) | holder] AS leader
  WITH leader
  WHERE leader:Person AND leader.role IN $roles AND leader.ring_id IS NOT NULL
    AND NOT (leader)-[:HAS_PHONE|HAS_ACCOUNT]->(y)
  RETURN leader
}
OPTIONAL MATCH (y)<-[:HAS_PHONE|HAS_ACCOUNT]-(holder:Person)
WITH load, leader, x, y, r, collect(holder) AS holders
WHERE all(h IN holders WHERE h.ring_id IS NULL)
WITH load, leader, x, y, holders, collect(DISTINCT r.load_id + '#' + toString(r.row)) AS sources
// Linked before: each of the leader's phones or accounts checked against y alone (from the end with fewer links).
WHERE NOT EXISTS {
  UNWIND [(leader)-[:HAS_PHONE|HAS_ACCOUNT]->(own) | own] AS own
  MATCH (own)-[r2:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT]-(y)
  WHERE r2.load_id <> $load_id
    AND EXISTS { MATCH (earlier:Load {load_id: r2.load_id}) WHERE earlier.started_at < load.started_at }
}
WITH leader, x, y, sources, [h IN holders | coalesce(h.name, h.person_id)] AS names,
     coalesce(y.number, y.account_id) AS contact
RETURN [coalesce(x.number, x.account_id), contact] AS evidence,
       [leader.ring_id] AS rings,
       {role: leader.role, leader: coalesce(leader.name, leader.person_id), ring: leader.ring_id, contact: contact,
        names: reduce(s = '', n IN names | s + CASE s WHEN '' THEN '' ELSE ', ' END + n)} AS summary,
       sources[..20] AS sources
