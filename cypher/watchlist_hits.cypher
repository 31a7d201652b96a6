// title: Watchlist hits
// category: Alerts
// description: >
//   Which watched identifiers (Watch nodes: phones, accounts, handles, waybills, devices, IPs, ID numbers,
//   names) appear in the data, and the latest load that touched each. With `since`, only hits touched by
//   a load that started at or after that time.
// params:
//   - {name: since, type: datetime, default: null, help: Only hits touched by loads started at or after this time}
//   - {name: limit, type: integer, default: 200, help: Maximum number of hits}
// columns: [watch_id, value, reason, added_by, entity, label, latest_load, loaded_at, watch]
// draw: {nodes: [watch, entity]}
MATCH (w:Watch)
CALL (w) {
  MATCH (n:Phone {number: w.value}) RETURN n
  UNION
  MATCH (n:Account {account_id: w.value}) RETURN n
  UNION
  MATCH (n:Account {handle: w.value}) RETURN n
  UNION
  MATCH (n:Parcel {waybill: w.value}) RETURN n
  UNION
  MATCH (n:Device {imei: w.value}) RETURN n
  UNION
  MATCH (n:IPAddress {ip: w.value}) RETURN n
  UNION
  MATCH (n:Address {address_id: w.value}) RETURN n
  UNION
  MATCH (n:Person {id_number: w.value}) RETURN n
  UNION
  MATCH (n:Person {name: w.value}) RETURN n
}
CALL (n) {
  OPTIONAL MATCH (l:Load) WHERE l.load_id IN coalesce(n.loads, [])
  WITH l ORDER BY l.started_at DESC
  RETURN collect(l)[0] AS latest
}
WITH w, n, latest
WHERE $since IS NULL OR latest.started_at >= $since
RETURN w.watch_id AS watch_id, w.value AS value, w.reason AS reason, w.added_by AS added_by, n AS entity,
       labels(n)[0] AS label, latest.load_id AS latest_load, latest.started_at AS loaded_at, w AS watch
ORDER BY loaded_at DESC, watch_id
LIMIT $limit
