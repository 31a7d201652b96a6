"""Graph pictures: Neo4j results -> a small subgraph model -> pyvis (vis-network) HTML.

Pure Python, no Streamlit. The HTML is self-contained (vis-network inlined,
nothing fetched from the network) so the same page works inside the app, as
a downloaded file and inside a printed target package.

Data in the graph comes from seized exports and must be treated as hostile:
every property value that reaches a tooltip or the legend (HTML) is
passed through `html.escape`.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import random
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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

# label -> (colour, vis shape, caption property). Shapes draw their caption
# below the symbol, so node size can carry the intermediary score.
LABEL_STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("#d62728", "dot", "name"),
    "Phone": ("#1f77b4", "triangle", "number"),
    "Account": ("#ff7f0e", "square", "account_id"),
    "Parcel": ("#8c564b", "diamond", "waybill"),
    "Address": ("#2ca02c", "triangleDown", "text"),
    "Site": ("#bcbd22", "star", "name"),
    "Post": ("#9467bd", "dot", "post_id"),
    "Device": ("#7f7f7f", "hexagon", "imei"),
    "IPAddress": ("#17becf", "hexagon", "ip"),
    "Case": ("#e377c2", "square", "case_id"),
    "Ring": ("#000000", "star", "ring_id"),
    "Load": ("#aaaaaa", "square", "file"),
    "Watch": ("#ff0000", "diamond", "value"),
    "Group": ("#555555", "dot", "name"),
}
FALLBACK_STYLE = ("#999999", "dot", "name")
ROLE_COLOURS = {
    "organiser": "#d62728",
    "organizer": "#d62728",
    "seller": "#ff7f0e",
    "courier": "#8c564b",
    "mule": "#9467bd",
    "broker": "#000000",
    "supplier": "#1f77b4",
    "buyer": "#2ca02c",
}
RING_PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c",
    "#008080", "#9a6324", "#800000", "#808000", "#000075", "#e6beff", "#aaffc3", "#ffd8b1",
]  # fmt: skip
NO_GROUP_COLOUR = "#cccccc"
SCORE_PROPERTIES = ("betweenness", "brokerage", "score")
WEIGHT_PROPERTIES = ("weight", "amount", "count", "duration_s")
CRIMINAL_MARKS = ("ring_id", "role")


@dataclass
class GraphNode:
    id: str
    labels: list[str]
    props: dict[str, Any]

    @property
    def label(self) -> str:
        for name in self.labels:
            if name in LABEL_STYLE:
                return name
        return self.labels[0] if self.labels else "Node"

    @property
    def caption(self) -> str:
        prop = LABEL_STYLE.get(self.label, FALLBACK_STYLE)[2]
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

    def merge(self, other: Subgraph) -> Subgraph:
        for node in other.nodes.values():
            self.add_node(node)
        for edge in other.edges.values():
            self.add_edge(edge)
        return self

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


def subgraph_from_records(records: Iterable[Any]) -> Subgraph:
    """Every node, relationship and path found in the rows (also inside lists and maps).

    Relationships whose ends were not returned are dropped, so the picture
    never shows a line to nowhere.
    """
    graph = Subgraph()
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


def hubs(graph: Subgraph, min_degree: int = DEFAULT_HUB_DEGREE) -> list[str]:
    """High-degree nodes that are not marked as criminal (no ring, no role): depots, platforms, forums."""
    degree = graph.degrees()
    found = []
    for node_id, count in degree.most_common():
        if count < min_degree:
            break
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


def aggregate(graph: Subgraph, by: str = "label", *, other: str = "-") -> Subgraph:
    """One node per label (or per ring), one edge per pair of groups, counts as sizes and weights."""
    if by not in {"label", "ring"}:
        raise ValueError(f"Cannot aggregate by {by!r}: use 'label' or 'ring'.")

    def group_of(node: GraphNode) -> str:
        if by == "label":
            return node.label
        ring = node.props.get("ring_id")
        return str(ring) if ring not in (None, "") else other

    group = {node_id: group_of(node) for node_id, node in graph.nodes.items()}
    sizes = Counter(group.values())
    result = Subgraph()
    for name, count in sizes.items():
        props = {"name": f"{name} ({count})", "count": count, "group": name}
        if by == "ring" and name != other:
            props["ring_id"] = name
        result.add_node(GraphNode(f"group:{name}", ["Group"], props))
    pair_counts: Counter[tuple[str, str]] = Counter()
    for edge in graph.edges.values():
        a, b = sorted((group[edge.source], group[edge.target]))
        if a != b:
            pair_counts[(a, b)] += 1
    for (a, b), count in pair_counts.items():
        result.add_edge(GraphEdge(f"group:{a}|{b}", f"group:{a}", f"group:{b}", "LINKS", {"weight": count}))
    return result


def most_connected(graph: Subgraph, limit: int) -> Subgraph:
    """The `limit` nodes that matter most (criminal marks, then score, then links) and the links among them."""
    degree = graph.degrees()

    def rank(node_id: str) -> tuple:
        props = graph.nodes[node_id].props
        marked = any(props.get(mark) not in (None, "") for mark in CRIMINAL_MARKS)
        return (not marked, -(_score(props) or 0.0), -degree[node_id], node_id)

    keep = sorted(graph.nodes, key=rank)[: max(limit, 0)]
    return Subgraph({n: graph.nodes[n] for n in keep}, dict(graph.edges)).restricted()


# -- layout ---------------------------------------------------------------------

Position = tuple[float, float]
_LAYOUT_LOCK = threading.Lock()


def _start(node_id: str) -> Position:
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
        jitter = _start(node_id)
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


# -- styling --------------------------------------------------------------------


def ring_colour(ring_id: Any) -> str:
    """A stable colour per ring id (the same ring keeps its colour across pages)."""
    if ring_id in (None, ""):
        return NO_GROUP_COLOUR
    digest = hashlib.sha1(str(ring_id).encode("utf-8")).digest()
    return RING_PALETTE[digest[0] % len(RING_PALETTE)]


def _score(props: Mapping[str, Any]) -> float | None:
    for key in SCORE_PROPERTIES:
        value = props.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _weight(props: Mapping[str, Any]) -> float | None:
    for key in WEIGHT_PROPERTIES:
        value = props.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def _short(value: Any, limit: int = 120) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tooltip(kind: str, props: Mapping[str, Any]) -> str:
    """Tooltip HTML in which every key and value is escaped; only our own <b> and <br> remain markup."""
    lines = [f"<b>{html.escape(kind)}</b>"]
    for key in sorted(props):
        if key in {"loads", "sources"}:
            value = f"{len(props[key])} item(s)" if isinstance(props[key], list) else props[key]
        else:
            value = props[key]
        lines.append(f"{html.escape(str(key))}: {html.escape(_short(value))}")
    return "<br>".join(lines)


def node_style(
    node: GraphNode, *, color_by: str = "label", max_score: float | None = None, pinned: bool = False
) -> dict[str, Any]:
    """The vis-network attributes of one node (caption and tooltip escaped)."""
    colour, shape, _ = LABEL_STYLE.get(node.label, FALLBACK_STYLE)
    if color_by == "ring":
        colour = ring_colour(node.props.get("ring_id"))
    elif color_by == "role":
        colour = ROLE_COLOURS.get(str(node.props.get("role", "")).lower(), NO_GROUP_COLOUR)
    size = 14.0
    score = _score(node.props)
    if score is not None and max_score:
        size = 12.0 + 30.0 * math.sqrt(max(score, 0.0) / max_score)
    if "count" in node.props and node.label == "Group":
        size = 12.0 + 6.0 * math.log1p(float(node.props["count"]))
    caption = _short(node.caption, 40)
    style: dict[str, Any] = {
        "label": caption,  # drawn on the canvas as text, never parsed as HTML
        "title": tooltip(" / ".join(node.labels) or node.label, node.props),
        "color": colour,
        "shape": shape,
        "size": round(size, 1),
        "group_label": node.label,
    }
    if node.props.get("collapsed_links"):
        style["label"] = f"{caption} [+{node.props['collapsed_links']}]"
        style["borderWidth"] = 3
    if pinned:
        style["borderWidth"] = 4
        style["shapeProperties"] = {"borderDashes": [4, 2]}
    return style


def edge_style(edge: GraphEdge) -> dict[str, Any]:
    weight = _weight(edge.props)
    width = 1.0 if weight is None else 1.0 + min(7.0, math.log1p(weight))
    return {"title": tooltip(edge.type, edge.props), "width": round(width, 2), "label": ""}


def legend_entries(graph: Subgraph, color_by: str = "label") -> list[tuple[str, str, str]]:
    """(name, colour, shape) for each label, ring or role drawn."""
    entries: dict[str, tuple[str, str]] = {}
    for node in graph.nodes.values():
        style = node_style(node, color_by=color_by)
        if color_by == "ring":
            name = str(node.props.get("ring_id") or "-")
        elif color_by == "role":
            name = str(node.props.get("role") or "-")
        else:
            name = node.label
        entries.setdefault(name, (style["color"], style["shape"]))
    return [(name, colour, shape) for name, (colour, shape) in sorted(entries.items())]


def vis_options() -> dict[str, Any]:
    """Positions come from `layout`, so physics stays off and the first frame is the final picture."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"inherit": False, "color": "#9aa0a6"},
        },
        "nodes": {"font": {"size": 12, "face": "sans-serif"}, "borderWidth": 1},
        "interaction": {"hideEdgesOnDrag": True, "hover": True, "tooltipDelay": 120, "multiselect": False},
    }


