"""Pulling the person-level projection, and the trade signal and customers, out of Neo4j."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from explorer import analytics_queries as q
from explorer.analytics.options import ALL_KINDS, AnalyticsError, Options
from explorer.analytics.results import Projection
from explorer.db import Graph


def pull_projection(graph: Graph, options: Options | None = None) -> Projection:
    """Stream the person-level projection out of Neo4j (one query per layer).

    A layer is a built-in kind (`ALL_KINDS`), any other relationship type, or a value of the `layer`
    property relationships carry (the network file they came from); one that matches nothing is an error.
    """
    options = options or Options()
    if not options.layers:
        raise AnalyticsError("Choose at least one layer (a relationship type or a `layer` value).")
    started = time.perf_counter()
    index: dict[str, int] = {}
    ids: list[str] = []
    labels: list[str] = []
    keys: list[str] = []
    names: list[str | None] = []
    (persons,) = _columns(graph, q.PERSONS)
    for eid, key, name in persons:
        index[eid] = len(ids)
        ids.append(eid)
        labels.append("Person")
        keys.append(str(key if key is not None else eid))
        names.append(name)
    del persons
    owners: dict[str, list[int]] = {}
    held_ids, owner_ids = _columns(graph, q.OWNERSHIP)
    for eid, owner in zip(held_ids, owner_ids, strict=True):
        owners.setdefault(eid, []).append(index[owner])
    del held_ids, owner_ids

    orphans: list[str] = []
    # The one unit an element stands for, when it is one: a person, an identifier held by one person, or
    # (once seen) an identifier held by nobody. Most links are between two such elements.
    single: dict[str, int] = dict(index)
    single.update((eid, held[0]) for eid, held in owners.items() if len(held) == 1)

    def units_of(eid: str) -> list[int]:
        if eid in index:
            return [index[eid]]
        held = owners.get(eid)
        if held:
            return held
        index[eid] = single[eid] = len(ids)
        ids.append(eid)
        labels.append("")
        keys.append("")
        names.append(None)
        orphans.append(eid)
        return [index[eid]]

    kinds = list(options.layers)
    src: list[int] = []
    dst: list[int] = []
    kind_ix: list[int] = []
    counts: list[float] = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for k, kind in enumerate(kinds):
        if kind == "SHARED":
            for held in owners.values():
                if 1 < len(held) <= 20:
                    for i, a in enumerate(held):
                        for b in held[i + 1 :]:
                            src.append(a)
                            dst.append(b)
                            kind_ix.append(k)
                            counts.append(1.0)
            continue
        if kind in q.KIND_QUERIES:
            froms, tos, ns = _columns(graph, q.KIND_QUERIES[kind])
        else:
            froms, tos, ns = _columns(graph, q.LAYER_QUERY, {"layer": kind}) or ([], [], [])
            if not froms:
                raise AnalyticsError(
                    f"No relationship has type or layer {kind!r}; built-in layers: {', '.join(ALL_KINDS)}."
                )
        # Links between two single units, in bulk; the rest (an identifier seen for the first time, or
        # held by several people: its links are shared between them) one by one, in order.
        ua = np.fromiter((single.get(x, -1) for x in froms), dtype=np.int64, count=len(froms))
        ub = np.fromiter((single.get(x, -1) for x in tos), dtype=np.int64, count=len(tos))
        bulk = (ua >= 0) & (ub >= 0)
        keep = bulk & (ua != ub)
        parts.append((ua[keep], ub[keep], np.full(int(keep.sum()), k), np.asarray(ns, dtype=np.float64)[keep]))
        for i in np.flatnonzero(~bulk).tolist():
            xs, ys = units_of(froms[i]), units_of(tos[i])
            share = float(ns[i]) / (len(xs) * len(ys))
            for x in xs:
                for y in ys:
                    if x != y:
                        src.append(x)
                        dst.append(y)
                        kind_ix.append(k)
                        counts.append(share)
    # Keys and captions of identifiers with no holder, in batches.
    for start in range(0, len(orphans), 50_000):
        batch = orphans[start : start + 50_000]
        for eid, label, key, name in _columns(graph, q.IDENTIFIER_KEYS, {"ids": batch})[0]:
            i = index[eid]
            labels[i], keys[i], names[i] = label, str(key), name

    parts.append((np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64),
                  np.asarray(kind_ix, dtype=np.int64), np.asarray(counts, dtype=np.float64)))  # fmt: skip
    s, d, kind_arr, count_arr = (np.concatenate([part[c] for part in parts]) for c in range(4))
    # Units in an order of their own (persons first, by key), not the database's: Leiden's result and
    # every tie-break follow the vertex order, which would otherwise follow node ids, i.e. load order.
    order = sorted(range(len(ids)), key=lambda i: (labels[i] != "Person", labels[i], keys[i], ids[i]))
    position = np.empty(len(ids), dtype=np.int64)
    position[order] = np.arange(len(ids), dtype=np.int64)
    ids, labels, keys, names = ([column[i] for i in order] for column in (ids, labels, keys, names))
    index = {eid: int(position[i]) for eid, i in index.items()}
    owners = {eid: [int(position[u]) for u in held] for eid, held in owners.items()}
    s, d = position[s], position[d]
    lo, hi = np.minimum(s, d), np.maximum(s, d)
    # One row per (pair, kind): links in both directions add up (ties are undirected).
    if len(lo):
        n = max(len(ids), 1)
        code = (lo * n + hi) * len(kinds) + kind_arr
        uniq, inverse = np.unique(code, return_inverse=True)
        summed = np.bincount(inverse, weights=count_arr)
        kind_arr = uniq % len(kinds)
        pair = uniq // len(kinds)
        lo, hi = pair // n, pair % n
        # Rounded: the server sums a pair's links in its own order, and the last bits must not decide.
        count_arr = np.round(summed, 9)
    return Projection(
        ids=ids,
        labels=labels,
        keys=keys,
        names=names,
        src=lo,
        dst=hi,
        kind=kind_arr,
        count=count_arr,
        kinds=kinds,
        pull_s=time.perf_counter() - started,
        index=index,
        owners=owners,
    )


def _columns(graph: Graph, cypher: str, params: dict[str, Any] | None = None) -> tuple[list[Any], ...]:
    """The one record of a column query (see `analytics_queries`): its lists."""
    rows = list(graph.stream(cypher, params))
    return tuple(rows[0]) if rows else ()


def pull_customers(graph: Graph, projection: Projection) -> set[int]:
    """Units that buy (pay out, receive parcels) and do none of the trade's work (receive money, send
    parcels, post adverts) on any identifier they hold."""
    buying: set[int] = set()
    working: set[int] = set()
    for query, into in ((q.BUYING, buying), (q.WORKING, working)):
        for eid in _columns(graph, query)[0]:
            into.update([projection.index[eid]] if eid in projection.index else projection.owners.get(eid, []))
    return buying - working


def pull_signal(graph: Graph, projection: Projection, options: Options | None = None) -> dict[int, dict[str, float]]:
    """Criminal signal per unit: kind (see `analytics_queries.SIGNAL_QUERIES`) -> number of events.

    An identifier's events count for its holders (split between several); identifiers outside the
    projection (no tie of a projected kind) are ignored.
    """
    options = options or Options()
    params = {"max_links": options.signal_max_links, "window_hours": options.pass_through_hours,
              "drop_names": options.drop_min_names, "collection_parcels": options.drop_collection_parcels,
              "min_out_share": options.drop_min_out_share}  # fmt: skip
    out: dict[int, dict[str, float]] = {}
    for kind, query in q.SIGNAL_QUERIES.items():
        for eid, n in graph.stream(query, params):
            holders = [projection.index[eid]] if eid in projection.index else projection.owners.get(eid, [])
            for u in holders:
                entry = out.setdefault(u, {})
                entry[kind] = entry.get(kind, 0.0) + float(n) / len(holders)
    return out
