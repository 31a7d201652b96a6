"""The saved-investigation catalog for the app, loaded and validated once per change of the files."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer.db import Graph


def available() -> bool:
    try:
        from explorer import catalog  # noqa: F401
    except ImportError:
        return False
    return True


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(stamp: tuple[tuple[str, float], ...], _graph: Graph) -> Any:
    from explorer import catalog

    return catalog.load_catalog(_graph)


def load(graph: Graph) -> Any:
    """The validated catalog; reloaded when a file in cypher/ is added, removed or changed."""
    from explorer import catalog

    stamp = tuple((p.name, p.stat().st_mtime) for p in catalog.catalog_files())
    return _load(stamp, graph)
