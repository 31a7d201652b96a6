// title: Money cycles
// category: Money
// description: >
//   Money that returns to where it started: cycles of 2 to 4 transfers through an account, each
//   transfer later than the one before, within `window_days`. One row per cycle with its transfers.
// params:
//   - {name: account, type: identifier, help: "Account id (platform:handle) or handle to start from", example: "alipay:mule01"}
//   - {name: window_days, type: integer, default: 30, help: The whole cycle happens within this many days}
//   - {name: limit, type: integer, default: 25, help: Maximum number of cycles}
// columns: [cycle, length, accounts, amounts, first_at, last_at]
// draw: {paths: [cycle]}
CALL () {
  MATCH (n:Account {account_id: $account}) RETURN n
  UNION
  MATCH (n:Account {handle: $account}) RETURN n
}
WITH n AS origin LIMIT 1
MATCH cycle = (origin)-[ts:TRANSFERRED*2..4]->(origin)
WHERE all(i IN range(1, size(ts) - 1) WHERE ts[i].at >= ts[i - 1].at)
  AND ts[-1].at <= ts[0].at + duration({days: $window_days})
WITH cycle, ts LIMIT $limit
RETURN cycle, length(cycle) AS length, [x IN nodes(cycle) | x.account_id] AS accounts,
       [t IN ts | t.amount] AS amounts, ts[0].at AS first_at, ts[-1].at AS last_at
ORDER BY length, first_at
