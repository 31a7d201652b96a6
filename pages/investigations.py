import streamlit as st

from explorer import audit, catalog_text
from explorer.subgraph import group_members, subgraph_from_columns, subgraph_from_records
from explorer.ui import catalog as ui_catalog
from explorer.ui import state, tables
from explorer.ui.connection import run_page
from explorer.ui.graph import color_choice, graph_view, reduce_for_screen
from explorer.ui.i18n import lang, t
from explorer.ui.markdown import escape, escape_keeping_code
from explorer.ui.params import widget

RESULT = "inv_result"
# Parameters typed as text, which can take the captions of nodes picked on the canvas.
TEXT_TYPES = ("string", "identifier", "list")


def canvas_values(investigation, name: str) -> None:
    """Values sent from the canvas (the captions of the selected nodes): put them in a parameter."""
    values = state.investigation_values()
    if not values or not any(not p.choices and p.type in TEXT_TYPES for p in investigation.params):
        return
    st.info(t("inv.from_canvas", values=escape(", ".join(values))))
    pick, use, drop = st.columns([3, 1, 1])
    param = pick.selectbox(
        t("inv.fill_param"),
        [p.name for p in investigation.params if not p.choices and p.type in TEXT_TYPES],
        key="inv_canvas_param",
    )
    if use.button(t("inv.use_values"), key="inv_canvas_use"):
        st.session_state[f"inv_param_{name}_{param}"] = ", ".join(values)
        state.drop_investigation_values()
        st.rerun()
    if drop.button(t("inv.dismiss_values"), key="inv_canvas_drop"):
        state.drop_investigation_values()
        st.rerun()


def body(graph):
    st.title(t("page.investigations"))
    catalog = ui_catalog.load(graph)
    if not len(catalog):
        st.info(t("inv.none"))
        return
    needle = st.text_input(t("inv.search"), key="inv_search")
    found = {inv.name for inv in catalog.search(needle)} if needle else set(catalog)
    if needle:  # also in the analyst's language
        here = lang()
        found |= {
            inv.name
            for inv in catalog.values()
            if needle.lower() in f"{catalog_text.title_in(inv, here)} {catalog_text.description(inv, here)}".lower()
            or needle.lower() in catalog_text.category(inv.category, here).lower()
        }
    groups = {c: [i for i in invs if i.name in found] for c, invs in catalog.by_category().items()}
    groups = {c: invs for c, invs in groups.items() if invs}
    if not groups:
        st.info(t("inv.no_match"))
        return
    left, right = st.columns(2)
    category = left.selectbox(
        t("inv.category"), list(groups), format_func=lambda c: catalog_text.category(c, lang()), key="inv_category"
    )
    names = [i.name for i in groups[category]]
    name = right.selectbox(
        t("inv.choose"), names, format_func=lambda n: catalog_text.title_in(catalog[n], lang()), key="inv_name"
    )
    investigation = catalog[name]
    st.markdown(escape_keeping_code(catalog_text.description(investigation, lang())))
    with st.expander(t("inv.query")):
        st.code(investigation.query, language="cypher")
    canvas_values(investigation, name)
    with st.form(f"inv_form_{name}"):
        values = {
            p.name: widget(
                p,
                f"inv_param_{name}_{p.name}",
                catalog_text.param_label(investigation, p, lang()),
                catalog_text.param_help(investigation, p, lang()),
            )
            for p in investigation.params
        }
        submitted = st.form_submit_button(t("inv.run"), type="primary")
    if submitted:
        with audit.timed("investigation", name, {k: str(v) for k, v in values.items()}) as entry:
            result = investigation.run(graph, **values)
            entry.rows = len(result)
        st.session_state[RESULT] = (name, result)
    stored = st.session_state.get(RESULT)
    if not stored or stored[0] != name:
        return
    result = stored[1]
    st.caption(t("inv.rows", n=len(result), ms=f"{result.elapsed_ms:.0f}"))
    if not len(result):
        st.info(t("inv.no_rows"))
        return
    table_col, graph_col = st.columns([1, 1])
    with table_col:
        # As tall as the graph beside it, or as its rows need when there are few (no empty grid below them).
        frame = tables.show(result, key="inv_table", height=min(560, tables.ROW_PX * (len(result) + 1) + 3))
        tables.export_buttons(frame, name, key="inv_export")
    with graph_col:
        draw = investigation.draw
        if draw.drawable:
            columns = list(draw.nodes + draw.relationships + draw.paths)
            picture = subgraph_from_columns(result.records, columns, draw.score)
        else:
            picture = subgraph_from_records(result.records)
        if not len(picture):
            st.caption(t("inv.nothing_to_draw"))
            return
        color_by = color_choice("inv")
        shown, _ = reduce_for_screen(picture, "inv_graph")
        if st.button(t("inv.send_all"), key="inv_send_all"):
            state.open_in_explore(sorted(picture.nodes))
        event = graph_view(shown, "inv_graph", color_by=color_by, height=560, title=name)
        if event and event["node"]:
            members = group_members(shown, event["node"])
            state.send_to_explore(members or [event["node"]])
            label = t("inv.open_group") if members else t("inv.open_in_explore")
            st.page_link(state.EXPLORE_PAGE, label=label, icon=":material/travel_explore:")


run_page(body)
