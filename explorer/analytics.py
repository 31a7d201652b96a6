"""Rings and key intermediaries on a person-level projection of the graph.

    python -m explorer.analytics [--kinds CALLED,TRANSFERRED,...] [--weight TRANSFERRED=3] [--dry-run]

The projection: one *unit* per Person; a phone or account joins its holders
(`HAS_PHONE`, `HAS_ACCOUNT`), and one with no known holder is a unit of its
own (a buyer's phone seen only in a call record still carries paths). Each
relationship kind (calls, messages, transfers, parcels sender->receiver,
saved contacts, KNOWS, generic CONTACT edges, and persons sharing one
phone or account) is pulled with one query, aggregated on the server, and
adds `weight(kind) * (1 + ln(links))` to the tie of the two units. Ties are
undirected.

On that graph (python-igraph, in C):
- rings: Leiden communities (modularity, configurable resolution) of at least
  `min_ring_size` units; a ring's id derives from its smallest member key, so
  it is stable across reruns while that member stays;
- betweenness: shortest paths by hops (ties unweighted), exact up to
  `exact_betweenness_limit` units, estimated from a seeded sample of sources above;
- brokerage: how many rings a unit's direct contacts span (its own included)
  and the weight of its ties into rings other than its own: why it ranks, in
  words, goes into `intermediary_reason`;
- roles of ring members from behaviour: seller (posts adverts), courier
  (sends parcels), mule (money in from several payers and out again), broker
  (ties into other rings), organiser (the most internal ties among the rest).

Units with more distinct contacts than `max_degree` (a courier depot, a
payment platform) are hubs: left out of rings and scores, counted in the run.
Results are written back (Ring nodes, MEMBER_OF {role, reason}, scores on the
unit nodes) with an AnalyticsRun node recording when and on what it ran.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import random
import sys
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np

from explorer import analytics_queries as q
from explorer import audit
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError

DEFAULT_WEIGHTS: dict[str, float] = {
    "CALLED": 1.0,
    "MESSAGED": 1.0,
    "TRANSFERRED": 1.0,
    "PARCEL": 1.0,
    "HAS_CONTACT": 0.5,
    "KNOWS": 1.0,
    "CONTACT": 1.0,
    "SHARED": 2.0,  # two persons holding one phone or account (often one person under two names)
}
ALL_KINDS = tuple(DEFAULT_WEIGHTS)
ROLE_ORDER = ("organiser", "broker", "seller", "courier", "mule", "member")


class AnalyticsError(ExplorerError):
    """The analytics cannot run with the options given."""


@dataclass(frozen=True)
class Options:
    """What the analytics projects and how it detects rings and intermediaries."""

    kinds: tuple[str, ...] = ALL_KINDS
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    min_ring_size: int = 3
    resolution: float | None = None  # None: the most stable on `resolution_grid` (see `_most_stable`)
    leiden_iterations: int = 2  # -1: until no improvement (slower on big graphs, rarely different)
    resolution_grid: tuple[float, ...] = tuple(round(2 ** (k / 2), 3) for k in range(9))  # 1 to 16
    seed: int = 42
    max_degree: int | None = None  # None: automatic, max(100, 20 x the median number of contacts)
    exact_betweenness_limit: int = 20_000
    betweenness_samples: int = 1000
    # Sampled betweenness costs sources x (units + ties): on a big graph the sample shrinks to stay within
    # this many steps, down to `min_betweenness_samples` (brokerage, not betweenness, leads the score).
    betweenness_budget: float = 2e8
    min_betweenness_samples: int = 100
    min_ties_in_ring: int = 2  # a unit tied to fewer members of its community is an associate, not a member
    min_broker_weight: float = 2.0  # ties into another ring weaker than this are incidental, not brokerage
    broker_balance: float = 0.5  # broker role: ties into other rings at least this share of ties to its own
    brokerage_share: float = 0.8  # intermediary score: this much brokerage weight, the rest betweenness
    top_intermediaries: int = 10_000  # units outside rings whose scores are written back
    # A community is a trafficking ring when enough of its members show criminal signal (slang adverts or
    # chats, money passed through, parcels via drop addresses). "auto": when the graph holds any signal at
    # all; a graph without (a research network known to be criminal) has every community as a ring.
    require_signal: bool | str = "auto"
    min_signal_members: int = 2
    min_signal_share: float = 0.15
    signal_max_links: int = 500  # identifiers and addresses with more links are platforms or depots
    pass_through_hours: int = 48
    drop_min_names: int = 3
    write: bool = True

    def weight(self, kind: str) -> float:
        return float(self.weights.get(kind, DEFAULT_WEIGHTS.get(kind, 1.0)))


@dataclass
class Projection:
    """Units (element id, label, key, name) and their ties per kind, as numpy arrays."""

    ids: list[str]
    labels: list[str]
    keys: list[str]
    names: list[str | None]
    src: np.ndarray  # unit index
    dst: np.ndarray
    kind: np.ndarray  # index into kinds
    count: np.ndarray  # number of links of that kind between the two units
    kinds: list[str]
    pull_s: float = 0.0
    index: dict[str, int] = field(default_factory=dict, repr=False)  # element id -> unit, persons and orphans
    owners: dict[str, list[int]] = field(default_factory=dict, repr=False)  # identifier element id -> holders

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass
class Unit:
    """One unit's results."""

    id: str
    label: str
    key: str
    name: str | None
    ring_id: str | None
    role: str | None
    role_reason: str | None
    betweenness: float
    brokerage: int
    brokerage_weight: float
    score: float
    connects: list[str]
    reason: str | None
    balanced_broker: bool = False


