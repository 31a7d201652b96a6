// title: Person profile
// category: Identity
// description: >
//   Everything known about one person (or a phone, account or address): names and aliases, ID number,
//   every identifier and address, rings with role, intermediary scores, cases, and SAME_AS candidates,
//   each with the source rows behind it. One row per attached fact.
// params:
//   - {name: person, type: identifier, help: "Person key, ID number, name, or one of their phones or accounts", example: "13800138000"}
// columns: [subject, name, aliases, fact, item, detail, sources, entity, link, other, item_facts, detail_facts]
// draw: {nodes: [entity, other], relationships: [link]}
CALL () {
  MATCH (n:Phone {number: $person}) RETURN n
  UNION
  MATCH (n:Account {account_id: $person}) RETURN n
  UNION
  MATCH (n:Account {handle: $person}) RETURN n
  UNION
  MATCH (n:Person {person_id: $person}) RETURN n
  UNION
  MATCH (n:Person {id_number: $person}) RETURN n
  UNION
  MATCH (n:Person {name: $person}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($person, ' ', ''))}) RETURN n
  UNION
  MATCH (n:Address {address_id: $person}) RETURN n
  UNION
  MATCH (n:Device {imei: $person}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: $person}) RETURN n
  UNION
  MATCH (n:Case {case_id: $person}) RETURN n
  UNION
  MATCH (n:Site {site_id: $person}) RETURN n
  UNION
  MATCH (n:Ring {ring_id: $person}) RETURN n
}
WITH n AS origin LIMIT 1
// A phone or account stands for the people who use it.
CALL (origin) {
  MATCH (origin:Person) RETURN origin AS entity
  UNION
  MATCH (origin)<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT]-(p:Person) RETURN p AS entity
  UNION
  MATCH (origin) WHERE NOT origin:Person AND NOT EXISTS { (origin)<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT]-(:Person) }
  RETURN origin AS entity
}
CALL (entity) {
  MATCH (entity)-[link:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(other)
  RETURN 'identifier' AS fact, link, other
  UNION
  MATCH (entity)-[link:MEMBER_OF]->(other:Ring)
  RETURN 'ring' AS fact, link, other
  UNION
  MATCH (entity)<-[link:INVOLVES]-(other:Case)
  RETURN 'case' AS fact, link, other
  UNION
  MATCH (entity)-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->()<-[link:INVOLVES]-(other:Case)
  RETURN 'case' AS fact, link, other
  UNION
  MATCH (entity)-[link:SAME_AS]-(other:Person)
  RETURN 'same person?' AS fact, link, other
  UNION
  MATCH (entity)-[link:KNOWS|CONTACT]-(other)
  RETURN 'knows' AS fact, link, other
  UNION
  RETURN 'scores' AS fact, NULL AS link, NULL AS other
}
WITH entity, fact, link, other
WHERE fact <> 'scores' OR entity.betweenness IS NOT NULL OR entity.brokerage IS NOT NULL
RETURN coalesce(entity.person_id, entity.number, entity.account_id, entity.address_id) AS subject, entity.name AS name,
       entity.aliases AS aliases, fact,
       CASE fact WHEN 'scores' THEN 'betweenness ' + toString(entity.betweenness) + ', brokerage ' + toString(entity.brokerage)
         ELSE labels(other)[0] + ' ' + toString(coalesce(other.number, other.account_id, other.text, other.address_id,
           other.imei, other.ring_id, other.case_id, other.name)) END AS item,
       CASE fact WHEN 'ring' THEN link.role WHEN 'case' THEN link.role
         WHEN 'same person?' THEN toString(link.score) + ' ' + coalesce(link.reason, '') + ' (' + coalesce(link.status, 'candidate') + ')'
         ELSE NULL END AS detail,
       coalesce(link.sources, []) AS sources, entity, link, other,
       CASE fact WHEN 'scores' THEN {say: 'scores', betweenness: entity.betweenness, brokerage: entity.brokerage}
         ELSE {say: 'item', label: labels(other)[0], key: toString(coalesce(other.number, other.account_id, other.text,
           other.address_id, other.imei, other.ring_id, other.case_id, other.name))} END AS item_facts,
       CASE WHEN fact IN ['ring', 'case'] THEN {say: 'role', role: link.role}
         WHEN fact = 'same person?' THEN {say: 'same_person', score: link.score, status: coalesce(link.status, 'candidate'),
           reason: CASE WHEN link.shared_phones IS NOT NULL THEN {say: 'same_as', name: entity.name,
             phones: link.shared_phones, addresses: link.shared_addresses} ELSE coalesce(link.reason, '') END}
         END AS detail_facts
ORDER BY subject, fact, item
