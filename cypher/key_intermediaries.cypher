// title: Key intermediaries
// category: Rings and intermediaries
// description: >
//   People (or phones and accounts with no known owner) whose removal would most disrupt the network,
//   from the analytics: `brokerage` counts the trafficking rings a node's direct contacts belong to (its
//   ties into each weighted by how often they are used), `betweenness` how many shortest paths pass
//   through it, `intermediary_score` mostly brokerage. `reason` says which rings it connects and through
//   what kinds and numbers of links.
// params:
//   - {name: order_by, type: string, default: betweenness, choices: [betweenness, intermediary_score, brokerage], help: "Rank by betweenness (the usual key-player measure), the combined score, or brokerage between rings"}
//   - {name: limit, type: integer, default: 25, help: How many to list}
// columns: [rank, intermediary, name, ring_id, score, betweenness, brokerage, connects, reason]
// draw: {nodes: [intermediary], score: score}

// Each branch reads the top of one index in order, so the cost does not grow with the graph.
CALL () {
  MATCH (n:Person) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Person) WHERE $order_by = 'intermediary_score' AND n.intermediary_score IS NOT NULL
  RETURN n ORDER BY n.intermediary_score DESC LIMIT $limit
  UNION
  MATCH (n:Person) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'intermediary_score' AND n.intermediary_score IS NOT NULL
  RETURN n ORDER BY n.intermediary_score DESC LIMIT $limit
  UNION
  MATCH (n:Phone) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'betweenness' AND n.betweenness IS NOT NULL
  RETURN n ORDER BY n.betweenness DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'intermediary_score' AND n.intermediary_score IS NOT NULL
  RETURN n ORDER BY n.intermediary_score DESC LIMIT $limit
  UNION
  MATCH (n:Account) WHERE $order_by = 'brokerage' AND n.brokerage_weight IS NOT NULL
  RETURN n ORDER BY n.brokerage_weight DESC LIMIT $limit
}
WITH n, CASE $order_by WHEN 'betweenness' THEN n.betweenness WHEN 'brokerage' THEN n.brokerage_weight
        ELSE n.intermediary_score END AS score
ORDER BY score DESC, n.betweenness DESC
LIMIT $limit
WITH collect({n: n, score: score}) AS ranked
UNWIND range(0, size(ranked) - 1) AS i
WITH i, ranked[i].n AS n, ranked[i].score AS score
RETURN i + 1 AS rank, n AS intermediary, coalesce(n.name, n.number, n.account_id) AS name, n.ring_id AS ring_id,
       score, n.betweenness AS betweenness, n.brokerage AS brokerage, n.connects AS connects,
       n.intermediary_reason AS reason
ORDER BY rank
