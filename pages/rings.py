import streamlit as st

from explorer import browse, downloads, report
from explorer.display import when
from explorer.ui import tables
from explorer.ui.connection import run_page
from explorer.ui.crackdown import crackdown_section
from explorer.ui.graph import graph_view, reduce_for_screen
from explorer.ui.i18n import lang, t
from explorer.ui.login import current_user
from explorer.ui.markdown import tr


def analytics_controls(graph):
    last = browse.last_analytics_run(graph)
    if last:
        st.caption(tr("rings.last_run", when=when(last["finished_at"]), rings=last["rings"], units=last["units"]))
        if last.get("stale"):
            st.warning(tr("rings.stale", reason=last.get("stale_reason") or ""))
    user = current_user()
    # Offered to the roles that may run it; run_analytics checks the role again and records the run once.
    if user is None or not user.can("analytics"):
        return
    if st.button(t("rings.run_analytics"), key="rings_run_analytics"):
        from explorer import analytics

        with st.spinner(t("rings.running")):
            result = analytics.run_analytics(graph, user=user)
        st.success(t("rings.analytics_done", rings=len(result.rings)))


def body(graph):
    st.title(t("page.rings"))
    analytics_controls(graph)
    rings = browse.rings(graph)
    if rings.empty:
        st.info(t("rings.none"))
        return
    listing, detail = st.columns([1, 2])
    with listing:
        st.subheader(t("rings.list"))
        tables.show(rings, key="rings_table", height=420)
        ring = st.selectbox(t("rings.choose"), list(rings["ring_id"]), key="rings_choice")
    with detail:
        st.subheader(tr("rings.graph", ring=ring))
        picture = browse.ring_subgraph(graph, ring)
        shown, _ = reduce_for_screen(picture, "rings_graph", allow_ring=False)
        graph_view(shown, "rings_graph", color_by="role", height=480, title=f"ring-{ring}")
        user = current_user()
        if user is not None and user.can("export"):
            # The package as HTML (prints from any browser) or as PDF (printed here by headless Chromium).
            formats = (
                ("rings.prepare", "rings_package", downloads.page),
                ("rings.prepare_pdf", "rings_package_pdf", downloads.pdf),
            )
            for column, (label, key, make) in zip(st.columns(2), formats, strict=True):
                with column:
                    tables.offer(t(label), key, lambda make=make: make(
                        user, report.target_package(graph, ring, lang()), f"target-package-ring-{ring}", {"ring": ring}
                    ))  # fmt: skip
    st.subheader(t("rings.members"))
    tables.show(browse.ring_members(graph, ring), key="rings_members")
    crackdown_section(graph, ring)
    st.subheader(t("rings.intermediaries"))
    brokers = browse.intermediaries(graph)
    if brokers.empty:
        st.caption(t("overview.no_rings"))
        return
    brokers["reason"] = [r if isinstance(r, str) and r else t("rings.reason_betweenness") for r in brokers["reason"]]
    tables.show(brokers.drop(columns=["id"]), key="rings_brokers")


run_page(body)
