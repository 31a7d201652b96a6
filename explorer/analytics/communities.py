"""Communities (Leiden), and which of them are rings, groups or neither."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import igraph as ig
import numpy as np

from explorer import explain
from explorer.analytics.options import Options


def ring_id_for(member_keys: Iterable[str]) -> str:
    """A ring's id: a short hash of its smallest member key (stable while that member stays)."""
    smallest = min(member_keys)
    return "ring-" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:10]


def leiden(g: ig.Graph, resolution: float, seed: int, iterations: int) -> np.ndarray:
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


def select_rings(
    membership: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    active: np.ndarray,
    signal: Mapping[int, Mapping[str, float]],
    mode: str,
    options: Options,
    pendant_ok: np.ndarray | None = None,
) -> tuple[np.ndarray, list[np.ndarray], list[dict[str, Any]]]:
    """Rings and groups among the communities: unit -> number (-1 none), members and evidence of each.

    Members of a community are its core (units tied to at least `min_ties_in_ring` others in it) and,
    where `pendant_ok` allows, units whose every tie goes into it and reaches the core (a person only the
    ring's own members talk to); a contact with ties elsewhere and one member here is an associate. The
    members must be at least `min_ring_size` with one tie among them. `mode`: "signal" keeps only
    communities carrying trade signal (rings); "groups" keeps every one as a group (no signal anywhere
    in the data); "declared" keeps every one as a ring (the analyst says the network is criminal).
    """
    n = len(membership)
    if n == 0:
        return np.zeros(0, dtype=np.int64), [], []
    same = membership[a] == membership[b]
    ties_inside = np.bincount(np.concatenate([a[same], b[same]]), minlength=n)
    degree = np.bincount(np.concatenate([a, b]), minlength=n)
    core = active & (ties_inside >= options.min_ties_in_ring)
    pendant = active & ~core & (ties_inside >= 1) & (ties_inside == degree)
    if pendant_ok is not None:
        pendant &= pendant_ok
    reaches_core = np.zeros(n, dtype=bool)
    reaches_core[a[same & core[b]]] = True
    reaches_core[b[same & core[a]]] = True
    member = core | (pendant & reaches_core)
    internal = same & member[a] & member[b]
    communities = int(membership.max()) + 1
    internal_ties = np.bincount(membership[a[internal]], minlength=communities)
    sizes = np.bincount(membership[member], minlength=communities)
    ring_of = np.full(n, -1, dtype=np.int64)
    rings: list[np.ndarray] = []
    evidence: list[dict[str, Any]] = []
    # Members grouped by community once (ascending unit order kept), rather than one scan of every
    # unit per community: a big graph has thousands of communities, and this runs once per resolution.
    units = np.flatnonzero(member)
    units = units[np.argsort(membership[units], kind="stable")]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    for community in np.flatnonzero((sizes >= options.min_ring_size) & (internal_ties > 0)):
        members = units[starts[community] : starts[community + 1]]
        found = _ring_signal(members, signal)
        has_signal = (
            found["signal_members"] >= options.min_signal_members and found["signal"] >= options.min_signal_share
        )
        if mode == "signal" and not has_signal:
            continue  # an ordinary community: no trade behaviour among its members
        if has_signal or mode == "declared":
            found["kind"] = "ring"
            found["evidence_facts"] = found["evidence_facts"] or [explain.phrase("declared")]
        else:
            found["kind"] = "group"
            found["evidence_facts"] = [explain.phrase("group")]
        found["evidence"] = explain.say(found["evidence_facts"])
        ring_of[members] = len(rings)
        rings.append(members)
        evidence.append(found)
    return ring_of, rings, evidence


def most_stable(
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
    # has cut rings apart: only resolutions keeping nearly all the ring members of the lower resolutions
    # (candidates come in rising order) are candidates. Members gained higher up do not count against a
    # lower one: cutting a large ordinary community apart can leave pieces that pass for rings.
    reach = np.maximum.accumulate(coverage)
    eligible = [i for i, c in enumerate(coverage) if c >= min_coverage * reach[i]]
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


def persistent_splits(
    candidates: Sequence[tuple[float, np.ndarray, np.ndarray, list[np.ndarray], list[dict[str, Any]]]],
    chosen: int,
    min_size: int,
) -> tuple[np.ndarray, list[np.ndarray], list[dict[str, Any]]]:
    """The chosen rings, each cut where every higher resolution of the grid cuts it the same way.

    Modularity merges two small rings joined through a broker (its resolution limit), and the broker
    then bridges nothing. A higher resolution tells them apart, but over the whole graph it also cuts
    large rings into pieces. A ring is cut into the rings it falls into at the first higher resolution
    that cuts it, when that cut keeps every member in a piece of at least `min_size` and every higher
    resolution (at least one) cuts it into as many pieces of that size: two rings, not a ring that keeps
    falling apart.
    """
    _, _, ring_of, members_list, evidence = candidates[chosen]
    out_of = np.full(len(ring_of), -1, dtype=np.int64)
    out_members: list[np.ndarray] = []
    out_evidence: list[dict[str, Any]] = []
    for r, members in enumerate(members_list):
        counts = []
        for j in range(chosen + 1, len(candidates)):
            found = candidates[j][2][members]
            pieces, sizes = np.unique(found[found >= 0], return_counts=True)
            whole = bool((found >= 0).all() and (sizes >= min_size).all())
            counts.append((j, int((sizes >= min_size).sum()), whole, found))
        first = next((k for k, c in enumerate(counts) if c[1] >= 2), None)
        if first is not None and first < len(counts) - 1 and counts[first][2]:
            j, n_pieces, _, found = counts[first]
            if all(c[1] == n_pieces for c in counts[first + 1 :]):
                for piece in np.unique(found).tolist():
                    part = members[found == piece]
                    out_of[part] = len(out_members)
                    out_members.append(part)
                    out_evidence.append(candidates[j][4][piece])
                continue
        out_of[members] = len(out_members)
        out_members.append(members)
        out_evidence.append(evidence[r])
    return out_of, out_members, out_evidence


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
    signals = [
        {"kind": kind, "n": who, "events": total}
        for kind, (who, total) in sorted(by_kind.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    return {
        "signal": round(carriers / max(len(members), 1), 3),
        "signal_members": carriers,
        "evidence_facts": [explain.phrase("trade", n=carriers, size=len(members), signals=signals)]
        if carriers
        else None,
    }