@dataclass
class Analysis:
    units: list[Unit]
    rings: dict[str, dict[str, Any]]  # ring_id -> {size, internal_links, roles}
    modularity: float
    links: int
    hubs: list[str]
    betweenness_mode: str
    resolution: float = 1.0
    run_id: str = ""
    started_at: dt.datetime | None = None
    timings: dict[str, float] = field(default_factory=dict)
    strength_inside: dict[str, float] = field(default_factory=dict, repr=False)  # unit id -> tie weight in its ring

    def membership(self) -> dict[str, str]:
        """Unit key -> ring id, for the units in rings."""
        return {u.key: u.ring_id for u in self.units if u.ring_id}

    def ranked(self, by: str = "score", limit: int | None = None) -> list[Unit]:
        """Units ranked by `score`, `betweenness` or `brokerage_weight`, highest first."""
        ranked = sorted(self.units, key=lambda u: (-getattr(u, by), -u.betweenness, u.key))
        return ranked[:limit] if limit else ranked


# -- projection --------------------------------------------------------------------


def pull_projection(graph: Graph, options: Options | None = None) -> Projection:
    """Stream the person-level projection out of Neo4j (one query per relationship kind)."""
    options = options or Options()
    unknown = [k for k in options.kinds if k not in ALL_KINDS]
    if unknown:
        raise AnalyticsError(f"Unknown relationship kind {', '.join(unknown)}; choose among {', '.join(ALL_KINDS)}.")
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

    kinds = list(options.kinds)
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
        froms, tos, ns = _columns(graph, q.KIND_QUERIES[kind])
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
        count_arr = summed
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
              "drop_names": options.drop_min_names}  # fmt: skip
    out: dict[int, dict[str, float]] = {}
    for kind, query in q.SIGNAL_QUERIES.items():
        for eid, n in graph.stream(query, params):
            holders = [projection.index[eid]] if eid in projection.index else projection.owners.get(eid, [])
            for u in holders:
                entry = out.setdefault(u, {})
                entry[kind] = entry.get(kind, 0.0) + float(n) / len(holders)
    return out


# -- analysis ----------------------------------------------------------------------


def ring_id_for(member_keys: Iterable[str]) -> str:
    """A ring's id: a short hash of its smallest member key (stable while that member stays)."""
    smallest = min(member_keys)
    return "ring-" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:10]


