"""Rings, betweenness (by hops and by tie strength), brokerage and the default ranking on a projection."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Any

import igraph as ig
import numpy as np

from explorer import explain
from explorer.analytics.communities import leiden, most_stable, persistent_splits, ring_id_for, select_rings
from explorer.analytics.options import RANKINGS, AnalyticsError, Options
from explorer.analytics.results import Analysis, Projection, Unit


def analyse(
    projection: Projection,
    options: Options | None = None,
    signal: Mapping[int, Mapping[str, float]] | None = None,
    customers: Collection[int] = (),
) -> Analysis:
    """Rings, betweenness, brokerage and the ranking on a pulled projection (no database access).

    `signal` (from `pull_signal`) maps a unit index to its criminal signal: communities carrying enough
    of it are rings, the others groups or nothing (see `Options.require_signal`). `customers` (from
    `pull_customers`) are units that only buy: associates of a ring, never members.
    """
    options = options or Options()
    if options.ranking not in RANKINGS:
        raise AnalyticsError(f"Unknown ranking {options.ranking!r}; choose among {', '.join(RANKINGS)}.")
    signal = signal or {}
    customer = np.zeros(projection.size, dtype=bool)
    customer[list(customers)] = True
    if options.require_signal is False:
        mode = "declared"
    elif options.require_signal == "auto":
        mode = "signal" if signal else "groups"
    else:
        mode = "signal"
    timings: dict[str, float] = {}
    n = projection.size
    a, b, tie_weight, hubs_mask = _ties(projection, options)
    active = np.zeros(n, dtype=bool)
    active[a] = True
    active[b] = True
    # In a network without trade signal (a research network of known participants), a person tied to
    # one member and to no one else belongs with that group; identifiers known from one call do not.
    # Where trade signal decides rings, such a contact (a supplier, a relative) stays an associate.
    pendant_ok = np.array([label == "Person" and mode != "signal" for label in projection.labels], dtype=bool)

    started = time.perf_counter()
    g = ig.Graph(n=n, edges=np.column_stack([a, b]).tolist(), directed=False)
    g.es["weight"] = tie_weight.tolist() if options.weighted_rings else [1.0] * len(a)
    grid = (options.resolution,) if options.resolution else options.resolution_grid
    candidates = []
    for gamma in grid:
        membership = leiden(g, gamma, options.seed, options.leiden_iterations)
        ring_of, ring_members, evidence = select_rings(
            membership, a, b, active & ~customer, signal, mode, options, pendant_ok=pendant_ok
        )
        candidates.append((gamma, membership, ring_of, ring_members, evidence))
    chosen = most_stable(candidates) if len(candidates) > 1 else 0
    resolution, membership, ring_of, ring_members, ring_evidence = candidates[chosen]
    if len(candidates) > 1:
        ring_of, ring_members, ring_evidence = persistent_splits(candidates, chosen, options.min_ring_size)
    modularity = float(g.modularity(membership.tolist(), weights="weight")) if g.ecount() else 0.0
    ring_ids = [ring_id_for(projection.keys[i] for i in members) for members in ring_members]
    timings["rings_s"] = time.perf_counter() - started

    started = time.perf_counter()
    betweenness, bt_mode = _betweenness(g, active, options)
    # A stronger tie is a shorter step: distance 1 / weight (docs/analytics.md).
    distance = (1.0 / tie_weight).tolist()
    betweenness_weighted, _ = _betweenness(g, active, options, distance)
    timings["betweenness_s"] = time.perf_counter() - started

    brokerage, brokerage_weight, connects, balanced = _brokerage(a, b, tie_weight, ring_of, n, options)
    # A customer of two rings (buys from both, does none of the trade's work) bridges nothing for them.
    brokerage[customer], brokerage_weight[customer], balanced[customer] = 0, 0.0, False
    for i in np.flatnonzero(customer).tolist():
        connects.pop(i, None)
    kinds_into = _kinds_into(projection, ring_of, connects)

    count = int(active.sum())
    pairs = max((count - 1) * (count - 2) / 2, 1.0)
    lead = betweenness if options.ranking == "betweenness" else betweenness_weighted
    other = betweenness_weighted if options.ranking == "betweenness" else betweenness
    # Where trade signal decides rings, the key intermediaries are who ties rings together: brokerage
    # between rings first, betweenness after. Without signal (a research network) the data supports only
    # position: betweenness first, as the published key-player results are.
    by_brokerage = mode == "signal"
    order = sorted(
        np.flatnonzero(active).tolist(),
        key=lambda i: (
            (-brokerage_weight[i], -lead[i], -other[i], projection.keys[i])
            if by_brokerage
            else (-lead[i], -brokerage_weight[i], -other[i], projection.keys[i])
        ),
    )
    rank = np.zeros(n, dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)

    internal = (ring_of[a] == ring_of[b]) & (ring_of[a] >= 0)
    internal_counts = np.bincount(ring_of[a][internal], minlength=len(ring_ids)) if ring_ids else np.zeros(0)
    strength_inside = np.zeros(n)
    np.add.at(strength_inside, a[internal], tie_weight[internal])
    np.add.at(strength_inside, b[internal], tie_weight[internal])
    ties_inside = np.bincount(np.concatenate([a[internal], b[internal]]), minlength=n)
    ring_sizes = np.bincount(ring_of[ring_of >= 0], minlength=len(ring_ids)) if ring_ids else np.zeros(0)
    rings_info: dict[str, dict[str, Any]] = {
        rid: {"size": int(ring_sizes[r]), "internal_links": int(internal_counts[r]), "roles": "", **ring_evidence[r]}
        for r, rid in enumerate(ring_ids)
    }
    rings = [(ring_evidence[r]["kind"], rid) for r, rid in enumerate(ring_ids)]

    units: list[Unit] = []
    for i in range(n):
        if not active[i]:
            continue
        r = int(ring_of[i])
        why = _reason(i, float(lead[i] / pairs), options.ranking, connects, r, rings, kinds_into)
        units.append(
            Unit(
                id=projection.ids[i],
                label=projection.labels[i],
                key=projection.keys[i],
                name=projection.names[i],
                ring_id=ring_ids[r] if r >= 0 else None,
                ring_kind=ring_evidence[r]["kind"] if r >= 0 else None,
                role=None,
                role_reason=None,
                betweenness=float(betweenness[i]),
                betweenness_weighted=float(betweenness_weighted[i]),
                brokerage=int(brokerage[i]),
                brokerage_weight=float(brokerage_weight[i]),
                score=float(lead[i] / pairs),
                rank=int(rank[i]),
                connects=[ring_ids[rr] for rr in connects.get(i, [])],
                reason=explain.say(why),
                reason_facts=why,
                balanced_broker=bool(balanced[i]),
                ties_inside=int(ties_inside[i]),
            )
        )
    analysis = Analysis(
        units=units,
        rings=rings_info,
        modularity=modularity,
        links=int(len(a)),
        hubs=[projection.keys[i] for i in np.flatnonzero(hubs_mask)],
        betweenness_mode=bt_mode,
        resolution=float(resolution),
        timings=timings,
    )
    analysis.strength_inside = {projection.ids[i]: float(strength_inside[i]) for i in range(n) if strength_inside[i]}
    return analysis


def _ties(projection: Projection, options: Options) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One weighted tie per pair of units (ends a < b, weight), hubs' ties left out; and the hubs."""
    n = projection.size
    weights_by_kind = np.array([options.weight(k) for k in projection.kinds] or [0.0])
    # Strength adds with diminishing returns: a layer's tie weighs its layer weight x (1 + ln strength);
    # a link split between the several holders of one phone counts as its share.
    count = projection.count
    link_weight = weights_by_kind[projection.kind] * np.where(count < 1.0, count, 1.0 + np.log(np.maximum(count, 1.0)))
    n_safe = max(n, 1)
    pair_code = projection.src * n_safe + projection.dst
    pairs, inverse = np.unique(pair_code, return_inverse=True)
    tie_weight = np.bincount(inverse, weights=link_weight) if len(pairs) else np.zeros(0)
    a, b = pairs // n_safe, pairs % n_safe
    keep = tie_weight > 0
    a, b, tie_weight = a[keep], b[keep], tie_weight[keep]
    degree = np.bincount(np.concatenate([a, b]), minlength=n) if n else np.zeros(0, dtype=np.int64)
    positive = degree[degree > 0]
    limit = options.max_degree or max(100, 20 * int(np.median(positive)) if len(positive) else 100)
    hubs_mask = degree > limit
    if options.max_degree is None:
        # The automatic limit is for the depot phones and platform accounts nobody holds: a person with
        # many contacts (an organiser tied to a large ring and its buyers) is what the analysis is about.
        hubs_mask &= np.array([label != "Person" for label in projection.labels], dtype=bool)
    if hubs_mask.any():
        keep = ~(hubs_mask[a] | hubs_mask[b])
        a, b, tie_weight = a[keep], b[keep], tie_weight[keep]
    return a, b, tie_weight, hubs_mask


