// title: Replacement phones
// category: Identity
// description: >
//   Numbers that may have taken over from a phone that went quiet (a new burner), or that it took over
//   from: first used within `max_gap_days` of its last use (or last used shortly before its first), and
//   in touch with the same people. A contact counts as its holder where exactly one person holds it, so
//   a contact who changed numbers too still counts once; a contact with more links than `hub_links` (a
//   courier's hotline) does not count. `direction` says whether the candidate is the newer or the older
//   number; `gap_days` runs from the older number's last use to the newer's first (below 0: they overlapped);
//   `similarity` is the shared contacts over all contacts of the two; `mutual` says each phone is
//   the other's best match, the reading to act on first; `listed_together`, that a roster or extraction
//   already gives one person both numbers. On the generated scenario a mutual match named
//   the same holder's next number three times in four, and a number of the same ring nearly always
//   (docs/investigations.md). Leads to check, never merged.
// params:
//   - {name: phone, type: identifier, help: The phone that went quiet (or the new one), example: "13800138000"}
//   - {name: max_gap_days, type: integer, default: 14, help: Longest quiet spell between the two numbers in days}
//   - {name: min_shared, type: integer, default: 2, help: Fewest contacts the two must share}
//   - {name: hub_links, type: integer, default: 500, help: A contact with more links than this does not count}
//   - {name: limit, type: integer, default: 10, help: Maximum number of candidates each way}
// columns: [direction, number, holders, listed_together, shared, similarity, mutual, gap_days, old_last_use, new_first_use, phone, candidate, contacts, links]
// draw: {nodes: [phone, candidate, contacts], relationships: [links], score: similarity}
// heavy: true
MATCH (phone:Phone {number: $phone})
CALL (phone) {
  MATCH (phone)-[e:CALLED|MESSAGED]-(c)
  WHERE c <> phone
  RETURN min(e.at) AS p_first, max(e.at) AS p_last, collect(DISTINCT c) AS p_contacts
}
CALL (p_contacts) {
  UNWIND p_contacts AS c
  OPTIONAL MATCH (c)<-[:HAS_PHONE|HAS_ACCOUNT]-(h:Person)
  WITH c, collect(DISTINCT h) AS hs
  WHERE COUNT { (c)-[:CALLED|MESSAGED]-() } <= $hub_links
  RETURN collect(DISTINCT CASE WHEN size(hs) = 1 THEN elementId(hs[0]) ELSE elementId(c) END) AS p_units,
         collect(c) AS p_counted
}
// Candidates: phones in touch with a counted contact, active just after the phone's last use or just
// before its first.
CALL (phone, p_counted) {
  UNWIND p_counted AS c
  MATCH (c)-[:CALLED|MESSAGED]-(x:Phone)
  WHERE x <> phone
  RETURN DISTINCT x
}
CALL (x) {
  MATCH (x)-[e:CALLED|MESSAGED]-(c)
  WHERE c <> x
  RETURN min(e.at) AS x_first, max(e.at) AS x_last, collect(DISTINCT c) AS x_contacts
}
WITH phone, p_first, p_last, p_units, p_counted, x, x_first, x_last, x_contacts,
     CASE WHEN x_first >= p_last - duration({days: 2}) AND x_first <= p_last + duration({days: $max_gap_days}) THEN 'newer'
          WHEN x_last <= p_first + duration({days: 2}) AND x_last >= p_first - duration({days: $max_gap_days}) THEN 'older'
     END AS direction
WHERE direction IS NOT NULL
CALL (x_contacts) {
  UNWIND x_contacts AS c
  OPTIONAL MATCH (c)<-[:HAS_PHONE|HAS_ACCOUNT]-(h:Person)
  WITH c, collect(DISTINCT h) AS hs
  WHERE COUNT { (c)-[:CALLED|MESSAGED]-() } <= $hub_links
  RETURN collect(DISTINCT CASE WHEN size(hs) = 1 THEN elementId(hs[0]) ELSE elementId(c) END) AS x_units,
         collect(c) AS x_counted
}
WITH phone, p_first, p_last, p_units, p_counted, x, x_first, x_last, direction, x_units, x_counted,
     size([u IN p_units WHERE u IN x_units]) AS shared
WHERE shared >= $min_shared
WITH phone, p_first, p_last, p_units, p_counted, x, x_first, x_last, direction, x_units, x_counted, shared,
     toFloat(shared) / (size(p_units) + size(x_units) - shared) AS similarity
