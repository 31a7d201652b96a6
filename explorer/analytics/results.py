"""What the analytics pulls (the projection) and what it finds (units, rings), as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Projection:
    """Units (element id, label, key, name) and their ties per layer, as numpy arrays."""

    ids: list[str]
    labels: list[str]
    keys: list[str]
    names: list[str | None]
    src: np.ndarray  # unit index
    dst: np.ndarray
    kind: np.ndarray  # index into kinds (the layers pulled)
    count: np.ndarray  # summed strength of the links of that layer between the two units
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
    score: float  # share of shortest paths through the unit, by the ranking's measure (0 to 1)
    connects: list[str]
    reason: str | None
    balanced_broker: bool = False
    betweenness_weighted: float = 0.0
    rank: int = 0  # position in the default ranking of key intermediaries, 1 first
    ring_kind: str | None = None  # "ring" or "group"
    ties_inside: int = 0  # distinct members of its own community it is tied to
    # The reasons' facts (explorer.explain): `role_reason` and `reason` are their English sentences.
    role_facts: list[dict[str, Any]] | None = None
    reason_facts: list[dict[str, Any]] | None = None


@dataclass
class Analysis:
    units: list[Unit]
    rings: dict[str, dict[str, Any]]  # ring_id -> {kind, size, internal_links, roles, evidence...}
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
        """Unit key -> ring id, for the units in rings and groups."""
        return {u.key: u.ring_id for u in self.units if u.ring_id}

    def ranked(self, by: str = "rank", limit: int | None = None) -> list[Unit]:
        """Units in the default ranking (`rank`), or by `score`, `betweenness`, `betweenness_weighted` or
        `brokerage_weight`, highest first."""
        if by == "rank":
            ranked = sorted(self.units, key=lambda u: u.rank)
        else:
            ranked = sorted(self.units, key=lambda u: (-getattr(u, by), -u.betweenness, u.key))
        return ranked[:limit] if limit else ranked
