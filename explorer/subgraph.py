"""The subgraph a picture shows: Neo4j results -> nodes and relationships, and how to make it fit a screen.

Pure Python, no Streamlit and no drawing: hub collapsing, aggregation,
narrowing to the nodes that matter most, and the layout that places every
node before the browser draws it. `explorer.picture` turns a Subgraph into
pyvis HTML.
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j.graph import Node, Path, Relationship

DEFAULT_NODE_CAP = 300
DEFAULT_HUB_DEGREE = 50
# Fruchterman-Reingold's exact O(n^2) form up to this many nodes, its grid approximation above.
EXACT_LAYOUT_MAX_NODES = 500
LAYOUT_ITERATIONS = 300
EDGE_LENGTH_PX = 110.0
AREA_PER_NODE_PX = 70.0 * 70.0

# label -> the property that names a node of that label on screen.
CAPTION_PROPERTY: dict[str, str] = {
    "Person": "name",
    "Phone": "number",
    "Account": "account_id",
    "Parcel": "waybill",
    "Address": "text",
    "Site": "name",
    "Post": "post_id",
    "Message": "message_id",
    "Device": "imei",
    "IPAddress": "ip",
    "Case": "case_id",
    "Ring": "ring_id",
    "Load": "file",
    "Group": "name",
}
FALLBACK_CAPTION = "name"
SCORE_PROPERTIES = ("betweenness", "brokerage", "score")
CRIMINAL_MARKS = ("ring_id", "role")


@dataclass
class GraphNode:
    id: str
    labels: list[str]
    props: dict[str, Any]

    @property
    def label(self) -> str:
        for name in self.labels:
            if name in CAPTION_PROPERTY:
                return name
        return self.labels[0] if self.labels else "Node"

    @property
    def caption(self) -> str:
        prop = CAPTION_PROPERTY.get(self.label, FALLBACK_CAPTION)
        for key in (prop, "name", "title", "number", "handle", "id"):
            value = self.props.get(key)
            if value not in (None, ""):
                return str(value)
        return self.label


@dataclass
class GraphEdge:
    id: str
    source: str
    target: str
    type: str
    props: dict[str, Any]


@dataclass
class Subgraph:
    """Nodes and relationships keyed by Neo4j element id."""

    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: dict[str, GraphEdge] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.nodes)

    def add_node(self, node: GraphNode) -> None:
        known = self.nodes.get(node.id)
        if known is None or (not known.props and node.props):
            self.nodes[node.id] = node

    def add_edge(self, edge: GraphEdge) -> None:
        self.edges.setdefault(edge.id, edge)

    def without(self, node_ids: Iterable[str]) -> Subgraph:
        """A copy without these nodes and their relationships."""
        drop = set(node_ids)
        return Subgraph(
            {k: v for k, v in self.nodes.items() if k not in drop},
            {k: e for k, e in self.edges.items() if e.source not in drop and e.target not in drop},
        )

    def restricted(self) -> Subgraph:
        """A copy whose relationships all have both ends among the nodes."""
        return Subgraph(
            dict(self.nodes),
            {k: e for k, e in self.edges.items() if e.source in self.nodes and e.target in self.nodes},
        )

    def degrees(self) -> Counter[str]:
        degree: Counter[str] = Counter()
        for edge in self.edges.values():
            degree[edge.source] += 1
            degree[edge.target] += 1
        return degree


def _node(value: Node) -> GraphNode:
    return GraphNode(value.element_id, sorted(value.labels), dict(value.items()))


def _edge(value: Relationship) -> GraphEdge | None:
    if value.start_node is None or value.end_node is None:
        return None
    return GraphEdge(
        value.element_id, value.start_node.element_id, value.end_node.element_id, value.type, dict(value.items())
    )


def _walk(value: Any, graph: Subgraph) -> None:
    if isinstance(value, Node):
        graph.add_node(_node(value))
    elif isinstance(value, Relationship):
        edge = _edge(value)
        if edge:
            graph.add_edge(edge)
            for end in (value.start_node, value.end_node):
                if end is not None and end.labels:  # relationship ends carry properties only when returned
                    graph.add_node(_node(end))
    elif isinstance(value, Path):
        for node in value.nodes:
            graph.add_node(_node(node))
        for rel in value.relationships:
            _walk(rel, graph)
    elif isinstance(value, Mapping):
        for item in value.values():
            _walk(item, graph)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, graph)


def subgraph_from_records(records: Iterable[Any], known: Subgraph | None = None) -> Subgraph:
    """Every node, relationship and path found in the rows (also inside lists and maps), added to a copy of `known`.

    Relationships whose ends were not returned (nor known) are dropped, so the
    picture never shows a line to nowhere.
    """
    graph = Subgraph(dict(known.nodes), dict(known.edges)) if known is not None else Subgraph()
    for record in records:
        values = record.values() if hasattr(record, "values") else record
        for value in values:
            _walk(value, graph)
    return graph.restricted()


def subgraph_from_columns(records: Iterable[Any], columns: Sequence[str], score: str | None = None) -> Subgraph:
    """Like `subgraph_from_records`, reading only the named columns; `score` sizes the first node of each row."""
    graph = Subgraph()
    for record in records:
        for column in columns:
            _walk(record[column], graph)
        if score and columns:
            first = record[columns[0]]
            first = first[0] if isinstance(first, list) and first else first
            value = record[score]
            if isinstance(first, Node) and isinstance(value, int | float) and first.element_id in graph.nodes:
                graph.nodes[first.element_id].props.setdefault("score", value)
    return graph.restricted()


# -- reducing a picture that is too large --------------------------------------


def hubs(graph: Subgraph, min_degree: int = DEFAULT_HUB_DEGREE, *, keep: Iterable[str] = ()) -> list[str]:
    """High-degree nodes that are not marked as criminal (no ring, no role): depots, platforms, forums.

    Nodes in `keep` (the analyst's focus: searched, selected, pinned) are never hubs.
    """
    degree = graph.degrees()
    kept = set(keep)
    found = []
    for node_id, count in degree.most_common():
        if count < min_degree:
            break
        if node_id in kept:
            continue
        props = graph.nodes[node_id].props
        if not any(props.get(mark) not in (None, "") for mark in CRIMINAL_MARKS):
            found.append(node_id)
    return found


def collapse_hubs(graph: Subgraph, hub_ids: Iterable[str]) -> Subgraph:
    """Keep each hub as one node, drop its links and the neighbours only it explained."""
    hub_set = set(hub_ids)
    if not hub_set:
        return graph
    kept_edges = {k: e for k, e in graph.edges.items() if e.source not in hub_set and e.target not in hub_set}
    linked = {e.source for e in kept_edges.values()} | {e.target for e in kept_edges.values()}
    degree = graph.degrees()
    hub_neighbours = {
        e.target if e.source in hub_set else e.source
        for e in graph.edges.values()
        if e.source in hub_set or e.target in hub_set
    }
    nodes: dict[str, GraphNode] = {}
    for node_id, node in graph.nodes.items():
        if node_id in hub_set:
            props = {**node.props, "collapsed_links": degree[node_id]}
            nodes[node_id] = GraphNode(node.id, node.labels, props)
        elif node_id in linked or node_id not in hub_neighbours:
            nodes[node_id] = node
    return Subgraph(nodes, kept_edges)


def aggregate(
    graph: Subgraph,
    by: str = "label",
    *,
    other: str = "-",
    keep: Iterable[str] = (),
    caption: Callable[[str], str] = str,
) -> Subgraph:
    """One node per label (or per ring), one edge per pair of groups, counts as sizes and weights.

    Nodes in `keep` stay themselves, linked to the groups of their neighbours. A group node
    carries its members' ids (`members`), so it can be opened into them; `caption` names a group on
    screen (a label in the analyst's language), `group` keeps the label or ring id itself.
    """
    if by not in {"label", "ring"}:
        raise ValueError(f"Cannot aggregate by {by!r}: use 'label' or 'ring'.")
    kept = {n for n in keep if n in graph.nodes}

    def group_of(node: GraphNode) -> str:
        if node.id in kept:
            return f"node:{node.id}"
        if by == "label":
            return node.label
        ring = node.props.get("ring_id")
        return str(ring) if ring not in (None, "") else other

    group = {node_id: group_of(node) for node_id, node in graph.nodes.items()}
    sizes = Counter(group.values())
    members: dict[str, list[str]] = {}
    for node_id, name in group.items():
        members.setdefault(name, []).append(node_id)
    result = Subgraph()

    def picture_id(name: str) -> str:
        return name[len("node:") :] if name.startswith("node:") else f"group:{name}"

    for name, count in sizes.items():
        if name.startswith("node:"):
            result.add_node(graph.nodes[picture_id(name)])
            continue
        props = {"name": f"{caption(name)} ({count})", "count": count, "group": name, "members": sorted(members[name])}
        if by == "ring" and name != other:
            props["ring_id"] = name
        result.add_node(GraphNode(f"group:{name}", ["Group"], props))
    pair_counts: Counter[tuple[str, str]] = Counter()
    for edge in graph.edges.values():
        a, b = sorted((group[edge.source], group[edge.target]))
        if a != b:
            pair_counts[(a, b)] += 1
    for (a, b), count in pair_counts.items():
        result.add_edge(GraphEdge(f"group:{a}|{b}", picture_id(a), picture_id(b), "LINKS", {"weight": count}))
    return result


def group_members(graph: Subgraph, node_id: str) -> list[str]:
    """The ids a group node of `aggregate` stands for ([] for a node that is not a group)."""
    node = graph.nodes.get(node_id)
    return list(node.props.get("members") or []) if node is not None else []


def most_connected(graph: Subgraph, limit: int, *, keep: Iterable[str] = ()) -> Subgraph:
    """The `limit` nodes that matter most (those in `keep` first, then criminal marks, score, links)."""
    degree = graph.degrees()
    kept = set(keep)

    def rank(node_id: str) -> tuple:
        props = graph.nodes[node_id].props
        marked = any(props.get(mark) not in (None, "") for mark in CRIMINAL_MARKS)
        return (node_id not in kept, not marked, -(score_of(props) or 0.0), -degree[node_id], node_id)

    keep = sorted(graph.nodes, key=rank)[: max(limit, 0)]
    return Subgraph({n: graph.nodes[n] for n in keep}, dict(graph.edges)).restricted()


def score_of(props: Mapping[str, Any]) -> float | None:
    """The first numeric score among SCORE_PROPERTIES (sizes nodes and ranks them for the node cap)."""
    for key in SCORE_PROPERTIES:
        value = props.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


# -- layout ---------------------------------------------------------------------

Position = tuple[float, float]
_LAYOUT_LOCK = threading.Lock()


def start_position(node_id: str) -> Position:
    """A deterministic starting point per node, so the same subgraph always gets the same picture."""
    digest = hashlib.sha1(node_id.encode("utf-8")).digest()
    return (int.from_bytes(digest[:4], "big") / 2**32 - 0.5, int.from_bytes(digest[4:8], "big") / 2**32 - 0.5)


def layout(
    graph: Subgraph, previous: Mapping[str, Position] | None = None, *, keep: Iterable[str] | None = None
) -> dict[str, Position]:
    """Screen positions (pixels) for every node, computed here rather than by physics in the browser.

    Fruchterman-Reingold from igraph (C): the browser then draws final positions at
    once and the picture is still from its first frame, whatever its size. With
    `previous` positions, nodes in `keep` (all previously placed ones by default)
    stay exactly where they were and only new nodes are placed, each starting next
    to a neighbour that is already on screen, so expanding a node grows the picture
    instead of reshuffling it.
    """
    import igraph as ig  # imported here: only needed to draw

    ids = sorted(graph.nodes)
    if not ids:
        return {}
    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = {tuple(sorted((index[e.source], index[e.target]))) for e in graph.edges.values() if e.source != e.target}
    g = ig.Graph(n=len(ids), edges=sorted(pairs))
    previous = previous or {}
    fixed = {i for i in (index.get(n) for n in (previous if keep is None else keep)) if i is not None}
    fixed &= {index[n] for n in previous if n in index}
    if len(fixed) == len(ids):
        return {n: previous[n] for n in ids}
    scale = EDGE_LENGTH_PX if fixed else 1.0  # positions on screen are pixels; igraph's unit edge is about 1
    adjacent: dict[str, set[str]] = {}
    for edge in graph.edges.values():
        adjacent.setdefault(edge.source, set()).add(edge.target)
        adjacent.setdefault(edge.target, set()).add(edge.source)
    seed = []
    for node_id in ids:
        if index[node_id] in fixed:
            x, y = previous[node_id]
            seed.append([x / scale, y / scale])
            continue
        anchor = next((previous[m] for m in sorted(adjacent.get(node_id, ())) if m in previous), None)
        jitter = start_position(node_id)
        if anchor is None:
            seed.append([jitter[0] * len(ids) ** 0.5, jitter[1] * len(ids) ** 0.5])
        else:
            seed.append([anchor[0] / scale + jitter[0], anchor[1] / scale + jitter[1]])
    bounds: dict[str, list[float] | None] = {"minx": None, "maxx": None, "miny": None, "maxy": None}
    if fixed:
        inf = float("inf")
        bounds = {
            "minx": [seed[i][0] if i in fixed else -inf for i in range(len(ids))],
            "maxx": [seed[i][0] if i in fixed else inf for i in range(len(ids))],
            "miny": [seed[i][1] if i in fixed else -inf for i in range(len(ids))],
            "maxy": [seed[i][1] if i in fixed else inf for i in range(len(ids))],
        }
    with _LAYOUT_LOCK:  # igraph's random source is process-wide; sessions draw in threads
        ig.set_random_number_generator(random.Random(len(ids)))
        try:
            coords = g.layout_fruchterman_reingold(
                seed=seed,
                niter=LAYOUT_ITERATIONS,
                grid="nogrid" if len(ids) <= EXACT_LAYOUT_MAX_NODES else "grid",
                **bounds,
            ).coords
        finally:
            ig.set_random_number_generator(random)  # igraph's default source again
    if not fixed:
        scale = _pixels_per_unit(coords, sorted(pairs))
    placed = {node_id: (coords[i][0] * scale, coords[i][1] * scale) for node_id, i in index.items()}
    placed.update({ids[i]: previous[ids[i]] for i in fixed})
    return placed


def _pixels_per_unit(coords: Sequence[Sequence[float]], pairs: Sequence[tuple[int, int]]) -> float:
    """Scale so that a typical edge is EDGE_LENGTH_PX long and every node has room for its caption."""
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in pairs)
    typical = lengths[len(lengths) // 2] if lengths and lengths[len(lengths) // 2] > 0 else 1.0
    by_edges = EDGE_LENGTH_PX / typical
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    # A picture on one line (a pair, a chain) has no height: count at least one edge length each way.
    area = max(max(xs) - min(xs), typical) * max(max(ys) - min(ys), typical)
    by_area = math.sqrt(AREA_PER_NODE_PX * len(coords) / area)
    return max(by_edges, by_area) if len(coords) > 1 else 1.0
