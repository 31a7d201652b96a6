"""Network analytics on real criminal networks, loaded into Neo4j, against published results.

CAVIAR (tests/data/real/caviar/SOURCE.md): on the full network, ties undirected
and unweighted, n1 ranks first by betweenness, n12 second, n3 in the top five.
POLE (../shared/datasets/pole/SOURCE.md): betweenness over people connected by
KNOWS puts Annie Duncan first, as Neo4j's POLE guide reports.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from explorer.analytics import Options, run_analytics
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT

pytestmark = pytest.mark.integration

CAVIAR = PROJECT_ROOT / "tests" / "data" / "real" / "caviar" / "caviar_full_110x110.csv"

# Written the way the adjacency mapping keys them: Person {person_id: "caviar:<label>"} and CONTACT {weight}.
MERGE_PEOPLE = "UNWIND $rows AS row MERGE (p:Person {person_id: row.id}) SET p.name = row.name"
MERGE_CONTACTS = """
UNWIND $rows AS row
MATCH (a:Person {person_id: row.a}), (b:Person {person_id: row.b})
MERGE (a)-[r:CONTACT]->(b) SET r.weight = row.weight
"""
MERGE_POLE_PEOPLE = (
    "UNWIND $rows AS row MERGE (p:Person {person_id: row.id}) SET p.name = row.name, p.surname = row.surname"
)
MERGE_KNOWS = """
UNWIND $rows AS row
MATCH (a:Person {person_id: row.a}), (b:Person {person_id: row.b})
MERGE (a)-[:KNOWS]->(b)
"""


@pytest.fixture(scope="module")
def caviar_graph(graph):
    graph.clear()
    graph.apply_schema()
    matrix = pd.read_csv(CAVIAR, index_col=0, encoding="utf-8-sig")
    matrix.columns = [str(c) for c in matrix.columns]
    graph.write_batches(MERGE_PEOPLE, [{"id": f"caviar:n{i}", "name": f"n{i}"} for i in matrix.index])
    contacts = [
        {"a": f"caviar:n{a}", "b": f"caviar:n{b}", "weight": int(w)}
        for a, row in matrix.iterrows()
        for b, w in row.items()
        if w
    ]
    graph.write_batches(MERGE_CONTACTS, contacts)
    return graph


def test_caviar_betweenness_ranks_n1_then_n12_with_n3_in_top_five(caviar_graph):
    analysis = run_analytics(caviar_graph, Options(kinds=("CONTACT",)))
    assert len(analysis.units) == 110
    top = [u.name for u in analysis.ranked("betweenness", 5)]
    assert top[:2] == ["n1", "n12"]
    assert "n3" in top
    # Written back and read through the saved investigation.
    rows = load_catalog()["key_intermediaries"].run(caviar_graph, order_by="betweenness", limit=5).rows()
    assert [r["name"] for r in rows][:2] == ["n1", "n12"]
    assert "n3" in [r["name"] for r in rows]


def test_caviar_rerun_keeps_ring_ids_and_adds_no_rings(caviar_graph):
    first = run_analytics(caviar_graph, Options(kinds=("CONTACT",)))
    second = run_analytics(caviar_graph, Options(kinds=("CONTACT",)))
    assert first.membership() == second.membership()
    assert caviar_graph.read_value("MATCH (r:Ring) RETURN count(r)") == len(second.rings)
    members = caviar_graph.read_value("MATCH (:Person)-[m:MEMBER_OF]->(:Ring) RETURN count(m)")
    assert members == len(second.membership())
    runs = caviar_graph.read("MATCH (r:AnalyticsRun) RETURN r.run_id AS id, r.units AS units, r.kinds AS kinds").rows()
    assert {r["id"] for r in runs} >= {first.run_id, second.run_id}
    assert all(r["units"] == 110 and r["kinds"] == ["CONTACT"] for r in runs)


@pytest.fixture(scope="module")
def pole_graph(graph, datasets_dir):
    folder = datasets_dir / "pole" / "csv"
    graph.clear()
    graph.apply_schema()
    with open(folder / "crime-investigation.nodes.Person.csv", encoding="utf-8") as f:
        people = [{"id": f"pole:{r[':ID']}", "name": r["name"], "surname": r["surname"]} for r in csv.DictReader(f)]
    with open(folder / "crime-investigation.relationships.KNOWS.csv", encoding="utf-8") as f:
        knows = [{"a": f"pole:{r[':START_ID']}", "b": f"pole:{r[':END_ID']}"} for r in csv.DictReader(f)]
    graph.write_batches(MERGE_POLE_PEOPLE, people)
    graph.write_batches(MERGE_KNOWS, knows)
    return graph


def test_pole_intermediary_ranking_over_knows_puts_annie_duncan_first(pole_graph):
    analysis = run_analytics(pole_graph, Options(kinds=("KNOWS",)))
    rows = load_catalog()["key_intermediaries"].run(pole_graph, limit=5).rows()  # default ranking
    ids = [r["intermediary"]["person_id"] for r in rows]
    first = pole_graph.read("MATCH (p:Person {person_id: $id}) RETURN p.name + ' ' + p.surname AS name", {"id": ids[0]})
    assert first.rows()[0]["name"] == "Annie Duncan"
    assert analysis.ranked("betweenness", 1)[0].key == ids[0]
