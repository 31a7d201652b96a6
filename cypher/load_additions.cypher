// title: What a load added
// category: Loads
// description: >
//   What one load (a loaded file) brought: the entities it created (first seen in this load) and, for
//   members of existing rings, the links this load added to them. `kind` is "new entity" or "new link
//   to ring <id>". Load ids are listed on the Overview page and by `python -m loaders`.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping)", example: "0000:cdr"}
//   - {name: limit, type: integer, default: 500, help: Maximum number of rows}
// columns: [kind, entity, label, ring_id, link, other]
// draw: {nodes: [entity, other], relationships: [link]}
// heavy: true
MATCH (load:Load {load_id: $load_id})
CALL (load) {
  MATCH (n) WHERE n.loads[0] = load.load_id AND NOT n:Load
  WITH n LIMIT $limit
  RETURN 'new entity' AS kind, n AS entity, NULL AS link, NULL AS other
  UNION
  MATCH (p:Person) WHERE p.ring_id IS NOT NULL AND load.load_id IN coalesce(p.loads, [])
  CALL (p) {
    MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT]->(x) RETURN x
    UNION
    RETURN p AS x
  }
  MATCH (x)-[link]-(other)
  WHERE link.load_id = load.load_id OR any(s IN coalesce(link.sources, []) WHERE s STARTS WITH load.load_id + '#')
  WITH p, link, other LIMIT $limit
  RETURN 'new link to ring ' + p.ring_id AS kind, p AS entity, link, other
}
RETURN kind, entity, labels(entity)[0] AS label, entity.ring_id AS ring_id, link, other
LIMIT $limit
