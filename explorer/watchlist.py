"""The watchlist: identifiers to watch, stored in the graph as `Watch` nodes.

A watch names a kind (phone, account, parcel, ...) and a normalised value,
the reason and who added it. A hit is a watched identifier present in the
graph; the Overview and the Load page show hits with the latest load that
touched them.
"""

from __future__ import annotations

import pandas as pd

from explorer import identifiers, model, queries
from explorer.browse import frame
from explorer.db import Graph
from explorer.exceptions import ExplorerError

# kind -> (label, key property) it is looked up by: the model's watchable identifier kinds.
KINDS: dict[str, tuple[str, str]] = {
    kind: (model.IDENTIFIERS[kind].label, model.IDENTIFIERS[kind].property) for kind in model.WATCH_KINDS
}


class InvalidWatch(ExplorerError):
    """A watch cannot be added as given (unknown kind, empty value, bad phone)."""


def normalise(kind: str, value: str) -> str:
    """The value as the loaders store it (explorer.identifiers), so a watch meets the node it names."""
    if kind not in KINDS:
        raise InvalidWatch(f"Unknown watch kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if not identifiers.fold(value or ""):
        raise InvalidWatch("The identifier to watch is empty.")
    try:
        return identifiers.normalise(kind, value)
    except ValueError as e:
        raise InvalidWatch(f"{value.strip()!r} cannot be watched as a {kind}: {e}.") from e


def watch_id(kind: str, value: str) -> str:
    return f"{kind}:{normalise(kind, value)}"


def add(graph: Graph, kind: str, value: str, reason: str, added_by: str) -> str:
    """Watch an identifier (adding it again updates the reason and who); return its watch id."""
    if not (reason or "").strip():
        raise InvalidWatch("Say why this identifier is watched: the reason is required.")
    if not (added_by or "").strip():
        raise InvalidWatch("Say who adds this watch: the name is required.")
    normalised = normalise(kind, value)
    key = f"{kind}:{normalised}"
    params = {
        "watch_id": key,
        "kind": kind,
        "value": normalised,
        "reason": reason.strip(),
        "added_by": added_by.strip(),
    }
    graph.write(queries.WATCH_ADD, params)
    return key


def remove(graph: Graph, key: str) -> bool:
    rows = graph.write(queries.WATCH_REMOVE, {"watch_id": key})
    return bool(rows and rows[0]["removed"])


def entries(graph: Graph) -> pd.DataFrame:
    return frame(graph, queries.WATCH_LIST)


def hits(graph: Graph) -> pd.DataFrame:
    return frame(graph, queries.WATCH_HITS)
