"""Rings (community detection) plus intermediary scores (betweenness): ours against networkx.

Ours is `explorer.analytics` when installed (pull projection, Leiden,
betweenness, write back), otherwise the same library calls it makes
(python-igraph) on the projection pulled here. networkx runs
Louvain plus exact betweenness on the same projection; exact betweenness is
O(nodes x edges) in pure Python, so at benchmark scale networkx gets a
snowball sample of the projection (both tools are timed on that sample for
the ratio) and the report says so.
"""

from __future__ import annotations

import random
import time
from collections import deque
from dataclasses import dataclass

from explorer.db import Graph

# The projection when the graph has only phones and calls: phone -- phone, weight = number of calls.
PHONE_PROJECTION = """
MATCH (a:Phone)-[r:CALLED]->(b:Phone)
WHERE elementId(a) < elementId(b) OR NOT (b)-[:CALLED]->(a)
RETURN a.number AS source, b.number AS target, count(r) AS weight
"""
# Simpler and fast: every call, aggregated in Python.
PHONE_EDGES = "MATCH (a:Phone)-[:CALLED]->(b:Phone) RETURN a.number AS s, b.number AS t"


@dataclass
class Projection:
    names: list[str]
    edges: list[tuple[int, int]]
    weights: list[float]

    @property
    def nodes(self) -> int:
        return len(self.names)


def pull_phone_projection(graph: Graph) -> tuple[Projection, float]:
    """Undirected weighted phone graph from Neo4j; returns it and the seconds the pull took."""
    started = time.perf_counter()
    index: dict[str, int] = {}
    weights: dict[tuple[int, int], int] = {}
    with graph.driver.session(database=graph.database, fetch_size=50_000) as session:
        for record in session.run(PHONE_EDGES):
            s = index.setdefault(record[0], len(index))
            t = index.setdefault(record[1], len(index))
            key = (s, t) if s < t else (t, s)
            weights[key] = weights.get(key, 0) + 1
    names = [""] * len(index)
    for name, i in index.items():
        names[i] = name
    return Projection(names, list(weights), [float(w) for w in weights.values()]), time.perf_counter() - started


def snowball(projection: Projection, size: int, seed: int = 11) -> Projection:
    """A connected sample: breadth-first from random seeds until `size` nodes, with the edges among them."""
    if projection.nodes <= size:
        return projection
    adjacency: list[list[int]] = [[] for _ in range(projection.nodes)]
    for s, t in projection.edges:
        adjacency[s].append(t)
        adjacency[t].append(s)
    rng = random.Random(seed)
    chosen: dict[int, int] = {}
    while len(chosen) < size:
        start = rng.randrange(projection.nodes)
        queue = deque([start])
        while queue and len(chosen) < size:
            v = queue.popleft()
            if v in chosen:
                continue
            chosen[v] = len(chosen)
            queue.extend(w for w in adjacency[v] if w not in chosen)
    edges, weights = [], []
    for (s, t), w in zip(projection.edges, projection.weights, strict=True):
        if s in chosen and t in chosen:
            edges.append((chosen[s], chosen[t]))
            weights.append(w)
    names = [""] * len(chosen)
    for old, new in chosen.items():
        names[new] = projection.names[old]
    return Projection(names, edges, weights)


def igraph_rings_and_betweenness(projection: Projection, cutoff: int | None = None) -> float:
    """Seconds for Leiden (modularity) + betweenness with python-igraph, as the analytics calls them."""
    import igraph as ig

    from explorer.analytics import leiden

    started = time.perf_counter()
    g = ig.Graph(n=projection.nodes, edges=projection.edges, directed=False)
    g.es["weight"] = projection.weights
    leiden(g, 1.0, seed=1, iterations=2)
    g.betweenness(directed=False, cutoff=cutoff)
    return time.perf_counter() - started


def networkx_rings_and_betweenness(projection: Projection) -> float:
    """Seconds for Louvain + exact betweenness with networkx on the same projection."""
    import networkx as nx

    started = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(range(projection.nodes))
    g.add_weighted_edges_from((s, t, w) for (s, t), w in zip(projection.edges, projection.weights, strict=True))
    nx.community.louvain_communities(g, weight="weight", seed=1)
    nx.betweenness_centrality(g)
    return time.perf_counter() - started
