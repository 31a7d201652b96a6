"""AppTest runs every app in this process, so Streamlit's caches would carry one test's graph into the next."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@dataclass
class Served:
    """One file the app handed to Streamlit's media store (what a download button would serve)."""

    file_name: str | None
    mimetype: str
    data: bytes


@pytest.fixture
def served(monkeypatch) -> list[Served]:
    """Every file a run of the app puts in Streamlit's media store, in order.

    AppTest's media store lives only for the length of one run, so the files are kept as they are
    stored; the store itself still stores them.
    """
    files: list[Served] = []
    store = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes):
            files.append(Served(filename, mimetype, path_or_data))
        return store(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files
