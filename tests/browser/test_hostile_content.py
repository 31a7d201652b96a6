"""Hostile content from seized data runs nowhere, and the Neo4j password shows nowhere.

Names, numbers, posts and memos carrying `<script>`, `<img onerror>` and
friends are loaded into the graph, drawn by the app (tables, graph, hovered
tooltips) and exported as HTML; every payload would set `window.__pwned` or
open a dialog if it ran. Neither may happen, in any frame.
"""

from __future__ import annotations

import subprocess

import pytest

from explorer import report
from explorer.config import DEFAULTS, PROJECT_ROOT
from explorer.picture import Picture
from explorer.subgraph import subgraph_from_records
from tests.browser.conftest import GRAPH_FRAME, serve, stop
from tests.browser.steps import NETWORK, SEARCH_FRAME

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "\"><img src=x onerror=window.__pwned='attr'>",
    "</script><script>window.__pwned='close'</script>",
    "<img src=x onerror=alert('dialog')>",
    "<iframe srcdoc=\"<script>parent.__pwned='srcdoc'</script>\"></iframe>",
]
SEED = """
UNWIND range(0, size($payloads) - 1) AS i
CREATE (p:Person {person_id: 'x' + i, name: $payloads[i], aliases: [$payloads[i]], ring_id: 7, role: 'courier'})
CREATE (ph:Phone {number: '+86138000000' + i, carrier: $payloads[i]})
CREATE (p)-[:HAS_PHONE {load_id: 'l1', row: i, sources: ['l1#' + i], note: $payloads[i]}]->(ph)
CREATE (p)-[:MEMBER_OF {role: 'courier', reason: $payloads[i]}]->(:Ring {ring_id: 7 + i * 1000})
"""


def _pwned(page) -> list[str]:
    found = []
    for frame in page.frames:
        try:
            value = frame.evaluate("() => window.__pwned || (window.parent && window.parent.__pwned) || null")
        except Exception:  # a frame that navigated away cannot run anything either
            continue
        if value:
            found.append(str(value))
    return found


def _all_html(page) -> str:
    parts = []
    for frame in page.frames:
        try:
            parts.append(frame.content())
        except Exception:
            continue
    return "\n".join(parts)


@pytest.fixture(scope="module")
def hostile_app(graph):
    graph.clear()
    graph.apply_schema()
    graph.write(SEED, {"payloads": PAYLOADS})
    process, url = serve()
    yield url, process
    stop(process)


def test_console_table_graph_and_tooltips_run_no_payload(hostile_app, graph, page, artifacts_dir, settings):
    url, _ = hostile_app
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + "/console")
    page.get_by_role("button", name="Run read-only").click()
    page.wait_for_function(f"() => {{ const n = ({NETWORK})(); return n && n.body.data.nodes.length >= 14; }}")
    # Hover every node and edge so vis-network builds each tooltip.
    points = page.evaluate(
        f"""() => {{
      const n = ({NETWORK})();
      const frame = document.querySelector('{GRAPH_FRAME}').getBoundingClientRect();
      const inner = document.querySelector('{GRAPH_FRAME}').contentDocument.getElementById('picture')
        .getBoundingClientRect();
      const pos = n.getPositions();
      return Object.keys(pos).map(id => {{
        const d = n.canvasToDOM(pos[id]);
        return [frame.left + inner.left + d.x, frame.top + inner.top + d.y];
      }});
    }}"""
    )
    page.locator(GRAPH_FRAME).scroll_into_view_if_needed()
    for x, y in points:
        page.mouse.move(x, y)
        page.mouse.move(x + 1, y + 1)
    page.wait_for_timeout(500)  # vis-network opens a tooltip after a short hover delay; nothing to wait on
    page.screenshot(path=str(artifacts_dir / "hostile-console.png"), full_page=True)
    assert _pwned(page) == [] and dialogs == []
    html = _all_html(page)
    assert "<script>window.__pwned" not in html
    assert settings.password not in html


def test_exported_html_runs_no_payload(hostile_app, graph, page, tmp_path, settings):
    records = graph.read("MATCH (p:Person)-[r]-(x) RETURN p, r, x").records
    pages = {
        "graph.html": Picture(subgraph_from_records(records), title=PAYLOADS[0]).html(),
        "package.html": report.target_package(graph, 7),
    }
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for name, text in pages.items():
        assert settings.password not in text
        assert "<script>window.__pwned" not in text and "<img src=x onerror" not in text
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert _pwned(page) == [] and dialogs == [], name


def test_neo4j_password_never_shown_in_pages_logs_or_errors(hostile_app, page, settings):
    """A canary password that Neo4j refuses: the error page and the server log must not contain it."""
    canary = "Canary-Pw-7f3a91c2e5"
    process, url = serve({"NEO4J_USERNAME": "canary-user", "NEO4J_PASSWORD": canary})
    try:
        page.goto(url + "/")
        page.get_by_text("refused the username or password").first.wait_for(timeout=90_000)
        for path in ("/explore", "/console"):
            page.goto(url + path)
            page.get_by_text("refused the username or password").first.wait_for(timeout=90_000)
            assert canary not in _all_html(page)
        assert canary not in _all_html(page)
    finally:
        stop(process)
    log = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    assert canary not in log
    _, real = hostile_app
    assert real.poll() is None  # still serving; its own log is checked in the next test


def test_configured_password_not_in_repo_or_logs(settings):
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    holders = []
    for name in tracked.stdout.splitlines():
        path = PROJECT_ROOT / name
        if path.is_file() and settings.password.encode() in path.read_bytes():
            holders.append(name)
    # The built-in development default is documented in config.py; any other password must appear nowhere.
    allowed = ["explorer/config.py"] if settings.password == DEFAULTS["NEO4J_PASSWORD"] else []
    assert holders == allowed
    logs = [p for p in (PROJECT_ROOT / ".neo4j").rglob("*.log")] + list((PROJECT_ROOT / "var").rglob("*"))
    leaked = [str(p) for p in logs if p.is_file() and settings.password.encode() in p.read_bytes()]
    assert leaked == []


def test_search_suggestions_show_payloads_as_text(hostile_app, page):
    url, _ = hostile_app
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + "/explore")
    box = page.frame_locator(SEARCH_FRAME)
    box.locator("input").fill("script")
    box.get_by_role("option").first.wait_for()
    shown = box.get_by_role("option").all_inner_texts()
    assert any("<script>window.__pwned" in option for option in shown), shown  # the name, as plain text
    assert _pwned(page) == [] and dialogs == []
