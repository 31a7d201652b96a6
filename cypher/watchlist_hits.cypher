// title: Watchlist hits
// category: Alerts
// description: >
//   Which watched identifiers (the Watchlist page: phones, accounts, waybills, devices, IPs, people, names,
//   addresses, cases) appear in the data, and the latest load that touched each. With `since`, only hits
//   touched by a load that started at or after that time.
// params:
//   - {name: watches, type: watchlist, help: The watch list (the app supplies it from the Watchlist page)}
//   - {name: since, type: datetime, default: null, help: Only hits touched by loads started at or after this time}
//   - {name: limit, type: integer, default: 200, help: Maximum number of hits}
// columns: [watch_id, value, reason, added_by, entity, label, latest_load, loaded_at]
// draw: {nodes: [entity]}
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
CALL (n) {
  OPTIONAL MATCH (l:Load) WHERE l.load_id IN coalesce(n.loads, [])
  WITH l ORDER BY l.started_at DESC
  RETURN collect(l)[0] AS latest
}
WITH w, n, latest
WHERE $since IS NULL OR latest.started_at >= $since
RETURN w.watch_id AS watch_id, w.value AS value, w.reason AS reason, w.added_by AS added_by, n AS entity,
       labels(n)[0] AS label, latest.load_id AS latest_load, latest.started_at AS loaded_at
ORDER BY loaded_at DESC, watch_id
LIMIT $limit
