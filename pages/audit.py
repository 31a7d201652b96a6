from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from explorer import audit
from explorer.ui import tables
from explorer.ui.i18n import t
from explorer.ui.login import require_permission
from explorer.ui.markdown import escape
from explorer.ui.router import leave_pages_folder_mode

ALL = "*"


def body() -> None:
    leave_pages_folder_mode()
    user = require_permission("audit")
    st.title(t("page.audit"))
    st.caption(t("audit.caption"))
    sees_all = user.can("audit_all")
    who_col, action_col, since_col, until_col = st.columns([2, 2, 1, 1])
    if sees_all:
        names = [ALL, *audit.users()]
        who = who_col.selectbox(
            t("audit.user"), names, format_func=lambda n: t("audit.all_users") if n == ALL else n, key="audit_user"
        )
    else:
        who = audit.current_user()
        who_col.text_input(t("audit.user"), value=who, disabled=True, key="audit_user_self")
    action = action_col.selectbox(
        t("audit.action"),
        [ALL, *audit.ACTIONS],
        format_func=lambda a: t("audit.all_actions") if a == ALL else t(f"audit.action.{a}"),
        key="audit_action",
    )
    today = date.today()
    since = since_col.date_input(t("audit.since"), value=today - timedelta(days=7), key="audit_since")
    until = until_col.date_input(t("audit.until"), value=today, key="audit_until")
    entries = audit.query(
        user=None if who == ALL else who,
        action=None if action == ALL else action,
        since=datetime.combine(since, time.min, tzinfo=UTC),
        until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC),
    )
    if not entries:
        st.info(t("audit.empty"))
        return
    frame = pd.DataFrame(audit.as_rows(entries), columns=audit.COLUMNS)
    st.caption(t("audit.count", count=len(frame)))
    tables.show(frame, key="audit_table", height=520)
    if user.can("audit_export"):
        tables.export_buttons(frame, "audit", key="audit_export", permission="audit_export")


try:
    body()
except audit.AuditError as e:
    st.error(escape(e))
