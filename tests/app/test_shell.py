"""The app shell: sidebar connection facts, and the sentence when Neo4j is down."""

import shutil
import time

import pytest
from streamlit.testing.v1 import AppTest

from devtools import local_neo4j as server
from explorer.config import PROJECT_ROOT, load_settings
from explorer.i18n import text
from tests.app.rendered import shown
from tests.conftest import free_port

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")


def test_sidebar_shows_server_and_counts(empty_graph):
    empty_graph.write("CREATE (:Person {person_id: 'a', name: 'A'})-[:KNOWS]->(:Person {person_id: 'b', name: 'B'})")
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    sidebar = shown(" ".join(m.value for m in at.sidebar.markdown))
    assert "5.26" in sidebar
    assert "2 nodes" in sidebar and "1 relationships" in sidebar


def test_database_down_then_back(monkeypatch):
    """Stop a real server under the app: one sentence within 5 s, then recovery."""
    bolt, http = free_port(), free_port()
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{bolt}")
    monkeypatch.setenv("NEO4J_HTTP_PORT", str(http))
    monkeypatch.setenv("NEO4J_HEAP", "512m")
    monkeypatch.setenv("NEO4J_PAGECACHE", "128m")
    settings = load_settings()
    server.start(settings)
    try:
        at = AppTest.from_file(APP, default_timeout=90).run()
        assert not at.exception and not at.error
        server.stop(settings)
        started = time.monotonic()
        at = AppTest.from_file(APP, default_timeout=90)
        at.run()
        elapsed = time.monotonic() - started
        assert not at.exception
        assert elapsed < 5
        messages = [shown(e.value) for e in at.error]
        assert any(f"Neo4j is not answering at bolt://127.0.0.1:{bolt}" in m for m in messages)
        assert all("Traceback" not in m for m in messages)
        server.start(settings)
        # A restarted server compiles every query afresh: on a busy machine the first run is slow, not broken.
        at = AppTest.from_file(APP, default_timeout=120)
        at.run()
        assert not at.exception and not at.error
        assert "5.26" in shown(" ".join(m.value for m in at.sidebar.markdown))
    finally:
        server.stop(settings)
        shutil.rmtree(server.LocalServer(settings).home, ignore_errors=True)


@pytest.mark.parametrize("page", ["explore", "audit"])
def test_first_visit_to_a_page_address_runs_through_the_router(empty_graph, page):
    """AppTest starts each run as a fresh server does: Streamlit still in pages-folder mode."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    # The sidebar's server facts come from app.py, so the page ran inside the router.
    assert "5.26" in shown(" ".join(m.value for m in at.sidebar.markdown))
    assert at.title[0].value == text(f"page.{page}")
