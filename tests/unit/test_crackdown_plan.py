"""A crackdown plan in words and pictures, on graphs small enough to check by hand."""

from __future__ import annotations

import itertools

from explorer.crackdown import as_json, as_table, components_subgraph, explain, plan_crackdown
from explorer.crackdown.search import Network
from explorer.i18n import text


def barbell() -> Network:
    """Two cliques of five (0-4, 8-12) joined through people 5, 6 and 7; 0 supplies, 9 and 10 buy."""
    edges = list(itertools.combinations(range(5), 2)) + list(itertools.combinations(range(8, 13), 2))
    edges += [(4, 5), (5, 6), (6, 7), (7, 8)]
    keys = [f"k{i}" for i in range(13)]
    return Network(keys, [f"P{i}" for i in range(13)], edges, sources=frozenset({0}), buyers=frozenset({9, 10}))


def test_the_bridge_is_explained_by_what_it_separates():
    result = plan_crackdown(barbell(), 2)
    first = explain(result, 1)
    assert [a.key for a in first] == ["k6"]
    assert first[0].reason.startswith(
        "separates 6 people from their group of 13 (it falls into 2 parts, the largest 6)"
    )
    assert "cuts 2 buyers off from every source" in first[0].reason


def test_a_later_arrest_is_explained_after_those_before_it():
    result = plan_crackdown(barbell(), 2)
    second = explain(result)[1]
    assert second.reason.startswith("after those above, ")
    assert len(explain(result)) == 2


def test_json_has_the_issue_shape():
    out = as_json(plan_crackdown(barbell(), 3))
    assert [set(p) for p in out["plan"]] == [{"name", "key", "reason"}] * 3
    assert set(out["strategies"]) == {"degree", "betweenness", "betweenness_recomputed", "greedy", "plan"}
    for rows in out["strategies"].values():
        assert len(rows) == 3
        assert all(set(r) == {"lcc_share", "pairwise_connectivity", "buyers_cut"} for r in rows)
    assert out["strategies"]["plan"][0] == {"lcc_share": round(6 / 13, 4), "pairwise_connectivity": 30, "buyers_cut": 2}


def test_table_lists_the_plan_and_every_strategy():
    table = as_table(plan_crackdown(barbell(), 2))
    # Two arrests: both ends of the bridge, leaving 4 + 3 + 4 (one arrest at a time, the middle goes first).
    assert "P4 [k4]" in table and "P8 [k8]" in table
    for title in ("degree", "betweenness (once)", "betweenness (recomputed)", "greedy", "plan (set search)"):
        assert title in table
    assert "Buyers cut off from every source by the plan: 2" in table


def test_picture_marks_the_arrested_and_colours_the_groups_left():
    network = barbell()
    picture = components_subgraph(network, [6])
    assert len(picture.nodes) == 13
    assert picture.nodes["k6"].props["ring_id"] == text("crackdown.removed")
    assert all("k6" not in (e.source, e.target) for e in picture.edges.values())
    groups = {n.props["ring_id"] for key, n in picture.nodes.items() if key != "k6"}
    assert groups == {text("crackdown.group", n=1, size=6), text("crackdown.group", n=2, size=6)}
    whole = components_subgraph(network, [])
    assert {n.props["ring_id"] for n in whole.nodes.values()} == {text("crackdown.group", n=1, size=13)}
    assert len(whole.edges) == len(network.edges)
