"""When this analyst last opened the Overview (from the audit trail), for 'hits since the last visit'."""

from __future__ import annotations

import streamlit as st

from explorer import audit

_KEY = "overview_previous_visit"


def previous_visit() -> str | None:
    """The time of the analyst's previous visit (ISO text), fixed for this browser session."""
    if _KEY not in st.session_state:
        try:
            earlier = audit.query(user=audit.current_user(), action="visit", limit=1)
            st.session_state[_KEY] = earlier[0].at if earlier else None
            audit.record("visit", "overview")
        except audit.AuditError:
            st.session_state[_KEY] = None
    return st.session_state[_KEY]
