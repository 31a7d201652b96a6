"""The open workload of the concurrency benchmark: its arrivals, and a small run against the real server.

No timing is asserted: the benchmark reports the figures; here the arrivals must follow their process,
and every investigation started while a load runs must finish without an error and be counted.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bench import concurrency as conc
from bench import investigations as inv
from devtools.scenario import generate


def test_arrivals_are_in_time_order_and_replay_the_same_for_the_same_seed() -> None:
    first = list(itertools.islice(conc.arrivals(10, 25, seed=7), 500))
    again = list(itertools.islice(conc.arrivals(10, 25, seed=7), 500))
    other = list(itertools.islice(conc.arrivals(10, 25, seed=8), 500))
    assert first == again
    assert first != other
    assert [a.at_s for a in first] == sorted(a.at_s for a in first)
    assert {a.analyst for a in first} == set(range(10))
    assert all(0 <= a.item < 25 for a in first)


def test_each_analyst_arrives_every_five_seconds_on_average_whatever_the_others_do() -> None:
    arrivals = list(itertools.islice(conc.arrivals(10, 25, seed=1), 20_000))
    per_analyst = {k: [a.at_s for a in arrivals if a.analyst == k] for k in range(10)}
    for times in per_analyst.values():
        gaps = [b - a for a, b in itertools.pairwise([0.0, *times])]
        # 2,000 exponential gaps of mean 5 s: their mean is within 0.35 s of 5 s but for odds of 1 in 10^6.
        assert abs(sum(gaps) / len(gaps) - conc.MEAN_GAP_S) < 0.35
    # An analyst's stream does not depend on how many others there are.
    fewer = list(itertools.islice(conc.arrivals(3, 25, seed=1), 300))
    assert [a for a in arrivals if a.analyst < 3][:300] == fewer


def _at_once(items: list[inv.Investigation]) -> list[conc.Arrival]:
    """Every investigation due at the start of the phase: each starts before any can have finished."""
    return [conc.Arrival(0.0, k % 3, k, k) for k in range(len(items))]


@pytest.mark.integration
@pytest.mark.slow
def test_investigations_started_during_a_load_all_finish_without_an_error(empty_graph, tmp_path: Path) -> None:
    from loaders.api import load_dir

    folder = tmp_path / "scenario"
    generate(200, 11, folder)
    items = inv.catalog_investigations(empty_graph)
    assert items

    idle = conc.open_workload(empty_graph, items, iter(_at_once(items)), seconds=1.0)
    assert idle.errors == []
    assert idle.arrivals == len(items) == len(idle.latencies_ms)

    summaries = []
    schedule = itertools.chain(_at_once(items), conc.arrivals(3, len(items), mean_gap_s=0.2, seed=3))
    busy = conc.open_workload(
        empty_graph, items, schedule, load=lambda: summaries.append(load_dir(empty_graph, folder, alerts=False))
    )
    assert busy.load_error is None
    assert busy.errors == []
    assert busy.arrivals >= len(items)
    assert len(busy.latencies_ms) == busy.arrivals
    assert sum(len(v) for v in busy.by_item.values()) == busy.arrivals
    assert sorted(busy.by_arrival) == list(range(busy.arrivals))  # each arrival's time, by its place in the schedule
    assert busy.p95() is not None and busy.slowest()
    assert busy.most_in_flight >= 1
    # The load the analysts worked beside went through whole.
    assert summaries and summaries[0].loaded and not summaries[0].skipped
    assert empty_graph.read_value("MATCH (l:Load {status: 'complete'}) RETURN count(l)") == len(summaries[0].loaded)


def test_a_phase_needs_a_duration_or_a_load_but_not_both() -> None:
    with pytest.raises(ValueError):
        conc.open_workload(None, [], iter(()))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        conc.open_workload(None, [], iter(()), seconds=1.0, load=lambda: None)  # type: ignore[arg-type]


def _phase(latencies: dict[int, float]) -> conc.Phase:
    return conc.Phase(by_arrival=dict(latencies))


def test_under_load_and_idle_compare_the_same_arrivals_round_by_round() -> None:
    idle = [_phase({0: 10, 1: 20, 2: 30, 3: 40}), _phase({0: 11, 1: 12})]
    # Round 1's load ended after three arrivals; round 2's outlasted its idle phase by one arrival.
    busy = [_phase({0: 15, 1: 25, 2: 35}), _phase({0: 16, 1: 17, 2: 99})]
    under, alone = conc.paired(idle, busy)
    assert under == [15, 25, 35, 16, 17]
    assert alone == [10, 20, 30, 11, 12]
    with pytest.raises(ValueError):
        conc.paired(idle, busy[:1])
