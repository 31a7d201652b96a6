import streamlit as st

from explorer import audit, auth, watchlist
from explorer.exceptions import ExplorerError
from explorer.ui import login, tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import t
from explorer.ui.markdown import escape, tr


def body(graph):
    st.title(t("page.watchlist"))
    store = watchlist.store_of(graph)
    if said := st.session_state.pop("watch_adopted", None):
        st.success(said)
    left = watchlist.in_graph(graph)
    if left:  # an earlier version kept watches in the graph: they count for nothing until moved
        st.warning(tr("watch.in_graph", n=left))
        if st.button(t("watch.adopt"), key="watch_adopt"):
            auth.require(login.current_user(), "watchlist")
            moved = watchlist.adopt(graph, store)
            st.session_state["watch_adopted"] = tr("watch.adopted", n=moved)
            st.rerun()
    with st.form("watch_add", clear_on_submit=True):
        kind_col, value_col = st.columns([1, 3])
        kind = kind_col.selectbox(
            t("watch.kind"), list(watchlist.KINDS), format_func=lambda k: t(f"watch.kind.{k}"), key="watch_kind"
        )
        value = value_col.text_input(t("watch.value"), key="watch_value")
        reason = st.text_input(t("watch.reason"), key="watch_reason")
        # Signed in, the entry is the user's own; in the local demo (no logins) the analyst says who.
        user = login.current_user()
        signed_in = user is not None and not user.demo
        who = st.text_input(t("watch.who"), value=audit.current_user(), key="watch_who", disabled=signed_in)
        if signed_in:
            who = user.name
        if st.form_submit_button(t("watch.add"), type="primary"):
            try:
                key = watchlist.add(store, kind, value, reason, who)
            except ExplorerError as e:
                st.error(escape(e))
            else:
                audit.record("watch", key, {"reason": reason})
                st.success(tr("watch.added", key=key))
    with st.expander(t("watch.add_list")), st.form("watch_add_list"):
        list_kind = st.selectbox(t("watch.kind"), list(watchlist.KINDS), format_func=lambda k: t(f"watch.kind.{k}"),
                                 key="watch_list_kind")  # fmt: skip
        values = st.text_area(t("watch.values"), key="watch_values", help=t("watch.values_help"))
        list_reason = st.text_input(t("watch.reason"), key="watch_list_reason")
        if st.form_submit_button(t("watch.add_all")):
            try:
                added, refused = watchlist.add_many(store, list_kind, values, list_reason, who)
            except ExplorerError as e:
                st.error(escape(e))
            else:
                audit.record("watch", f"{len(added)} {list_kind}", {"reason": list_reason}, rows=len(added))
                st.success(tr("watch.added_many", n=len(added)))
                if refused:
                    st.warning(tr("watch.refused", n=len(refused)))
                    tables.show(refused, key="watch_refused")
    entries = watchlist.entries(store)
    st.subheader(t("watch.entries"))
    if entries.empty:
        st.info(t("watch.empty"))
        return
    tables.show(entries, key="watch_table")
    remove_col, button_col = st.columns([3, 1])
    chosen = remove_col.selectbox(t("watch.remove_which"), list(entries["watch_id"]), key="watch_remove_choice")
    if button_col.button(t("watch.remove"), key="watch_remove"):
        watchlist.remove(store, chosen)
        audit.record("unwatch", chosen)
        st.rerun()
    st.subheader(t("watch.hits"))
    hits = watchlist.hits(graph, store)
    if hits.empty:
        st.caption(t("overview.no_hits"))
    else:
        tables.show(hits.drop(columns=["node_id"]), key="watch_hits")


run_page(body)
