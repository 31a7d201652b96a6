import json

import streamlit as st

from explorer import console, save_investigation
from explorer.exceptions import ExplorerError
from explorer.subgraph import subgraph_from_records
from explorer.ui import login, tables
from explorer.ui.connection import run_page
from explorer.ui.graph import color_choice, graph_view, reduce_for_screen
from explorer.ui.i18n import t
from explorer.ui.markdown import escape, said, tr

EXAMPLE = "MATCH (p:Person)-[r]-(x)\nRETURN p, r, x\nLIMIT $limit"
RESULT = "console_result"


def body(graph):
    st.title(t("page.console"))
    st.caption(t("console.read_only"))
    with st.form("console_form"):
        cypher = st.text_area(t("console.query"), value=EXAMPLE, height=160, key="console_query")
        params_text = st.text_area(t("console.params"), value='{"limit": 50}', height=80, key="console_params")
        submitted = st.form_submit_button(t("console.run"), type="primary")
    if submitted:
        try:
            params = json.loads(params_text or "{}")
            if not isinstance(params, dict):
                raise ValueError
        except ValueError:
            st.error(t("console.bad_params"))
            return
        try:
            result = console.run_query(graph, cypher, params)
        except ExplorerError as e:
            st.error(said(e))
            st.session_state.pop(RESULT, None)
            return
        st.session_state[RESULT] = (cypher, params, result)
    stored = st.session_state.get(RESULT)
    if not stored:
        return
    cypher, params, result = stored
    st.caption(t("inv.rows", n=len(result), ms=f"{result.elapsed_ms:.0f}"))
    if result.more:
        st.warning(t("console.more", n=len(result), more=result.more))
    table_col, graph_col = st.columns(2)
    with table_col:
        frame = tables.show(result, key="console_table", height=480)
        tables.export_buttons(frame, "console", key="console_export")
    with graph_col:
        picture = subgraph_from_records(result.records)
        if len(picture):
            color_by = color_choice("console")
            shown, _ = reduce_for_screen(picture, "console_graph")
            graph_view(shown, "console_graph", color_by=color_by, height=480, title="console")
        else:
            st.caption(t("inv.nothing_to_draw"))
    with st.expander(t("console.save")), st.form("console_save"):
        title = st.text_input(t("console.save_title"), key="console_save_title")
        category = st.text_input(
            t("console.save_category"), value=t("console.default_category"), key="console_save_category"
        )
        description = st.text_area(t("console.save_description"), key="console_save_description")
        if st.form_submit_button(t("console.save_button")):
            try:
                path = save_investigation.save_investigation(
                    graph, title, category, description, cypher, params, user=login.current_user()
                )
            except ExplorerError as e:
                st.error(escape(e))
            else:
                st.success(tr("console.saved", path=path.name))


run_page(body)
