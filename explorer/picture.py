"""Graph pictures: a Subgraph (see explorer.subgraph) -> pyvis (vis-network) HTML.

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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer import human
from explorer.i18n import catalogue, text
from explorer.subgraph import GraphEdge, GraphNode, Position, Subgraph, layout, score_of, start_position

# label -> (colour, vis shape). Shapes draw their caption below the symbol,
# so node size can carry the intermediary score.
LABEL_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#d62728", "dot"),
    "Phone": ("#1f77b4", "triangle"),
    "Account": ("#ff7f0e", "square"),
    "Parcel": ("#8c564b", "diamond"),
    "Address": ("#2ca02c", "triangleDown"),
    "Site": ("#bcbd22", "star"),
    "Post": ("#9467bd", "dot"),
    "Message": ("#c5b0d5", "dot"),
    "Device": ("#7f7f7f", "hexagon"),
    "IPAddress": ("#17becf", "hexagon"),
    "Case": ("#e377c2", "square"),
    "Ring": ("#000000", "star"),
    "Load": ("#aaaaaa", "square"),
    "Group": ("#555555", "dot"),
}
FALLBACK_STYLE = ("#999999", "dot")
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
WEIGHT_PROPERTIES = ("weight", "amount", "count", "duration_s")


# -- styling --------------------------------------------------------------------


def ring_colour(ring_id: Any) -> str:
    """A stable colour per ring id (the same ring keeps its colour across pages)."""
    if ring_id in (None, ""):
        return NO_GROUP_COLOUR
    digest = hashlib.sha1(str(ring_id).encode("utf-8")).digest()
    return RING_PALETTE[digest[0] % len(RING_PALETTE)]


def _weight(props: Mapping[str, Any]) -> float | None:
    for key in WEIGHT_PROPERTIES:
        value = props.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    return None


def _short(value: Any, limit: int = 120) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tooltip(kind: str, props: Mapping[str, Any], lang: str | None = None) -> str:
    """Tooltip HTML in which every key and value is escaped; only our own <b> and <br> remain markup.

    With `lang`, property names read as column captions in that language, and a reason with its facts beside it
    (`<name>_facts`) is said in that language; without, as stored."""
    lines = [f"<b>{html.escape(kind)}</b>"]
    props = human.spoken_props(props, lang)
    for key in sorted(props):
        if key in {"loads", "sources"} and isinstance(props[key], list):
            value = text("graph.items", lang or "en", n=len(props[key]))
        else:
            value = props[key]
        name = human.header(key, lang) if lang else str(key)
        lines.append(f"{html.escape(name)}: {html.escape(_short(value))}")
    return "<br>".join(lines)


def _kind(node: GraphNode, lang: str | None) -> str:
    if lang:
        return " / ".join(human.kind(label, lang) for label in node.labels) or human.kind(node.label, lang)
    return " / ".join(node.labels) or node.label


def _role(role: str, lang: str | None) -> str:
    key = f"role.{role.lower()}"
    return text(key, lang) if lang and key in catalogue("en") else role


# How a pinned node is drawn, and an unpinned one by default; the browser pins and unpins with these too.
PIN_STYLE: dict[str, dict[str, Any]] = {
    "pinned": {"borderWidth": 4, "shapeProperties": {"borderDashes": [4, 2]}},
    "unpinned": {"borderWidth": 1, "shapeProperties": {"borderDashes": False}},
}


# The border of a node on the watch list (the Watchlist page), whatever colours its fill.
WATCHED_BORDER = "#d62728"


def node_style(
    node: GraphNode,
    *,
    color_by: str = "label",
    max_score: float | None = None,
    pinned: bool = False,
    lang: str | None = None,
    watched: str | None = None,
) -> dict[str, Any]:
    """The vis-network attributes of one node (caption and tooltip escaped); `watched` is the reason a
    watch gives for it, when it is watched."""
    colour, shape = LABEL_STYLE.get(node.label, FALLBACK_STYLE)
    if color_by == "ring":
        colour = ring_colour(node.props.get("ring_id"))
    elif color_by == "role":
        colour = ROLE_COLOURS.get(str(node.props.get("role", "")).lower(), NO_GROUP_COLOUR)
    size = 14.0
    score = score_of(node.props)
    if score is not None and max_score:
        size = 12.0 + 30.0 * math.sqrt(max(score, 0.0) / max_score)
    if "count" in node.props and node.label == "Group":
        size = 12.0 + 6.0 * math.log1p(float(node.props["count"]))
    caption = _short(node.caption, 40)
    style: dict[str, Any] = {
        "label": caption,  # drawn on the canvas as text, never parsed as HTML
        "title": tooltip(_kind(node, lang), node.props, lang),
        "color": colour,
        "shape": shape,
        "size": round(size, 1),
        "group_label": node.label,
    }
    if node.props.get("collapsed_links"):
        style["label"] = f"{caption} [+{node.props['collapsed_links']}]"
        style["borderWidth"] = 3
    if watched is not None:
        style["color"] = {"background": colour, "border": WATCHED_BORDER,
                          "highlight": {"background": colour, "border": WATCHED_BORDER}}  # fmt: skip
        style["borderWidth"] = 3
        said = text("graph.watched", lang or "en", reason=watched)
        style["title"] = f"<b>{html.escape(said)}</b><br>{style['title']}"
    if pinned:
        style.update(PIN_STYLE["pinned"])
    return style


def edge_style(edge: GraphEdge, lang: str | None = None) -> dict[str, Any]:
    weight = _weight(edge.props)
    width = 1.0 if weight is None else 1.0 + min(7.0, math.log1p(weight))
    kind = human.link(edge.type, lang) if lang else edge.type
    return {"title": tooltip(kind, edge.props, lang), "width": round(width, 2), "label": ""}


def legend_entries(graph: Subgraph, color_by: str = "label", lang: str | None = None) -> list[tuple[str, str, str]]:
    """(name, colour, shape) for each label, ring or role drawn; names in `lang` when given."""
    entries: dict[str, tuple[str, str]] = {}
    for node in graph.nodes.values():
        style = node_style(node, color_by=color_by)
        if color_by == "ring":
            name = str(node.props.get("ring_id") or (text("graph.no_ring", lang) if lang else "-"))
        elif color_by == "role":
            role = node.props.get("role")
            name = _role(str(role), lang) if role else (text("graph.no_role", lang) if lang else "-")
        else:
            name = human.kind(node.label, lang) if lang else node.label
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
        "interaction": {"hideEdgesOnDrag": True, "hover": True, "tooltipDelay": 120, "multiselect": True},
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
    lang: str | None = None  # legend, tooltips and kinds in this interface language; None: as stored
    watched: Mapping[str, str] = field(default_factory=dict)  # node id -> the reason it is watched
    png_label: str | None = "PNG"  # None: no "save as PNG" button (for roles that may not export)

    def html(self) -> str:
        return render_html(self)


def overlay_html(picture: Picture) -> str:
    """The legend and, for roles that may export, the "save as PNG" button, drawn over the canvas."""
    legend = legend_html(legend_entries(picture.graph, picture.color_by, picture.lang), picture.legend_title)
    if not picture.png_label:
        return legend
    return legend + (
        '<button id="png-button" onclick="downloadPng()" style="position:absolute;top:8px;right:8px;z-index:5;'
        f'font:12px sans-serif">{html.escape(picture.png_label)}</button>'
    )


def vis_items(picture: Picture) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network nodes and edges of the picture, sorted by id (the same subgraph, the same items).

    Every node says whether it is fixed and how its border is drawn, so that a node updated in a
    running network (pinned, then unpinned) loses what it no longer has.
    """
    graph = picture.graph
    scores = [s for s in (score_of(n.props) for n in graph.nodes.values()) if s is not None]
    max_score = max(scores) if scores else None
    positions = picture.positions if picture.positions is not None else layout(graph)
    nodes = []
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        pinned = node.id in picture.pinned
        style = node_style(node, color_by=picture.color_by, max_score=max_score, pinned=pinned, lang=picture.lang,
                           watched=picture.watched.get(node.id))  # fmt: skip
        style.pop("group_label")
        x, y = positions.get(node.id) or start_position(node.id)
        nodes.append(
            {
                "id": node.id,
                **PIN_STYLE["unpinned"],
                **style,
                "x": round(x, 1),
                "y": round(y, 1),
                "physics": False,
                "fixed": {"x": pinned, "y": pinned},  # a pinned node cannot be dragged away
            }
        )
    edges = [
        {"id": edge.id, "from": edge.source, "to": edge.target, "arrows": "to", **edge_style(edge, picture.lang)}
        for edge in sorted(graph.edges.values(), key=lambda e: e.id)
    ]
    return nodes, edges


def render_html(picture: Picture) -> str:
    """A self-contained HTML page drawing the picture with pyvis (vis-network inlined)."""
    from pyvis.network import Network  # imported here: pyvis is slow to import and only needed to draw

    net = Network(height=f"{picture.height_px}px", width="100%", directed=True, cdn_resources="in_line")
    nodes, edges = vis_items(picture)
    for item in nodes:
        net.add_node(item.pop("id"), **item)
    for item in edges:
        net.add_edge(item.pop("from"), item.pop("to"), **item)
    net.set_options(json.dumps(vis_options()))
    page = net.generate_html(name="graph.html")
    page = _CDN_TAGS.sub("", page)
    page = _HEADINGS.sub("", page)
    page = page.replace("<head>", f"<head><title>{html.escape(picture.title)}</title>", 1)
    page = page.replace("<body>", '<body style="margin:0">', 1)
    page = page.replace('<div id="mynetwork"', overlay_html(picture) + '<div id="mynetwork"', 1)
    # The overlay is positioned against pyvis' card around the canvas.
    page = page.replace(
        '<div class="card" style="width: 100%">', '<div class="card" style="width: 100%; position: relative">', 1
    )
    index = page.rfind("</body>")
    return page[:index] + _AFTER_DRAW + page[index:]