def _brokerage(
    a: np.ndarray, b: np.ndarray, tie_weight: np.ndarray, ring_of: np.ndarray, n: int, options: Options
) -> tuple[np.ndarray, np.ndarray, dict[int, list[int]], np.ndarray]:
    """Per unit: communities spanned, weight of its ties into the others, which (own first), and balance."""
    uu = np.concatenate([a, b])
    vv = np.concatenate([b, a])
    ww = np.concatenate([tie_weight, tie_weight])
    into_ring = ring_of[vv] >= 0
    uu, vv, ww = uu[into_ring], vv[into_ring], ww[into_ring]
    per, reached = _ties_into(uu, vv, ww, ring_of)
    home = {u: int(ring_of[u]) if ring_of[u] >= 0 else max(by_ring, key=lambda r: (by_ring[r], -r))
            for u, by_ring in per.items()}  # fmt: skip

    def balance(u: int, r: int) -> float:
        """u's tie weight into community r against its weight into its own; 0 when u does not span r."""
        w = per[u].get(r, 0.0)
        if r == home[u] or w < options.min_broker_weight or reached[u, r] < options.min_broker_contacts:
            return 0.0
        return w / max(per[u].get(home[u], 0.0), 1e-9)

    # A tie between two communities is the bridge of one of its ends: the one more evenly tied to both
    # sides. An organiser whose ring two outside brokers call (or a mule paying them) is tied into
    # the brokers' communities through the brokers alone: those ties are their bridges, not its own.
    keep = np.ones(len(uu), dtype=bool)
    for t, (u, v) in enumerate(zip(uu.tolist(), vv.tolist(), strict=True)):
        r = int(ring_of[v])
        if r != home[u] and v in home and balance(v, home[u]) > balance(u, r):
            keep[t] = False
    per, reached = _ties_into(uu[keep], vv[keep], ww[keep], ring_of)
    brokerage = np.zeros(n, dtype=np.int64)
    brokerage_weight = np.zeros(n)
    connects: dict[int, list[int]] = {}
    balanced = np.zeros(n, dtype=bool)
    for u, by_ring in per.items():
        own = int(ring_of[u])
        # A tie into another community counts up to the strength of the unit's tie to its own:
        # a broker is tied to both sides, an organiser with one outside call barely.
        home_w = by_ring.get(home[u], 0.0)
        # Ties into another community through one person only are that person's bridge, not this unit's:
        # an organiser whom an outside broker calls spans nothing itself.
        others = {
            r: min(w, home_w) if own >= 0 else w
            for r, w in by_ring.items()
            if r != home[u] and w >= options.min_broker_weight and reached[u, r] >= options.min_broker_contacts
        }
        if others:
            spanned = [home[u], *sorted(others, key=lambda r: -others[r])]
            brokerage[u] = len(spanned)
            brokerage_weight[u] = sum(others.values())
            connects[u] = spanned
            balanced[u] = sum(others.values()) >= options.broker_balance * max(home_w, 1e-9)
    return brokerage, brokerage_weight, connects, balanced