# Injected after pyvis's own script: mark the picture ready once it is drawn
# (for tests and the app), and offer a PNG of the canvas.
_AFTER_DRAW = """
<script>
(function () {
  // vis-network shows a string title as plain text; ours is escaped HTML, so hand it over as an element.
  function asElement(markup) { var div = document.createElement("div"); div.innerHTML = markup; return div; }
  // Converted in slices after the first drawing, so a large picture never blocks the page for long.
  var pending = [nodes, edges].map(function (set) {
    return {set: set, ids: set.getIds({filter: function (item) { return typeof item.title === "string"; }})};
  });
  function convertSlice() {
    var work = pending.find(function (p) { return p.ids.length; });
    if (!work) { return; }
    var slice = work.ids.splice(0, 400);
    work.set.update(work.set.get(slice).map(function (item) { return {id: item.id, title: asElement(item.title)}; }));
    setTimeout(convertSlice, 0);
  }
  function ready() {
    window.graphReady = true;
    document.body.setAttribute("data-graph-ready", "1");
    convertSlice();
  }
  // Physics is off and every node has its position: the first drawing is the final one.
  network.once("afterDrawing", ready);
  network.redraw();
  window.downloadPng = function () {
    var source = document.querySelector("#mynetwork canvas");
    var copy = document.createElement("canvas");
    copy.width = source.width; copy.height = source.height;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(source, 0, 0);
    var link = document.createElement("a");
    link.href = copy.toDataURL("image/png");
    link.download = (document.title || "graph") + ".png";
    document.body.appendChild(link); link.click(); link.remove();
    return link.href.length;
  };
})();
</script>
"""

