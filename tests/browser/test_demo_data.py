"""The served app on the demo data: a generated trafficking scenario loaded through the loaders and analysed.

The scenario is the demo's generator at a smaller size (so the module runs in about a minute); the
pages' screenshots for the README come from here, since they show what an analyst sees on realistic
exports rather than on a hand-made seed graph.
"""

from __future__ import annotations

import dataclasses

import pytest

from devtools import demo
from devtools.scenario import generate
from explorer import analytics, browse, catalog, subgraph
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.db import Graph
from explorer.subgraph import subgraph_from_columns
from tests.browser.conftest import serve, stop
from tests.browser.steps import NODE_COUNT, choose, click_node, search_and_show, shoot, wait_for_nodes, wait_tables

pytestmark = pytest.mark.browser
PEOPLE = 1200  # the demo scale is 3,000 people; this keeps several rings, brokers and the noise population
SEED = 7


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory):
    """The served app's var folder: its analyst store (the watch list) of its own."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="module")
def demo_app(graph, tmp_path_factory, demo_var):
    folder = tmp_path_factory.mktemp("scenario")
    truth = generate(PEOPLE, SEED, folder)
    graph.clear()
    graph.apply_schema()
    assert demo.load_scenario(graph, folder) == len(truth["files"])
    analytics.run_analytics(graph)
    demo.watch_top_intermediary(graph, AnalystStore(demo_var / STORE_FILE))
    process, url = serve({"EXPLORER_VAR_DIR": str(demo_var)})
    yield url, truth
    stop(process)


def on_screen(found: subgraph.Subgraph) -> int:
    """How many nodes the view draws for this subgraph with the default hub threshold and node cap."""
    shown = subgraph.collapse_hubs(found, subgraph.hubs(found, subgraph.DEFAULT_HUB_DEGREE))
    return len(shown) if len(shown) <= subgraph.DEFAULT_NODE_CAP else -1


def test_overview_and_rings_of_the_scenario(demo_app, graph, page, artifacts_dir):
    url, truth = demo_app
    page.goto(url + "/")
    page.get_by_text("Latest loads", exact=True).wait_for()
    wait_tables(page)
    assert page.locator("[data-testid='stException']").count() == 0
    shoot(page, artifacts_dir, "overview", docs=True)

    # The largest ring the view draws node by node (bigger ones are offered grouped).
    sizes = {ring: on_screen(browse.ring_subgraph(graph, ring)) for ring in browse.rings(graph)["ring_id"]}
    ring, expected = max(sizes.items(), key=lambda item: item[1])
    assert expected > 10
    page.goto(url + "/rings")
    page.get_by_text("Key intermediaries", exact=True).wait_for()
    choose(page, "Ring", ring)
    wait_for_nodes(page, expected)
    shoot(page, artifacts_dir, "rings", docs=True)


def test_investigation_on_a_planted_broker(demo_app, graph, page, artifacts_dir):
    url, truth = demo_app
    broker = next(p for p in sorted(truth["people"].values(), key=lambda p: p["name"]) if p["role"] == "broker")
    phone = broker["phones"][0]
    investigation = catalog.load_catalog()["neighbourhood"]
    result = investigation.run(graph, value=phone, hops=1)
    draw = investigation.draw
    picture = subgraph_from_columns(result.records, list(draw.nodes + draw.relationships + draw.paths), draw.score)
    expected = on_screen(picture)
    assert expected >= 2  # the phone and at least its holder
    page.goto(url + "/investigations")
    choose(page, "Category", investigation.category)
    choose(page, "Investigation", investigation.title)
    page.get_by_label("value", exact=True).fill(phone)
    choose(page, "hops", "1")
    page.get_by_role("button", name="Run", exact=True).click()
    wait_for_nodes(page, expected)
    wait_tables(page)
    shoot(page, artifacts_dir, "investigations", docs=True)


def test_explore_a_planted_broker_and_expand(demo_app, graph, page, artifacts_dir):
    url, truth = demo_app
    broker = next(p for p in sorted(truth["people"].values(), key=lambda p: p["name"]) if p["role"] == "broker")
    page.goto(url + "/explore")
    search_and_show(page, broker["phones"][0])
    page.wait_for_function(f"() => ({NODE_COUNT})() > 1")
    shoot(page, artifacts_dir, "explore-demo-1-neighbourhood")
    click_node(page, broker["name"])  # the holder is drawn beside the phone; a click selects them
    page.get_by_role("heading", name=f"Person: {broker['name']}").wait_for()
    before = page.evaluate(NODE_COUNT)
    page.get_by_role("button", name="Expand", exact=True).click()
    page.get_by_text("neighbour(s) added.").wait_for()
    # a broker links rings: expanding adds their other contacts
    page.wait_for_function(f"n => ({NODE_COUNT})() > n", arg=before)
    shoot(page, artifacts_dir, "explore", docs=True)


def test_every_investigation_without_required_parameters_answers_with_its_defaults(demo_app, graph, demo_var):
    # An analyst opening an investigation and pressing Run without typing anything must see rows:
    # the defaults are chosen for real data, and empty optional parameters mean "any". The app's own
    # analyst store gives the watch list.
    graph = Graph(graph.driver, dataclasses.replace(graph.settings, var_dir=demo_var))
    found = catalog.load_catalog(graph)
    silent = []
    for name in found:
        inv = found[name]
        if any(p.required for p in inv.params):
            continue
        if not inv.run(graph, **{p.name: "" for p in inv.params if p.default is None}).records:
            silent.append(name)
    assert silent == []
