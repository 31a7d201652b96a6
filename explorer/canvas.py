"""The analyst's canvas: what is on screen, where, pinned, hidden, noted, with undo and redo.

Pure Python and plain JSON (`as_dict` / `from_dict`), so a canvas can be kept in the analyst
store as a workspace and reopened exactly: the nodes, their positions (dragged ones included),
pins, filters, the time window and the notes. None of it is ever written to the evidence graph.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from explorer.config import local_timezone
from explorer.subgraph import GraphEdge, GraphNode, Subgraph

HISTORY = 30
_STATE = ("visible", "hidden", "pinned", "positions", "notes", "filters", "window", "more", "groups")


@dataclass
class Canvas:
    visible: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    positions: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    # labels, types (lists) and since, until (ISO dates) for expanding
    filters: dict[str, Any] = field(default_factory=dict)
    # the time window on screen: [first, last] ISO dates in the configured time zone, or empty
    window: list[str] = field(default_factory=list)
    # node id -> kind of link -> where the next page of that kind starts, and how many remain
    more: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # group name -> the node ids drawn as that one group node
    groups: dict[str, list[str]] = field(default_factory=dict)
    undo_stack: list[dict[str, Any]] = field(default_factory=list)
    redo_stack: list[dict[str, Any]] = field(default_factory=list)

    # -- keeping and restoring -------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The canvas as plain JSON values (no history)."""
        return copy.deepcopy({name: getattr(self, name) for name in _STATE})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Canvas:
        canvas = cls()
        canvas._restore(data)
        return canvas

    def _restore(self, data: Mapping[str, Any]) -> None:
        fresh = Canvas()
        for name in _STATE:
            value = data.get(name, getattr(fresh, name))
            setattr(self, name, copy.deepcopy(value))
        self.positions = {k: [float(v[0]), float(v[1])] for k, v in self.positions.items()}

    def _remember(self) -> None:
        self.undo_stack.append(self.as_dict())
        del self.undo_stack[:-HISTORY]
        self.redo_stack.clear()

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.redo_stack.append(self.as_dict())
        self._restore(self.undo_stack.pop())
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.undo_stack.append(self.as_dict())
        self._restore(self.redo_stack.pop())
        return True

    # -- changing what is on screen ----------------------------------------------------

    def show(self, ids: Iterable[str]) -> None:
        """Start afresh from these nodes (pinned ones stay)."""
        self._remember()
        self.visible = list(dict.fromkeys([*self.pinned, *ids]))
        self.hidden = []
        self.more = {}
        self.groups = {}

    def add(self, ids: Iterable[str]) -> int:
        """Add nodes (not those the analyst hid, unless asked for again by `reveal`); return how many are new."""
        new = [i for i in dict.fromkeys(ids) if i not in self.visible and i not in self.hidden]
        if new:
            self._remember()
            self.visible.extend(new)
        return len(new)

    def reveal(self, ids: Iterable[str]) -> int:
        """Put these nodes on screen even if hidden before (a path, a group opened, a result sent whole)."""
        ids = list(dict.fromkeys(ids))
        new = [i for i in ids if i not in self.visible]
        if new:
            self._remember()
            self.visible.extend(new)
            self.hidden = [h for h in self.hidden if h not in ids]
        return len(new)

    def hide(self, ids: Iterable[str]) -> int:
        drop = [i for i in dict.fromkeys(ids) if i in self.visible]
        if drop:
            self._remember()
            self.visible = [v for v in self.visible if v not in drop]
            self.hidden.extend(drop)
            self.pinned = [p for p in self.pinned if p not in drop]
        return len(drop)

    def pin(self, ids: Iterable[str], pinned: bool = True) -> None:
        ids = [i for i in dict.fromkeys(ids) if i in self.visible]
        self._remember()
        if pinned:
            self.pinned.extend(i for i in ids if i not in self.pinned)
        else:
            self.pinned = [p for p in self.pinned if p not in ids]

    def note(self, node_id: str, text: str) -> None:
        text = text.strip()
        if text == self.notes.get(node_id, ""):
            return
        self._remember()
        if text:
            self.notes[node_id] = text
        else:
            self.notes.pop(node_id, None)

    def place(self, positions: Mapping[str, Iterable[float]]) -> None:
        """Remember where nodes are (computed or dragged); not an undo step of its own."""
        for node_id, (x, y) in positions.items():
            self.positions[node_id] = [float(x), float(y)]
        self.positions = {k: v for k, v in self.positions.items() if k in self.visible}

    def set_more(self, node_id: str, kinds: Mapping[str, tuple[int, int]]) -> None:
        """What remains of each busy kind of link of `node_id`: kind -> (next offset, how many more)."""
        if kinds:
            self.more[node_id] = {k: [int(o), int(n)] for k, (o, n) in kinds.items()}
        else:
            self.more.pop(node_id, None)

    def replace(self, data: Mapping[str, Any]) -> None:
        """Open a saved canvas in place of this one (undo comes back to this one)."""
        self._remember()
        self._restore(data)

    def group(self, ids: Iterable[str], name: str) -> str:
        """Draw these nodes as one group node; return the group's name."""
        ids = [i for i in dict.fromkeys(ids) if i in self.visible]
        name = " ".join(name.split()) or f"group {len(self.groups) + 1}"
        self._remember()
        for members in self.groups.values():
            members[:] = [m for m in members if m not in ids]
        self.groups = {k: v for k, v in self.groups.items() if v}
        self.groups[name] = ids
        return name

    def ungroup(self, name: str) -> list[str]:
        """Open a group into its members again."""
        if name not in self.groups:
            return []
        self._remember()
        return self.groups.pop(name)

    def reset(self) -> None:
        self._remember()
        self.visible = list(self.pinned)
        self.hidden = []
        self.more = {}
        self.groups = {}


