// title: SAME_AS candidates to review
// category: Identity
// description: >
//   Pairs of person records that may be one person (same name with a shared phone or address, ...),
//   proposed by the loaders and never merged automatically. Ranked by score, with the reason and what
//   they share; confirm or reject them in the review (status candidate, confirmed or rejected).
// params:
//   - {name: status, type: string, default: candidate, choices: [candidate, confirmed, rejected, any], help: Which candidates to list}
//   - {name: min_score, type: float, default: 0.0, help: Minimum score}
//   - {name: limit, type: integer, default: 100, help: Maximum number of pairs}
// columns: [first_name, second_name, score, reason, status, shared, person_a, person_b, link, reason_facts]
// draw: {nodes: [person_a, person_b], relationships: [link], score: score}
MATCH (person_a:Person)-[link:SAME_AS]->(person_b:Person)
WHERE coalesce(link.score, 0.0) >= $min_score AND ($status = 'any' OR coalesce(link.status, 'candidate') = $status)
CALL (person_a, person_b) {
  OPTIONAL MATCH (person_a)-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(x)<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]-(person_b)
  RETURN collect(toString(coalesce(x.number, x.account_id, x.text, x.address_id, x.imei))) AS shared
}
RETURN person_a.name AS first_name, person_b.name AS second_name, link.score AS score, link.reason AS reason,
       coalesce(link.status, 'candidate') AS status, shared, person_a, person_b, link,
       CASE WHEN link.shared_phones IS NOT NULL THEN {say: 'same_as', name: person_a.name, phones: link.shared_phones,
         addresses: link.shared_addresses} END AS reason_facts
ORDER BY score DESC, first_name
LIMIT $limit
