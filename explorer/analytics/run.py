"""One run: pull, analyse, assign roles, write back (Ring nodes, memberships, scores, an AnalyticsRun)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from typing import Any

from explorer import analytics_queries as q
from explorer import audit, auth, explain
from explorer.analytics.options import Options
from explorer.analytics.projection import pull_customers, pull_projection, pull_signal
from explorer.analytics.ranking import analyse
from explorer.analytics.results import Analysis, Projection
from explorer.analytics.roles import assign_roles, pull_behaviour
from explorer.auth import User
from explorer.db import Graph


def write_back(graph: Graph, analysis: Analysis, options: Options, projection: Projection) -> dict[str, Any]:
    """Ring nodes, memberships and scores; stale rings and scores removed; an AnalyticsRun recorded."""
    at = analysis.started_at or dt.datetime.now(dt.UTC)
    run_id = analysis.run_id
    old_rings = [{"ring_id": r[0]} for r in graph.stream("MATCH (r:Ring) RETURN r.ring_id")]
    graph.write_batches(q.DELETE_MEMBERSHIPS, old_rings, batch_size=500)
    rings = [
        {
            "ring_id": rid,
            **info,
            "evidence_facts": explain.dumps(info.get("evidence_facts")),
            "roles_facts": explain.dumps(info.get("roles_facts")),
        }
        for rid, info in analysis.rings.items()
    ]
    graph.write_batches(q.MERGE_RINGS, rings, extra={"at": at, "run_id": run_id})
    graph.write(q.DELETE_STALE_RINGS, {"run_id": run_id})
    in_rings = [u for u in analysis.units if u.ring_id]
    outside = sorted((u for u in analysis.units if not u.ring_id and u.score > 0), key=lambda u: u.rank)
    chosen = in_rings + outside[: options.top_intermediaries]
    rows = [
        {
            "id": u.id,
            "ring_id": u.ring_id,
            "ring_kind": u.ring_kind,
            "role": u.role,
            "role_reason": u.role_reason,
            "role_reason_facts": explain.dumps(u.role_facts),
            "betweenness": u.betweenness,
            "betweenness_weighted": u.betweenness_weighted,
            "brokerage": u.brokerage,
            "brokerage_weight": u.brokerage_weight,
            "score": u.score,
            "rank": u.rank,
            "connects": u.connects,
            "reason": u.reason,
            "reason_facts": explain.dumps(u.reason_facts),
        }
        for u in chosen
    ]
    graph.write_batches(q.WRITE_UNITS, rows, batch_size=5000, extra={"run_id": run_id})
    for statement in q.CLEAR_STALE_UNITS.values():
        graph.write(statement, {"run_id": run_id})
    largest = max((info["size"] for info in analysis.rings.values()), default=0)
    props = {
        "started_at": at,
        "finished_at": dt.datetime.now(dt.UTC),
        "kinds": list(options.layers),
        "weights": json.dumps({k: options.weight(k) for k in options.layers}, sort_keys=True),
        "weighted_rings": options.weighted_rings,
        "ranking": options.ranking,
        "groups": sum(1 for info in analysis.rings.values() if info.get("kind") == "group"),
        "units": len(analysis.units),
        "links": analysis.links,
        "rings": sum(1 for info in analysis.rings.values() if info.get("kind") != "group"),
        "largest_ring": largest,
        "modularity": analysis.modularity,
        "hubs_excluded": len(analysis.hubs),
        "algorithm": f"leiden (RB configuration, resolution {analysis.resolution:g}"
        + ("" if options.resolution else " chosen by stability")
        + f", seed {options.seed})",
        "betweenness": analysis.betweenness_mode,
        "min_ring_size": options.min_ring_size,
        "scored_units": len(rows),
        "pull_s": round(projection.pull_s, 3),
        **{k: round(v, 3) for k, v in analysis.timings.items()},
    }
    graph.write(q.CREATE_RUN, {"run_id": run_id, "props": props})
    return props


def run_analytics(graph: Graph, options: Options | None = None, *, user: User | None = None) -> Analysis:
    """Pull the projection, detect rings, score intermediaries, infer roles, write back (unless write=False).

    `user` is who runs it (the command-line user when None): a role below loader raises PermissionDenied
    before anything is read or written. Recorded once in the audit trail under that user (options, units
    scored, duration, outcome).
    """
    acting = auth.require(user, "analytics", "rings and intermediaries")
    options = options or Options()
    params = dataclasses.asdict(options)
    with audit.timed("analytics", "rings and intermediaries", params, user=auth.audit_name(acting)) as entry:
        analysis = _run_analytics(graph, options)
        entry.rows = len(analysis.units)
        entry.detail = f"run {analysis.run_id}"
    return analysis


def _run_analytics(graph: Graph, options: Options) -> Analysis:
    started_at = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    projection = pull_projection(graph, options)
    t1 = time.perf_counter()
    signal = pull_signal(graph, projection, options) if options.require_signal is not False else {}
    customers = pull_customers(graph, projection) if options.require_signal is not False else set()
    signal_s = time.perf_counter() - t1
    analysis = analyse(projection, options, signal, customers)
    analysis.timings["signal_s"] = signal_s
    behaviour = pull_behaviour(graph, [u.id for u in analysis.units if u.ring_id])
    assign_roles(analysis, behaviour, options)
    analysis.started_at = started_at
    analysis.run_id = f"run-{started_at:%Y%m%dT%H%M%S%f}"
    analysis.timings["pull_s"] = projection.pull_s
    if options.write:
        t1 = time.perf_counter()
        write_back(graph, analysis, options, projection)
        analysis.timings["write_s"] = time.perf_counter() - t1
    analysis.timings["total_s"] = time.perf_counter() - t0
    return analysis
