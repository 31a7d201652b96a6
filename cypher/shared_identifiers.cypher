// title: Shared-identifier clusters
// category: Identity
// description: >
//   Different names behind one phone, one device, one address or one payment account: each row is an
//   identifier used by at least `min_names` distinct person names, with the names and the people.
//   Often one person using aliases, or a drop address or a shared "work phone".
// params:
//   - {name: kinds, type: list, default: [Phone, Device, Address, Account], help: "Identifier kinds to check: Phone, Device, Address, Account"}
//   - {name: min_names, type: integer, default: 2, help: Minimum number of distinct names}
//   - {name: limit, type: integer, default: 50, help: Maximum number of identifiers}
// columns: [identifier, kind, value, names, name_count, people, links]
// draw: {nodes: [identifier, people], relationships: [links], score: name_count}
// heavy: true
CALL () {
  MATCH (x:Phone) WHERE 'Phone' IN $kinds AND COUNT { (x)<-[:HAS_PHONE]-() } >= $min_names RETURN x
  UNION
  MATCH (x:Device) WHERE 'Device' IN $kinds AND COUNT { (x)<-[:USES_DEVICE]-() } >= $min_names RETURN x
  UNION
  MATCH (x:Address) WHERE 'Address' IN $kinds AND COUNT { (x)<-[:LIVES_AT]-() } >= $min_names RETURN x
  UNION
  MATCH (x:Account) WHERE 'Account' IN $kinds AND COUNT { (x)<-[:HAS_ACCOUNT]-() } >= $min_names RETURN x
}
MATCH (x)<-[link:HAS_PHONE|USES_DEVICE|LIVES_AT|HAS_ACCOUNT]-(p:Person)
WITH x, collect(link) AS links, collect(p) AS people, collect(DISTINCT p.name) AS names
WHERE size(names) >= $min_names
RETURN x AS identifier, labels(x)[0] AS kind, coalesce(x.number, x.imei, x.text, x.address_id, x.account_id) AS value,
       names, size(names) AS name_count, people, links
ORDER BY name_count DESC, value
LIMIT $limit
