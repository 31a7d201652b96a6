"""The alert store as the app uses it: one store per var folder, the sidebar count, who is acting."""

from __future__ import annotations

import streamlit as st

from explorer import audit
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.auth import User
from explorer.config import load_settings
from explorer.exceptions import ExplorerError
from explorer.ui.i18n import t


def store() -> AnalystStore:
    """The analysts' alert store under the settings' var folder."""
    return AnalystStore(load_settings().var_dir / STORE_FILE)


def actor(user: User) -> str:
    """The name recorded for an action: the signed-in user, or in the local demo the audit trail's user."""
    return audit.current_user() if user.demo else user.name


def sidebar(user: User | None) -> None:
    """How many alerts are unread, under the connection status."""
    if user is None or not user.can("alerts"):
        return
    try:
        unread = store().unread_count()
    except (ExplorerError, OSError) as e:
        st.sidebar.caption(t("alerts.store_unavailable", reason=str(e)))
        return
    st.sidebar.caption(t("sidebar.alerts", count=unread))
