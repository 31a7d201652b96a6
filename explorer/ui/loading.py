"""The Load data page's steps over the loaders' Python API."""

from __future__ import annotations

import streamlit as st

from explorer.db import Graph


def available() -> bool:
    try:
        from loaders import api  # noqa: F401
    except ImportError:
        return False
    return True


def load_page(graph: Graph) -> None:
    from loaders import api  # noqa: F401  (filled in against the loaders API)

    st.write(api)
