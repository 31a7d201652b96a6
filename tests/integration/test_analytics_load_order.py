"""The analytics find the same rings and the same ranking whatever order the data was loaded in.

Neo4j's node ids follow the order nodes were created, and the projection met units in that order:
Leiden's result and every tie-break followed it, so one seed could score differently from one load
to the next. Here one generated world is loaded as written, then with every export's rows reversed
and the exports in reverse order (rosters still first: they are what the events are tied to).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.scenario import generate
from explorer.analytics import Options, run_analytics
from explorer.db import Graph

pytestmark = pytest.mark.integration

COUNTS = "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"


def reversed_copy(folder: Path, out: Path) -> None:
    """Each CSV export with its data rows in reverse order (header first); other files as they are."""
    out.mkdir()
    for path in folder.iterdir():
        data = path.read_bytes()
        if path.suffix == ".csv":
            header, _, body = data.partition(b"\n")
            rows = [row for row in body.split(b"\n") if row]
            data = header + b"\n" + b"\n".join(reversed(rows)) + b"\n"
        (out / path.name).write_bytes(data)


def load(graph: Graph, folder: Path, backwards: bool) -> None:
    from loaders.api import load, plan_dir

    graph.clear()
    graph.apply_schema()
    plan, _ = plan_dir(folder)
    if backwards:
        rosters = [item for item in plan if getattr(item[1], "name", "") == "roster"]
        plan = rosters[::-1] + [item for item in plan if item not in rosters][::-1]
    for path, mapping, sheet in plan:
        load(graph, path, mapping, sheet=sheet, alerts=False)


def findings(graph: Graph) -> tuple[dict, set, list, dict, tuple]:
    analysis = run_analytics(graph, Options(write=False))
    rings: dict[str, set[str]] = {}
    for u in analysis.units:
        if u.ring_id:
            rings.setdefault(u.ring_id, set()).add(u.key)
    ranking = [(u.key, u.rank, u.brokerage) for u in analysis.ranked()[:50]]
    roles = {u.key: u.role for u in analysis.units if u.role}
    counts = tuple(graph.read(COUNTS, checked=True).rows()[0].values())
    return rings, set(analysis.hubs), ranking, roles, counts


def test_two_load_orders_give_the_same_rings_and_ranking(graph, tmp_path):
    world = tmp_path / "world"
    generate(600, 3, world)
    backwards = tmp_path / "backwards"
    reversed_copy(world, backwards)
    load(graph, world, backwards=False)
    first = findings(graph)
    load(graph, backwards, backwards=True)
    second = findings(graph)
    rings, hubs, ranking, roles, counts = first
    assert counts == second[4], "both loads hold the same graph"
    assert len(rings) >= 2 and ranking
    assert rings == second[0]
    assert hubs == second[1]
    assert ranking == second[2]
    assert roles == second[3]
