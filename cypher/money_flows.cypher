// title: Largest money flows
// category: Money
// description: >
//   Where the money went, in bulk: every transfer from one account to another added up, largest first,
//   with the number of transfers, the number of transactions they stand for (a statement line or a
//   filing can sum several), and the first and last of them. Each currency is its own row: amounts in
//   different currencies are never added together. Give `account` to see only the flows into and out
//   of one account; `min_amount` leaves small flows out.
// params:
//   - {name: account, type: string, default: null, help: "Only flows into or out of this account (account id such as alipay:mule01, or handle; empty: all)"}
//   - {name: min_amount, type: float, default: 0, help: Leave out flows smaller than this}
//   - {name: since, type: datetime, default: null, help: Only transfers at or after this time}
//   - {name: until, type: datetime, default: null, help: Only transfers before this time}
//   - {name: limit, type: integer, default: 50, help: Maximum number of flows}
// columns: [from_account, to_account, total, currency, transfers, transactions, first_at, last_at, payer, payee, transfer_links]
// draw: {nodes: [payer, payee], relationships: [transfer_links], score: total}
// heavy: true
CALL () {
  MATCH (payer:Account)-[t:TRANSFERRED]->(payee:Account) WHERE $account IS NULL RETURN payer, t, payee
  UNION
  MATCH (a:Account) WHERE a.account_id = $account OR a.handle = $account
  MATCH (a)-[t:TRANSFERRED]-(:Account)
  RETURN startNode(t) AS payer, t, endNode(t) AS payee
}
WITH payer, t, payee
WHERE ($since IS NULL OR t.at >= $since) AND ($until IS NULL OR t.at < $until) AND t.amount IS NOT NULL
WITH payer, payee, coalesce(t.currency, 'CNY') AS currency, sum(abs(t.amount)) AS total, count(t) AS transfers,
     sum(coalesce(t.transactions, 1)) AS transactions, min(t.at) AS first_at, max(t.at) AS last_at,
     collect(t)[..20] AS transfer_links
WHERE total >= $min_amount
RETURN coalesce(payer.holder_name + ' (' + payer.account_id + ')', payer.account_id) AS from_account,
       coalesce(payee.holder_name + ' (' + payee.account_id + ')', payee.account_id) AS to_account,
       total, currency, transfers, transactions, first_at, last_at, payer, payee, transfer_links
ORDER BY total DESC, from_account, to_account
LIMIT $limit
