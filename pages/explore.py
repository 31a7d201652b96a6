import datetime as dt

import streamlit as st

from explorer import browse, human
from explorer.canvas import Canvas, days_on_screen, grouped, within_window
from explorer.display import when
from explorer.exceptions import ExplorerError
from explorer.subgraph import GraphNode, Subgraph, group_members
from explorer.ui import canvas as ui_canvas
from explorer.ui import state, tables
from explorer.ui.connection import run_page, stop_on_error
from explorer.ui.graph import color_choice, drawn_positions, graph_events, graph_view, reduce_for_screen
from explorer.ui.i18n import lang, t
from explorer.ui.login import current_user
from explorer.ui.lookups import looked_up
from explorer.ui.markdown import escape, tr
from explorer.ui.search import search_box

SELECTION = "explore_selection"
MESSAGE = "explore_message"
GRAPH_KEY = "explore_graph"
# The canvas's nodes and links as last read from Neo4j, and what was drawn of them: within the graph's
# own reruns a click reads only the nodes that came (none for select, hide and pin).
PICTURE = "explore_picture"
SHOWN = "explore_shown"
PROBLEM = "explore_problem"


def selection() -> list[str]:
    return list(st.session_state.get(SELECTION) or [])


def select(ids) -> None:
    st.session_state[SELECTION] = list(dict.fromkeys(ids))


def what_of(ids: list[str]) -> dict:
    """What the audit trail records of a look-up: the node, or the nodes of a selection."""
    return {"node": ids[0]} if len(ids) == 1 else {"nodes": ids}


def filters_of(canvas: Canvas) -> browse.Filters:
    f = canvas.filters
    day = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
    return browse.Filters(
        tuple(f.get("types") or ()), tuple(f.get("labels") or ()), day(f.get("since")), day(f.get("until"))
    )


def expand(graph, canvas: Canvas, ids, offsets=None) -> None:
    """Add the neighbourhoods of `ids` (every kind of link, busy kinds a page at a time)."""
    ids = list(ids)
    found = browse.neighbourhood(graph, ids, filters_of(canvas), offsets=offsets)
    added = canvas.add(list(found.subgraph.nodes))
    for node_id in ids:
        kinds = found.more.get(node_id, {})
        canvas.set_more(node_id, {k: (found.next_offsets[node_id][k], n) for k, n in kinds.items()})
    looked_up("expand", "explore_expand", what_of(ids), rows=added, again=True)
    st.session_state[MESSAGE] = t("explore.added", n=added)


def filters_panel(graph, canvas: Canvas) -> None:
    with st.expander(t("explore.filters")):
        labels = sorted(k for k, v in graph.label_counts().items() if v)
        types = sorted(k for k, v in graph.relationship_counts().items() if v)
        f = canvas.filters
        f1, f2, f3, f4 = st.columns(4)
        chosen_labels = f1.multiselect(
            t("explore.filter_labels"), labels, default=[x for x in f.get("labels") or [] if x in labels],
            format_func=lambda x: human.kind(x, lang()),
        )  # fmt: skip
        chosen_types = f2.multiselect(
            t("explore.filter_types"), types, default=[x for x in f.get("types") or [] if x in types],
            format_func=lambda x: human.link(x, lang()),
        )  # fmt: skip
        day = lambda v: dt.date.fromisoformat(v) if v else None  # noqa: E731
        since = f3.date_input(t("explore.since"), value=day(f.get("since")))
        until = f4.date_input(t("explore.until"), value=day(f.get("until")))
    canvas.filters = {
        "labels": chosen_labels,
        "types": chosen_types,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }


def time_window(picture: Subgraph, canvas: Canvas) -> Subgraph:
    """A slider over the local days of the links on screen; links outside it leave the picture."""
    days = days_on_screen(picture)
    if days is None or days[0] == days[1]:
        return picture
    first, last = days
    chosen = [dt.date.fromisoformat(d) for d in canvas.window] or [first, last]
    chosen = [min(max(chosen[0], first), last), min(max(chosen[-1], first), last)]
    window = st.slider(t("explore.window"), min_value=first, max_value=last, value=tuple(chosen), format="YYYY-MM-DD")
    canvas.window = [] if tuple(window) == (first, last) else [window[0].isoformat(), window[1].isoformat()]
    return within_window(picture, window[0], window[1])


def on_screen(graph, canvas: Canvas) -> Subgraph:
    known = browse.subgraph_grown(graph, st.session_state.get(PICTURE) or Subgraph(), canvas.visible)
    st.session_state[PICTURE] = known
    picture = Subgraph(dict(known.nodes), dict(known.edges))
    labels = canvas.filters.get("labels")
    if labels:
        keep = set(canvas.pinned) | set(selection())
        picture = picture.without(n for n, node in picture.nodes.items() if node.label not in labels and n not in keep)
    for node_id, text in canvas.notes.items():
        node = picture.nodes.get(node_id)
        if node is not None:
            picture.nodes[node_id] = GraphNode(node.id, node.labels, {**node.props, "note": text})
    return picture


