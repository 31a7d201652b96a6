"""Crackdown strategies on small graphs whose best removals are known."""

from __future__ import annotations

import itertools
import random

import pytest

from explorer.crackdown.search import (
    STRATEGIES,
    Evaluator,
    Network,
    SearchOptions,
    plan_crackdown,
    removal_scan,
)


def network(n: int, edges: list[tuple[int, int]], **kw) -> Network:
    return Network([f"p{i}" for i in range(n)], [f"P{i}" for i in range(n)], edges, **kw)


def star(leaves: int) -> Network:
    return network(leaves + 1, [(0, i) for i in range(1, leaves + 1)])


def path(n: int) -> Network:
    return network(n, [(i, i + 1) for i in range(n - 1)])


def barbell(clique: int, bridge: int) -> Network:
    """Two cliques of `clique` people joined by a path of `bridge` people (vertex 0..clique-1, then the path)."""
    edges = [(a, b) for a, b in itertools.combinations(range(clique), 2)]
    second = clique + bridge
    edges += [(second + a, second + b) for a, b in itertools.combinations(range(clique), 2)]
    chain = [clique - 1, *range(clique, clique + bridge), second]
    edges += list(itertools.pairwise(chain))
    return network(2 * clique + bridge, edges)


def brute_force(net: Network, k: int) -> tuple[int, int]:
    ev = Evaluator(net)
    return min(ev.key(c) for c in itertools.combinations(range(net.size), k))


def test_the_scan_agrees_with_components_recomputed_for_every_vertex():
    rng = random.Random(3)
    for trial in range(20):
        n = rng.randint(5, 40)
        edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 2.5 / n]
        net = network(n, edges)
        ev = Evaluator(net)
        removed = rng.sample(range(n), rng.randint(0, 3))
        scan = removal_scan(ev.adjacency, removed)
        assert set(scan) == set(range(n)) - set(removed)
        for v, value in scan.items():
            assert value == ev.key([*removed, v]), (trial, v)


def test_star_every_strategy_takes_the_centre_first():
    result = plan_crackdown(star(8), 1)
    for name in STRATEGIES:
        assert result.strategies[name].sets[0] == [0], name
        assert result.strategies[name].outcomes[0].lcc == 1


def test_path_the_plan_cuts_it_into_equal_thirds():
    # Two removals leave at best three pieces of 3 on a path of 11: vertices 3 and 7.
    result = plan_crackdown(path(11), 2)
    plan = result.strategies["plan"]
    assert sorted(plan.sets[1]) == [3, 7]
    assert plan.outcomes[1].lcc == 3 == brute_force(path(11), 2)[0]
    assert plan.outcomes[0].lcc == 5  # the middle vertex
    assert plan.outcomes[0].lcc_share == pytest.approx(5 / 11)


def test_path_greedy_is_a_sequence_and_falls_short_where_the_set_search_does_not():
    # Greedy takes the middle of 15 first (7 + 7), then can only halve one half (3 + 3 + 7): largest 7.
    # The best pair cuts the path into 5 + 4 + 4.
    result = plan_crackdown(path(15), 2)
    plan = result.strategies["plan"].outcomes[1]
    assert (plan.lcc, plan.pairs) == brute_force(path(15), 2) == (5, 10 + 6 + 6)
    assert result.strategies["greedy"].outcomes[1].lcc == 7


def test_barbell_the_bridge_is_the_first_removal():
    net = barbell(5, 3)  # two cliques of 5 joined through people 5, 6, 7
    result = plan_crackdown(net, 1)
    assert result.strategies["plan"].sets[0] == [6]  # the middle of the bridge: 6 + 6 left
    assert result.strategies["plan"].outcomes[0].lcc == 6
    assert result.strategies["betweenness"].sets[0] == [6]
    assert result.strategies["degree"].outcomes[0].lcc > 6  # degree takes a clique's end, which cuts nothing


def test_plan_is_no_worse_than_any_baseline_and_matches_brute_force_on_small_graphs():
    rng = random.Random(11)
    for _ in range(8):
        n = rng.randint(10, 16)
        edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < 3 / n]
        net = network(n, edges)
        result = plan_crackdown(net, 3, SearchOptions(seed=1))
        plan = result.strategies["plan"]
        for k in range(3):
            value = (plan.outcomes[k].lcc, plan.outcomes[k].pairs)
            for name in STRATEGIES[:-1]:
                other = result.strategies[name].outcomes[k]
                assert value <= (other.lcc, other.pairs), (name, k)
            assert value == brute_force(net, k + 1)


def test_buyers_cut_off_from_the_source_are_counted():
    # supplier 0 - broker 1 - {buyers 2, 3}; seller 4 also tied to 0 with buyer 5.
    net = network(6, [(0, 1), (1, 2), (1, 3), (0, 4), (4, 5)], sources=frozenset({0}), buyers=frozenset({2, 3, 5}))
    ev = Evaluator(net)
    assert ev.outcome([1]).buyers_cut == 2
    assert ev.outcome([1, 4]).buyers_cut == 3
    assert ev.outcome([0]).buyers_cut == 3
    assert Evaluator(path(4)).outcome([1]).buyers_cut is None  # roles unknown


def test_people_who_are_not_removable_are_never_chosen():
    net = star(6)
    net.removable = [False] + [True] * 6  # the centre is a platform, not a person
    result = plan_crackdown(net, 2)
    for name in STRATEGIES:
        assert all(0 not in s for s in result.strategies[name].sets), name


def test_the_plan_is_reproducible():
    rng = random.Random(5)
    net = network(120, [(a, b) for a in range(120) for b in range(a + 1, 120) if rng.random() < 0.03])
    first = plan_crackdown(net, 5).strategies["plan"].sets
    second = plan_crackdown(net, 5).strategies["plan"].sets
    assert first == second
