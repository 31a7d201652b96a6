"""One driver per process, the connection status, and the 'database down' sentence."""

from __future__ import annotations

import atexit
from collections.abc import Callable

import streamlit as st

from explorer.config import Settings, load_settings
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError
from explorer.ui.i18n import t
from explorer.ui.markdown import escape
from explorer.ui.router import leave_pages_folder_mode


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
        st.error(escape(problem), icon=":material/cloud_off:")
        st.stop()
    return get_graph()


def run_page(body: Callable[[Graph], None]) -> None:
    """Run a page's body with the Graph; a database or query problem becomes one sentence."""
    leave_pages_folder_mode()
    graph = require_graph()
    try:
        body(graph)
    except ExplorerError as e:
        stop_on_error(e)


def stop_on_error(error: ExplorerError) -> None:
    """Show a domain error as one sentence and end this run of the page."""
    st.error(escape(describe(error)))
    st.stop()


def sidebar() -> None:
    graph = get_graph()
    status, problem = connection_status()
    with st.sidebar:
        st.caption(t("sidebar.database"))
        if problem:
            st.error(escape(problem), icon=":material/cloud_off:")
            return
        counts = t("sidebar.counts", nodes=f"{status['nodes']:,}", relationships=f"{status['relationships']:,}")
        server = f"**{escape(graph.settings.uri)}** · {escape(graph.database)}  \n{escape(status['version'])}  \n"
        shown = server + counts  # the server's own address, name and version, escaped like any text
        st.markdown(shown)
