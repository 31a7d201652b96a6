// title: Watched identifier in new data
// category: Alerts
// description: >
//   A watched identifier (on the Watchlist page: phone, account, waybill, device, IP, address, person,
//   name, case) is touched by the load: the load wrote the node, or a call, message, transfer or parcel
//   that involves it. One alert per watch and node.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:cdr"}
//   - {name: watches, type: watchlist, help: The watch list (the app supplies it from the Watchlist page)}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
UNWIND $watches AS w
CALL (w) {
  MATCH (n:Phone {number: w.value}) WHERE w.kind = 'phone' RETURN n
  UNION
  MATCH (n:Account {account_id: w.value}) WHERE w.kind = 'account' RETURN n
  UNION
  MATCH (n:Parcel {waybill: w.value}) WHERE w.kind = 'parcel' RETURN n
  UNION
  MATCH (n:Device {imei: w.value}) WHERE w.kind = 'device' RETURN n
  UNION
  MATCH (n:IPAddress {ip: w.value}) WHERE w.kind = 'ip' RETURN n
  UNION
  MATCH (n:Person {person_id: w.value}) WHERE w.kind = 'person' RETURN n
  UNION
  MATCH (n:Person {name: w.value}) WHERE w.kind = 'name' RETURN n
  UNION
  MATCH (n:Address {address_id: w.value}) WHERE w.kind = 'address' RETURN n
  UNION
  MATCH (n:Case {case_id: w.value}) WHERE w.kind = 'case' RETURN n
}
WITH load, w, n
WHERE load.load_id IN coalesce(n.loads, [])
CALL (load, n) {
  OPTIONAL MATCH (n)-[r]-()
  WHERE r.load_id = $load_id
  WITH r ORDER BY r.row LIMIT 20
  RETURN collect(r.load_id + '#' + toString(r.row)) AS sources
}
CALL (n) {
  OPTIONAL MATCH (n)<-[:HAS_PHONE|HAS_ACCOUNT]-(holder:Person)
  WITH n, collect(holder.ring_id) AS held
  WITH [r IN held + [n.ring_id] WHERE r IS NOT NULL] AS found
  RETURN reduce(seen = [], r IN found | CASE WHEN r IN seen THEN seen ELSE seen + r END) AS rings
}
RETURN [w.watch_id, labels(n)[0] + ':' + coalesce(n.number, n.account_id, n.waybill, n.imei, n.ip, n.address_id, n.person_id,
                                           n.case_id)]
         AS evidence,
       rings,
       {kind: w.kind, value: w.value, file: coalesce(load.file, load.load_id), reason: w.reason} AS summary,
       sources
