import pandas as pd
import streamlit as st

from explorer import browse, human, watchlist
from explorer.analyst_store import AnalystStore
from explorer.display import when
from explorer.ui import alerts as ui_alerts
from explorer.ui import login, same_person, tables, visits
from explorer.ui.connection import run_page
from explorer.ui.i18n import lang, t


def body(graph):
    st.title(t("page.overview"))
    labels = {k: v for k, v in graph.label_counts().items() if v}
    if not labels:
        st.info(t("overview.empty"))
        return
    left, right = st.columns(2)
    left.subheader(t("overview.entities"))
    left.dataframe(
        pd.DataFrame([(human.kind(k, lang()), v) for k, v in labels.items()], columns=[t("col.label"), t("col.count")]),
        hide_index=True,
        key="overview_labels",
    )
    right.subheader(t("overview.links"))
    rels = {k: v for k, v in graph.relationship_counts().items() if v}
    right.dataframe(
        pd.DataFrame([(human.link(k, lang()), v) for k, v in rels.items()], columns=[t("col.type"), t("col.count")]),
        hide_index=True,
        key="overview_rels",
    )

    st.subheader(t("overview.loads"))
    loads = browse.latest_loads(graph)
    if loads.empty:
        st.caption(t("overview.no_loads"))
    else:
        tables.show(loads, key="overview_loads")

    rings_col, brokers_col = st.columns(2)
    rings_col.subheader(t("overview.rings"))
    rings = browse.rings(graph, limit=10)
    if rings.empty:
        rings_col.caption(t("overview.no_rings"))
    else:
        with rings_col:
            tables.show(rings, key="overview_rings")
    brokers_col.subheader(t("overview.intermediaries"))
    brokers = browse.intermediaries(graph, limit=10)
    if brokers.empty:
        brokers_col.caption(t("overview.no_rings"))
    else:
        with brokers_col:
            tables.show(brokers.drop(columns=["id"]), key="overview_brokers")

    since = visits.previous_visit()
    user = login.current_user()
    if user is not None and user.can("alerts"):
        st.subheader(t("overview.alerts"))
        st.caption(t("overview.alerts_since", count=ui_alerts.store().count_since(since), since=when(since) or "-"))
    st.subheader(t("overview.watch_hits"))
    hits = watchlist.hits(graph)
    if hits.empty:
        st.caption(t("overview.no_hits"))
    else:
        hits.insert(0, t("col.new"), [bool(since is None or (at and str(at) > since)) for at in hits["last_load_at"]])
        st.caption(t("overview.since", since=when(since) or "-"))
        tables.show(hits.drop(columns=["node_id"]), key="overview_hits")
    pending, made = same_person.waiting(graph, AnalystStore())
    if pending or made:
        st.subheader(t("overview.same_person"))
        st.caption(t("overview.same_person_waiting", pending=pending, made=made))


run_page(body)
