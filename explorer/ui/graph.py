"""The graph view in the app: one vis-network inside a small bidirectional component.

The component's frame loads vis-network once; each run of the page hands it the picture's
nodes and edges (a few kilobytes for a hundred nodes), and it adds, removes or updates only
what changed, so expanding or hiding does not rebuild the picture.

Clicks on nodes come back to Python as `{"event": "select"|"expand"|..., "nodes": [...]}`
(once per click: repeated values are recognised by their nonce), so select,
expand, hide, pin and open profile work without retyping anything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from explorer import downloads, human, subgraph, watchlist
from explorer.analyst_store import AnalystStore
from explorer.picture import PIN_STYLE, Picture, overlay_html, vis_items, vis_options
from explorer.subgraph import Subgraph
from explorer.ui.i18n import lang, t
from explorer.ui.login import current_user
from explorer.ui.tables import offer

PAGES = Path(__file__).parent / "graph_component"
VIS_FILES = ("vis-network.min.js", "vis-network.css")


def component_folder() -> Path:
    """Our pages beside the vis-network that pyvis ships, gathered in one folder for Streamlit to serve.

    Streamlit serves a component from one folder and follows no link out of it, so the files are
    copied, once per version of them, into the temporary directory (nothing is fetched).
    """
    import pyvis

    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    sources = [*sorted(PAGES.glob("*.html")), *(vis / name for name in VIS_FILES)]
    digest = hashlib.sha1(b"".join(path.name.encode() + path.read_bytes() for path in sources)).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"explorer-graph-view-{digest}"
    if not folder.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=f"{folder.name}-", dir=folder.parent))
        for path in sources:
            shutil.copyfile(path, staging / path.name)
        try:
            os.rename(staging, folder)
        except OSError:  # another server process put the same files there first
            shutil.rmtree(staging, ignore_errors=True)
    return folder


_component = components.declare_component("graph_view", path=str(component_folder()))

NODE_CAP_KEY = "graph_node_cap"
HUB_DEGREE_KEY = "graph_hub_degree"


def node_cap() -> int:
    return int(st.session_state.get(NODE_CAP_KEY, subgraph.DEFAULT_NODE_CAP))


def hub_degree() -> int:
    return int(st.session_state.get(HUB_DEGREE_KEY, subgraph.DEFAULT_HUB_DEGREE))


def cap_setting() -> None:
    """The configurable node cap and hub threshold, in the sidebar."""
    st.session_state.setdefault(NODE_CAP_KEY, subgraph.DEFAULT_NODE_CAP)
    st.session_state.setdefault(HUB_DEGREE_KEY, subgraph.DEFAULT_HUB_DEGREE)
    st.sidebar.number_input(t("graph.cap"), min_value=20, max_value=5000, step=50, key=NODE_CAP_KEY)
    st.sidebar.number_input(
        t("graph.hub_degree"), min_value=5, max_value=100_000, step=10, key=HUB_DEGREE_KEY, help=t("graph.hub_help")
    )


def first_time(value: Any, key: str, field: str) -> bool:
    """Whether a component's value carries `field` and is new: a rerun repeats the last value, its nonce tells."""
    if not isinstance(value, dict) or not value.get(field):
        return False
    seen_key = f"{key}__nonce"
    if st.session_state.get(seen_key) == value.get("nonce"):
        return False
    st.session_state[seen_key] = value.get("nonce")
    return True


def _new_event(value: Any, key: str | None) -> dict[str, Any] | None:
    """A new report of the component: `event` (select, expand, hide, pin, unpin), the nodes it concerns
    (`nodes`, the first as `node`) and every node's position on screen (`positions`, dragged ones included).
    With no `key`, the value is taken as new."""
    if key is not None and not first_time(value, key, "nonce"):
        return None
    nodes = [str(n) for n in value.get("nodes") or ([value["node"]] if value.get("node") else [])]
    positions = {str(k): (float(v[0]), float(v[1])) for k, v in (value.get("positions") or {}).items()}
    return {
        "event": str(value.get("event", "select")),
        "node": nodes[0] if nodes else "",
        "nodes": nodes,
        "positions": positions,
    }


def graph_events(key: str) -> list[dict[str, Any]]:
    """The component's reports that Python has not handled yet, oldest first (see `_new_event` for their keys).

    Read before the view is drawn, so that one run handles what the analyst did and draws the result.
    A report lists every event not yet answered, so several quick ones handled in one run lose none.
    """
    value = st.session_state.get(key)
    if not isinstance(value, dict) or not value.get("nonce"):
        return []
    done = answered(key)
    if done == value["nonce"]:
        return []
    events = value.get("events") or [value]
    nonces = [e.get("nonce") for e in events]
    fresh = events[nonces.index(done) + 1 :] if done in nonces else events
    st.session_state[f"{key}__answered"] = value["nonce"]
    st.session_state[f"{key}__nonce"] = value["nonce"]  # so that `graph_view` does not report it again
    found = (_new_event({**event, "positions": value.get("positions")}, None) for event in fresh)
    return [e for e in found if e is not None]