ORDER BY similarity DESC, shared DESC, x.number
WITH phone, p_first, p_last, p_units, p_counted, direction,
     collect({x: x, first: x_first, last: x_last, units: x_units, counted: x_counted, shared: shared,
              similarity: similarity}) AS found
UNWIND range(0, size(found) - 1) AS rank
WITH phone, p_first, p_last, p_units, p_counted, direction, rank, found[rank] AS f
WHERE rank < $limit
// Mutual: the phone is also the candidate's best match, looking back from it (or forward).
OPTIONAL CALL (phone, direction, f) {
  WITH f.x AS x, f.units AS x_units, f.first AS x_first, f.last AS x_last
  MATCH (x)-[:CALLED|MESSAGED]-(c)
  WHERE c <> x
  WITH DISTINCT x, x_units, x_first, x_last, c
  WHERE COUNT { (c)-[:CALLED|MESSAGED]-() } <= $hub_links
  MATCH (c)-[:CALLED|MESSAGED]-(y:Phone)
  WHERE y <> x
  WITH DISTINCT x, x_units, x_first, x_last, y
  CALL (y) {
    MATCH (y)-[e:CALLED|MESSAGED]-(c)
    WHERE c <> y
    RETURN min(e.at) AS y_first, max(e.at) AS y_last, collect(DISTINCT c) AS y_contacts
  }
  WITH x_units, y, y_contacts
  WHERE (direction = 'newer' AND y_last <= x_first + duration({days: 2}) AND y_last >= x_first - duration({days: $max_gap_days}))
     OR (direction = 'older' AND y_first >= x_last - duration({days: 2}) AND y_first <= x_last + duration({days: $max_gap_days}))
  CALL (y_contacts) {
    UNWIND y_contacts AS c
    OPTIONAL MATCH (c)<-[:HAS_PHONE|HAS_ACCOUNT]-(h:Person)
    WITH c, collect(DISTINCT h) AS hs
    WHERE COUNT { (c)-[:CALLED|MESSAGED]-() } <= $hub_links
    RETURN collect(DISTINCT CASE WHEN size(hs) = 1 THEN elementId(hs[0]) ELSE elementId(c) END) AS y_units
  }
  WITH y, size([u IN x_units WHERE u IN y_units]) AS y_shared, size(x_units) + size(y_units) AS together
  WHERE y_shared > 0
  RETURN y = phone AS mutual
  ORDER BY toFloat(y_shared) / (together - y_shared) DESC, y_shared DESC, y.number
  LIMIT 1
}
WITH phone, p_first, p_last, p_units, p_counted, direction, f, f.x AS candidate, coalesce(mutual, false) AS mutual
OPTIONAL MATCH (candidate)<-[:HAS_PHONE]-(holder:Person)
WITH phone, p_first, p_last, p_units, p_counted, direction, f, candidate, mutual, collect(DISTINCT holder.name) AS holders
// What the two share, to draw: each phone's contacts that count as shared, and a link from the phone to each.
CALL (phone, p_units, p_counted, f, candidate) {
  UNWIND [[phone, p_counted, f.units], [candidate, f.counted, p_units]] AS side
  WITH side[0] AS own, side[2] AS other_units, side[1] AS counted
  UNWIND counted AS c
  OPTIONAL MATCH (c)<-[:HAS_PHONE|HAS_ACCOUNT]-(h:Person)
  WITH own, other_units, c, collect(DISTINCT h) AS hs
  WITH own, c WHERE (CASE WHEN size(hs) = 1 THEN elementId(hs[0]) ELSE elementId(c) END) IN other_units
  RETURN collect(DISTINCT c) AS contacts, collect([(own)-[l:CALLED|MESSAGED]-(c) | l][0]) AS links
}
RETURN direction, candidate.number AS number, holders,
       EXISTS { (phone)<-[:HAS_PHONE]-(:Person)-[:HAS_PHONE]->(candidate) } AS listed_together,
       f.shared AS shared, round(f.similarity, 3) AS similarity, mutual,
       round(toFloat(CASE direction WHEN 'newer' THEN duration.inSeconds(p_last, f.first).seconds
                                     ELSE duration.inSeconds(f.last, p_first).seconds END) / 86400, 1) AS gap_days,
       CASE direction WHEN 'newer' THEN p_last ELSE f.last END AS old_last_use,
       CASE direction WHEN 'newer' THEN f.first ELSE p_first END AS new_first_use,
       phone, candidate, contacts, links
ORDER BY mutual DESC, similarity DESC, shared DESC, number
