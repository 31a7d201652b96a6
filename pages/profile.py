import streamlit as st

from explorer import browse, human
from explorer.ui import catalog as ui_catalog
from explorer.ui import login, same_person, state, tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import lang, t
from explorer.ui.lookups import looked_up
from explorer.ui.markdown import escape, tr


def body(graph):
    st.title(t("page.profile"))
    text = st.text_input(t("profile.search"), key="profile_query", placeholder=t("explore.search_hint"))
    if text.strip():
        matches = browse.search(graph, text)
        looked_up("search", "profile_query", {"text": text.strip()}, rows=len(matches))
        if not matches:
            st.info(t("explore.no_match"))
        else:
            choice = st.selectbox(
                t("explore.suggestions"),
                [m.id for m in matches],
                format_func=lambda i: next(
                    f"{human.kind(m.label, lang(), capital=True)}: {m.caption}" for m in matches if m.id == i
                ),
                key="profile_choice",
            )
            state.show_profile(choice)
    node_id = state.profile_node()
    if not node_id:
        st.info(t("profile.start"))
        return
    found = browse.profile(graph, node_id)
    if found is None:
        st.warning(t("profile.gone"))
        return
    node = found.node
    looked_up("profile", "profile_node", {"node": node_id, "label": node.label, "caption": node.caption})
    st.header(escape(f"{human.kind(node.label, lang(), capital=True)}: {node.caption}"))
    facts, scores = st.columns([2, 1])
    with facts:
        st.subheader(t("profile.identifiers"))
        if found.aliases:
            st.markdown(tr("profile.aliases", aliases=", ".join(found.aliases)))
        props = human.spoken_props(node.props, lang())
        tables.show(
            [{t("col.property"): human.header(k, lang()), t("col.value"): str(v)} for k, v in sorted(props.items())
             if k != "loads"],
            key="profile_props",
        )  # fmt: skip
        tables.show(found.identifiers, key="profile_identifiers")
    with scores:
        st.subheader(t("profile.scores"))
        if found.scores:
            for key, value in found.scores.items():
                st.metric(t(f"col.{key}"), f"{value:.4g}" if isinstance(value, float) else str(value))
        else:
            st.caption(t("profile.no_scores"))
        st.subheader(t("profile.cases"))
        if found.cases.empty:
            st.caption(t("profile.no_cases"))
        else:
            tables.show(found.cases, key="profile_cases")
    if not found.same_as.empty:
        st.subheader(t("profile.same_as"))
        same_person.show(found.same_as, node.props.get("person_id"), login.current_user())
    if node.label == "Phone" and node.props.get("number"):
        replacement_numbers(graph, str(node.props["number"]))
    st.subheader(t("profile.timeline"))
    if found.events.empty:
        st.caption(t("profile.no_events"))
    else:
        tables.show(found.events, key="profile_events")
    st.subheader(t("profile.links"))
    tables.show(found.links.drop(columns=["other_id"]), key="profile_links")
    st.subheader(t("profile.sources"))
    if found.sources.empty:
        st.caption(t("profile.no_sources"))
    else:
        tables.show(found.sources, key="profile_sources")
    if st.button(t("profile.explore"), key="profile_explore"):
        state.open_in_explore(node_id)


def replacement_numbers(graph, number: str) -> None:
    """A phone's possible replacement numbers (the saved investigation, its defaults), mutual matches first:
    its table without the nodes and links it draws."""
    st.subheader(t("profile.replacements"))
    investigation = ui_catalog.load(graph)["replacement_phones"]
    rows = investigation.run(graph, phone=number).rows()
    if not rows:
        st.caption(t("profile.no_replacements"))
        return
    drawn = {*investigation.draw.nodes, *investigation.draw.relationships}
    shown = [c for c in investigation.columns or [] if c not in drawn]
    st.caption(t("profile.replacements_help"))
    tables.show([{c: row[c] for c in shown} for row in rows], key="profile_replacements")


run_page(body)