def handle(graph, canvas: Canvas, event: dict, shown: Subgraph) -> None:
    """What the analyst did on the canvas; select, hide and pin are already on screen, expand is not."""
    canvas.place({n: p for n, p in event["positions"].items() if n in canvas.visible})
    ids = event["nodes"]
    kind = event["event"]
    if kind == "select":
        select(ids)
    elif kind == "expand":
        members = group_members(shown, ids[0])
        if members:
            open_group(canvas, shown, ids[0])
        else:
            select(ids)
            expand(graph, canvas, ids)
    elif kind == "hide":
        canvas.hide(n for node_id in ids for n in (group_members(shown, node_id) or [node_id]))
        select([])
    elif kind in ("pin", "unpin"):
        canvas.pin(ids, kind == "pin")


def guarded(action):
    """A button's action, run before the graph's rerun; a database problem becomes the sentence shown then."""

    def run(*args, **kwargs):
        try:
            action(*args, **kwargs)
        except ExplorerError as e:
            st.session_state[PROBLEM] = e

    return run


def open_group(canvas: Canvas, shown: Subgraph, group_id: str) -> None:
    """A group node opens into its members: a group of the canvas ungroups, a group of the node cap shows them."""
    name = str(shown.nodes[group_id].props.get("group", ""))
    members = canvas.ungroup(name) if name in canvas.groups else group_members(shown, group_id)
    canvas.reveal(members)
    select(members)


def history(canvas: Canvas) -> None:
    undo_col, redo_col, reset_col, _ = st.columns([1, 1, 1, 5])
    undo_col.button(t("explore.undo"), key="explore_undo", disabled=not canvas.undo_stack, on_click=canvas.undo)
    redo_col.button(t("explore.redo"), key="explore_redo", disabled=not canvas.redo_stack, on_click=canvas.redo)
    reset_col.button(t("explore.reset"), key="explore_reset", on_click=reset, args=(canvas,))


def reset(canvas: Canvas) -> None:
    canvas.reset()
    select([])


@st.fragment
def canvas_view(graph, canvas: Canvas) -> None:
    """Undo and redo, the graph and its side panel; clicking in them reruns only this part of the page."""
    try:
        canvas_run(graph, canvas)
    except ExplorerError as e:
        stop_on_error(e)


def canvas_run(graph, canvas: Canvas) -> None:
    user = current_user()
    for event in graph_events(GRAPH_KEY):
        handle(graph, canvas, event, st.session_state.get(SHOWN) or Subgraph())
    problem = st.session_state.pop(PROBLEM, None)
    if problem is not None:
        stop_on_error(problem)
    history(canvas)
    if not canvas.visible:
        st.info(t("explore.start"))
        ui_canvas.autosave(canvas, user)
        return
    # What comes and goes (slider, messages, cap warnings) stays inside containers of its own, so the
    # graph keeps its place on the page and Streamlit redraws it in its frame instead of building a new one.
    with st.container():
        picture = on_screen(graph, canvas)
        picture = time_window(picture, canvas)
        picture = grouped(picture, canvas.groups)
        message = st.session_state.pop(MESSAGE, None)
        if message:
            st.success(message)
        st.caption(t("explore.on_screen", n=len(picture), m=len(picture.edges)))
    graph_col, side = st.columns([3, 1])
    with graph_col:
        color_by = color_choice("explore")
        focus = [*selection(), *canvas.pinned]
        with st.container():
            shown, _ = reduce_for_screen(picture, GRAPH_KEY, focus=focus)
        graph_view(
            shown,
            GRAPH_KEY,
            color_by=color_by,
            pinned=frozenset(canvas.pinned),
            height=600,
            title="explore",
            previous=canvas.positions,
            selected=selection(),
            keep_view=True,
            canvas_tools=True,
        )
        st.session_state[SHOWN] = shown
        canvas.place({n: p for n, p in drawn_positions(GRAPH_KEY).items() if n in canvas.visible})
    ui_canvas.autosave(canvas, user)
    with side:
        side_panel(graph, canvas, shown)


