"""The analyst's focus is never collapsed into a hub, a group or cut by the node cap; groups open."""

from __future__ import annotations

from explorer import subgraph
from explorer.subgraph import GraphEdge, GraphNode, Subgraph


def star(n: int) -> Subgraph:
    g = Subgraph()
    g.add_node(GraphNode("hub", ["Phone"], {"number": "+8618600000000"}))
    for i in range(n):
        g.add_node(GraphNode(f"p{i}", ["Phone"], {"number": f"+86139{i:08d}"}))
        g.add_edge(GraphEdge(f"e{i}", "hub", f"p{i}", "CALLED", {}))
    g.add_node(GraphNode("owner", ["Person"], {"name": "Wang Wei"}))
    g.add_edge(GraphEdge("own", "owner", "hub", "HAS_PHONE", {}))
    return g


def test_the_focus_is_never_a_hub():
    g = star(150)
    assert subgraph.hubs(g, 50) == ["hub"]
    assert subgraph.hubs(g, 50, keep=["hub"]) == []


def test_the_focus_survives_the_node_cap():
    g = star(150)
    top = subgraph.most_connected(g, 5, keep=["p149", "owner"])
    assert {"p149", "owner"} <= set(top.nodes)
    assert len(top) == 5


def test_the_focus_stays_itself_among_groups_and_groups_open_into_members():
    g = star(150)
    agg = subgraph.aggregate(g, "label", keep=["hub"])
    assert set(agg.nodes) == {"hub", "group:Phone", "group:Person"}
    assert agg.nodes["hub"].caption == "+8618600000000"
    assert sorted(subgraph.group_members(agg, "group:Person")) == ["owner"]
    assert len(subgraph.group_members(agg, "group:Phone")) == 150
    assert subgraph.group_members(agg, "hub") == []
    ends = {(e.source, e.target) for e in agg.edges.values()}
    assert ends == {("group:Phone", "hub"), ("group:Person", "hub")}
