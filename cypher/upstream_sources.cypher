// title: Upstream source tracing
// category: Flows
// description: >
//   From a buyer (person, phone or account), a seized parcel or a case, follows the goods and the money
//   back towards their sources: from a phone to the phones that sent it parcels, and from an account to
//   the accounts it paid (buyers pay upstream), passing from a person's phones to their accounts and
//   back. One row per upstream entity reached, nearest first; `terminal` marks entities with nothing
//   further upstream (candidate sources).
// params:
//   - {name: origin, type: identifier, help: "Buyer's phone, account, person key or name; a waybill; or a case number", example: "13700137000"}
//   - {name: max_steps, type: integer, default: 6, help: "Longest trail followed, in links (at most 8)"}
//   - {name: limit, type: integer, default: 100, help: Maximum number of upstream entities}
// columns: [upstream, owner, steps, terminal, via, trail]
// draw: {nodes: [upstream], paths: [trail], score: steps}
// heavy: true
CALL () {
  MATCH (n:Phone {number: $origin}) RETURN n
  UNION
  MATCH (n:Account {account_id: $origin}) RETURN n
  UNION
  MATCH (n:Account {handle: $origin}) RETURN n
  UNION
  MATCH (n:Person {person_id: $origin}) RETURN n
  UNION
  MATCH (n:Person {id_number: $origin}) RETURN n
  UNION
  MATCH (n:Person {name: $origin}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: toUpper(replace($origin, ' ', ''))}) RETURN n
  UNION
  MATCH (n:Address {address_id: $origin}) RETURN n
  UNION
  MATCH (n:Device {imei: $origin}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: $origin}) RETURN n
  UNION
  MATCH (n:Case {case_id: $origin}) RETURN n
  UNION
  MATCH (n:Site {site_id: $origin}) RETURN n
  UNION
  MATCH (n:Ring {ring_id: $origin}) RETURN n
}
WITH n AS origin LIMIT 1
// A case or a person starts from its identifiers; a parcel from itself.
CALL (origin) {
  MATCH (origin:Case)-[:INVOLVES]->(x) WHERE x:Phone OR x:Account OR x:Parcel RETURN x
  UNION
  MATCH (origin:Case)-[:INVOLVES]->(:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x) RETURN x
  UNION
  MATCH (origin:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x) RETURN x
  UNION
  WITH origin AS x WHERE x:Phone OR x:Account OR x:Parcel RETURN x
}
// Upstream steps: receiver <- parcel <- sender, payer -> payee, and hops between one owner's identifiers.
MATCH trail = (x) ((a)-[r:RECEIVED_BY|SENT|TRANSFERRED|HAS_PHONE|HAS_ACCOUNT]-(b)
    WHERE (type(r) IN ['RECEIVED_BY', 'SENT'] AND startNode(r) = b)
       OR (type(r) = 'TRANSFERRED' AND startNode(r) = a)
       OR type(r) IN ['HAS_PHONE', 'HAS_ACCOUNT']
  ){1,8} (up)
WHERE length(trail) <= $max_steps AND (up:Phone OR up:Account) AND up <> x
WITH up, min(length(trail)) AS steps, collect(trail)[0] AS trail
ORDER BY steps
LIMIT $limit
OPTIONAL MATCH (up)<-[:HAS_PHONE|HAS_ACCOUNT]-(owner:Person)
WITH up, steps, trail, collect(owner.name)[0] AS owner
RETURN up AS upstream, owner, steps,
       NOT EXISTS { (up)<-[:RECEIVED_BY]-(:Parcel) } AND NOT EXISTS { (up)-[:TRANSFERRED]->() } AS terminal,
       [r IN relationships(trail) WHERE type(r) IN ['SENT', 'TRANSFERRED'] | type(r)] AS via, trail
ORDER BY steps, terminal DESC
