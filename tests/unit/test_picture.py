"""The graph picture: styles, escaping, server-side layout, caps, aggregation and hub collapsing."""

from __future__ import annotations

import json
import math
import re

import pytest

from explorer import picture, subgraph
from explorer.picture import Picture
from explorer.subgraph import GraphEdge, GraphNode, Subgraph


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
    style = picture.node_style(node)
    assert "<img" not in style["title"] and "<script>" not in style["title"]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in style["title"]
    page = Picture(Subgraph({"a": node}, {})).html()
    assert "<img src=x" not in page and "<script>bad()" not in page


def test_per_label_style_size_by_score_and_colour_by_ring():
    low = GraphNode("a", ["Person"], {"name": "A", "betweenness": 0.01, "ring_id": 1})
    high = GraphNode("b", ["Person"], {"name": "B", "betweenness": 1.0, "ring_id": 2})
    phone = GraphNode("c", ["Phone"], {"number": "+8613800138000"})
    assert picture.node_style(phone)["shape"] == "triangle"
    assert picture.node_style(phone)["label"] == "+8613800138000"
    assert picture.node_style(high, max_score=1.0)["size"] > picture.node_style(low, max_score=1.0)["size"]
    assert picture.node_style(low, color_by="ring")["color"] == picture.ring_colour(1)
    assert picture.node_style(low, color_by="ring")["color"] != picture.node_style(low)["color"]


def test_edge_width_grows_with_weight():
    assert picture.edge_style(GraphEdge("e", "a", "b", "CONTACT", {"weight": 50}))["width"] > 3
    assert picture.edge_style(GraphEdge("e", "a", "b", "KNOWS", {}))["width"] == 1


def _nodes_in_page(page: str) -> list[dict]:
    return json.loads(re.search(r"nodes = new vis.DataSet\((\[.*?\])\);", page, re.S).group(1))


