"""`python -m loaders clear --yes` and `unload LOAD_ID`: what goes, what stays, what is recorded."""

from __future__ import annotations

import csv

import pytest

from explorer import audit, watchlist
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.analytics import Options, run_analytics
from explorer.config import PROJECT_ROOT
from loaders import api, maintenance
from loaders.__main__ import main as loaders_cli

pytestmark = pytest.mark.integration

MONTAGNA = PROJECT_ROOT / "tests" / "data" / "real" / "montagna"
MEETINGS = MONTAGNA / "Montagna_meetings_edgelist.csv"
CALLS = MONTAGNA / "Montagna_phonecalls_edgelist.csv"


@pytest.fixture
def trail(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("EXPLORER_USER", "maintainer")
    return tmp_path


def ends(path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {x for row in csv.DictReader(f) for x in (row["from"], row["to"])}


def layer_ties(graph, layer: str) -> int:
    return graph.read_value("MATCH ()-[r:CONTACT {layer: $layer}]->() RETURN count(r)", {"layer": layer})


def write_edges(path, rows: list[str]) -> None:
    path.write_text("from,to,weight\n" + "\n".join(rows) + "\n", encoding="utf-8")


def test_unload_removes_one_layer_and_keeps_the_people_the_other_shares(empty_graph, trail, tmp_path, capsys):
    loaded = {s.file: s for s in api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path).loaded}
    meetings, calls = loaded[MEETINGS.name], loaded[CALLS.name]
    assert loaders_cli(["loads"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        f"{meetings.load_id}  {MEETINGS.name} (edge_list, complete, 289 rows) dataset montagna layer meetings",
        f"{calls.load_id}  {CALLS.name} (edge_list, complete, 150 rows) dataset montagna layer phonecalls",
    ]
    run_analytics(empty_graph, Options(layers=("meetings", "phonecalls")))

    code = loaders_cli(["unload", calls.load_id])
    assert code == 0
    removal = audit.query(action="unload")[0]
    only_calls = ends(CALLS) - ends(MEETINGS)
    # The people only the calls named go; the 47 the meetings also name stay, without the calls' load id.
    assert empty_graph.read_value("MATCH (p:Person) RETURN count(p)") == len(ends(MEETINGS)) == 101
    assert empty_graph.read_value("MATCH (n) WHERE $id IN n.loads RETURN count(n)", {"id": calls.load_id}) == 0
    assert empty_graph.read_value("MATCH (p:Person) WHERE p.loads = [$id] RETURN count(p)",
                                  {"id": meetings.load_id}) == 101  # fmt: skip
    assert (layer_ties(empty_graph, "phonecalls"), layer_ties(empty_graph, "meetings")) == (0, meetings.rows_written)
    assert empty_graph.read_value("MATCH (l:Load) RETURN collect(l.file)") == [MEETINGS.name]
    # Analytics computed with the calls are stale.
    assert empty_graph.read_value("MATCH (r:AnalyticsRun) RETURN r.stale") is True
    assert (removal.what, removal.outcome, removal.rows) == (calls.load_id, "ok", len(only_calls) + 1)
    assert f"Person {len(only_calls)}" in removal.detail and "47 nodes" in removal.detail


def test_unload_keeps_a_tie_another_load_also_wrote(empty_graph, trail, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write_edges(first, ["a,b,1", "b,c,2"])
    write_edges(second, ["b,c,3", "c,d,4"])
    one = api.load(empty_graph, first, "edge_list", dataset="case", layer="calls", rejects_dir=tmp_path)
    two = api.load(empty_graph, second, "edge_list", dataset="case", layer="calls", rejects_dir=tmp_path)
    assert two.overlap.shared == 2  # b and c

    removal = maintenance.unload(empty_graph, one.load_id)
    ties = empty_graph.read(
        "MATCH (a)-[r:CONTACT]->(b) RETURN a.name AS a, b.name AS b, r.weight AS w, r.load_id AS load_id, "
        "r.sources AS sources ORDER BY a"
    ).rows()
    assert [(t["a"], t["b"], t["w"]) for t in ties] == [("b", "c", 3), ("c", "d", 4)]
    # b-c was created by the first load: its provenance is now the second load's row alone.
    assert all(t["load_id"] == two.load_id and t["sources"] == [f"{two.load_id}#{i + 2}"] for i, t in enumerate(ties))
    names = empty_graph.read_value("MATCH (p:Person) RETURN collect(p.name)")
    assert sorted(names) == ["b", "c", "d"]
    assert (removal.nodes, removal.relationships, removal.nodes_kept, removal.relationships_kept) == (
        {"Person": 1, "Load": 1}, 1, 2, 1)  # fmt: skip


def test_unload_takes_the_same_as_candidates_the_load_proposed(empty_graph, trail, tmp_path):
    samples = PROJECT_ROOT / "tests" / "data" / "samples"
    roster = api.load(empty_graph, samples / "roster.csv", rejects_dir=tmp_path)
    people = empty_graph.read_value("MATCH (p:Person) RETURN count(p)")
    waybills = api.load(empty_graph, samples / "waybills.csv", rejects_dir=tmp_path)
    assert waybills.same_as_candidates > 0
    maintenance.unload(empty_graph, waybills.load_id)
    assert empty_graph.read_value("MATCH ()-[s:SAME_AS]->() RETURN count(s)") == 0
    # The roster is whole again: its people, none of them naming the waybills' load.
    assert empty_graph.read_value("MATCH (p:Person) RETURN count(p)") == people
    assert empty_graph.read_value("MATCH (n) WHERE n.loads IS NOT NULL AND n.loads <> [$id] RETURN count(n)",
                                  {"id": roster.load_id}) == 0  # fmt: skip


def test_unload_of_an_unknown_load_says_so(empty_graph, trail, capsys):
    assert loaders_cli(["unload", "no-such-load"]) == 2
    assert "No load has the id 'no-such-load'" in capsys.readouterr().err


def test_clear_needs_yes_and_keeps_schema_and_watch_list(empty_graph, trail, tmp_path, capsys):
    api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path)
    store = AnalystStore(tmp_path / "var" / STORE_FILE)  # the trail's var folder: the analysts' own state
    watchlist.add(store, "person", "montagna:18", "executive", "maintainer")
    run_analytics(empty_graph, Options(layers=("meetings",)))
    constraints = len(empty_graph.read("SHOW CONSTRAINTS", checked=True).records)
    before = maintenance.evidence_counts(empty_graph)

    assert loaders_cli(["clear"]) == 2
    refused = capsys.readouterr().err
    assert f"clear would remove every load: {before.nodes_removed:,} nodes" in refused and "--yes" in refused
    assert maintenance.evidence_counts(empty_graph) == before

    assert loaders_cli(["clear", "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"evidence graph: removed {before.nodes_removed:,} nodes")
    assert f"{before.relationships:,} relationships" in out
    left = empty_graph.read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label").rows()
    assert [(r["label"], r["n"]) for r in left] == [("AnalyticsRun", 1)]
    assert [w["watch_id"] for w in store.watches()] == ["person:montagna:18"]  # apart from the evidence
    assert empty_graph.read_value("MATCH ()-[r]->() RETURN count(r)") == 0
    assert empty_graph.read_value("MATCH (r:AnalyticsRun) RETURN r.stale") is True
    assert len(empty_graph.read("SHOW CONSTRAINTS", checked=True).records) == constraints
    cleared = audit.query(action="clear")[0]
    assert (cleared.outcome, cleared.rows) == ("ok", before.nodes_removed)
    assert "Person 154" in cleared.detail
