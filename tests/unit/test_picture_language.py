"""Legends, tooltips and kinds of the graph picture in the analyst's language."""

from __future__ import annotations

from explorer import picture
from explorer.picture import Picture
from explorer.subgraph import GraphEdge, GraphNode, Subgraph


def ring() -> Subgraph:
    g = Subgraph()
    g.add_node(GraphNode("a", ["Person"], {"name": "王强", "role": "organiser", "ring_id": "r1", "loads": ["x", "y"]}))
    g.add_node(GraphNode("b", ["Phone"], {"number": "+8613800138001"}))
    g.add_edge(GraphEdge("e", "a", "b", "HAS_PHONE", {}))
    return g


def test_chinese_legend_and_tooltips():
    page = Picture(ring(), legend_title="图例", lang="zh").html()
    assert "人员" in page and "电话" in page  # the legend's labels
    assert picture.edge_style(ring().edges["e"], "zh")["title"] == "<b>使用电话</b>"
    assert [name for name, _, _ in picture.legend_entries(ring(), "role", "zh")] == ["无角色", "组织者"]
    # A node with no ring or role is named as such, in either language.
    assert [name for name, _, _ in picture.legend_entries(ring(), "ring", "en")] == ["no ring", "r1"]
    style = picture.node_style(ring().nodes["a"], lang="zh")
    assert style["title"].startswith("<b>人员</b>") and "2 项" in style["title"]


def test_without_a_language_the_picture_speaks_as_stored():
    assert [name for name, _, _ in picture.legend_entries(ring())] == ["Person", "Phone"]
    assert picture.node_style(ring().nodes["a"])["title"].startswith("<b>Person</b>")