def test_page_is_offline_with_legend_and_positions_computed_before_drawing():
    page = Picture(star(5), legend_title="Legend").html()
    assert "cdn.jsdelivr" not in page  # nothing fetched from the network
    assert 'id="legend"' in page and "Person" in page and "Site" in page
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page).group(1))
    assert options["physics"]["enabled"] is False  # the first frame is the final picture
    assert options["edges"]["smooth"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    nodes = _nodes_in_page(page)
    assert len(nodes) == 6 and all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert 'network.once("afterDrawing", ready)' in page
    assert "downloadPng" in page


def test_layout_spreads_nodes_and_keeps_neighbours_close():
    g = Subgraph()
    for ring in range(2):  # two dense groups joined by one edge
        for i in range(8):
            g.add_node(GraphNode(f"r{ring}n{i}", ["Person"], {}))
        for i in range(8):
            for j in range(i + 1, 8):
                g.add_edge(GraphEdge(f"r{ring}e{i}-{j}", f"r{ring}n{i}", f"r{ring}n{j}", "CALLED", {}))
    g.add_edge(GraphEdge("bridge", "r0n0", "r1n0", "CALLED", {}))
    pos = subgraph.layout(g)
    assert set(pos) == set(g.nodes)
    assert len({(round(x), round(y)) for x, y in pos.values()}) == len(pos)  # no two nodes on one spot

    def centre(ring: int) -> tuple[float, float]:
        xs, ys = zip(*(pos[f"r{ring}n{i}"] for i in range(8)), strict=True)
        return sum(xs) / 8, sum(ys) / 8

    within = max(math.dist(pos[f"r0n{i}"], centre(0)) for i in range(8))
    assert math.dist(centre(0), centre(1)) > within  # the two groups are drawn apart
    assert subgraph.layout(g) == pos  # deterministic: the same subgraph, the same picture


def test_a_pair_is_drawn_at_a_readable_distance():
    g = Subgraph()
    g.add_node(GraphNode("phone", ["Phone"], {"number": "1"}))
    g.add_node(GraphNode("person", ["Person"], {"name": "A"}))
    g.add_edge(GraphEdge("e", "person", "phone", "USES", {}))
    pos = subgraph.layout(g)
    assert 50 < math.dist(pos["phone"], pos["person"]) < 400  # about one edge length, not a speck at each end


def test_expanding_keeps_every_placed_node_where_it_was():
    before = star(6)
    placed = subgraph.layout(before)
    grown = star(6)
    for i in range(4):
        grown.add_node(GraphNode(f"new{i}", ["Phone"], {"number": str(i)}))
        grown.add_edge(GraphEdge(f"ne{i}", "p2", f"new{i}", "USES", {}))
    after = subgraph.layout(grown, placed)
    assert all(after[n] == placed[n] for n in placed)
    spread = max(math.dist(placed[a], placed[b]) for a in placed for b in placed)
    assert all(math.dist(after[f"new{i}"], placed["p2"]) < spread for i in range(4))
    moved = subgraph.layout(grown, placed, keep=["hub"])  # only the pinned hub is held
    assert moved["hub"] == placed["hub"]


def test_pinned_nodes_are_fixed_in_the_page():
    page = Picture(star(3), pinned=frozenset({"p1"})).html()
    nodes = {n["id"]: n for n in _nodes_in_page(page)}
    assert nodes["p1"]["fixed"] == {"x": True, "y": True}
    assert nodes["p0"]["fixed"] == {"x": False, "y": False}  # said outright: an unpinned node loses its pin


def test_items_for_a_running_network_match_the_page():
    drawn = Picture(star(3), pinned=frozenset({"p1"}), positions={"p0": (10.0, -20.0)})
    nodes, edges = picture.vis_items(drawn)
    assert nodes == _nodes_in_page(drawn.html())
    assert [n["id"] for n in nodes] == sorted(star(3).nodes)
    assert next((n["x"], n["y"]) for n in nodes if n["id"] == "p0") == (10.0, -20.0)
    assert {(e["from"], e["to"], e["arrows"]) for e in edges} == {
        (e.source, e.target, "to") for e in star(3).edges.values()
    }
    assert 'id="legend"' in picture.overlay_html(drawn) and 'id="png-button"' in picture.overlay_html(drawn)
    assert 'id="png-button"' not in picture.overlay_html(Picture(star(3), png_label=None))


def test_same_subgraph_gives_the_same_page():
    assert Picture(star(4)).html() == Picture(star(4)).html()


def test_hubs_that_are_not_criminal_are_found_and_collapsed():
    g = star(60)
    assert subgraph.hubs(g, min_degree=50) == ["hub"]
    assert subgraph.hubs(star(60, hub_props={"name": "boss", "ring_id": 1}), min_degree=50) == []
    collapsed = subgraph.collapse_hubs(g, ["hub"])
    assert collapsed.nodes["hub"].props["collapsed_links"] == 60
    assert set(collapsed.nodes) == {"hub", "p0", "p1"}  # the leaves only the hub explained are gone
    assert list(collapsed.edges) == ["x"]


@pytest.mark.parametrize(
    ("by", "groups"),
    [("label", {"group:Person", "group:Site"}), ("ring", {"group:0", "group:1", "group:2", "group:-"})],
)
def test_aggregate(by, groups):
    agg = subgraph.aggregate(star(30), by)
    assert set(agg.nodes) == groups
    assert sum(n.props["count"] for n in agg.nodes.values()) == 31
    if by == "label":
        assert agg.edges["group:Person|Site"].props["weight"] == 30


def test_aggregate_names_each_group_in_the_analysts_words():
    from explorer import human

    agg = subgraph.aggregate(star(30), "label", caption=lambda label: human.kind(label, "zh"))
    assert {n.props["name"] for n in agg.nodes.values()} == {"人员 (30)", f"{human.kind('Site', 'zh')} (1)"}
    assert {n.props["group"] for n in agg.nodes.values()} == {"Person", "Site"}  # the label itself, to open it


def test_subgraph_drops_lines_to_nowhere():
    g = Subgraph({"a": GraphNode("a", ["Person"], {})}, {"e": GraphEdge("e", "a", "zz", "KNOWS", {})})
    assert g.restricted().edges == {}


def test_most_connected_keeps_criminal_and_central_nodes_first():
    g = star(30)  # persons carry a ring id, the forum hub does not
    g.add_node(GraphNode("loner", ["Phone"], {"number": "1"}))
    top = subgraph.most_connected(g, 5)
    assert len(top) == 5
    assert all("ring_id" in node.props for node in top.nodes.values())
    assert "p0" in top.nodes and "p1" in top.nodes  # the two with an extra link rank above the other members
    assert all(e.source in top.nodes and e.target in top.nodes for e in top.edges.values())
    assert len(subgraph.most_connected(g, 100)) == len(g)
