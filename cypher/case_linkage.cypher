// title: Case concatenation
// category: Cases
// description: >
//   Pairs of cases that share phones, accounts, devices, addresses or parcels, directly or through the
//   people they involve (a person's phones, accounts, devices and addresses count as the case's).
//   Ranked by the number of shared identifiers, which are listed. Identifiers attached to more than
//   `max_cases` cases (depots, platforms) are ignored as hubs. Give `case_id` to see only that case's links.
// params:
//   - {name: case_id, type: string, default: null, help: "Only pairs involving this case (empty: all cases)"}
//   - {name: min_shared, type: integer, default: 1, help: Minimum number of shared identifiers}
//   - {name: max_cases, type: integer, default: 20, help: Ignore identifiers shared by more cases than this}
//   - {name: limit, type: integer, default: 50, help: Maximum number of pairs}
// columns: [case_a, case_b, shared_count, shared, kinds, case_1, case_2, identifiers]
// draw: {nodes: [case_1, case_2, identifiers], score: shared_count}
// heavy: true
CALL () {
  MATCH (c:Case {case_id: $case_id}) RETURN c
  UNION
  MATCH (c:Case) WHERE $case_id IS NULL RETURN c
}
CALL (c) {
  MATCH (c)-[:INVOLVES]->(x:Phone|Account|Device|Address|Parcel) RETURN x
  UNION
  MATCH (c)-[:INVOLVES]->(:Person)-[:HAS_PHONE|HAS_ACCOUNT|USES_DEVICE|LIVES_AT]->(x) RETURN x
}
WITH DISTINCT c, x
CALL (x) {
  CALL (x) {
    MATCH (x)<-[:INVOLVES]-(other:Case) RETURN other
    UNION
    MATCH (x)<-[:HAS_PHONE|HAS_ACCOUNT|USES_DEVICE|LIVES_AT]-(:Person)<-[:INVOLVES]-(other:Case) RETURN other
  }
  RETURN collect(other) AS others
}
WITH c, x, others WHERE size(others) <= $max_cases
UNWIND others AS other
WITH c, other, x
WHERE other <> c AND ($case_id IS NOT NULL OR c.case_id < other.case_id)
WITH c, other, collect(DISTINCT x) AS identifiers
WHERE size(identifiers) >= $min_shared
RETURN c.case_id AS case_a, other.case_id AS case_b, size(identifiers) AS shared_count,
       [x IN identifiers | labels(x)[0] + ' ' + toString(coalesce(x.number, x.account_id, x.imei, x.text, x.address_id, x.waybill))] AS shared,
       reduce(k = [], x IN identifiers | CASE WHEN labels(x)[0] IN k THEN k ELSE k + labels(x)[0] END) AS kinds, c AS case_1, other AS case_2, identifiers
ORDER BY shared_count DESC, case_a, case_b
LIMIT $limit