def analyse(
    projection: Projection,
    options: Options | None = None,
    signal: Mapping[int, Mapping[str, float]] | None = None,
    customers: Collection[int] = (),
) -> Analysis:
    """Rings, betweenness, brokerage and roles on a pulled projection (no database access).

    `signal` (from `pull_signal`) maps a unit index to its criminal signal; with `require_signal`
    only communities carrying enough of it are rings. `customers` (from `pull_customers`) are units
    that only buy: associates of a ring, never members.
    """
    options = options or Options()
    signal = signal or {}
    customer = np.zeros(projection.size, dtype=bool)
    customer[list(customers)] = True
    need_signal = bool(signal) if options.require_signal == "auto" else bool(options.require_signal)
    timings: dict[str, float] = {}
    n = projection.size
    weights_by_kind = np.array([options.weight(k) for k in projection.kinds] or [0.0])
    # Repeated links strengthen a tie with diminishing returns; a link split between the several
    # holders of one phone counts as its share.
    count = projection.count
    link_weight = weights_by_kind[projection.kind] * np.where(count < 1.0, count, 1.0 + np.log(np.maximum(count, 1.0)))
    # Collapse kinds: one weighted tie per pair.
    n_safe = max(n, 1)
    pair_code = projection.src * n_safe + projection.dst
    pairs, inverse = np.unique(pair_code, return_inverse=True)
    tie_weight = np.bincount(inverse, weights=link_weight) if len(pairs) else np.zeros(0)
    a, b = pairs // n_safe, pairs % n_safe
    keep = tie_weight > 0
    a, b, tie_weight, pairs = a[keep], b[keep], tie_weight[keep], pairs[keep]

    degree = np.bincount(np.concatenate([a, b]), minlength=n) if n else np.zeros(0, dtype=np.int64)
    positive = degree[degree > 0]
    limit = options.max_degree or max(100, 20 * int(np.median(positive)) if len(positive) else 100)
    hubs_mask = degree > limit
    if hubs_mask.any():
        keep = ~(hubs_mask[a] | hubs_mask[b])
        a, b, tie_weight, pairs = a[keep], b[keep], tie_weight[keep], pairs[keep]
    active = np.zeros(n, dtype=bool)
    active[a] = True
    active[b] = True

    started = time.perf_counter()
    g = ig.Graph(n=n, edges=np.column_stack([a, b]).tolist(), directed=False)
    g.es["weight"] = tie_weight.tolist()
    grid = (options.resolution,) if options.resolution else options.resolution_grid
    candidates = []
    for gamma in grid:
        membership = _leiden(g, gamma, options.seed, options.leiden_iterations)
        ring_of, ring_members, evidence = _select_rings(
            membership, a, b, active & ~customer, signal, need_signal, options
        )
        candidates.append((gamma, membership, ring_of, ring_members, evidence))
    chosen = _most_stable(candidates) if len(candidates) > 1 else 0
    resolution, membership, ring_of, ring_members, ring_evidence = candidates[chosen]
    modularity = float(g.modularity(membership.tolist(), weights="weight")) if g.ecount() else 0.0
    ring_ids = [ring_id_for(projection.keys[i] for i in members) for members in ring_members]
    timings["rings_s"] = time.perf_counter() - started

    started = time.perf_counter()
    betweenness, mode = _betweenness(g, active, options)
    timings["betweenness_s"] = time.perf_counter() - started

    # Brokerage: ties from each unit into each ring (both directions of every tie).
    uu = np.concatenate([a, b])
    vv = np.concatenate([b, a])
    ww = np.concatenate([tie_weight, tie_weight])
    rv = ring_of[vv]
    into_ring = rv >= 0
    per: dict[int, dict[int, float]] = {}
    for u, r, w in zip(uu[into_ring].tolist(), rv[into_ring].tolist(), ww[into_ring].tolist(), strict=True):
        per.setdefault(u, {})
        per[u][r] = per[u].get(r, 0.0) + w
    brokerage = np.zeros(n, dtype=np.int64)
    brokerage_weight = np.zeros(n)
    connects: dict[int, list[int]] = {}
    balanced = np.zeros(n, dtype=bool)
    for u, by_ring in per.items():
        own = int(ring_of[u])
        home = own if own >= 0 else max(by_ring, key=lambda r: (by_ring[r], -r))
        # A tie into another ring counts up to the strength of the unit's tie to its own ring:
        # a broker is tied to both sides, an organiser with one outside call barely.
        home_w = by_ring.get(home, 0.0)
        others = {
            r: min(w, home_w) if own >= 0 else w
            for r, w in by_ring.items()
            if r != home and w >= options.min_broker_weight
        }
        if others:
            spanned = [home, *sorted(others, key=lambda r: -others[r])]
            brokerage[u] = len(spanned)
            brokerage_weight[u] = sum(others.values())
            connects[u] = spanned
            balanced[u] = sum(others.values()) >= options.broker_balance * max(home_w, 1e-9)
    max_bt = float(betweenness.max()) if n and betweenness.max() > 0 else 1.0
    max_bw = float(brokerage_weight.max()) if n and brokerage_weight.max() > 0 else 1.0
    # Brokerage between rings, weighted by tie strength, leads: a broker's value to the trade is the rings it
    # joins. Betweenness over the whole graph (mostly ordinary life) only separates equal brokerage.
    share = options.brokerage_share if brokerage_weight.any() else 0.0
    score = share * brokerage_weight / max_bw + (1.0 - share) * betweenness / max_bt

    # Kind breakdown of each unit's ties into other rings, for the reasons.
    kind_into: dict[tuple[int, int], dict[str, float]] = {}
    if connects:
        broker_set = np.zeros(n, dtype=bool)
        broker_set[list(connects)] = True
        s, d, k, c = projection.src, projection.dst, projection.kind, projection.count
        for x, y in ((s, d), (d, s)):
            sel = broker_set[x] & (ring_of[y] >= 0)
            for u, r, kind, cnt in zip(
                x[sel].tolist(), ring_of[y[sel]].tolist(), k[sel].tolist(), c[sel].tolist(), strict=True
            ):
                entry = kind_into.setdefault((u, r), {})
                name = projection.kinds[kind]
                entry[name] = entry.get(name, 0.0) + cnt

    rings_info: dict[str, dict[str, Any]] = {}
    internal = ring_of[a] == ring_of[b]
    internal &= ring_of[a] >= 0
    internal_counts = np.bincount(ring_of[a][internal], minlength=len(ring_ids)) if ring_ids else np.zeros(0)
    strength_inside = np.zeros(n)
    np.add.at(strength_inside, a[internal], tie_weight[internal])
    np.add.at(strength_inside, b[internal], tie_weight[internal])
    ring_sizes = np.bincount(ring_of[ring_of >= 0], minlength=len(ring_ids)) if ring_ids else np.zeros(0)
    for r, rid in enumerate(ring_ids):
        rings_info[rid] = {
            "size": int(ring_sizes[r]),
            "internal_links": int(internal_counts[r]),
            "roles": "",
            **ring_evidence[r],
        }

    units: list[Unit] = []
    for i in range(n):
        if not active[i]:
            continue
        r = int(ring_of[i])
        reason = None
        if i in connects:
            parts = []
            for rr in connects[i]:
                kinds = kind_into.get((i, rr), {})
                detail = ", ".join(f"{kname} {v:g}" for kname, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
                label = "its own ring " if rr == r else ""
                parts.append(f"{label}{ring_ids[rr]}" + (f" ({detail})" if detail else ""))
            reason = f"links {len(connects[i])} rings: " + "; ".join(parts)
        units.append(
            Unit(
                id=projection.ids[i],
                label=projection.labels[i],
                key=projection.keys[i],
                name=projection.names[i],
                ring_id=ring_ids[r] if r >= 0 else None,
                role=None,
                role_reason=None,
                betweenness=float(betweenness[i]),
                brokerage=int(brokerage[i]),
                brokerage_weight=float(brokerage_weight[i]),
                score=float(score[i]),
                connects=[ring_ids[rr] for rr in connects.get(i, [])],
                reason=reason,
                balanced_broker=bool(balanced[i]),
            )
        )
    analysis = Analysis(
        units=units,
        rings=rings_info,
        modularity=modularity,
        links=int(len(a)),
        hubs=[projection.keys[i] for i in np.flatnonzero(hubs_mask)],
        betweenness_mode=mode,
        resolution=float(resolution),
        timings=timings,
    )
    analysis.strength_inside = {projection.ids[i]: float(strength_inside[i]) for i in range(n) if strength_inside[i]}
    return analysis


def _leiden(g: ig.Graph, resolution: float, seed: int, iterations: int) -> np.ndarray:
    """Leiden on modularity with a resolution (the RB configuration model), igraph's own C implementation.

    igraph draws from Python's `random` module: it is seeded for the run (same graph, same rings) and
    its state put back afterwards.
    """
    state = random.getstate()
    random.seed(seed)
    try:
        clustering = g.community_leiden(
            objective_function="modularity", weights="weight", resolution=resolution, n_iterations=iterations
        )
    finally:
        random.setstate(state)
    return np.asarray(clustering.membership, dtype=np.int64)


def _select_rings(
    membership: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    active: np.ndarray,
    signal: Mapping[int, Mapping[str, float]],
    need_signal: bool,
    options: Options,
) -> tuple[np.ndarray, list[np.ndarray], list[dict[str, Any]]]:
    """Rings among the communities: unit -> ring number (-1 none), members and evidence of each ring.

    A ring is the core of a community (units tied to at least `min_ties_in_ring` others in it; a contact
    tied to one member only is an associate) when the core is big enough and, if signal is required,
    enough of the core shows trade behaviour.
    """
    n = len(membership)
    same = membership[a] == membership[b]
    ties_inside = np.bincount(np.concatenate([a[same], b[same]]), minlength=n) if n else np.zeros(0, dtype=np.int64)
    core = active & (ties_inside >= options.min_ties_in_ring)
    ring_of = np.full(n, -1, dtype=np.int64)
    rings: list[np.ndarray] = []
    evidence: list[dict[str, Any]] = []
    sizes = np.bincount(membership[core], minlength=int(membership.max()) + 1 if n else 0) if n else np.zeros(0)
    # Core units grouped by community once (ascending unit order kept), rather than one scan of every
    # unit per community: a big graph has thousands of communities, and this runs once per resolution.
    core_units = np.flatnonzero(core)
    core_units = core_units[np.argsort(membership[core_units], kind="stable")]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64) if n else np.zeros(1, dtype=np.int64)
    for community in np.flatnonzero(sizes >= options.min_ring_size):
        members = core_units[starts[community] : starts[community + 1]]
        found = _ring_signal(members, signal)
        if need_signal and (
            found["signal_members"] < options.min_signal_members or found["signal"] < options.min_signal_share
        ):
            continue  # an ordinary community: no trade behaviour among its members
        ring_of[members] = len(rings)
        rings.append(members)
        evidence.append(found)
    return ring_of, rings, evidence


