"""Whom to remove, together, so that a network falls apart most: strategies and the plan's search.

Pure computation on an undirected, unweighted graph (no database). The objective
of a removal set S is the size of the largest connected component left in G - S,
ties broken by pairwise connectivity (the number of pairs still connected).

Baselines, as the literature on criminal network disruption runs them (Cavallaro
et al. 2020, Ficara et al. 2022, Duijn et al. 2014): degree and betweenness
ranked once, betweenness recomputed after each removal, and greedy removal (each
step the person leaving the smallest largest component). The plan searches over
sets: at each k it starts from the best of the baselines' sets (so it is never
worse than any of them) and from the plan for k - 1 extended greedily, then
improves the set by swaps (one member out, the best person in) and, within a
bounded amount of work, by seeded random perturbations followed by swaps again
(iterated local search).

A whole swap neighbourhood costs one depth-first search per member of the set:
the search finds, for every vertex at once, the pieces its component falls into
when that vertex goes (Hopcroft-Tarjan articulation points with subtree sizes).
"""

from __future__ import annotations

import random
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import igraph as ig

EXACT_BETWEENNESS_LIMIT = 5_000
BETWEENNESS_SOURCES = 256
STRATEGIES = ("degree", "betweenness", "betweenness_recomputed", "greedy", "plan")
BASELINES = STRATEGIES[:-1]


@dataclass(frozen=True)
class Outcome:
    """What is left after a removal: largest component, connected pairs, buyers cut off from every source."""

    lcc: int
    pairs: int
    buyers_cut: int | None
    lcc_share: float  # of the largest component before any removal, as the literature reports it

    def as_dict(self) -> dict[str, float | int | None]:
        return {"lcc_share": round(self.lcc_share, 4), "pairwise_connectivity": self.pairs,
                "buyers_cut": self.buyers_cut}  # fmt: skip


