import streamlit as st

from explorer.centres import view
from explorer.centres.config import CentresError, load_centres
from explorer.centres.linkage import LinkageKey
from explorer.centres.service import ask_detail
from explorer.exceptions import ExplorerError
from explorer.ui import login, tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import t
from explorer.ui.markdown import escape

DETAIL = "centres_detail_answer"


def body(graph):
    st.title(t("page.centres"))
    st.caption(t("centres.caption"))
    try:
        own = view.own_centre()
    except CentresError:
        st.info(t("centres.no_centre"))
        st.stop()
    try:
        centres = load_centres()
        key = LinkageKey.from_environment()
        indexes = view.read_folder(view.index_folder())
    except ExplorerError as e:  # the set-up is the administrator's: their words, after the analyst's
        st.info(t("centres.not_set_up", why=escape(e)))
        st.stop()
    found = view.matches(graph, indexes, own, key)
    result = found.result
    cols = st.columns(4)
    cols[0].metric(t("centres.centres"), len(result.centres))
    cols[1].metric(t("centres.identifier_hits"), len(result.identifiers))
    cols[2].metric(t("centres.person_hits"), len(result.persons))
    cols[3].metric(t("centres.links"), len(found.links))
    st.caption(t("centres.blocking", compared=f"{result.compared_pairs:,}", all=f"{result.all_pairs:,}"))
    if found.links.empty:
        st.info(t("centres.no_links"))
        return
    tables.show(found.links.drop(columns=["hashes"]), key="centres_links")
    user = login.current_user()
    if user is None or not user.can("centres_detail"):
        st.caption(t("centres.detail_analysts"))
        return
    st.subheader(t("centres.details"))
    rank = st.selectbox(t("centres.link"), list(found.links["rank"]), key="centres_link")
    row = found.links.iloc[int(rank) - 1]
    if not row["hashes"]:
        st.caption(t("centres.name_only"))
        return
    chosen = st.selectbox(t("centres.identifier"), row["hashes"], key="centres_hash")
    owner = view.owner_of(row, own)
    if st.button(t("centres.request", centre=owner), key="centres_request"):
        st.session_state[DETAIL] = ask_detail(centres[owner], chosen, requester=own)
    answer = st.session_state.get(DETAIL)
    if answer and answer.get("hash") == chosen:
        st.markdown(t("centres.answer", centre=answer["centre"], kind=answer["kind"], identifier=answer["identifier"]))
        tables.show(answer["holders"] or [{"cases": ", ".join(answer["cases"])}], key="centres_holders")


run_page(body)
