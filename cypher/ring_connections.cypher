// title: Links between rings
// category: Rings and intermediaries
// description: >
//   Which rings are connected, and by whom: pairs of rings with the intermediaries whose contacts span
//   both (from the analytics), strongest first.
// params:
//   - {name: limit, type: integer, default: 50, help: Maximum number of ring pairs}
// columns: [ring_a, ring_b, intermediaries, count, first_ring, second_ring, brokers]
// draw: {nodes: [first_ring, second_ring, brokers], score: count}
CALL () {
  MATCH (n:Person) WHERE n.brokerage > 0 RETURN n
  UNION
  MATCH (n:Phone) WHERE n.brokerage > 0 RETURN n
  UNION
  MATCH (n:Account) WHERE n.brokerage > 0 RETURN n
}
UNWIND n.connects AS r1
UNWIND n.connects AS r2
WITH n, r1, r2 WHERE r1 < r2
WITH n, r1, r2 ORDER BY n.brokerage_weight DESC
WITH r1, r2, collect(n) AS brokers
MATCH (first_ring:Ring {ring_id: r1}), (second_ring:Ring {ring_id: r2})
RETURN r1 AS ring_a, r2 AS ring_b, [b IN brokers | coalesce(b.name, b.number, b.account_id)] AS intermediaries,
       size(brokers) AS count, first_ring, second_ring, brokers
ORDER BY count DESC, ring_a, ring_b
LIMIT $limit