def _ties_into(
    uu: np.ndarray, vv: np.ndarray, ww: np.ndarray, ring_of: np.ndarray
) -> tuple[dict[int, dict[int, float]], dict[tuple[int, int], int]]:
    """Per unit, its tie weight into each community and the distinct contacts it reaches there."""
    per: dict[int, dict[int, float]] = {}
    reached: dict[tuple[int, int], int] = {}
    for u, r, w in zip(uu.tolist(), ring_of[vv].tolist(), ww.tolist(), strict=True):
        by_ring = per.setdefault(u, {})
        by_ring[r] = by_ring.get(r, 0.0) + w
        reached[u, r] = reached.get((u, r), 0) + 1  # one tie per pair: distinct contacts in that community
    return per, reached


def _kinds_into(
    projection: Projection, ring_of: np.ndarray, connects: Mapping[int, list[int]]
) -> dict[tuple[int, int], dict[str, float]]:
    """Layer breakdown of each bridging unit's ties into each community, for the reasons."""
    kind_into: dict[tuple[int, int], dict[str, float]] = {}
    if not connects:
        return kind_into
    broker_set = np.zeros(projection.size, dtype=bool)
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
    return kind_into


def _reason(
    i: int,
    share: float,
    ranking: str,
    connects: Mapping[int, list[int]],
    own: int,
    rings: list[tuple[str, str]],
    kinds_into: Mapping[tuple[int, int], Mapping[str, float]],
) -> list[dict[str, Any]]:
    """Why a unit ranks where it does, as facts (explorer.explain): its betweenness, then the communities it
    bridges, each with its kind, id and the unit's ties into it by layer, the strongest first."""
    if share > 0:
        facts = [explain.phrase("paths_weighted" if ranking == "betweenness_weighted" else "paths", share=share)]
    else:
        facts = [explain.phrase("no_paths")]
    spanned = connects.get(i)
    if spanned:
        bridged = []
        for r in spanned:
            layers = sorted(kinds_into.get((i, r), {}).items(), key=lambda kv: -kv[1])
            kind, ring = rings[r]
            bridged.append({"kind": kind, "ring": ring, "own": r == own, "layers": dict(layers)})
        facts.append(explain.phrase("bridges", bridged=bridged))
    return facts


def _betweenness(
    g: ig.Graph, active: np.ndarray, options: Options, distance: list[float] | None = None
) -> tuple[np.ndarray, str]:
    """Betweenness by hops, or along the shortest `distance`s; exact up to `exact_betweenness_limit` units."""
    n = g.vcount()
    if n == 0 or g.ecount() == 0:
        return np.zeros(n), "none"
    count = int(active.sum())
    if count <= options.exact_betweenness_limit:
        return np.asarray(g.betweenness(directed=False, weights=distance), dtype=float), "exact"
    # Brandes-Pich estimate: shortest paths from a seeded sample of sources, scaled up.
    rng = np.random.default_rng(options.seed)
    pool = np.flatnonzero(active)
    affordable = int(options.betweenness_budget / (n + g.ecount()))
    k = min(options.betweenness_samples, max(options.min_betweenness_samples, affordable), len(pool))
    sources = rng.choice(pool, size=k, replace=False).tolist()
    values = np.asarray(g.betweenness(directed=False, sources=sources, weights=distance), dtype=float) * (count / k)
    return values, f"sampled from {k} sources"
