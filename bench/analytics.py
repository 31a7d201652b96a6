"""Rings (community detection) plus intermediary scores (betweenness): ours against networkx.

Ours is `explorer.analytics` (pull projection, Leiden, betweenness, write
back); for the ratio, the library calls it makes (python-igraph) are timed
here on the same projection it pulled. networkx runs Louvain plus exact
betweenness on that projection; exact betweenness is
O(nodes x edges) in pure Python, so at benchmark scale networkx gets a
snowball sample of the projection (both tools are timed on that sample for
the ratio) and the report says so.
"""

from __future__ import annotations

import random
import time
from collections import deque
from dataclasses import dataclass


@dataclass
class Projection:
    names: list[str]
    edges: list[tuple[int, int]]
    weights: list[float]

    @property
    def nodes(self) -> int:
        return len(self.names)


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
