// title: Target package for a ring
// category: Rings and intermediaries
// description: >
//   Everything needed for a coordinated action against one ring: every member with each identifier,
//   address, device and account they use, the cases they appear in, and the source rows (load#row)
//   behind each link. One row per member and attached item (a sender's parcels from one address are one
//   row with every parcel's source row; an account's logins from one place are one link, the latest,
//   with every login's source row); export it as CSV, XLSX or JSON.
// params:
//   - {name: ring_id, type: string, help: The ring (from the Trafficking rings investigation), example: "ring-00000000"}
// columns: [member, name, role, id_number, item_kind, item, sources, cases, person, links, entity]
// draw: {nodes: [person, entity], relationships: [links]}
MATCH (person)-[mo:MEMBER_OF]->(:Ring {ring_id: $ring_id})
CALL (person) {
  // Cases naming the member or one of the member's identifiers.
  CALL (person) {
    MATCH (c:Case)-[:INVOLVES]->(person) RETURN c
    UNION
    MATCH (c:Case)-[:INVOLVES]->()<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]-(person) RETURN c
  }
  WITH c ORDER BY c.case_id
  RETURN collect(DISTINCT c.case_id) AS cases
}
// Each item comes with the drawn link (or none) and the relationships whose source rows it cites.
CALL (person) {
  MATCH (person)-[link:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(entity)
  RETURN link, entity, [link] AS cited
  UNION
  // Logins are events: one drawn link per account and place (the latest), every login's source row kept.
  MATCH (person)-[:HAS_ACCOUNT]->(account:Account)-[login:LOGGED_IN]->(entity)
  WITH account, entity, login ORDER BY login.at DESC
  WITH account, entity, collect(login) AS logins
  RETURN logins[0] AS link, entity, logins AS cited
  UNION
  // The parcels are not drawn, so neither is their link to the address: its source rows are kept.
  MATCH (person)-[:HAS_PHONE]->(:Phone)-[:SENT]->(:Parcel)-[sent:SENT_FROM]->(entity:Address)
  RETURN NULL AS link, entity, [sent] AS cited
  UNION
  MATCH (person)-[link:SAME_AS]-(entity:Person)
  RETURN link, entity, [link] AS cited
  UNION
  // A phone or account member without a known owner is its own identifier.
  WITH person AS entity WHERE NOT entity:Person
  RETURN NULL AS link, entity, [] AS cited
}
WITH person, mo, cases, entity, collect(link) AS links, reduce(all = [], c IN collect(cited) | all + c) AS cited
// A row's source is load#row; a link made by a load's resolution (SAME_AS) has no row: the load alone.
WITH person, mo, cases, entity, links,
     reduce(all = [], r IN cited | all + coalesce(r.sources,
       [s IN [coalesce(r.load_id + '#' + toString(r.row), r.load_id)] WHERE s IS NOT NULL])) AS sources
RETURN coalesce(person.person_id, person.number, person.account_id) AS member, person.name AS name, mo.role AS role,
       person.id_number AS id_number, labels(entity)[0] AS item_kind,
       toString(coalesce(entity.number, entity.account_id, entity.text, entity.address_id, entity.imei, entity.ip, entity.name)) AS item,
       sources, cases, person, links, entity
ORDER BY role, member, item_kind, item
