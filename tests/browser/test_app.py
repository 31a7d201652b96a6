"""The served app in headless Chromium: the graph canvas, clicks reaching Python, uploads, and a database down.

Screenshots of each step go to test-artifacts/; with EXPLORER_UPDATE_SCREENSHOTS=1 the main pages'
screenshots are also copied into docs/screenshots/ for the README.
"""

from __future__ import annotations

import pytest

from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.config import PROJECT_ROOT
from explorer.picture import WATCHED_BORDER
from explorer.subgraph import subgraph_from_columns
from tests.app.seed import seed
from tests.browser.conftest import GRAPH_FRAME, free_port, serve, stop
from tests.browser.steps import (
    NETWORK,
    PINNED,
    POSITIONS,
    choose,
    click_node,
    idle,
    search_and_show,
    shoot,
    wait_for_nodes,
    wait_tables,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_var(tmp_path_factory):
    """The served app's EXPLORER_VAR_DIR: a canvas, a watch list and saved mappings of its own."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def app_url(graph, app_var):
    graph.clear()
    graph.apply_schema()
    seed(graph, AnalystStore(app_var / STORE_FILE))
    process, url = serve({"EXPLORER_VAR_DIR": str(app_var)})
    yield url
    stop(process)


def test_main_pages(app_url, page, artifacts_dir):
    for name, path, marker in [  # overview and rings for the README come from the demo data
        ("overview-seed", "/", "Latest loads"),
        ("rings-seed", "/rings", "Key intermediaries"),
        ("watchlist", "/watchlist", "Hits in the graph"),
        ("map-timeline", "/map_timeline", "Events over time"),
    ]:
        page.goto(app_url + path)
        page.get_by_text(marker, exact=True).wait_for()
        wait_tables(page)
        if name == "rings-seed":
            page.wait_for_function(f"() => ({NETWORK})() !== null")
        assert page.locator("[data-testid='stException']").count() == 0
        shoot(page, artifacts_dir, name, docs=not name.endswith("-seed"))


def test_the_language_follows_the_address_through_pages_and_reloads(app_url, page):
    page.goto(app_url + "/rings?lang=zh")
    page.get_by_role("heading", name="团伙与中间人").first.wait_for()
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Rings and intermediaries").first.wait_for()
    page.wait_for_url(lambda url: "lang=" not in url)  # the default language adds nothing to the address
    page.get_by_text("简体中文", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/rings?lang=zh"))
    page.get_by_role("link", name="总览").click()  # another page keeps it
    page.wait_for_url(lambda url: url.endswith("/?lang=zh"))
    page.reload()
    page.get_by_role("heading", name="总览").first.wait_for()


def test_search_click_and_expand(app_url, page, artifacts_dir):
    page.goto(app_url + "/explore")
    search_and_show(page, "138 0013 8003")
    wait_for_nodes(page, 5)  # the phone, its holder, two phones it called, the case
    # The seed watches this phone (the analyst store): its border says so on the canvas.
    border = page.evaluate(
        f"() => {{ const n = ({NETWORK})(); const p = n.body.data.nodes.get("
        "{filter: x => x.label === '+8613800138003'})[0]; return p && p.color && p.color.border; }"
    )
    assert border == WATCHED_BORDER
    shoot(page, artifacts_dir, "explore-1-neighbourhood")
    click_node(page, "Broker Chen")
    page.get_by_role("heading", name="Person: Broker Chen").wait_for()
    shoot(page, artifacts_dir, "explore-2-selected")
    before = page.evaluate(POSITIONS)
    page.get_by_role("button", name="Expand", exact=True).click()
    wait_for_nodes(page, 7)  # his bank account and his ring joined
    page.get_by_text("2 neighbour(s) added.").wait_for()
    after = page.evaluate(POSITIONS)
    assert len(after) == 7
    for node_id, (x, y) in before.items():  # the picture grew around what was already on screen
        assert abs(after[node_id][0] - x) < 0.5 and abs(after[node_id][1] - y) < 0.5
    shoot(page, artifacts_dir, "explore-3-expanded")
    page.frame_locator(GRAPH_FRAME).get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_function(PINNED, arg="Broker Chen")


def test_graph_saves_as_png(app_url, page, artifacts_dir):
    page.goto(app_url + "/explore")
    search_and_show(page, "138 0013 8003")
    wait_for_nodes(page, 5)
    picture = page.frame_locator(GRAPH_FRAME).frame_locator("#picture")
    with page.expect_download() as download:
        picture.get_by_role("button", name="Save PNG").click()
    path = artifacts_dir / "explore-graph.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000  # a real picture, not an empty canvas


def test_saved_investigation_is_drawn(app_url, graph, page, artifacts_dir):
    from explorer import catalog

    investigation = catalog.load_catalog()["neighbourhood"]
    result = investigation.run(graph, value="138 0013 8003", hops=1)
    draw = investigation.draw
    expected = len(
        subgraph_from_columns(result.records, list(draw.nodes + draw.relationships + draw.paths), draw.score)
    )
    assert expected == 5  # the phone, its holder, the two phones it called, and the case
    page.goto(app_url + "/investigations")
    choose(page, "Category", investigation.category)
    choose(page, "Investigation", investigation.title)
    page.get_by_label("value", exact=True).fill("138 0013 8003")
    choose(page, "hops", "1")
    page.get_by_role("button", name="Run", exact=True).click()
    wait_for_nodes(page, expected)
    wait_tables(page)
    shoot(page, artifacts_dir, "investigations-seed")


def test_console_result_is_drawn(app_url, graph, page, artifacts_dir):
    expected = graph.read_value(
        "MATCH (p:Person)-[r]-(x) WITH collect(DISTINCT p) + collect(DISTINCT x) AS nodes "
        "UNWIND nodes AS n RETURN count(DISTINCT n)"
    )
    assert expected == 14  # four people, four phones, two accounts, an address, a case and two rings
    page.goto(app_url + "/console")
    page.get_by_role("button", name="Run read-only").click()
    wait_for_nodes(page, expected)
    shoot(page, artifacts_dir, "console", docs=True)


def test_upload_shows_the_summary(app_url, page, artifacts_dir, tmp_path):
    from loaders import api

    cdr = next(p for p in (PROJECT_ROOT / "tests" / "data" / "samples").iterdir() if p.name.startswith("cdr_"))
    expected = api.validate(cdr, rejects_dir=tmp_path)  # a dry run gives the counts the load will report
    page.goto(app_url + "/load")
    page.locator("input[type='file']").set_input_files(str(cdr))
    page.get_by_text("Detected mapping:").wait_for()
    wait_tables(page)
    shoot(page, artifacts_dir, "load-1-preview")
    page.get_by_role("button", name="Load into the graph").click()
    page.get_by_text(f"Summary of {cdr.name}").wait_for()
    read = page.locator("[data-testid='stMetric']").filter(has_text="rows read")
    assert read.locator("[data-testid='stMetricValue']").inner_text() == f"{expected.rows_read:,}"
    rejected = page.locator("[data-testid='stMetric']").filter(has_text="rows rejected")
    assert rejected.locator("[data-testid='stMetricValue']").inner_text() == f"{expected.rows_rejected:,}"
    shoot(page, artifacts_dir, "load", docs=True)


def test_an_export_no_mapping_reads_loads_through_a_mapping_uploaded_beside_it(app_url, app_var, page, monkeypatch):
    from loaders import saved_mappings

    monkeypatch.setenv("EXPLORER_VAR_DIR", str(app_var))  # this process looks into the served app's folder
    bill = PROJECT_ROOT / "tests" / "data" / "unseen" / "wechatpay_bill.csv"
    page.goto(app_url + "/load")
    page.locator("input[type='file']").first.set_input_files(str(bill))
    page.get_by_text("header looks to be on row 16").first.wait_for()  # nothing reads it yet
    page.get_by_text("Use a mapping of your own (YAML)").click()
    page.locator("input[type='file']").nth(1).set_input_files(str(PROJECT_ROOT / "docs/examples/wechatpay_bill.yaml"))
    page.get_by_text("Mapping wechatpay_bill saved and chosen").wait_for()
    wait_tables(page)
    page.get_by_text("老K").first.wait_for(state="attached")  # the preview (a canvas grid) reads the bill through it
    page.get_by_role("button", name="Load into the graph").click()
    page.get_by_text(f"Summary of {bill.name}").wait_for()
    written = page.locator("[data-testid='stMetric']").filter(has_text="rows written")
    assert written.locator("[data-testid='stMetricValue']").inner_text() == "4"
    idle(page)
    forget = page.get_by_role("button", name="Forget it")  # a mapping saved by mistake is not offered for ever
    if not forget.is_visible():
        page.get_by_text("Use a mapping of your own (YAML)").click()
    forget.click()
    # Gone, though its file is still in the uploader: a mapping is saved once per upload.
    page.get_by_text("Saved mappings").wait_for(state="detached")
    idle(page)
    assert page.get_by_text("Saved mappings").count() == 0
    assert "wechatpay_bill" not in {m.name for m in saved_mappings.saved()}


def test_database_down_shows_the_sentence(page, artifacts_dir):
    port = free_port()
    process, url = serve({"NEO4J_URI": f"bolt://127.0.0.1:{port}"})
    try:
        page.goto(url + "/explore")
        page.get_by_text(f"Neo4j is not answering at bolt://127.0.0.1:{port}").first.wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        shoot(page, artifacts_dir, "database-down")
    finally:
        stop(process)
