"""Keeps a session's first run of a page inside app.py's router.

Streamlit 1.67 has no option to switch off the legacy discovery of a `pages/`
folder beside the entrypoint, and the project keeps its pages in `pages/`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_ROUTED = "_router_ran"


def router_ran() -> None:
    """Called by app.py: this session has been through the router."""
    st.session_state[_ROUTED] = True


def leave_pages_folder_mode() -> None:
    """Rerun through app.py when Streamlit ran a page file without the router.

    Streamlit treats a `pages/` folder beside the entrypoint as the legacy
    folder-based navigation (the process-wide flag
    `PagesManager.uses_pages_directory`) until some run calls `st.navigation`,
    which clears the flag for every session. On a fresh server, a first visit
    straight to a page's address would therefore run the page file on its own,
    without the router's login, sidebar and permissions. Clearing the flag
    here is what `st.navigation` itself does; the rerun then executes app.py,
    which routes to the same address.

    Only a session's first run is rerun: a rerun drops the click that caused
    the run, and in a server the flag stays clear once cleared (Streamlit's
    AppTest alone sets it again before every run). tests/unit/test_router.py
    fails if Streamlit stops using this flag.
    """
    if PagesManager.uses_pages_directory and not st.session_state.get(_ROUTED):
        PagesManager.uses_pages_directory = False
        st.rerun()
