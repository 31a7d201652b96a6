"""Where the benchmarks meet the product modules that are optional at run time.

Each function returns None (or an empty list) when the module is not
installed, so the harness measures what exists and says what it skipped.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def graph_view_builder() -> Callable[[list, list], str] | None:
    """HTML of the app's graph view for (nodes, edges), or None when the view module is absent."""
    if not _has("explorer.picture"):
        return None
    from explorer import picture as gv

    def build(nodes: list, edges: list) -> str:
        sub = gv.Subgraph()
        caption = {"Person": "name", "Phone": "number", "Account": "account_id", "Address": "text"}
        for node_id, label, text in nodes:
            sub.add_node(gv.GraphNode(node_id, [label], {caption.get(label, "name"): text}))
        for i, (a, b) in enumerate(edges):
            sub.add_edge(gv.GraphEdge(f"e{i}", a, b, "CALLED", {}))
        return gv.Picture(sub).html()

    return build


def catalog_investigations(graph: Any, samples: dict[str, list[Any]] | None = None) -> list:
    """Every saved investigation of the catalog, validated on `graph`, with representative parameters.

    `samples` maps a parameter name to values from the benchmark scenario (an organiser's phone, a mule
    account, a ring id...); run i uses value i modulo their number. Other parameters keep the header's
    example or default.
    """
    if not _has("explorer.catalog"):
        return []
    from bench.investigations import Investigation
    from explorer.catalog import load_catalog

    samples = samples or {}
    items = []
    for inv in load_catalog(graph).values():
        base = {p.name: p.bench_value for p in inv.params}
        names = [p.name for p in inv.params if samples.get(p.name)]

        def params(i: int, inv: Any = inv, base: dict = base, names: list = names) -> dict[str, Any]:
            values = dict(base)
            for name in names:
                values[name] = samples[name][i % len(samples[name])]
            return inv.bind(values)

        items.append(Investigation(inv.name, inv.cypher, inv.heavy, params, "catalog"))
    return items


@dataclass
class AnalyticsRun:
    seconds: float
    pull_s: float
    projection: Any  # bench.analytics.Projection of the same person-level projection
    detail: str


def run_analytics(graph: Any) -> AnalyticsRun | None:
    """Run the product's analytics (pull, rings, scores, write-back) on `graph`; None when it is absent."""
    if not _has("explorer.analytics"):
        return None
    from bench.analytics import Projection
    from explorer import analytics

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
    return AnalyticsRun(seconds, analysis.timings.get("pull_s", 0.0), projection, detail)