def _most_stable(
    candidates: Sequence[tuple[float, np.ndarray, np.ndarray, Any, Any]], min_coverage: float = 0.95
) -> int:
    """The resolution whose rings agree best, on average, with the rings at every other resolution of the grid.

    Modularity merges small dense groups joined by a few strong ties (its resolution limit) at low
    resolution and cuts real groups apart at high resolution; the partition most representative of the
    whole range (the medoid) sits between the two. Agreement is the adjusted Rand index over the units
    in a ring at any resolution of the grid (units in no ring share one label).
    """
    coverage = [int((c[2] >= 0).sum()) for c in candidates]
    # A resolution at which ring members fall out of every ring (the pieces too small or without signal)
    # has cut rings apart: only resolutions keeping nearly all ring members are candidates.
    eligible = [i for i, c in enumerate(coverage) if c >= min_coverage * max(coverage)]
    if len(eligible) < 2 or max(coverage) == 0:
        return eligible[0] if eligible else 0
    in_any = np.zeros(len(candidates[0][2]), dtype=bool)
    for i in eligible:
        in_any |= candidates[i][2] >= 0
    labels = {i: candidates[i][2][in_any].tolist() for i in eligible}
    best, best_score = eligible[0], -np.inf
    for i in eligible:
        agreement = sum(
            ig.compare_communities(labels[i], labels[j], method="adjusted_rand") for j in eligible if j != i
        ) / (len(eligible) - 1)
        if agreement > best_score + 1e-9:
            best, best_score = i, agreement
    return best


