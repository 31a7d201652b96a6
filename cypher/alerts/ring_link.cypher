// title: New link between two rings
// category: Alerts
// description: >
//   The load adds a call, message, transfer or address-book entry between members of two different rings
//   (as the analytics last drew them) who had no such link before. One alert per pair of people.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:cdr"}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
MATCH (x)-[r:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT]->(y)
WHERE r.load_id = load.load_id
MATCH (pa:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x)
WHERE pa.ring_id IS NOT NULL
MATCH (pb:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(y)
WHERE pb.ring_id IS NOT NULL AND pb.ring_id <> pa.ring_id
WITH load, r,
     CASE WHEN pa.person_id < pb.person_id THEN pa ELSE pb END AS a,
     CASE WHEN pa.person_id < pb.person_id THEN pb ELSE pa END AS b
WITH load, a, b, collect(DISTINCT r.load_id + '#' + toString(r.row)) AS sources
// Linked before: by anything a load that started earlier wrote between the two people's identifiers.
WHERE NOT EXISTS {
  MATCH (a)-[:HAS_PHONE|HAS_ACCOUNT]->()-[r2:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT]-()<-[:HAS_PHONE|HAS_ACCOUNT]-(b)
  WHERE r2.load_id <> load.load_id
    AND EXISTS { MATCH (earlier:Load {load_id: r2.load_id}) WHERE earlier.started_at < load.started_at }
}
RETURN [a.person_id, b.person_id] AS evidence,
       [a.ring_id, b.ring_id] AS rings,
       'New link between ring ' + a.ring_id + ' (' + coalesce(a.name, a.person_id) + ') and ring ' + b.ring_id
         + ' (' + coalesce(b.name, b.person_id) + ')' AS summary,
       sources[..20] AS sources
