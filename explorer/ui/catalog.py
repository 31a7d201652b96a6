"""The saved-investigation catalog for the app, loaded and validated once per change of the files."""

from __future__ import annotations

import streamlit as st

from explorer import catalog
from explorer.catalog import Catalog
from explorer.db import Graph


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(stamp: tuple[tuple[str, float], ...], _graph: Graph) -> Catalog:
    return catalog.load_catalog(_graph)


def load(graph: Graph) -> Catalog:
    """The validated catalog; reloaded when a file in cypher/ is added, removed or changed."""
    stamp = tuple((p.name, p.stat().st_mtime) for p in catalog.catalog_files())
    return _load(stamp, graph)
