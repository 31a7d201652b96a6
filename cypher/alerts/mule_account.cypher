// title: Account starts to act as a mule
// category: Alerts
// description: >
//   With the transfers this load added, an account now takes money from at least `min_sources` distinct
//   payers and passes at least `min_share` of it on to at least `min_targets` distinct payees, and before
//   this load it had too few payers or payees for that: fan-in and fan-out, starting now. Platforms and
//   settlement accounts (more than `max_degree` counterparts) are left out. One alert per account.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:payments"}
//   - {name: min_sources, type: integer, default: 3, help: Distinct paying accounts}
//   - {name: min_targets, type: integer, default: 2, help: Distinct receiving accounts}
//   - {name: min_share, type: float, default: 0.5, help: Share of the money in that is passed on}
//   - {name: max_degree, type: integer, default: 200, help: Skip accounts with more counterparts than this}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
MATCH (a:Account)-[t:TRANSFERRED]-(:Account) USING INDEX SEEK t:TRANSFERRED(load_id)
WHERE t.load_id = $load_id
WITH DISTINCT load, a
CALL (load, a) {
  MATCH (a)-[t:TRANSFERRED]-(other:Account)
  OPTIONAL MATCH (l2:Load {load_id: t.load_id})
  WITH t, other, endNode(t) = a AS incoming, t.load_id = $load_id AS added,
       coalesce(l2.started_at < load.started_at, false) AS before
  WHERE added OR before
  RETURN count(DISTINCT CASE WHEN incoming THEN other END) AS payers,
         count(DISTINCT CASE WHEN NOT incoming THEN other END) AS payees,
         count(DISTINCT CASE WHEN incoming AND before THEN other END) AS payers_before,
         count(DISTINCT CASE WHEN NOT incoming AND before THEN other END) AS payees_before,
         sum(CASE WHEN incoming THEN coalesce(t.amount, 0.0) ELSE 0.0 END) AS amount_in,
         sum(CASE WHEN incoming THEN 0.0 ELSE coalesce(t.amount, 0.0) END) AS amount_out,
         collect(CASE WHEN added THEN t.load_id + '#' + toString(t.row) END) AS sources
}
WITH a, payers, payees, payers_before, payees_before, amount_in, amount_out, sources
WHERE payers >= $min_sources AND payees >= $min_targets AND payers + payees <= $max_degree
  AND NOT (payers_before >= $min_sources AND payees_before >= $min_targets)
  AND amount_in > 0 AND amount_out >= $min_share * amount_in
OPTIONAL MATCH (a)<-[:HAS_ACCOUNT]-(holder:Person)
WITH a, payers, payees, amount_in, amount_out, sources, collect(DISTINCT holder.ring_id) AS rings
RETURN [a.account_id] AS evidence,
       rings,
       {account: a.account_id, payers: payers, share: toInteger(round(100 * amount_out / amount_in)),
        payees: payees} AS summary,
       sources[..20] AS sources
