"""The graph picture: styles, escaping, physics that stops, caps, aggregation and hub collapsing."""

from __future__ import annotations

import json
import re

import pytest

from explorer import graphviz
from explorer.graphviz import GraphEdge, GraphNode, Picture, Subgraph


def star(leaves: int, *, hub_props: dict | None = None) -> Subgraph:
    g = Subgraph()
    g.add_node(GraphNode("hub", ["Site"], hub_props or {"name": "forum"}))
    for i in range(leaves):
        g.add_node(GraphNode(f"p{i}", ["Person"], {"name": f"p{i}", "ring_id": i % 3}))
        g.add_edge(GraphEdge(f"e{i}", f"p{i}", "hub", "POSTED_ON", {}))
    g.add_edge(GraphEdge("x", "p0", "p1", "KNOWS", {"weight": 20}))
    return g


def test_tooltips_escape_hostile_values():
    hostile = '<img src=x onerror="alert(1)">'
    node = GraphNode("a", ["Person"], {"name": hostile, "note": "<script>bad()</script>"})
    style = graphviz.node_style(node)
    assert "<img" not in style["title"] and "<script>" not in style["title"]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in style["title"]
    page = Picture(Subgraph({"a": node}, {})).html()
    assert "<img src=x" not in page and "<script>bad()" not in page


def test_per_label_style_size_by_score_and_colour_by_ring():
    low = GraphNode("a", ["Person"], {"name": "A", "betweenness": 0.01, "ring_id": 1})
    high = GraphNode("b", ["Person"], {"name": "B", "betweenness": 1.0, "ring_id": 2})
    phone = GraphNode("c", ["Phone"], {"number": "+8613800138000"})
    assert graphviz.node_style(phone)["shape"] == "triangle"
    assert graphviz.node_style(phone)["label"] == "+8613800138000"
    assert graphviz.node_style(high, max_score=1.0)["size"] > graphviz.node_style(low, max_score=1.0)["size"]
    assert graphviz.node_style(low, color_by="ring")["color"] == graphviz.ring_colour(1)
    assert graphviz.node_style(low, color_by="ring")["color"] != graphviz.node_style(low)["color"]


def test_edge_width_grows_with_weight():
    assert graphviz.edge_style(GraphEdge("e", "a", "b", "CONTACT", {"weight": 50}))["width"] > 3
    assert graphviz.edge_style(GraphEdge("e", "a", "b", "KNOWS", {}))["width"] == 1


def test_page_is_offline_with_legend_and_physics_that_stops():
    page = Picture(star(5), legend_title="Legend").html()
    assert "cdn.jsdelivr" not in page  # nothing fetched from the network
    assert 'id="legend"' in page and "Person" in page and "Site" in page
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))
    assert options["physics"]["solver"] == "barnesHut"
    assert options["physics"]["stabilization"]["iterations"] == graphviz.STABILIZATION_ITERATIONS
    assert options["edges"]["smooth"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    assert 'network.once("stabilizationIterationsDone", freeze)' in page
    assert "network.setOptions({physics: false})" in page
    assert "downloadPng" in page


def test_same_subgraph_gives_the_same_page():
    assert Picture(star(4)).html() == Picture(star(4)).html()


def test_hubs_that_are_not_criminal_are_found_and_collapsed():
    g = star(60)
    assert graphviz.hubs(g, min_degree=50) == ["hub"]
    assert graphviz.hubs(star(60, hub_props={"name": "boss", "ring_id": 1}), min_degree=50) == []
    collapsed = graphviz.collapse_hubs(g, ["hub"])
    assert collapsed.nodes["hub"].props["collapsed_links"] == 60
    assert set(collapsed.nodes) == {"hub", "p0", "p1"}  # the leaves only the hub explained are gone
    assert list(collapsed.edges) == ["x"]


@pytest.mark.parametrize(
    ("by", "groups"),
    [("label", {"group:Person", "group:Site"}), ("ring", {"group:0", "group:1", "group:2", "group:-"})],
)
def test_aggregate(by, groups):
    agg = graphviz.aggregate(star(30), by)
    assert set(agg.nodes) == groups
    assert sum(n.props["count"] for n in agg.nodes.values()) == 31
    if by == "label":
        assert agg.edges["group:Person|Site"].props["weight"] == 30


def test_subgraph_drops_lines_to_nowhere():
    g = Subgraph({"a": GraphNode("a", ["Person"], {})}, {"e": GraphEdge("e", "a", "zz", "KNOWS", {})})
    assert g.restricted().edges == {}
