// title: Trafficking rings
// category: Rings and intermediaries
// description: >
//   The rings found by the network analytics (`python -m explorer.analytics`), largest first: members,
//   size, internal links, and the roles inferred from each member's behaviour (organiser, seller,
//   courier, mule, broker, member), and `evidence`: why the community is a ring (which members show trade
//   behaviour: slang adverts or chats, money passed through, parcels via drop addresses). Rerun the
//   analytics after a load to refresh them.
// params:
//   - {name: min_size, type: integer, default: 3, help: Smallest ring to list}
//   - {name: limit, type: integer, default: 50, help: Maximum number of rings}
// columns: [ring_id, size, internal_links, roles, evidence, member_names, ring, members, memberships]
// draw: {nodes: [ring, members], relationships: [memberships], score: size}
MATCH (ring:Ring)
WHERE ring.size >= $min_size
WITH ring ORDER BY ring.size DESC, ring.ring_id LIMIT $limit
CALL (ring) {
  MATCH (m)-[mo:MEMBER_OF]->(ring)
  WITH m, mo ORDER BY mo.role, coalesce(m.name, m.number, m.account_id)
  RETURN collect(m) AS members, collect(mo) AS memberships,
         collect(coalesce(m.name, m.number, m.account_id)) AS member_names
}
RETURN ring.ring_id AS ring_id, ring.size AS size, ring.internal_links AS internal_links,
       [role IN ['organiser', 'seller', 'courier', 'mule', 'broker', 'member']
         WHERE any(x IN memberships WHERE x.role = role) |
         role + ': ' + toString(size([x IN memberships WHERE x.role = role]))] AS roles,
       ring.evidence AS evidence, member_names, ring, members, memberships
ORDER BY size DESC, ring_id