@dataclass
class Network:
    """A person graph: vertex i is `keys[i]`; `removable` marks who can be arrested (people, not platforms)."""

    keys: list[str]
    names: list[str]
    edges: list[tuple[int, int]]
    removable: list[bool] | None = None
    sources: frozenset[int] = frozenset()  # suppliers and organisers
    buyers: frozenset[int] = frozenset()
    left_out: int = 0  # hubs (platforms, depots) left out of the network
    ids: list[str] = field(default_factory=list)  # element ids in the evidence graph, when read from it

    def __post_init__(self) -> None:
        if self.removable is None:
            self.removable = [True] * len(self.keys)

    @property
    def size(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class SearchOptions:
    """How hard the plan searches: work is counted in adjacency steps, so a run is reproducible."""

    seed: int = 7
    work_per_k: int = 120_000  # adjacency steps of swap searches per k, after the first local optimum
    perturbation: int = 2  # members replaced at random before each new local search
    max_restarts: int = 300  # local searches after the first, per k (small graphs stop here, not on work)


@dataclass
class Strategy:
    """One strategy's removal sets for k = 1..K (nested for the baselines) and their outcomes."""

    name: str
    sets: list[list[int]]
    outcomes: list[Outcome]
    seconds: float = 0.0


@dataclass
class CrackdownResult:
    network: Network
    strategies: dict[str, Strategy] = field(default_factory=dict)

    @property
    def plan(self) -> list[int]:
        """The plan's set for the largest k, in the order its members are best removed."""
        return self.plan_for(None)

    def plan_for(self, k: int | None) -> list[int]:
        """The plan's set for k people (None: the largest k computed), in order."""
        sets = self.strategies["plan"].sets
        if not sets:
            return []
        return sets[-1] if k is None else sets[max(1, min(k, len(sets))) - 1]


# -- evaluation ---------------------------------------------------------------------


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


class Evaluator:
    """Outcomes of removal sets on one network (igraph connected components)."""

    def __init__(self, network: Network):
        self.network = network
        self.graph = ig.Graph(n=network.size, edges=network.edges, directed=False).simplify()
        self.adjacency: list[list[int]] = self.graph.get_adjlist()
        membership = self.graph.connected_components().membership
        source_components = {membership[s] for s in network.sources}
        # Buyers that reach a source at all: only they can be cut off from every source.
        self.supplied = [b for b in network.buyers if membership[b] in source_components and b not in network.sources]
        self.know_roles = bool(network.sources) and bool(network.buyers)
        self.original_lcc = max(self.graph.connected_components().sizes(), default=0)

    def outcome(self, removed: Collection[int]) -> Outcome:
        drop = set(removed)
        n = self.network.size
        keep = [v for v in range(n) if v not in drop]
        if not keep:
            return Outcome(0, 0, len(self.supplied) if self.know_roles else None, 0.0)
        sub = self.graph.induced_subgraph(keep)
        parts = sub.connected_components()
        sizes = parts.sizes()
        lcc = max(sizes)
        cut = None
        if self.know_roles:
            position = {v: i for i, v in enumerate(keep)}
            membership = parts.membership
            fed = {membership[position[s]] for s in self.network.sources if s not in drop}
            cut = sum(1 for b in self.supplied if b not in drop and membership[position[b]] not in fed)
        return Outcome(lcc, sum(_pairs(s) for s in sizes), cut, lcc / self.original_lcc if self.original_lcc else 0.0)

    def key(self, removed: Collection[int]) -> tuple[int, int]:
        o = self.outcome(removed)
        return (o.lcc, o.pairs)


def removal_scan(adjacency: Sequence[Sequence[int]], removed: Collection[int]) -> dict[int, tuple[int, int]]:
    """For every vertex v left in G - removed: (largest component, connected pairs) of G - removed - v.

    One depth-first search over what is left: a child subtree whose low point does not climb above v
    comes off as a piece of its own when v goes; the rest of v's component is one more piece.
    """
    n = len(adjacency)
    gone = bytearray(n)
    for v in removed:
        gone[v] = 1
    disc = [-1] * n
    low = [0] * n
    sub = [0] * n
    big = [0] * n  # largest piece cut off below v
    cut_sum = [0] * n  # vertices in pieces cut off below v
    cut_pairs = [0] * n
    components: list[list[int]] = []
    clock = 0
    for root in range(n):
        if gone[root] or disc[root] >= 0:
            continue
        members = [root]
        disc[root] = low[root] = clock
        clock += 1
        sub[root] = 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            descended = False
            for w in neighbours:
                if gone[w]:
                    continue
                if disc[w] < 0:
                    disc[w] = low[w] = clock
                    clock += 1
                    sub[w] = 1
                    members.append(w)
                    stack.append((w, v, iter(adjacency[w])))
                    descended = True
                    break
                if w != parent and disc[w] < low[v]:
                    low[v] = disc[w]
            if descended:
                continue
            stack.pop()
            if parent >= 0:
                if low[v] < low[parent]:
                    low[parent] = low[v]
                sub[parent] += sub[v]
                if low[v] >= disc[parent]:
                    s = sub[v]
                    cut_sum[parent] += s
                    cut_pairs[parent] += _pairs(s)
                    if s > big[parent]:
                        big[parent] = s
        components.append(members)
    sizes = sorted((len(c) for c in components), reverse=True)
    first = sizes[0] if sizes else 0
    second = sizes[1] if len(sizes) > 1 else 0
    total_pairs = sum(_pairs(s) for s in sizes)
    out: dict[int, tuple[int, int]] = {}
    for members in components:
        size = len(members)
        others = second if size == first else first
        base = total_pairs - _pairs(size)
        for v in members:
            rest = size - 1 - cut_sum[v]
            largest = big[v] if big[v] > rest else rest
            out[v] = (largest if largest > others else others, base + cut_pairs[v] + _pairs(rest))
    return out


def _best_addition(
    adjacency: Sequence[Sequence[int]], removed: Collection[int], removable: Sequence[bool]
) -> tuple[int, tuple[int, int]] | None:
    scan = removal_scan(adjacency, removed)
    best: tuple[int, tuple[int, int]] | None = None
    for v, value in scan.items():
        if removable[v] and (best is None or value < best[1] or (value == best[1] and v < best[0])):
            best = (v, value)
    return best


# -- baselines ----------------------------------------------------------------------


def _ranked(values: Sequence[float], removable: Sequence[bool], k: int) -> list[int]:
    order = sorted((v for v in range(len(values)) if removable[v]), key=lambda v: (-values[v], v))
    return order[:k]


def degree_order(ev: Evaluator, k: int) -> list[int]:
    return _ranked(ev.graph.degree(), ev.network.removable or [], k)


def _betweenness(g: ig.Graph, seed: int) -> list[float]:
    """Exact up to EXACT_BETWEENNESS_LIMIT vertices; above, estimated from a seeded sample of sources
    (exact betweenness costs vertices x ties, hours on a whole graph)."""
    if g.vcount() <= EXACT_BETWEENNESS_LIMIT:
        return g.betweenness(directed=False)
    sources = random.Random(seed).sample(range(g.vcount()), BETWEENNESS_SOURCES)
    return g.betweenness(directed=False, sources=sources)


def betweenness_order(ev: Evaluator, k: int) -> list[int]:
    return _ranked(_betweenness(ev.graph, k), ev.network.removable or [], k)


def betweenness_recomputed_order(ev: Evaluator, k: int) -> list[int]:
    removable = ev.network.removable or []
    chosen: list[int] = []
    for _ in range(k):
        keep = [v for v in range(ev.network.size) if v not in set(chosen)]
        scores = _betweenness(ev.graph.induced_subgraph(keep), len(chosen))
        candidates = [(-scores[i], v) for i, v in enumerate(keep) if removable[v]]
        if not candidates:
            break
        chosen.append(min(candidates)[1])
    return chosen


def greedy_order(ev: Evaluator, k: int) -> list[int]:
    removable = ev.network.removable or []
    chosen: list[int] = []
    for _ in range(k):
        best = _best_addition(ev.adjacency, chosen, removable)
        if best is None:
            break
        chosen.append(best[0])
    return chosen


BASELINE_ORDERS = {
    "degree": degree_order,
    "betweenness": betweenness_order,
    "betweenness_recomputed": betweenness_recomputed_order,
    "greedy": greedy_order,
}


# -- the plan: search over sets -------------------------------------------------------


class _SetSearch:
    """Swap-based local search and seeded perturbations over removal sets of one size."""

    def __init__(self, ev: Evaluator, options: SearchOptions):
        self.ev = ev
        self.removable = ev.network.removable or []
        self.rng = random.Random(options.seed)
        self.options = options
        self.step_cost = ev.network.size + 2 * ev.graph.ecount()  # one scan's adjacency steps

    def local_search(self, chosen: list[int], value: tuple[int, int]) -> tuple[list[int], tuple[int, int], int]:
        """Swap until no swap improves (or the work for one k is spent); returns the set, its value and the
        scans spent."""
        scans = 0
        limit = max(4 * len(chosen), self.options.work_per_k // self.step_cost)
        improved = True
        while improved and scans < limit:
            improved = False
            for out in self.rng.sample(chosen, len(chosen)):
                rest = [v for v in chosen if v != out]
                best = _best_addition(self.ev.adjacency, rest, self.removable)
                scans += 1
                if best is not None and best[0] != out and best[1] < value:
                    chosen = rest + [best[0]]
                    value = best[1]
                    improved = True
        return chosen, value, scans

    def search(self, starts: Sequence[list[int]]) -> list[int]:
        best_set, best_value = min(((s, self.ev.key(s)) for s in starts), key=lambda sv: (sv[1], sorted(sv[0])))
        best_set, best_value, _ = self.local_search(list(best_set), best_value)
        current, current_value = best_set, best_value
        budget = self.options.work_per_k
        alive = [v for v in range(self.ev.network.size) if self.removable[v]]
        restarts = 0
        while budget > 0 and restarts < self.options.max_restarts and len(alive) > len(current):
            restarts += 1
            trial = list(current)
            outside = [v for v in alive if v not in set(trial)]
            for _ in range(min(self.options.perturbation, len(trial), len(outside))):
                trial[self.rng.randrange(len(trial))] = outside.pop(self.rng.randrange(len(outside)))
            trial, value, scans = self.local_search(trial, self.ev.key(trial))
            budget -= (scans + 1) * self.step_cost
            if value < best_value:
                best_set, best_value = trial, value
            if value <= current_value:  # equal sets too: the walk crosses plateaus
                current, current_value = trial, value
        return best_set


def removal_order(ev: Evaluator, chosen: Collection[int]) -> list[int]:
    """The set's members in the order that fragments most at each step (the best sequence to act in)."""
    left = sorted(chosen)
    order: list[int] = []
    while left:
        nxt = min(left, key=lambda v: (ev.key(order + [v]), v))
        order.append(nxt)
        left.remove(nxt)
    return order


def plan_crackdown(network: Network, k: int, options: SearchOptions | None = None) -> CrackdownResult:
    """Every strategy's sets and outcomes for k = 1..K, the plan never worse than the best baseline."""
    options = options or SearchOptions()
    ev = Evaluator(network)
    k = max(0, min(k, sum(1 for r in network.removable or [] if r)))
    result = CrackdownResult(network)
    for name, order_of in BASELINE_ORDERS.items():
        started = time.perf_counter()
        order = order_of(ev, k)
        sets = [order[:i] for i in range(1, len(order) + 1)]
        result.strategies[name] = Strategy(name, sets, [ev.outcome(s) for s in sets], time.perf_counter() - started)
    started = time.perf_counter()
    search = _SetSearch(ev, options)
    plan_sets: list[list[int]] = []
    for i in range(1, k + 1):
        starts = [result.strategies[name].sets[i - 1] for name in BASELINES]
        if plan_sets:
            grown = _best_addition(ev.adjacency, plan_sets[-1], search.removable)
            if grown is not None:
                starts.append(plan_sets[-1] + [grown[0]])
        plan_sets.append(removal_order(ev, search.search(starts)))
    result.strategies["plan"] = Strategy(
        "plan", plan_sets, [ev.outcome(s) for s in plan_sets], time.perf_counter() - started
    )
    return result
