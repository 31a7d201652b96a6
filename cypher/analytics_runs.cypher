// title: Analytics runs
// category: Rings and intermediaries
// description: >
//   When the network analytics ran, on which projection (relationship kinds and weights), and what it
//   found (units, links, rings, intermediaries), newest first.
// params:
//   - {name: limit, type: integer, default: 20, help: Maximum number of runs}
// columns: [run_id, started_at, finished_at, kinds, units, links, rings, largest_ring, modularity, run]
// draw: {nodes: [run]}
MATCH (run:AnalyticsRun)
RETURN run.run_id AS run_id, run.started_at AS started_at, run.finished_at AS finished_at, run.kinds AS kinds,
       run.units AS units, run.links AS links, run.rings AS rings, run.largest_ring AS largest_ring,
       run.modularity AS modularity, run
ORDER BY started_at DESC
LIMIT $limit