_SHAPE_SYMBOL = {
    "dot": "●", "triangle": "▲", "square": "■", "diamond": "◆", "triangleDown": "▼", "star": "★", "hexagon": "⬢",
}  # fmt: skip

# pyvis' template links Bootstrap from a CDN it does not need; the app works offline.
_CDN_TAGS = re.compile(r"<link[^>]*cdn\.jsdelivr[^>]*/>|<script[^>]*cdn\.jsdelivr[^>]*>\s*</script>", re.S)
_HEADINGS = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S)


def legend_html(entries: list[tuple[str, str, str]], title: str) -> str:
    rows = "".join(
        f'<div><span style="color:{html.escape(colour)}">{_SHAPE_SYMBOL.get(shape, "●")}</span> {html.escape(name)}</div>'
        for name, colour, shape in entries[:30]
    )
    return (
        '<div id="legend" style="position:absolute;top:8px;left:8px;background:rgba(255,255,255,.9);'
        "border:1px solid #ddd;border-radius:4px;padding:4px 8px;font:12px sans-serif;line-height:16px;"
        f'z-index:5"><b>{html.escape(title)}</b>{rows}</div>'
    )


@dataclass
class Picture:
    """Everything needed to draw a subgraph; `html()` gives the standalone page."""

    graph: Subgraph
    color_by: str = "label"
    pinned: frozenset[str] = frozenset()
    positions: Mapping[str, Position] | None = None  # from `layout`; computed when absent
    height_px: int = 620
    title: str = "graph"
    legend_title: str = "Legend"
    png_label: str = "PNG"

    def html(self) -> str:
        return render_html(self)


def render_html(picture: Picture) -> str:
    """A self-contained HTML page drawing the picture with pyvis (vis-network inlined)."""
    from pyvis.network import Network  # imported here: pyvis is slow to import and only needed to draw

    graph = picture.graph
    scores = [s for s in (_score(n.props) for n in graph.nodes.values()) if s is not None]
    max_score = max(scores) if scores else None
    positions = picture.positions if picture.positions is not None else layout(graph)
    net = Network(height=f"{picture.height_px}px", width="100%", directed=True, cdn_resources="in_line")
    # Sorted, so the same subgraph always gives the same page and the component does not redraw it.
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        style = node_style(node, color_by=picture.color_by, max_score=max_score, pinned=node.id in picture.pinned)
        style.pop("group_label")
        x, y = positions.get(node.id) or _start(node.id)
        style.update(x=round(x, 1), y=round(y, 1), physics=False)
        if node.id in picture.pinned:
            style["fixed"] = {"x": True, "y": True}  # a pinned node cannot be dragged away
        net.add_node(node.id, **style)
    for edge in sorted(graph.edges.values(), key=lambda e: e.id):
        net.add_edge(edge.source, edge.target, id=edge.id, **edge_style(edge))
    net.set_options(json.dumps(vis_options()))
    page = net.generate_html(name="graph.html")
    page = _CDN_TAGS.sub("", page)
    page = _HEADINGS.sub("", page)
    page = page.replace("<head>", f"<head><title>{html.escape(picture.title)}</title>", 1)
    page = page.replace("<body>", '<body style="margin:0">', 1)
    overlay = legend_html(legend_entries(graph, picture.color_by), picture.legend_title) + (
        '<button id="png-button" onclick="downloadPng()" style="position:absolute;top:8px;right:8px;z-index:5;'
        f'font:12px sans-serif">{html.escape(picture.png_label)}</button>'
    )
    page = page.replace('<div id="mynetwork"', overlay + '<div id="mynetwork"', 1)
    # The overlay is positioned against pyvis' card around the canvas.
    page = page.replace(
        '<div class="card" style="width: 100%">', '<div class="card" style="width: 100%; position: relative">', 1
    )
    index = page.rfind("</body>")
    return page[:index] + _AFTER_DRAW + page[index:]
