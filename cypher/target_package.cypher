// title: Target package for a ring
// category: Rings and intermediaries
// description: >
//   Everything needed for a coordinated action against one ring: every member with each identifier,
//   address, device and account they use, the cases they appear in, and the source rows (load#row)
//   behind each link. One row per member and attached item; export it as CSV, XLSX or JSON.
// params:
//   - {name: ring_id, type: string, help: The ring (from the Trafficking rings investigation), example: "ring-00000000"}
// columns: [member, name, role, id_number, item_kind, item, sources, cases, person, link, entity]
// draw: {nodes: [person, entity], relationships: [link]}
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
CALL (person) {
  MATCH (person)-[link:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(entity)
  RETURN link, entity
  UNION
  MATCH (person)-[:HAS_ACCOUNT]->(:Account)-[link:LOGGED_IN]->(entity)
  RETURN link, entity
  UNION
  MATCH (person)-[:HAS_PHONE]->(:Phone)-[:SENT]->(:Parcel)-[link:SENT_FROM]->(entity:Address)
  RETURN link, entity
  UNION
  MATCH (person)-[link:SAME_AS]-(entity:Person)
  RETURN link, entity
  UNION
  // A phone or account member without a known owner is its own identifier.
  WITH person AS entity WHERE NOT entity:Person
  RETURN NULL AS link, entity
}
WITH person, mo, cases, link, entity
RETURN coalesce(person.person_id, person.number, person.account_id) AS member, person.name AS name, mo.role AS role,
       person.id_number AS id_number, labels(entity)[0] AS item_kind,
       toString(coalesce(entity.number, entity.account_id, entity.text, entity.address_id, entity.imei, entity.ip, entity.name)) AS item,
       coalesce(link.sources, CASE WHEN link.load_id IS NULL THEN [] ELSE [link.load_id + '#' + toString(link.row)] END) AS sources,
       cases, person, link, entity
ORDER BY role, member, item_kind, item
