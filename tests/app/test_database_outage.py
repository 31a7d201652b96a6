"""Neo4j stopped while every page is open: one sentence within 5 s each; when it returns, the next click works.

A second real server on free ports is started, seeded, stopped and
started again under ten open pages (AppTest sessions kept across the outage).
"""

from __future__ import annotations

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from devtools import local_neo4j as server
from explorer.config import PROJECT_ROOT, load_settings
from explorer.db import Graph
from tests.app.rendered import shown
from tests.app.seed import seed
from tests.conftest import free_port

pytestmark = [pytest.mark.app, pytest.mark.slow]
APP = str(PROJECT_ROOT / "app.py")
PAGES = ["overview", "investigations", "explore", "profile", "rings", "load", "console", "watchlist",
         "map_timeline", "audit"]  # fmt: skip


@pytest.fixture
def spare_server(monkeypatch, tmp_path):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NEO4J_HTTP_PORT", str(free_port()))
    monkeypatch.setenv("NEO4J_HEAP", "512m")
    monkeypatch.setenv("NEO4J_PAGECACHE", "128m")
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    settings = load_settings()
    server.start(settings)
    with Graph.connect(settings) as graph:
        graph.clear()
        graph.apply_schema()
        seed(graph)
    yield settings
    server.stop(settings)
    shutil.rmtree(server.LocalServer(settings).home, ignore_errors=True)


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def test_every_page_through_an_outage(spare_server):
    open_pages = {page: _open(page) for page in PAGES}
    for page, at in open_pages.items():
        assert not at.exception and not at.error, (page, [e.value for e in at.error])

    server.stop(spare_server)
    for page, at in open_pages.items():
        started = time.monotonic()
        at.run()
        elapsed = time.monotonic() - started
        assert not at.exception, page
        assert elapsed < 5, (page, elapsed)
        if page == "audit":  # the audit trail lives in SQLite: the page keeps working without Neo4j
            assert at.dataframe or at.info, page
            continue
        messages = [shown(e.value) for e in at.error]
        expected = f"Neo4j is not answering at {spare_server.uri}"
        assert any(expected in m for m in messages), (page, messages)

    server.start(spare_server)
    for page, at in open_pages.items():
        at.run()
        assert not at.exception and not at.error, (page, [e.value for e in at.error])
