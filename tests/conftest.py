"""Shared fixtures: the real Neo4j server, a clean graph, the datasets folder.

Under CI=true a missing server, browser or dataset fails the run instead of
skipping, so a green CI always means the real parts were exercised.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools import throwaway
from explorer.config import PROJECT_ROOT, load_settings
from explorer.db import Graph
from explorer.exceptions import ExplorerError

IN_CI = os.environ.get("CI", "").lower() == "true"
# The suite's loads run in pytest's own thread, which a load's nice value (19 by default) would keep for the
# rest of the run, with every process started after it; tests/unit/test_load_priority.py tests the lever.
os.environ.setdefault("EXPLORER_LOAD_NICE", "0")
DATA = PROJECT_ROOT / "tests" / "data"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def missing(reason: str) -> None:
    """Skip locally, fail under CI: the real part must be there in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port nothing listens on now (for a throwaway second server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop before the first test when the tests would empty a database that holds data (devtools.throwaway)."""
    if all(Path(item.path).is_relative_to(PROJECT_ROOT / "tests" / "unit") for item in session.items):
        return
    try:
        with Graph.connect(load_settings()) as graph:
            why = throwaway.refusal(graph)
    except ExplorerError:
        return  # no server: the fixtures that need one say so
    if why:
        pytest.exit(why, returncode=3)


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def graph(settings) -> Iterator[Graph]:
    g = Graph.connect(settings)
    try:
        g.ping()
    except ExplorerError as e:
        g.close()
        missing(f"Neo4j is not running: {e}")
    yield g
    g.close()


@pytest.fixture
def empty_graph(graph: Graph) -> Graph:
    """The real database, emptied, with the schema applied."""
    graph.clear()
    graph.apply_schema()
    return graph


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    path = Path(os.environ.get("EXPLORER_DATASETS", PROJECT_ROOT.parent / "shared" / "datasets"))
    if not path.is_dir():
        missing(f"real datasets folder {path} is absent (set EXPLORER_DATASETS)")
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run: the browser tests and any other test that needs a page."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        missing("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1300})
    # Waits end as soon as the page is there; the bound only matters on a machine shared with other
    # work, where a new Streamlit session has taken over 30 s to draw its first page.
    context.set_default_timeout(90_000)
    tab = context.new_page()
    yield tab
    context.close()
