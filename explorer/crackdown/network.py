"""The person graph a crackdown is planned on, read from the evidence graph (read-only).

The graph is the analytics' person-level projection (`explorer.analytics.pull_projection`):
one unit per person, a phone or account standing for its holders, and one with no
known holder a unit of its own. Ties are undirected and unweighted here: the
question is who holds the network together, not how often they talk.

Scope: a ring (its members), a case (the people and identifiers it involves), a
set of person keys (a workspace selection) or the whole graph. Layers: the
analytics' relationship kinds (CALLED, MESSAGED, ...), or any other relationship
type or value of a relationship's `layer` property.

Only people can be arrested: a unit with no holder (a phone or account nobody is
known to hold) still carries paths but is never chosen, and one with more distinct
contacts than the analytics' hub limit (a payment platform) is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from explorer import queries as q
from explorer.analytics import ALL_KINDS, Options, pull_customers, pull_projection
from explorer.crackdown.search import Network
from explorer.db import Graph
from explorer.exceptions import ExplorerError

SOURCE_ROLES = frozenset({"organiser", "organizer", "supplier"})
BUYER_ROLES = frozenset({"buyer", "customer"})


class CrackdownError(ExplorerError):
    """The crackdown cannot be planned with the scope or layers given."""


@dataclass(frozen=True)
class Scope:
    """Which part of the graph: one of ring, case or persons, or none of them for the whole graph."""

    ring: str | None = None
    case: str | None = None
    persons: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()

    def describe(self) -> str:
        where = (
            f"ring {self.ring}"
            if self.ring is not None
            else f"case {self.case}"
            if self.case is not None
            else f"{len(self.persons)} selected people"
            if self.persons
            else "the whole person graph"
        )
        return where + (f" on {', '.join(self.layers)}" if self.layers else "")


def _column(graph: Graph, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
    rows = list(graph.stream(cypher, params))
    return list(rows[0][0]) if rows and rows[0][0] is not None else []


def _hub_limit(degrees: np.ndarray) -> int:
    """The analytics' automatic hub limit: max(100, 20 x the median number of contacts)."""
    positive = degrees[degrees > 0]
    return max(100, 20 * int(np.median(positive))) if len(positive) else 100


def pull_network(graph: Graph, scope: Scope | None = None) -> Network:
    """The scope's person graph on its layers, with sources (organisers, suppliers) and buyers where known."""
    scope = scope or Scope()
    chosen = [layer.strip() for layer in scope.layers if layer.strip()]
    kinds = tuple(k for k in (layer.upper() for layer in chosen) if k in ALL_KINDS) if chosen else ALL_KINDS
    others = [layer for layer in chosen if layer.upper() not in ALL_KINDS]
    projection = pull_projection(graph, Options(layers=kinds, write=False))

    def units(element_ids: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for eid in element_ids:
            if eid in projection.index:
                found.add(projection.index[eid])
            else:
                found.update(projection.owners.get(eid, []))
        return found

    pairs = set(zip(projection.src.tolist(), projection.dst.tolist(), strict=True))
    if others:
        rows = list(graph.stream(q.CRACKDOWN_LAYER_LINKS, {"layers": others}))
        froms, tos = (rows[0][0], rows[0][1]) if rows else ([], [])
        for a, b in zip(froms, tos, strict=True):
            for x in units([a]):
                for y in units([b]):
                    if x != y:
                        pairs.add((min(x, y), max(x, y)))
    if scope.ring is not None:
        members = units(_column(graph, q.CRACKDOWN_RING_UNITS, {"ring": scope.ring}))
        if not members:
            raise CrackdownError(f"Ring {scope.ring} has no members: run the analytics, or choose another ring.")
    elif scope.case is not None:
        members = units(_column(graph, q.CRACKDOWN_CASE_UNITS, {"case": scope.case}))
        if not members:
            raise CrackdownError(f"Case {scope.case} involves no one in the person graph.")
    elif scope.persons:
        members = units(_column(graph, q.CRACKDOWN_PERSON_UNITS, {"keys": list(scope.persons)}))
        if not members:
            raise CrackdownError("None of the selected people is in the graph.")
    else:
        members = set(range(projection.size))
    pairs = {(a, b) for a, b in pairs if a != b and a in members and b in members}
    degrees = np.zeros(projection.size, dtype=np.int64)
    for a, b in pairs:
        degrees[a] += 1
        degrees[b] += 1
    limit = _hub_limit(degrees[sorted(members)]) if members else 100
    person = [label == "Person" for label in projection.labels]
    hubs = {u for u in members if not person[u] and degrees[u] > limit}
    kept = sorted(members - hubs)
    position = {u: i for i, u in enumerate(kept)}
    roles = {eid: str(role).lower() for eid, role in _column(graph, q.CRACKDOWN_ROLES) if role}
    sources = {
        position[u] for eid, role in roles.items() if role in SOURCE_ROLES for u in units([eid]) if u in position
    }
    buyer_units = pull_customers(graph, projection) | {
        u for eid, role in roles.items() if role in BUYER_ROLES for u in units([eid])
    }
    return Network(
        keys=[projection.keys[u] for u in kept],
        names=[str(projection.names[u] or projection.keys[u]) for u in kept],
        edges=sorted((position[a], position[b]) for a, b in pairs if a in position and b in position),
        removable=[person[u] for u in kept],
        sources=frozenset(sources),
        buyers=frozenset(position[u] for u in buyer_units if u in position) - frozenset(sources),
        left_out=len(hubs),
        ids=[projection.ids[u] for u in kept],
    )
