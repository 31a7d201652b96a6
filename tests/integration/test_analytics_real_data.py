"""Network analytics on real criminal networks, loaded into Neo4j, against published results.

The published key-player results are betweenness on unweighted ties, and the default ranking
(`intermediary_rank`, read through the key_intermediaries investigation) must name them:
- CAVIAR (tests/data/real/caviar/SOURCE.md): on the full network n1 first, n12 second.
- Montagna (tests/data/real/montagna/SOURCE.md): N18 first in the meetings and in the calls.
- Siren and Togo (tests/data/real/siren-togo/SOURCE.md): node 1 first in each.
- POLE (../shared/datasets/pole/SOURCE.md): over people connected by KNOWS, Annie Duncan first,
  as Neo4j's POLE guide reports.
None of these networks carries trade signal in the graph, so their communities are groups, and
the roles must be plausible: CAVIAR's mastermind n1 no mere broker, its peripheral n8 and n24 no
organisers; in the London gang (tests/data/real/london-gang) fewer than a quarter are brokers.
"""

from __future__ import annotations

import shutil

import pytest

from explorer.analytics import AnalyticsError, Options, run_analytics
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from loaders.api import load

pytestmark = pytest.mark.integration

REAL = PROJECT_ROOT / "tests" / "data" / "real"
CAVIAR = REAL / "caviar" / "caviar_full_110x110.csv"


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


def test_caviar_default_ranking_names_n1_then_n12_everywhere(caviar_graph):
    analysis = run_analytics(caviar_graph, Options())
    assert [player(u.name) for u in analysis.ranked(limit=2)] == ["n1", "n12"]
    rows = load_catalog()["key_intermediaries"].run(caviar_graph, limit=2).rows()  # default order: the rank
    assert [player(r["name"]) for r in rows] == ["n1", "n12"]
    assert rows[0]["reason"].startswith("lies on 6") and "% of shortest paths between others" in rows[0]["reason"]
    # The app's list (Overview, Rings) is the same ranking.
    listed = caviar_graph.read(
        "MATCH (p:Person) WHERE p.intermediary_rank IS NOT NULL RETURN p.name AS name ORDER BY p.intermediary_rank LIMIT 2"
    ).rows()
    assert [player(r["name"]) for r in listed] == ["n1", "n12"]
    # Tie strength is kept beside it: the communication counts weigh in betweenness_weighted.
    n1 = next(u for u in analysis.units if u.name == "1")
    assert n1.betweenness_weighted > 0 and n1.betweenness_weighted != n1.betweenness


def test_caviar_roles_and_groups_are_plausible(caviar_graph):
    analysis = run_analytics(caviar_graph, Options())
    roles = {player(u.name): u for u in analysis.units}
    n1 = roles["n1"]
    assert n1.role != "broker" or (n1.brokerage >= 2 and n1.balanced_broker)
    assert roles["n8"].role != "organiser" and roles["n24"].role != "organiser"
    assert all(u.role_reason for u in analysis.units if u.ring_id)
    # No trade signal in a wiretap matrix: groups, not trafficking rings; each with a tie inside.
    assert analysis.rings and {info["kind"] for info in analysis.rings.values()} == {"group"}
    assert all(info["internal_links"] >= 1 for info in analysis.rings.values())
    # Most participants are placed in a group (people talking to one member only join it).
    assert sum(1 for u in analysis.units if u.ring_id) >= 0.8 * len(analysis.units)
    stored = caviar_graph.read(
        "MATCH (r:Ring) RETURN r.kind AS kind, r.internal_links AS ties, "
        "COUNT { (r)<-[:MEMBER_OF]-() } AS members, COUNT { (r)<-[m:MEMBER_OF]-() WHERE m.reason IS NULL } AS bare"
    ).rows()
    assert {r["kind"] for r in stored} == {"group"} and all(r["ties"] >= 1 and r["bare"] == 0 for r in stored)
    listed = load_catalog()["rings"].run(caviar_graph).rows()
    assert {r["kind"] for r in listed} == {"group"}
    assert any(reason.startswith("1 (organiser): tied directly to") for r in listed for reason in r["role_reasons"])


def load_alone(graph, path, mapping: str, rejects) -> None:
    graph.clear()
    graph.apply_schema()
    summary = load(graph, path, mapping, rejects_dir=rejects)
    assert summary.rows_rejected == 0


