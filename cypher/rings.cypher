// title: Trafficking rings
// category: Rings and intermediaries
// description: >
//   The rings found by the network analytics (`python -m explorer.analytics`), largest first: members,
//   size, internal links, and the roles inferred from each member's behaviour (organiser, seller,
//   courier, mule, broker, member), and `evidence`: why the community is a ring (which members show trade
//   behaviour: slang adverts or chats, money passed through, parcels via drop addresses). Rerun the
//   analytics after a load to refresh them. `member_names` lists every member, organisers and brokers
//   first; the picture draws the first `members_drawn` of each ring (Ring detail draws them all).
// params:
//   - {name: min_size, type: integer, default: 3, help: Smallest ring to list}
//   - {name: limit, type: integer, default: 50, help: Maximum number of rings}
//   - {name: members_drawn, type: integer, default: 20, help: Members of each ring drawn in the picture (organisers and brokers first)}
// columns: [ring_id, size, internal_links, roles, evidence, member_names, ring, members, memberships]
// draw: {nodes: [ring, members], relationships: [memberships], score: size}
MATCH (ring:Ring)
WHERE ring.size >= $min_size
WITH ring ORDER BY ring.size DESC, ring.ring_id LIMIT $limit
CALL (ring) {
  MATCH (m)-[mo:MEMBER_OF]->(ring)
  WITH m, mo, coalesce(m.name, m.number, m.account_id) AS name,
       CASE mo.role WHEN 'organiser' THEN 0 WHEN 'broker' THEN 1 WHEN 'seller' THEN 2
         WHEN 'courier' THEN 3 WHEN 'mule' THEN 4 ELSE 5 END AS rank
  ORDER BY rank, name
  // Every member is named and counted; only the drawn ones travel as nodes and relationships.
  WITH collect(m) AS all_members, collect(mo) AS all_memberships, collect(name) AS member_names,
       collect(mo.role) AS member_roles
  RETURN all_members[..$members_drawn] AS members, all_memberships[..$members_drawn] AS memberships,
         member_names, member_roles
}
RETURN ring.ring_id AS ring_id, ring.size AS size, ring.internal_links AS internal_links,
       [role IN ['organiser', 'seller', 'courier', 'mule', 'broker', 'member'] WHERE role IN member_roles |
         role + ': ' + toString(size([x IN member_roles WHERE x = role]))] AS roles,
       ring.evidence AS evidence, member_names, ring, members, memberships
ORDER BY size DESC, ring_id
