import streamlit as st

from explorer import browse, human
from explorer.ui import state, tables
from explorer.ui.connection import run_page
from explorer.ui.graph import color_choice, graph_view, reduce_for_screen
from explorer.ui.i18n import lang, t
from explorer.ui.lookups import looked_up
from explorer.ui.markdown import escape, tr
from explorer.ui.search import search_box

EXPLORATION = "explore_state"
SELECTED = "explore_selected"
MESSAGE = "explore_message"


def exploration_state() -> browse.Exploration:
    return st.session_state.setdefault(EXPLORATION, browse.Exploration())


def expand(graph, exploration, node_id, filters):
    found = browse.neighbours(graph, [node_id], filters)
    added = exploration.add(list(found.nodes))
    looked_up("expand", "explore_expand", {"node": node_id}, rows=added, again=True)
    st.session_state[MESSAGE] = t("explore.added", n=added)


def body(graph):
    st.title(t("page.explore"))
    exploration = exploration_state()
    seed = state.take_explore_seed()
    if seed:
        looked_up("open", "explore_open", {"node": seed}, again=True)
        exploration.show([seed])
        st.session_state[SELECTED] = seed

    choice = search_box(graph, "explore_search")
    if choice:
        looked_up("open", "explore_open", {"node": choice}, again=True)
        exploration.show([choice])
        exploration.add(list(browse.neighbours(graph, [choice]).nodes))
        st.session_state[SELECTED] = choice

    with st.expander(t("explore.filters")):
        labels = sorted(k for k, v in graph.label_counts().items() if v)
        types = sorted(k for k, v in graph.relationship_counts().items() if v)
        f1, f2, f3, f4 = st.columns(4)
        chosen_labels = f1.multiselect(
            t("explore.filter_labels"), labels, format_func=lambda x: human.kind(x, lang()), key="explore_labels"
        )
        chosen_types = f2.multiselect(
            t("explore.filter_types"), types, format_func=lambda x: human.link(x, lang()), key="explore_types"
        )
        since = f3.date_input(t("explore.since"), value=None, key="explore_since")
        until = f4.date_input(t("explore.until"), value=None, key="explore_until")
    filters = browse.Filters(tuple(chosen_types), tuple(chosen_labels), since, until)

    back_col, reset_col, _ = st.columns([1, 1, 6])
    if back_col.button(t("explore.back"), key="explore_back", disabled=not exploration.history):
        exploration.back()
    if reset_col.button(t("explore.reset"), key="explore_reset"):
        exploration.reset()
        st.session_state.pop(SELECTED, None)

    if not exploration.visible:
        st.info(t("explore.start"))
        return
    picture = browse.subgraph(graph, exploration.visible)
    if chosen_labels:
        keep = set(exploration.pinned) | {st.session_state.get(SELECTED)}
        picture = picture.without(
            n for n, node in picture.nodes.items() if node.label not in chosen_labels and n not in keep
        )
    message = st.session_state.pop(MESSAGE, None)
    if message:
        st.success(message)
    st.caption(t("explore.on_screen", n=len(picture), m=len(picture.edges)))
    graph_col, side = st.columns([3, 1])
    with graph_col:
        color_by = color_choice("explore")
        shown, aggregated = reduce_for_screen(picture, "explore_graph")
        event = graph_view(
            shown, "explore_graph", color_by=color_by, pinned=frozenset(exploration.pinned), height=600, title="explore"
        )
    if event and not aggregated:
        st.session_state[SELECTED] = event["node"]
        if event["event"] == "expand":
            expand(graph, exploration, event["node"], filters)
            st.rerun()
    selected = st.session_state.get(SELECTED)
    with side:
        if not selected or selected not in picture.nodes:
            st.caption(t("explore.click_hint"))
            return
        node = picture.nodes[selected]
        st.subheader(escape(f"{node.label}: {node.caption}"))
        a, b = st.columns(2)
        if a.button(t("explore.expand"), key="explore_expand", type="primary"):
            expand(graph, exploration, selected, filters)
            st.rerun()
        if b.button(t("explore.hide"), key="explore_hide"):
            exploration.hide(selected)
            st.session_state.pop(SELECTED, None)
            st.rerun()
        c, d = st.columns(2)
        pin_label = t("explore.unpin") if selected in exploration.pinned else t("explore.pin")
        if c.button(pin_label, key="explore_pin"):
            exploration.toggle_pin(selected)
            st.rerun()
        if d.button(t("explore.profile"), key="explore_profile"):
            state.open_profile(selected)
        rings = node.props.get("ring_id")
        if rings is not None:
            st.markdown(tr("explore.ring", ring=rings))
        props = {k: v for k, v in node.props.items() if k not in {"loads"}}
        tables.show(
            [{t("col.property"): k, t("col.value"): str(v)} for k, v in sorted(props.items())], key="explore_props"
        )
        links = [e for e in picture.edges.values() if selected in (e.source, e.target)]
        sources = sorted({s for e in links for s in (e.props.get("sources") or [])})
        st.caption(t("explore.sources", n=len(sources)))
        if sources:
            tables.show([{t("col.source"): s} for s in sources[:200]], key="explore_sources")


run_page(body)