def answered(key: str) -> str | None:
    """The newest report handled by `graph_events`, handed back to the component with the picture."""
    return st.session_state.get(f"{key}__answered")


def reduce_for_screen(
    graph: Subgraph, key: str, *, allow_ring: bool = True, focus: Iterable[str] = ()
) -> tuple[Subgraph, bool]:
    """Offer hub collapsing, and above the node cap aggregation or narrowing to the nodes that matter most.

    The nodes in `focus` (searched, selected, pinned) are never collapsed, grouped or cut.
    Returns what to draw and whether it holds groups (a group node opens into its members).
    """
    focus = [n for n in focus if n in graph.nodes]
    found_hubs = subgraph.hubs(graph, hub_degree(), keep=focus)
    if found_hubs and st.checkbox(t("graph.collapse_hubs", n=len(found_hubs)), value=True, key=f"{key}_hubs"):
        graph = subgraph.collapse_hubs(graph, found_hubs)
    cap = node_cap()
    if len(graph) <= cap:
        return graph, False
    st.warning(t("graph.too_many", n=len(graph), cap=cap))
    options = ["label", "ring", "top"] if allow_ring else ["label", "top"]
    by = st.radio(
        t("graph.aggregate_by"),
        options,
        format_func=lambda o: t(f"graph.aggregate.{o}", cap=cap),
        key=f"{key}_agg",
        horizontal=True,
    )
    st.caption(t("graph.narrow_hint"))
    if by == "top":
        return subgraph.most_connected(graph, cap, keep=focus), False

    def caption(group: str) -> str:  # a group of nodes on screen: a kind, a ring id, or no ring
        if by == "label":
            return human.kind(group, lang())
        return t("graph.no_ring") if group == "-" else group

    return subgraph.aggregate(graph, by, keep=focus, caption=caption), True


def graph_view(
    graph: Subgraph,
    key: str,
    *,
    color_by: str = "label",
    pinned: frozenset[str] = frozenset(),
    height: int = 600,
    title: str = "graph",
    previous: Mapping[str, Sequence[float]] | None = None,
    selected: Sequence[str] = (),
    keep_view: bool = False,
    canvas_tools: bool = False,
) -> dict[str, Any] | None:
    """Draw the subgraph; return the newest report of the component (see `_new_event`), if any.

    Positions are remembered per view (or taken from `previous`, e.g. a canvas): nodes already
    on screen stay where they were when the picture grows or shrinks, and new ones are placed
    around them. With `keep_view` the pan and zoom stay as they were on a redraw (no re-fit).
    With `canvas_tools` the view offers hide, pin and unpin above the picture, done in the browser at
    once, and answers the component's reports (`graph_events` must have read them in this run).
    """
    positions_key = f"{key}__positions"
    known = previous if previous is not None else (st.session_state.get(positions_key) or {})
    positions = subgraph.layout(graph, {n: (p[0], p[1]) for n, p in known.items() if n in graph.nodes})
    st.session_state[positions_key] = positions
    user = current_user()
    exporter = user is not None and user.can("export")
    drawn = Picture(
        graph,
        color_by=color_by,
        pinned=pinned,
        positions=positions,
        height_px=height,
        title=title,
        legend_title=t("graph.legend"),
        lang=lang(),
        png_label=t("graph.png") if exporter else None,
        watched=watchlist.watched_nodes(graph.nodes.values(), AnalystStore().watches()),
    )
    nodes, edges = vis_items(drawn)
    drawing = {
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(),
        "overlay": overlay_html(drawn),
        "height": height,
        "title": title,
        "pin_style": PIN_STYLE,
    }
    extra: dict[str, Any] = {}
    if canvas_tools:
        extra["answered"] = answered(key)
        extra["tools"] = {name: t(f"graph.tool.{name}") for name in ("hide", "pin", "unpin", "keys")}
    value = _component(
        drawing=drawing,
        height=height + 12,
        key=key,
        default=None,
        selected=list(selected),
        keep_view=keep_view,
        **extra,
    )
    if exporter:
        offer(
            t("graph.download_html"),
            f"{key}_html",
            lambda: downloads.page(user, drawn.html(), f"graph-{title}", {"nodes": len(graph.nodes)}),
        )
    return _new_event(value, key)


def drawn_positions(key: str) -> dict[str, tuple[float, float]]:
    """Where the last drawing of this view placed each node."""
    return dict(st.session_state.get(f"{key}__positions") or {})


def color_choice(key: str, options: tuple[str, ...] = ("label", "ring")) -> str:
    return st.radio(
        t("graph.color_by"),
        list(options),
        format_func=lambda o: t(f"graph.color.{o}"),
        key=f"{key}_color",
        horizontal=True,
    )
