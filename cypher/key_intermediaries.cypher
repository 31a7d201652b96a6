// title: Key intermediaries
// category: Rings and intermediaries
// description: >
//   People (or phones and accounts with no known owner) whose removal would most disrupt the network,
//   from the analytics. The default order (`rank`, the one Overview and Rings show): where trade signal
//   decides the rings, brokerage between rings first (the weight of ties into rings other than its own),
//   then betweenness; in a network without trade signal (a research network) betweenness by hops, the
//   share of shortest paths between others that pass through the node, the key-player measure the
//   published studies of real criminal networks use; it does not weigh ties.
//   `betweenness_weighted` counts a strong tie (many calls, large amounts) as a short step. `brokerage`
//   counts the rings or groups a node's direct contacts belong to. `reason` says it in words: the share
//   of shortest paths, and which rings or groups it bridges through what kinds and numbers of links.
// params:
//   - {name: order_by, type: string, default: rank, choices: [rank, betweenness, betweenness_weighted, brokerage], help: "The analytics' ranking (brokerage between rings where trade signal decides rings, else betweenness by hops), betweenness with strong ties as short steps, or brokerage between rings"}
//   - {name: limit, type: integer, default: 25, help: How many to list}
// columns: [rank, intermediary, name, ring_id, ring_kind, score, betweenness, betweenness_weighted, brokerage, connects, reason, reason_facts]
// draw: {nodes: [intermediary], score: score}

// Each branch reads the top of one index in order, so the cost does not grow with the graph.
CALL () {
  MATCH (n:Person) WHERE $order_by = 'rank' AND n.intermediary_rank IS NOT NULL
  RETURN n ORDER BY n.intermediary_rank LIMIT $limit
  UNION
  MATCH (n:Person) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Person) WHERE $order_by = 'betweenness_weighted' AND n.betweenness_weighted IS NOT NULL
  RETURN n ORDER BY n.betweenness_weighted DESC LIMIT $limit
  UNION
  MATCH (n:Person) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'rank' AND n.intermediary_rank IS NOT NULL
  RETURN n ORDER BY n.intermediary_rank LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'betweenness_weighted' AND n.betweenness_weighted IS NOT NULL
  RETURN n ORDER BY n.betweenness_weighted DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'rank' AND n.intermediary_rank IS NOT NULL
  RETURN n ORDER BY n.intermediary_rank LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'betweenness_weighted' AND n.betweenness_weighted IS NOT NULL
  RETURN n ORDER BY n.betweenness_weighted DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
}
WITH n, CASE $order_by WHEN 'rank' THEN -n.intermediary_rank WHEN 'betweenness' THEN n.betweenness
        WHEN 'betweenness_weighted' THEN n.betweenness_weighted ELSE n.brokerage_weight END AS sort_key
ORDER BY sort_key DESC, n.betweenness DESC
LIMIT $limit
WITH collect(n) AS ranked
UNWIND range(0, size(ranked) - 1) AS i
WITH i, ranked[i] AS n
RETURN i + 1 AS rank, n AS intermediary, coalesce(n.name, n.number, n.account_id) AS name, n.ring_id AS ring_id,
       n.ring_kind AS ring_kind,
       CASE $order_by WHEN 'rank' THEN n.intermediary_score WHEN 'betweenness' THEN n.betweenness
         WHEN 'betweenness_weighted' THEN n.betweenness_weighted ELSE n.brokerage_weight END AS score,
       n.betweenness AS betweenness, n.betweenness_weighted AS betweenness_weighted, n.brokerage AS brokerage,
       n.connects AS connects, n.intermediary_reason AS reason, n.intermediary_reason_facts AS reason_facts
ORDER BY rank