@pytest.mark.parametrize(
    ("path", "mapping", "first"),
    [
        (REAL / "montagna" / "Montagna_meetings_edgelist.csv", "edge_list", "18"),
        (REAL / "montagna" / "Montagna_phonecalls_edgelist.csv", "edge_list", "18"),
        (REAL / "siren-togo" / "siren_44x44.csv", "adjacency", "1"),
        (REAL / "siren-togo" / "togo_33x33.csv", "adjacency", "1"),
    ],
    ids=["montagna-meetings", "montagna-calls", "siren", "togo"],
)
def test_default_ranking_names_the_published_key_player(graph, tmp_path, path, mapping, first):
    load_alone(graph, path, mapping, tmp_path)
    analysis = run_analytics(graph, Options())
    assert analysis.ranked(limit=1)[0].name == first
    rows = load_catalog()["key_intermediaries"].run(graph, limit=1).rows()
    assert rows[0]["name"] == first and rows[0]["rank"] == 1


def test_london_gang_has_fewer_than_a_quarter_brokers_and_no_ring_of_brokers(graph, tmp_path):
    load_alone(graph, REAL / "london-gang" / "london_gang_54x54.csv", "adjacency", tmp_path)
    analysis = run_analytics(graph, Options())
    brokers = [u for u in analysis.units if u.role == "broker"]
    assert len(brokers) < len(analysis.units) / 4
    by_ring: dict[str, list[str | None]] = {}
    for u in analysis.units:
        if u.ring_id:
            by_ring.setdefault(u.ring_id, []).append(u.role)
    assert all(roles.count("broker") < len(roles) / 2 for roles in by_ring.values())
    assert all(u.role_reason and "bridges" in u.role_reason for u in brokers)


def test_layers_take_custom_types_and_layer_values(graph, tmp_path):
    # Montagna's meetings as a custom relationship type (the edge list's `type` column), then as a
    # `layer` value on generic CONTACT relationships, as the loader writes it for network files.
    rows = (REAL / "montagna" / "Montagna_meetings_edgelist.csv").read_text().splitlines()
    typed = tmp_path / "montagna" / "meetings_typed.csv"
    typed.parent.mkdir()
    typed.write_text("\n".join([rows[0] + ",type", *(row + ",MET" for row in rows[1:] if row)]) + "\n")
    load_alone(graph, typed, "edge_list", tmp_path)
    assert graph.read_value("MATCH ()-[r:MET]->() RETURN count(r)") == len([r for r in rows[1:] if r])
    analysis = run_analytics(graph, Options(layers=("MET",)))
    assert analysis.ranked(limit=1)[0].name == "18"
    assert graph.read_value("MATCH (r:AnalyticsRun) RETURN r.kinds ORDER BY r.finished_at DESC LIMIT 1") == ["MET"]
    with pytest.raises(AnalyticsError, match="calls"):
        run_analytics(graph, Options(layers=("calls",)))

    load_alone(graph, REAL / "montagna" / "Montagna_meetings_edgelist.csv", "edge_list", tmp_path)
    graph.write("MATCH ()-[r:CONTACT]->() SET r.layer = 'meetings'")
    by_layer = run_analytics(graph, Options(layers=("meetings",), write=False))
    by_type = run_analytics(graph, Options(layers=("CONTACT",), write=False))
    assert by_layer.ranked(limit=1)[0].name == "18"
    assert {u.key: u.betweenness for u in by_layer.units} == {u.key: u.betweenness for u in by_type.units}


def test_unweighted_rings_option_ignores_tie_strength(graph, tmp_path):
    load_alone(graph, REAL / "montagna" / "Montagna_phonecalls_edgelist.csv", "edge_list", tmp_path)
    weighted = run_analytics(graph, Options(write=False))
    unweighted = run_analytics(graph, Options(weighted_rings=False, write=False))
    assert weighted.ranked(limit=1)[0].name == unweighted.ranked(limit=1)[0].name == "18"
    # Hop betweenness does not depend on the option; the run records which it was.
    assert {u.key: u.betweenness for u in weighted.units} == {u.key: u.betweenness for u in unweighted.units}
    ranked_by_strength = run_analytics(graph, Options(ranking="betweenness_weighted", write=False))
    first = ranked_by_strength.ranked(limit=1)[0]
    assert first.betweenness_weighted == max(u.betweenness_weighted for u in ranked_by_strength.units)
    assert "strong tie counting as a short step" in first.reason


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
    # Nothing in the town signals trade: its communities are groups, not trafficking rings.
    assert analysis.rings and {info["kind"] for info in analysis.rings.values()} == {"group"}
    assert all(info["internal_links"] >= 1 for info in analysis.rings.values())
    rows = load_catalog()["key_intermediaries"].run(pole_graph, limit=5).rows()  # default ranking
    ids = [r["intermediary"]["person_id"] for r in rows]
    first = pole_graph.read("MATCH (p:Person {person_id: $id}) RETURN p.name + ' ' + p.surname AS name", {"id": ids[0]})
    assert first.rows()[0]["name"] == "Annie Duncan"
    assert analysis.ranked("betweenness", 1)[0].key == ids[0]
