// title: Ring detail
// category: Rings and intermediaries
// description: >
//   One ring, member by member: the role inferred from behaviour and why, intermediary scores, and the
//   phones and accounts each member uses. For the graph, one link per pair of identifiers and kind of
//   link (with the member it starts from), the busiest pairs first, at most `links_per_member` per
//   member; `internal_events` counts every call, message and transfer from the member into the ring.
// params:
//   - {name: ring_id, type: string, help: The ring (from the Trafficking rings investigation), example: "ring-00000000"}
//   - {name: links_per_member, type: integer, default: 50, help: Most pairs drawn from one member to the rest of the ring}
// columns: [member, name, role, role_reason, betweenness, brokerage, internal_events, identifiers, membership, internal_links, role_reason_facts]
// draw: {nodes: [member, identifiers], relationships: [membership, internal_links], score: betweenness}
MATCH (ring:Ring {ring_id: $ring_id})<-[membership:MEMBER_OF]-(member)
CALL (member) {
  OPTIONAL MATCH (member)-[:HAS_PHONE|HAS_ACCOUNT]->(id)
  WITH collect(DISTINCT id) AS owned
  RETURN owned + CASE WHEN member:Phone OR member:Account THEN [member] ELSE [] END AS identifiers
}
CALL (member, identifiers, ring) {
  UNWIND identifiers + [member] AS id
  MATCH (id)-[link:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT|KNOWS|CONTACT]->(other)
  WHERE other.ring_id = ring.ring_id
     OR EXISTS { (other)<-[:HAS_PHONE|HAS_ACCOUNT]-(:Person {ring_id: ring.ring_id}) }
  // Repeated calls between the same two phones are one line in the picture (one per kind of link):
  // sending each of them, with its properties and sources, was most of this query's time on large rings.
  WITH id, other, type(link) AS kind, head(collect(link)) AS link, count(*) AS events
  ORDER BY events DESC
  WITH collect(link) AS links, sum(events) AS internal_events
  RETURN links[..$links_per_member] AS internal_links, internal_events
}
RETURN member, coalesce(member.name, member.number, member.account_id) AS name, membership.role AS role,
       membership.reason AS role_reason, member.betweenness AS betweenness, member.brokerage AS brokerage,
       internal_events, identifiers, membership, internal_links, membership.reason_facts AS role_reason_facts
ORDER BY CASE role WHEN 'organiser' THEN 0 WHEN 'broker' THEN 1 WHEN 'seller' THEN 2 WHEN 'courier' THEN 3
         WHEN 'mule' THEN 4 ELSE 5 END, betweenness DESC