def _ring_signal(members: np.ndarray, signal: Mapping[int, Mapping[str, float]]) -> dict[str, Any]:
    """How much criminal signal a community's members carry, and the evidence in words."""
    by_kind: dict[str, tuple[int, float]] = {}
    carriers = 0
    for i in members.tolist():
        kinds = signal.get(i)
        if not kinds:
            continue
        carriers += 1
        for kind, events in kinds.items():
            who, total = by_kind.get(kind, (0, 0.0))
            by_kind[kind] = (who + 1, total + events)
    parts = [
        f"{q.SIGNAL_LABELS.get(kind, kind)}: {who} member{'s' if who != 1 else ''}, {total:g} events"
        for kind, (who, total) in sorted(by_kind.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    return {
        "signal": round(carriers / max(len(members), 1), 3),
        "signal_members": carriers,
        "evidence": (f"{carriers} of {len(members)} members show trade behaviour; " + "; ".join(parts))
        if carriers
        else "",
    }


def _betweenness(g: ig.Graph, active: np.ndarray, options: Options) -> tuple[np.ndarray, str]:
    n = g.vcount()
    if n == 0 or g.ecount() == 0:
        return np.zeros(n), "none"
    count = int(active.sum())
    if count <= options.exact_betweenness_limit:
        return np.asarray(g.betweenness(directed=False), dtype=float), "exact"
    # Brandes-Pich estimate: shortest paths from a seeded sample of sources, scaled up.
    rng = np.random.default_rng(options.seed)
    pool = np.flatnonzero(active)
    affordable = int(options.betweenness_budget / (n + g.ecount()))
    k = min(options.betweenness_samples, max(options.min_betweenness_samples, affordable), len(pool))
    sources = rng.choice(pool, size=k, replace=False).tolist()
    values = np.asarray(g.betweenness(directed=False, sources=sources), dtype=float) * (count / k)
    return values, f"sampled from {k} sources"


# -- roles -------------------------------------------------------------------------


def assign_roles(analysis: Analysis, behaviour: Mapping[str, Mapping[str, int]]) -> None:
    """Roles of ring members from what they do; `behaviour` maps unit id to counts."""
    strength = analysis.strength_inside
    by_ring: dict[str, list[Unit]] = {}
    for unit in analysis.units:
        if unit.ring_id is None:
            continue
        by_ring.setdefault(unit.ring_id, []).append(unit)
        b = behaviour.get(unit.id, {})
        posts, sent, received = b.get("posts", 0), b.get("parcels_sent", 0), b.get("parcels_received", 0)
        t_in, t_out = b.get("transfers_in", 0), b.get("transfers_out", 0)
        if unit.brokerage >= 2 and unit.balanced_broker:
            unit.role, unit.role_reason = "broker", unit.reason
        elif posts >= 1:
            unit.role, unit.role_reason = "seller", f"posted {posts} adverts"
        elif sent >= 2 and sent > received:
            unit.role, unit.role_reason = "courier", f"sent {sent} parcels (received {received})"
        elif t_in >= 3 and t_out >= 1:
            unit.role, unit.role_reason = "mule", f"received {t_in} transfers and made {t_out}"
        else:
            unit.role, unit.role_reason = "member", None
    for ring_id, members in by_ring.items():
        plain = [u for u in members if u.role == "member"]
        if plain:
            top = max(plain, key=lambda u: (strength.get(u.id, 0.0), u.betweenness, u.key))
            top.role = "organiser"
            top.role_reason = f"most ties inside the ring (weight {strength.get(top.id, 0.0):.1f}) without selling, shipping or moving money"
        tally: dict[str, int] = {}
        for u in members:
            tally[u.role or "member"] = tally.get(u.role or "member", 0) + 1
        analysis.rings[ring_id]["roles"] = ", ".join(f"{r}: {tally[r]}" for r in ROLE_ORDER if r in tally)


def pull_behaviour(graph: Graph, unit_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for start in range(0, len(unit_ids), 5000):
        batch = list(unit_ids[start : start + 5000])
        for eid, posts, sent, received, t_in, t_out in graph.stream(q.MEMBER_BEHAVIOUR, {"ids": batch}):
            out[eid] = {
                "posts": posts,
                "parcels_sent": sent,
                "parcels_received": received,
                "transfers_in": t_in,
                "transfers_out": t_out,
            }
    return out


# -- write-back --------------------------------------------------------------------


def write_back(graph: Graph, analysis: Analysis, options: Options, projection: Projection) -> dict[str, Any]:
    """Ring nodes, memberships and scores; stale rings and scores removed; an AnalyticsRun recorded."""
    at = analysis.started_at or dt.datetime.now(dt.UTC)
    run_id = analysis.run_id
    old_rings = [{"ring_id": r[0]} for r in graph.stream("MATCH (r:Ring) RETURN r.ring_id")]
    graph.write_batches(q.DELETE_MEMBERSHIPS, old_rings, batch_size=500)
    rings = [{"ring_id": rid, **info} for rid, info in analysis.rings.items()]
    graph.write_batches(q.MERGE_RINGS, rings, extra={"at": at, "run_id": run_id})
    graph.write(q.DELETE_STALE_RINGS, {"run_id": run_id})
    in_rings = [u for u in analysis.units if u.ring_id]
    outside = sorted((u for u in analysis.units if not u.ring_id and u.score > 0), key=lambda u: -u.score)
    chosen = in_rings + outside[: options.top_intermediaries]
    rows = [
        {
            "id": u.id,
            "ring_id": u.ring_id,
            "role": u.role,
            "role_reason": u.role_reason,
            "betweenness": u.betweenness,
            "brokerage": u.brokerage,
            "brokerage_weight": u.brokerage_weight,
            "score": u.score,
            "connects": u.connects,
            "reason": u.reason,
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
        "kinds": list(options.kinds),
        "weights": json.dumps({k: options.weight(k) for k in options.kinds}, sort_keys=True),
        "units": len(analysis.units),
        "links": analysis.links,
        "rings": len(analysis.rings),
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


def run_analytics(graph: Graph, options: Options | None = None) -> Analysis:
    """Pull the projection, detect rings, score intermediaries, infer roles, write back (unless write=False).

    Recorded in the audit trail (options, rings found, duration, outcome).
    """
    options = options or Options()
    with audit.timed("analytics", "rings and intermediaries", dataclasses.asdict(options)) as entry:
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
    assign_roles(analysis, behaviour)
    analysis.started_at = started_at
    analysis.run_id = f"run-{started_at:%Y%m%dT%H%M%S%f}"
    analysis.timings["pull_s"] = projection.pull_s
    if options.write:
        t1 = time.perf_counter()
        write_back(graph, analysis, options, projection)
        analysis.timings["write_s"] = time.perf_counter() - t1
    analysis.timings["total_s"] = time.perf_counter() - t0
    return analysis


# -- CLI ---------------------------------------------------------------------------


def _parse_weights(pairs: Sequence[str]) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    for pair in pairs:
        kind, _, value = pair.partition("=")
        try:
            weights[kind.strip().upper()] = float(value)
        except ValueError as e:
            raise AnalyticsError(f"--weight {pair!r} must look like KIND=number, e.g. TRANSFERRED=3.") from e
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.analytics", description="Rings and key intermediaries.")
    parser.add_argument("--kinds", default=",".join(ALL_KINDS), help=f"comma-separated, among {', '.join(ALL_KINDS)}")
    parser.add_argument("--weight", action="append", default=[], metavar="KIND=W", help="weight of a kind")
    parser.add_argument("--min-ring-size", type=int, default=Options.min_ring_size)
    parser.add_argument(
        "--resolution", type=float, default=None, help="Leiden resolution (default: the most stable from 1 to 16)"
    )
    parser.add_argument(
        "--max-degree", type=int, default=None, help="units with more contacts are hubs (default: automatic)"
    )
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--top", type=int, default=10, help="intermediaries to print")
    parser.add_argument("--rank-by", choices=["betweenness", "score", "brokerage_weight"], default="betweenness")
    parser.add_argument("--dry-run", action="store_true", help="compute and print, write nothing")
    args = parser.parse_args(argv)
    # Planner hints (unknown label on an empty graph...) are not the analyst's concern on the command line.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    try:
        options = Options(
            kinds=tuple(k.strip().upper() for k in args.kinds.split(",") if k.strip()),
            weights=_parse_weights(args.weight),
            min_ring_size=args.min_ring_size,
            resolution=args.resolution,
            max_degree=args.max_degree or None,
            seed=args.seed,
            write=not args.dry_run,
        )
        with Graph.connect() as graph:
            analysis = run_analytics(graph, options)
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1
    t = analysis.timings
    print(
        f"{len(analysis.units)} units, {analysis.links} ties, {len(analysis.rings)} rings "
        f"(resolution {analysis.resolution:g}, modularity {analysis.modularity:.3f}), {len(analysis.hubs)} hubs left out; "
        f"betweenness {analysis.betweenness_mode}; {t.get('total_s', 0):.1f} s "
        f"(pull {t.get('pull_s', 0):.1f}, rings {t.get('rings_s', 0):.1f}, betweenness {t.get('betweenness_s', 0):.1f}, "
        f"write {t.get('write_s', 0):.1f})" + ("" if options.write else " [dry run: nothing written]")
    )
    for rid, info in sorted(analysis.rings.items(), key=lambda kv: -kv[1]["size"])[: args.top]:
        print(f"  {rid}  size {info['size']:>4}  internal ties {info['internal_links']:>5}  {info['roles']}")
        if info.get("evidence"):
            print(f"      why a ring: {info['evidence']}"[:200])
    print("Key intermediaries:")
    for i, u in enumerate(analysis.ranked(args.rank_by, args.top), start=1):
        label = u.name or u.key
        print(
            f"  {i:>2}. {label:<24} betweenness {u.betweenness:>10.1f}  brokerage {u.brokerage}  {u.reason or ''}"[:160]
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
