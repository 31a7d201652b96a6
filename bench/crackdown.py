"""Crackdown planning on a 500-person ring: the plan's search against the four baseline strategies.

The ring is generated here (seeded): cells of about a dozen people, dense inside,
each tied to the rest of the ring through one member with two ties into other
cells, the shape of the drug networks the literature studies (Duijn et al. 2014:
small cells joined by few brokers). Timed in memory: the time to read a ring out of
Neo4j is the analytics' projection pull, measured in the analytics section.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from explorer.crackdown import BASELINES, CrackdownResult, Network, plan_crackdown


@dataclass
class CrackdownRun:
    people: int
    ties: int
    k: int
    total_s: float
    baselines_s: float
    plan_s: float
    result: CrackdownResult

    def best_baseline_share(self) -> float:
        return min(self.result.strategies[name].outcomes[-1].lcc_share for name in BASELINES)

    def plan_share(self) -> float:
        return self.result.strategies["plan"].outcomes[-1].lcc_share


def cell_ring(people: int = 500, cell: int = 12, inside: float = 0.3, seed: int = 3) -> Network:
    rng = random.Random(seed)
    edges: set[tuple[int, int]] = set()
    cells = [list(range(start, min(start + cell, people))) for start in range(0, people, cell)]
    for members in cells:
        for i, a in enumerate(members):
            edges.update((a, b) for b in members[i + 1 :] if rng.random() < inside)
    for c, members in enumerate(cells):
        broker = rng.choice(members)
        outside = [p for d, others in enumerate(cells) if d != c for p in others]
        edges.update((min(broker, p), max(broker, p)) for p in rng.sample(outside, 2))
    keys = [f"p{i}" for i in range(people)]
    return Network(keys, keys, sorted(edges))


def run(people: int = 500, k: int = 10) -> CrackdownRun:
    network = cell_ring(people)
    started = time.perf_counter()
    result = plan_crackdown(network, k)
    total = time.perf_counter() - started
    baselines = sum(result.strategies[name].seconds for name in BASELINES)
    return CrackdownRun(people, len(network.edges), k, total, baselines, result.strategies["plan"].seconds, result)
