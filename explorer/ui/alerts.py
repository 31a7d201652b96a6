"""The alert store as the app uses it: one store per var folder, the sidebar count, who is acting."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from explorer import audit, auth
from explorer.alerts import RULES_DIR, Rule, load_rules
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.auth import User
from explorer.config import load_settings, localise
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from explorer.ui.i18n import t


def store() -> AnalystStore:
    """The analysts' alert store under the settings' var folder."""
    return AnalystStore(load_settings().var_dir / STORE_FILE)


@st.cache_resource(show_spinner=False, max_entries=4)
def _rules(stamp: tuple[tuple[str, float], ...], _graph: Graph) -> dict[str, Rule]:
    return load_rules(_graph)


def rules(graph: Graph) -> dict[str, Rule]:
    """The alert rules, checked by EXPLAIN; checked again when a file in cypher/alerts/ changes."""
    stamp = tuple((p.name, p.stat().st_mtime) for p in sorted(RULES_DIR.glob("*.cypher")))
    return _rules(stamp, graph)


def user_names() -> list[str]:
    """The app's users (none in the local demo, where an assignee is typed)."""
    return [u.name for u in auth.list_users()]


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


def day_starts(day: dt.date) -> str:
    """When `day` begins in the analyst's time zone, as the UTC text the analyst store keeps times in
    (a filter by day is by the analyst's days, not UTC's)."""
    return localise(dt.datetime.combine(day, dt.time())).astimezone(dt.UTC).isoformat(timespec="seconds")