def side_panel(graph, canvas: Canvas, shown: Subgraph) -> None:
    chosen = [n for n in selection() if n in shown.nodes]
    if not chosen:
        st.caption(t("explore.click_hint"))
        return
    if len(chosen) == 1 and group_members(shown, chosen[0]):
        node = shown.nodes[chosen[0]]
        st.subheader(escape(node.caption))
        st.button(
            t("explore.open_group"), key="explore_open_group", type="primary",
            on_click=open_group, args=(canvas, shown, chosen[0]),
        )  # fmt: skip
        return
    chosen = [n for n in chosen if n in canvas.visible]
    if not chosen:
        return
    st.subheader(escape(t("explore.selected", n=len(chosen))) if len(chosen) > 1 else escape(_title(shown, chosen[0])))
    # Hide and pin are above the picture, done in the browser at once; these ask the server.
    a, b = st.columns(2)
    a.button(
        t("explore.expand"),
        key="explore_expand",
        type="primary",
        on_click=guarded(expand),
        args=(graph, canvas, chosen),
    )
    if len(chosen) > 1:
        b.button(t("explore.paths"), key="explore_paths", on_click=guarded(show_paths), args=(graph, canvas, chosen))
        st.text_input(t("explore.group_name"), key="explore_group_name")
        st.button(t("explore.group"), key="explore_group", on_click=make_group, args=(canvas, chosen))
    elif b.button(t("explore.profile"), key="explore_profile"):
        state.open_profile(chosen[0])
    if st.button(t("explore.to_investigation"), key="explore_to_inv"):
        state.open_in_investigations(shown.nodes[n].caption for n in chosen)
    if len(chosen) == 1:
        node_panel(graph, canvas, shown, chosen[0])


def show_paths(graph, canvas: Canvas, chosen: list[str]) -> None:
    paths = browse.shortest_paths(graph, chosen)
    canvas.reveal(list(paths.nodes))
    st.session_state[MESSAGE] = t("explore.paths_found", n=len(paths.edges))
    select(list(paths.nodes) or chosen)


def make_group(canvas: Canvas, chosen: list[str]) -> None:
    group = canvas.group(chosen, st.session_state.get("explore_group_name") or "")
    select([f"group:{group}"])


def save_note(canvas: Canvas, node_id: str) -> None:
    canvas.note(node_id, st.session_state.get(f"explore_note_{node_id}") or "")


def _title(shown: Subgraph, node_id: str) -> str:
    node = shown.nodes[node_id]
    return f"{human.kind(node.label, lang(), capital=True)}: {node.caption}"


def kind_name(kind: str) -> str:
    """A kind of link as counted on a button ("calls"), the relationship type when no name is known."""
    name = t(f"explore.kind.{kind}")
    return kind if name == f"explore.kind.{kind}" else name


def node_panel(graph, canvas: Canvas, shown: Subgraph, node_id: str) -> None:
    for kind, (offset, remaining) in sorted(canvas.more.get(node_id, {}).items()):
        label = t("explore.more", n=remaining, kind=kind_name(kind))
        st.button(
            label, key=f"explore_more_{kind}", on_click=guarded(expand),
            args=(graph, canvas, [node_id]), kwargs={"offsets": {kind: offset}},
        )  # fmt: skip
    st.text_area(t("explore.note"), value=canvas.notes.get(node_id, ""), key=f"explore_note_{node_id}")
    st.button(t("explore.save_note"), key="explore_save_note", on_click=save_note, args=(canvas, node_id))
    node = shown.nodes[node_id]
    rings = node.props.get("ring_id")
    if rings is not None:
        st.markdown(tr("explore.ring", ring=rings))
    props = {k: v for k, v in node.props.items() if k not in {"loads", "note"}}
    tables.show(
        [
            {t("col.property"): k, t("col.value"): when(v) if hasattr(v, "to_native") else str(v)}
            for k, v in sorted(props.items())
        ],
        key="explore_props",
    )
    links = [e for e in shown.edges.values() if node_id in (e.source, e.target)]
    sources = sorted({s for e in links for s in (e.props.get("sources") or [])})
    st.caption(t("explore.sources", n=len(sources)))
    if sources:
        tables.show([{t("col.source"): s} for s in sources[:200]], key="explore_sources")


def body(graph):
    st.title(t("page.explore"))
    user = current_user()
    canvas = ui_canvas.current(user)
    seed = state.take_explore_seed()
    if seed:
        looked_up("open", "explore_open", what_of(seed), again=True)
        canvas.show(seed)
        select(seed if len(seed) == 1 else [])

    choice = search_box(graph, "explore_search")
    if choice:
        looked_up("open", "explore_open", {"node": choice}, again=True)
        canvas.show([choice])
        expand(graph, canvas, [choice])
        select([choice])

    filters_panel(graph, canvas)
    ui_canvas.panel(canvas, user)
    st.session_state.pop(PICTURE, None)  # a run of the whole page reads the canvas afresh
    canvas_view(graph, canvas)


run_page(body)
