"""Crackdown scopes and roles on the planted world of tests/integration/world.py (two rings, a broker)."""

from __future__ import annotations

import pytest

from explorer.analytics import run_analytics
from explorer.crackdown import CrackdownError, Scope, crackdown, pull_network
from tests.integration import world

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def analysed(graph):
    graph.clear()
    graph.apply_schema()
    world.seed(graph)
    analysis = run_analytics(graph)
    assert analysis.rings
    return graph, analysis


def test_a_case_is_planned_on_the_people_it_involves(analysed):
    graph, _ = analysed
    # C-2024-002 involves Li Na's phone and Sun Li herself.
    network = pull_network(graph, Scope(case="C-2024-002"))
    assert sorted(network.keys) == ["p:a2", "p:b1"]
    with pytest.raises(CrackdownError, match="involves no one"):
        pull_network(graph, Scope(case="no-such-case"))


def test_roles_make_sources_and_buyers_and_the_plan_counts_buyers_cut(analysed):
    graph, analysis = analysed
    network = pull_network(graph)
    organisers = {u.key for u in analysis.units if u.role == "organiser"}
    assert organisers and {network.keys[v] for v in network.sources} >= organisers
    assert network.buyers
    result = crackdown(graph, Scope(), 3)
    cut = [o.buyers_cut for o in result.strategies["plan"].outcomes]
    assert all(c is not None and c >= 0 for c in cut)


def test_phones_nobody_holds_carry_paths_but_are_never_arrested(analysed):
    graph, _ = analysed
    network = pull_network(graph)
    assert network.removable is not None
    orphans = [v for v, person in enumerate(network.removable) if not person]
    assert {network.keys[v] for v in orphans} >= set(world.ORPHAN_PAYERS)
    assert all(not network.keys[v].startswith("p:") for v in orphans)
    result = crackdown(graph, Scope(), 4)
    for strategy in result.strategies.values():
        assert not any(v in orphans for s in strategy.sets for v in s)


def test_a_ring_on_a_layer_it_does_not_use_has_no_ties(analysed):
    graph, analysis = analysed
    ring_id = next(iter(analysis.rings))
    assert pull_network(graph, Scope(ring=ring_id, layers=("KNOWS",))).edges == []
    assert pull_network(graph, Scope(ring=ring_id)).edges
