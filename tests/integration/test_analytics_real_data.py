"""Network analytics on real criminal networks, loaded into Neo4j, against published results.

CAVIAR (tests/data/real/caviar/SOURCE.md): on the full network, ties undirected
and unweighted, n1 ranks first by betweenness, n12 second, n3 in the top five.
POLE (../shared/datasets/pole/SOURCE.md): betweenness over people connected by
KNOWS puts Annie Duncan first, as Neo4j's POLE guide reports.
"""

from __future__ import annotations

import shutil

import pytest

from explorer.analytics import Options, run_analytics
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from loaders.api import load

pytestmark = pytest.mark.integration

CAVIAR = PROJECT_ROOT / "tests" / "data" / "real" / "caviar" / "caviar_full_110x110.csv"


@pytest.fixture(scope="module")
def caviar_graph(graph, tmp_path_factory):
    """The full matrix through the loaders' adjacency mapping: 110 Person, one CONTACT per non-zero cell."""
    graph.clear()
    graph.apply_schema()
    summary = load(graph, CAVIAR, "adjacency", rejects_dir=tmp_path_factory.mktemp("caviar"))
    assert summary.rows_rejected == 0
    return graph


def player(unit_or_row_name: str) -> str:
    """The literature's name of a CAVIAR player (the matrix labels players 1..110)."""
    return f"n{unit_or_row_name}"


def test_caviar_betweenness_ranks_n1_then_n12_with_n3_in_top_five(caviar_graph):
    analysis = run_analytics(caviar_graph, Options(layers=("CONTACT",)))
    assert len(analysis.units) == 110
    top = [player(u.name) for u in analysis.ranked("betweenness", 5)]
    assert top[:2] == ["n1", "n12"]
    assert "n3" in top
    # Written back and read through the saved investigation.
    rows = load_catalog()["key_intermediaries"].run(caviar_graph, order_by="betweenness", limit=5).rows()
    assert [player(r["name"]) for r in rows][:2] == ["n1", "n12"]
    assert "n3" in [player(r["name"]) for r in rows]


def test_caviar_rerun_keeps_ring_ids_and_adds_no_rings(caviar_graph):
    first = run_analytics(caviar_graph, Options(layers=("CONTACT",)))
    second = run_analytics(caviar_graph, Options(layers=("CONTACT",)))
    assert first.membership() == second.membership()
    assert caviar_graph.read_value("MATCH (r:Ring) RETURN count(r)") == len(second.rings)
    members = caviar_graph.read_value("MATCH (:Person)-[m:MEMBER_OF]->(:Ring) RETURN count(m)")
    assert members == len(second.membership())
    runs = caviar_graph.read("MATCH (r:AnalyticsRun) RETURN r.run_id AS id, r.units AS units, r.kinds AS kinds").rows()
    assert {r["id"] for r in runs} >= {first.run_id, second.run_id}
    assert all(r["units"] == 110 and r["kinds"] == ["CONTACT"] for r in runs)


@pytest.fixture(scope="module")
def pole_graph(graph, datasets_dir, tmp_path_factory):
    """POLE's people and their KNOWS ties, through the loaders' pole mapping.

    Only the two files the question needs are loaded (the loaders' own tests load
    the whole export); the mapping and the keys are the same.
    """
    graph.clear()
    graph.apply_schema()
    folder = tmp_path_factory.mktemp("pole")
    for name in ("crime-investigation.nodes.Person.csv", "crime-investigation.relationships.KNOWS.csv"):
        shutil.copy(datasets_dir / "pole" / "csv" / name, folder / name)
    summary = load(graph, folder, "pole", rejects_dir=tmp_path_factory.mktemp("pole-rejects"))
    assert summary.rows_rejected == 0
    assert graph.read_value("MATCH (:Person)-[k:KNOWS]->(:Person) RETURN count(k)") == 586
    return graph


def test_pole_intermediary_ranking_over_knows_puts_annie_duncan_first(pole_graph):
    analysis = run_analytics(pole_graph, Options(layers=("KNOWS",)))
    rows = load_catalog()["key_intermediaries"].run(pole_graph, limit=5).rows()  # default ranking
    ids = [r["intermediary"]["person_id"] for r in rows]
    first = pole_graph.read("MATCH (p:Person {person_id: $id}) RETURN p.name + ' ' + p.surname AS name", {"id": ids[0]})
    assert first.rows()[0]["name"] == "Annie Duncan"
    assert analysis.ranked("betweenness", 1)[0].key == ids[0]
