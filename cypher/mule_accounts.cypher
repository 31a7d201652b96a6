// title: Mule accounts
// category: Money
// description: >
//   Accounts that take money in and pass it on (fan-in then fan-out): an incoming payment counts as
//   passed on when, within `window_hours` after it arrived, one transfer of 80-100% of its amount left
//   for someone other than the payer (passed on as it came, a cut kept). With `pooled`, transfers out
//   that gather it with other money count too (a mule collecting several payments before sending them
//   on), at the cost of also finding shops that sweep the day's takings to the owner. One payment passed
//   on is the least of the pattern; set `min_sources` to 2 or more for fan-in only. For each account: the payers,
//   the money in, the money sent on after those payments, its share, and who received it. `score` is
//   the number of distinct payers whose money was passed on, times the share of all payers they are,
//   plus the share of money passed on: each payment forwarded on its own is the mule's pattern; a shop
//   sweeping the day's takings in one transfer passes on few payments as they came, and a household
//   account moves money back and forth among a few relatives.
// params:
//   - {name: min_sources, type: integer, default: 1, help: Minimum number of distinct paying accounts}
//   - {name: min_targets, type: integer, default: 1, help: Minimum number of distinct receiving accounts}
//   - {name: window_hours, type: integer, default: 48, help: Money counts as forwarded when it leaves within this many hours of arriving}
//   - {name: pooled, type: boolean, default: false, help: "Also count payments passed on gathered with other money in one transfer (finds pooling mules, and shops sweeping takings)"}
//   - {name: min_share, type: float, default: 0.5, help: Minimum share of the money in that is passed on}
//   - {name: max_degree, type: integer, default: 500, help: Skip accounts with more transfers than this (platforms and settlement accounts)}
//   - {name: limit, type: integer, default: 50, help: Maximum number of accounts}
// columns: [account, account_id, sources, targets, amount_in, amount_forwarded, share, score, payers, payees]
// draw: {nodes: [account, payers, payees], score: score}
// heavy: true
MATCH (a:Account)
WHERE COUNT { (a)<-[:TRANSFERRED]-() } >= $min_sources AND COUNT { (a)-[:TRANSFERRED]->() } >= $min_targets
  AND COUNT { (a)-[:TRANSFERRED]-() } <= $max_degree
CALL (a) {
  MATCH (payer:Account)-[i:TRANSFERRED]->(a)
  OPTIONAL MATCH (a)-[o:TRANSFERRED]->(payee:Account)
    WHERE payee <> payer AND o.at > i.at AND o.at <= i.at + duration({hours: $window_hours})
  // As it came: one transfer out of 80-100% of the payment (a fee or a cut kept). Pooled: whatever left
  // after it, gathered with other money, adding up to 80% of it.
  WITH payer, i, collect(o) AS outs, collect(payee) AS onward
  WITH payer, i, outs, onward,
       [k IN range(0, size(outs) - 1) WHERE $pooled OR 0.8 * i.amount <= outs[k].amount <= i.amount] AS kept
  WITH payer, i, [k IN kept | outs[k]] AS outs, [k IN kept | onward[k]] AS onward
  WITH payer, i, outs, onward, reduce(total = 0.0, o IN outs | total + o.amount) >= 0.8 * i.amount AS passed
  RETURN collect(DISTINCT payer) AS payers, sum(i.amount) AS amount_in,
         collect(DISTINCT CASE WHEN passed THEN payer END) AS forwarded_payers,
         reduce(all = [], x IN collect(CASE WHEN passed THEN outs ELSE [] END) | all + x) AS forwarded,
         reduce(all = [], x IN collect(CASE WHEN passed THEN onward ELSE [] END) | all + x) AS onward
}
// The transfers out that followed a payment, each counted once, and who received them.
WITH a, payers, amount_in, forwarded_payers,
     reduce(seen = [], o IN forwarded | CASE WHEN o IN seen THEN seen ELSE seen + o END) AS outs,
     reduce(seen = [], p IN onward | CASE WHEN p IN seen THEN seen ELSE seen + p END) AS payees
WITH a, payers, payees, amount_in, reduce(total = 0.0, o IN outs | total + o.amount) AS amount_forwarded,
     size(forwarded_payers) AS passed_on
WITH a, payers, payees, amount_in, amount_forwarded, passed_on,
     CASE WHEN amount_in > 0 THEN amount_forwarded / amount_in ELSE 0.0 END AS share
WHERE size(payers) >= $min_sources AND size(payees) >= $min_targets AND share >= $min_share
RETURN a AS account, a.account_id AS account_id, size(payers) AS sources, size(payees) AS targets,
       amount_in, amount_forwarded, share,
       toFloat(passed_on * passed_on) / CASE size(payers) WHEN 0 THEN 1 ELSE size(payers) END + CASE WHEN share > 1.0 THEN 1.0 ELSE share END AS score, payers, payees
ORDER BY score DESC, amount_in DESC
LIMIT $limit
