"""Where the benchmarks call the product: the app's graph view and its analytics."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.analytics import Projection
from explorer import analytics
from explorer.db import Graph
from explorer.picture import Picture
from explorer.subgraph import GraphEdge, GraphNode, Subgraph

# The caption property the benchmark's nodes carry, by label.
CAPTION = {"Person": "name", "Phone": "number", "Account": "account_id", "Address": "text"}


def graph_view_html(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> str:
    """HTML of the app's graph view for (id, label, caption) nodes and (source, target) edges."""
    sub = Subgraph()
    for node_id, label, text in nodes:
        sub.add_node(GraphNode(node_id, [label], {CAPTION.get(label, "name"): text}))
    for i, (a, b) in enumerate(edges):
        sub.add_edge(GraphEdge(f"e{i}", a, b, "CALLED", {}))
    return Picture(sub).html()


@dataclass
class AnalyticsRun:
    seconds: float
    projection: Projection  # the same person-level projection, for networkx
    detail: str


def run_analytics(graph: Graph) -> AnalyticsRun:
    """Run the product's analytics (pull, rings, scores, write-back) on `graph`."""
    started = time.perf_counter()
    analysis = analytics.run_analytics(graph)
    seconds = time.perf_counter() - started
    # The same projection again, for networkx: unit pairs with their link counts summed over kinds.
    pulled = analytics.pull_projection(graph)
    weights: dict[tuple[int, int], float] = {}
    for s, t, c in zip(pulled.src.tolist(), pulled.dst.tolist(), pulled.count.tolist(), strict=True):
        if s == t:
            continue
        key = (s, t) if s < t else (t, s)
        weights[key] = weights.get(key, 0.0) + float(c)
    projection = Projection(list(pulled.keys), list(weights), list(weights.values()))
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in analysis.timings.items())
    detail = f"{len(analysis.rings)} rings, betweenness {analysis.betweenness_mode}; {timings}"
    return AnalyticsRun(seconds, projection, detail)
