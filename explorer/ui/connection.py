"""One driver per process, the connection status, and the 'database down' sentence."""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable

import streamlit as st

from explorer.config import Settings, load_settings
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError
from explorer.ui.i18n import t

# Neo4j's notes on relationship types absent from this graph (the app's queries name every
# kind the model knows) would fill the server log with noise.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


@st.cache_resource(show_spinner=False)
def _graph_for(settings: Settings) -> Graph:
    graph = Graph.connect(settings)
    atexit.register(graph.close)
    return graph


def get_graph() -> Graph:
    """The process-wide Graph (one thread-safe driver per settings), closed at exit."""
    return _graph_for(load_settings())


@st.cache_data(ttl=10, max_entries=4, show_spinner=False)
def _status(uri: str, database: str) -> dict:
    graph = get_graph()
    return {"version": graph.server_version(), **graph.counts()}


def connection_status() -> tuple[dict | None, str | None]:
    """(status, None) when Neo4j answers, else (None, sentence for the analyst).

    The ping is never cached, so a database that went down is reported at once;
    only the version and counts are cached for a few seconds.
    """
    graph = get_graph()
    try:
        graph.ping()
        return _status(graph.settings.uri, graph.database), None
    except ExplorerError as e:
        return None, describe(e)


def require_graph() -> Graph:
    """The Graph, or an error sentence and st.stop() when Neo4j does not answer."""
    status, problem = connection_status()
    if problem:
        st.error(problem, icon=":material/cloud_off:")
        st.stop()
    return get_graph()


ROUTER_KEY = "_router_ran"


def _leave_pages_folder_mode() -> None:
    """Rerun through app.py when Streamlit ran this page file on its own.

    Streamlit treats a `pages/` folder beside the main script as the old
    folder-based navigation until some run calls `st.navigation`. On a fresh
    server, a first visit straight to a page's address would then run the page
    without the router and its sidebar; one rerun puts app.py back in charge.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not st.session_state.get(ROUTER_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()


def router_ran() -> None:
    """Called by app.py: this session has been through the router at least once."""
    st.session_state[ROUTER_KEY] = True


def run_page(body: Callable[[Graph], None]) -> None:
    """Run a page's body with the Graph; a database or query problem becomes one sentence."""
    _leave_pages_folder_mode()
    graph = require_graph()
    try:
        body(graph)
    except ExplorerError as e:
        stop_on_error(e)


def stop_on_error(error: ExplorerError) -> None:
    """Show a domain error as one sentence and end this run of the page."""
    st.error(describe(error))
    st.stop()


def sidebar() -> None:
    graph = get_graph()
    status, problem = connection_status()
    with st.sidebar:
        st.caption(t("sidebar.database"))
        if problem:
            st.error(problem, icon=":material/cloud_off:")
            return
        st.markdown(
            f"**{graph.settings.uri}** · `{graph.database}`  \n"
            f"{status['version']}  \n"
            + t("sidebar.counts", nodes=f"{status['nodes']:,}", relationships=f"{status['relationships']:,}")
        )
