// title: SAME_AS candidates to review
// category: Identity
// description: >
//   Pairs of person records that may be one person (same name with a shared phone or address, ...),
//   proposed by the loaders and never merged automatically. Ranked by score, with the reason and what
//   they share. An analyst confirms or rejects a pair on either person's profile; the status is that
//   decision (confirmed, rejected), or candidate while nobody has decided.
// params:
//   - {name: status, type: string, default: candidate, choices: [candidate, confirmed, rejected, any], help: Which candidates to list}
//   - {name: min_score, type: float, default: 0.0, help: Minimum score}
//   - {name: limit, type: integer, default: 100, help: Maximum number of pairs}
//   - {name: reviews, type: reviews, help: The analysts' decisions (the app supplies them from the profiles)}
// columns: [first_name, second_name, score, reason, status, reviewed_by, shared, person_a, person_b, link, reason_facts]
// draw: {nodes: [person_a, person_b], relationships: [link], score: score}
MATCH (person_a:Person)-[link:SAME_AS]->(person_b:Person)
WHERE coalesce(link.score, 0.0) >= $min_score
WITH person_a, person_b, link,
     [r IN $reviews WHERE (r.first = person_a.person_id AND r.second = person_b.person_id)
                       OR (r.first = person_b.person_id AND r.second = person_a.person_id)][0] AS review
WITH person_a, person_b, link, review, coalesce(review.status, 'candidate') AS status
WHERE $status = 'any' OR status = $status
CALL (person_a, person_b) {
  OPTIONAL MATCH (person_a)-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(x)<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]-(person_b)
  RETURN collect(toString(coalesce(x.number, x.account_id, x.text, x.address_id, x.imei))) AS shared
}
RETURN person_a.name AS first_name, person_b.name AS second_name, link.score AS score, link.reason AS reason,
       status, review.reviewer AS reviewed_by, shared, person_a, person_b, link,
       CASE WHEN link.shared_phones IS NOT NULL THEN {say: 'same_as', name: person_a.name, phones: link.shared_phones,
         addresses: link.shared_addresses} END AS reason_facts
ORDER BY score DESC, first_name
LIMIT $limit
