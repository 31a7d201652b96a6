// title: Mule accounts
// category: Money
// description: >
//   Accounts that receive money from several sources and pass most of it on within a short window
//   (fan-in then fan-out): for each account, the money in, the money forwarded within `window_hours`
//   after arriving, the share passed through, and the counterparts on both sides.
// params:
//   - {name: min_sources, type: integer, default: 3, help: Minimum number of distinct paying accounts}
//   - {name: min_targets, type: integer, default: 1, help: Minimum number of distinct receiving accounts}
//   - {name: window_hours, type: integer, default: 48, help: Money counts as forwarded when it leaves within this many hours of arriving}
//   - {name: min_share, type: float, default: 0.5, help: Minimum share of the money in that is forwarded}
//   - {name: max_degree, type: integer, default: 5000, help: Skip accounts with more transfers than this (platforms)}
//   - {name: limit, type: integer, default: 50, help: Maximum number of accounts}
// columns: [account, account_id, sources, targets, amount_in, amount_forwarded, share, score, payers, payees]
// draw: {nodes: [account, payers, payees], score: score}
// heavy: true
MATCH (a:Account)
WHERE COUNT { (a)<-[:TRANSFERRED]-() } >= $min_sources AND COUNT { (a)-[:TRANSFERRED]->() } >= $min_targets
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
CALL (a) {
  MATCH (payer:Account)-[t:TRANSFERRED]->(a)
  RETURN collect(DISTINCT payer) AS payers, sum(t.amount) AS amount_in, min(t.at) AS first_in, max(t.at) AS last_in
}
WITH a, payers, amount_in, first_in, last_in WHERE size(payers) >= $min_sources
CALL (a, first_in, last_in) {
  MATCH (a)-[t:TRANSFERRED]->(payee:Account)
  WHERE t.at >= first_in AND t.at <= last_in + duration({hours: $window_hours})
  RETURN collect(DISTINCT payee) AS payees, sum(t.amount) AS amount_forwarded
}
WITH a, payers, payees, amount_in, amount_forwarded,
     CASE WHEN amount_in > 0 THEN amount_forwarded / amount_in ELSE 0.0 END AS share
WHERE size(payees) >= $min_targets AND share >= $min_share
RETURN a AS account, a.account_id AS account_id, size(payers) AS sources, size(payees) AS targets,
       amount_in, amount_forwarded, share, size(payers) * CASE WHEN share > 1.0 THEN 1.0 ELSE share END AS score,
       payers, payees
ORDER BY score DESC, amount_in DESC
LIMIT $limit
