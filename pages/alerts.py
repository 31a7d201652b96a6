import datetime as dt

import pandas as pd
import streamlit as st

from explorer import audit, catalog_text
from explorer.alerts.summary import summary_in
from explorer.analyst_store import STATES, Alert, Source
from explorer.display import when
from explorer.exceptions import ExplorerError
from explorer.ui import alerts as ui_alerts
from explorer.ui import login, tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import lang, t
from explorer.ui.markdown import escape


def source(s: Source) -> str:
    """A file and row behind an alert, in the interface language."""
    return t("alerts.source_row", file=s.file, row=s.row) if s.row else s.file


def said(alert: Alert) -> str:
    """The alert's sentence in the interface language."""
    return summary_in(alert, lang())


def body(graph):
    st.title(t("page.alerts"))
    st.caption(t("alerts.caption"))
    user = login.require_permission("alerts")
    store = ui_alerts.store()
    titles = {name: catalog_text.title_in(rule.investigation, lang()) for name, rule in ui_alerts.rules(graph).items()}

    rule_col, ring_col, state_col, date_col = st.columns([3, 2, 2, 3])
    chosen_rules = rule_col.multiselect(
        t("alerts.rule"),
        list(titles),
        format_func=lambda n: titles.get(n, n),
        key="alerts_rules",
        placeholder=t("alerts.any_rule"),
    )
    ring = ring_col.selectbox(t("alerts.ring"), ["", *store.rings()], format_func=lambda r: r or t("alerts.any"),
                              key="alerts_ring")  # fmt: skip
    state = state_col.selectbox(t("alerts.state"), ["", *STATES], format_func=lambda s: t(f"alerts.state.{s or 'any'}"),
                                key="alerts_state")  # fmt: skip
    period = date_col.date_input(t("alerts.period"), value=(), key="alerts_period")
    since = until = None
    if isinstance(period, (tuple, list)) and period:  # the analyst's days, as the store's UTC times
        since = ui_alerts.day_starts(period[0])
        if len(period) > 1:
            until = ui_alerts.day_starts(period[1] + dt.timedelta(days=1))

    found = store.alerts(rules=chosen_rules or None, ring=ring or None, state=state or None, since=since, until=until)
    st.caption(t("alerts.count", count=len(found), unread=store.unread_count()))
    if not found:
        st.info(t("alerts.empty"))
        return
    table = pd.DataFrame(
        [
            {
                t("alerts.state"): t(f"alerts.state.{a.state}"),
                t("alerts.raised"): when(a.raised_at),
                t("alerts.rule"): titles.get(a.rule, a.rule),
                t("alerts.summary"): said(a),
                t("alerts.rings"): ", ".join(a.rings),
                t("alerts.sources"): "; ".join(map(source, a.sources[:3])),
                t("alerts.assignee"): a.assignee or "",
            }
            for a in found
        ]
    )
    st.dataframe(table, hide_index=True, key="alerts_table", placeholder=tables.MISSING)

    by_id = {a.alert_id: a for a in found}
    chosen = st.selectbox(t("alerts.open"), list(by_id), format_func=lambda i: said(by_id[i])[:120],
                          key="alerts_chosen")  # fmt: skip
    alert = by_id[chosen]
    st.subheader(escape(titles.get(alert.rule, alert.rule)))
    st.text(said(alert))  # the alert's sentence holds names from the data: shown as plain text
    st.markdown(escape(t("alerts.evidence") + ": " + ", ".join(map(str, alert.evidence))))
    st.markdown(escape(t("alerts.sources") + ": " + "; ".join(map(source, alert.sources))))
    for c in store.comments(alert.alert_id):
        st.caption(escape(f"{c.at} · {c.author}: {c.text}"))

    if not user.can("alerts_act"):
        st.info(t("alerts.viewer"))
        return
    who = ui_alerts.actor(user)
    ack_col, assign_col = st.columns(2)
    try:
        if alert.state == "unread":
            if ack_col.button(t("alerts.acknowledge"), key="alerts_ack", type="primary"):
                store.acknowledge(alert.alert_id, who)
                audit.record("alert", alert.alert_id, {"action": "acknowledge"})
                st.rerun()
        elif ack_col.button(t("alerts.mark_unread"), key="alerts_unread"):
            store.mark_unread(alert.alert_id)
            audit.record("alert", alert.alert_id, {"action": "unread"})
            st.rerun()
        with assign_col.form("alerts_assign_form"):
            users = ui_alerts.user_names()
            if users:  # with logins, an alert goes to one of the app's users
                choices = ["", *users]
                current = choices.index(alert.assignee) if alert.assignee in choices else 0
                assignee = st.selectbox(t("alerts.assignee"), choices, index=current, key="alerts_assignee_user",
                                        format_func=lambda n: n or t("alerts.nobody"))  # fmt: skip
            else:
                assignee = st.text_input(t("alerts.assignee"), value=alert.assignee or "", key="alerts_assignee")
            if st.form_submit_button(t("alerts.assign")):
                store.assign(alert.alert_id, assignee)
                audit.record("alert", alert.alert_id, {"action": "assign", "to": assignee})
                st.rerun()
        with st.form("alerts_comment_form", clear_on_submit=True):
            note = st.text_area(t("alerts.comment"), key="alerts_comment")
            if st.form_submit_button(t("alerts.add_comment")):
                store.comment(alert.alert_id, who, note)
                audit.record("alert", alert.alert_id, {"action": "comment"})
                st.rerun()
    except ExplorerError as e:
        st.error(escape(e))


run_page(body)