# -- time on the canvas -----------------------------------------------------------


def local_day(value: Any) -> date | None:
    """The day a link's `at` falls on in the configured time zone (None for a link without a time)."""
    if hasattr(value, "to_native"):  # neo4j.time values
        value = value.to_native()
    if isinstance(value, datetime):
        return (value.astimezone(local_timezone()) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    return None


def days_on_screen(graph: Subgraph) -> tuple[date, date] | None:
    """The first and last local day of the timed links in the picture, if any link has a time."""
    days = [d for d in (local_day(e.props.get("at")) for e in graph.edges.values()) if d is not None]
    return (min(days), max(days)) if days else None


def within_window(graph: Subgraph, first: date, last: date) -> Subgraph:
    """The picture without the timed links outside [first, last] (local days); untimed links stay."""
    edges = {}
    for edge_id, edge in graph.edges.items():
        day = local_day(edge.props.get("at"))
        if day is None or first <= day <= last:
            edges[edge_id] = edge
    return Subgraph(dict(graph.nodes), edges)


def grouped(graph: Subgraph, groups: Mapping[str, Iterable[str]]) -> Subgraph:
    """The picture with each group's members drawn as one node `group:<name>` (links re-pointed, merged)."""
    owner = {m: name for name, members in groups.items() for m in members if m in graph.nodes}
    if not owner:
        return graph
    result = Subgraph({k: v for k, v in graph.nodes.items() if k not in owner})
    for name in dict.fromkeys(owner.values()):
        members = sorted(m for m, g in owner.items() if g == name)
        props = {"name": f"{name} ({len(members)})", "count": len(members), "group": name, "members": members}
        result.add_node(GraphNode(f"group:{name}", ["Group"], props))
    for edge_id, edge in graph.edges.items():
        source = f"group:{owner[edge.source]}" if edge.source in owner else edge.source
        target = f"group:{owner[edge.target]}" if edge.target in owner else edge.target
        if source != target:
            result.add_edge(GraphEdge(edge_id, source, target, edge.type, edge.props))
    return result
