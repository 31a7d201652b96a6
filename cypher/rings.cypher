// title: Trafficking rings and groups
// category: Rings and intermediaries
// description: >
//   The rings and groups found by the network analytics (`python -m explorer.analytics`), largest first:
//   `kind` is "ring" when members show trade behaviour (slang adverts or chats, money passed through,
//   parcels via drop addresses; `trade_evidence` says which) and "group" when the data shows people tied to
//   each other but no trade. Members, size, internal links, the roles inferred from each member's
//   behaviour and position (organiser, seller, courier, mule, broker, member), and `role_reasons`: why
//   each member with a role has it. Rerun the
//   analytics after a load to refresh them. `member_names` lists every member, organisers and brokers
//   first; the picture draws the first `members_drawn` of each ring (Ring detail draws them all).
//   `roles_facts`, `role_reasons_facts` and `trade_evidence_facts` carry the facts of `roles`,
//   `role_reasons` and `trade_evidence`, from which the screen says them in the analyst's language
//   (explorer/explain.py).
// params:
//   - {name: min_size, type: integer, default: 3, help: Smallest ring to list}
//   - {name: limit, type: integer, default: 50, help: Maximum number of rings}
//   - {name: members_drawn, type: integer, default: 20, help: Members of each ring drawn in the picture (organisers and brokers first)}
// columns: [ring_id, kind, size, internal_links, roles, role_reasons, trade_evidence, member_names, ring, members, memberships, roles_facts, role_reasons_facts, trade_evidence_facts]
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
       collect(mo.role) AS member_roles,
       [x IN collect([name, mo.role, mo.reason, mo.reason_facts]) WHERE x[1] <> 'member' | x] AS reasons
  RETURN all_members[..$members_drawn] AS members, all_memberships[..$members_drawn] AS memberships,
         member_names, member_roles,
         [x IN reasons | x[0] + ' (' + x[1] + '): ' + coalesce(x[2], '')] AS role_reasons,
         [x IN reasons | {say: 'named_role', name: x[0], role: x[1], reason: coalesce(x[3], x[2], '')}] AS role_reasons_facts
}
WITH ring, members, memberships, member_names, role_reasons, role_reasons_facts,
     [role IN ['organiser', 'seller', 'courier', 'mule', 'broker', 'member'] WHERE role IN member_roles |
       [role, size([x IN member_roles WHERE x = role])]] AS counts
RETURN ring.ring_id AS ring_id, coalesce(ring.kind, 'ring') AS kind, ring.size AS size,
       ring.internal_links AS internal_links, [c IN counts | c[0] + ': ' + toString(c[1])] AS roles,
       role_reasons, ring.evidence AS trade_evidence, member_names, ring, members, memberships,
       [c IN counts | {say: 'role_count', role: c[0], n: c[1]}] AS roles_facts, role_reasons_facts,
       ring.evidence_facts AS trade_evidence_facts
ORDER BY size DESC, ring_id
