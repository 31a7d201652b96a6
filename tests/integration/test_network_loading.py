"""Network files (edge lists, adjacency and two-mode matrices) load faithfully: datasets keep separate
networks apart, layers keep their own weights, a people x events matrix gives people and events.

Checked on the real files (tests/data/real, ../shared/datasets) against what the files say and what
their SOURCE.md reports.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from explorer.analytics import Options, pull_projection, run_analytics
from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from loaders import api
from loaders.__main__ import main as loaders_cli

pytestmark = pytest.mark.integration

REAL = PROJECT_ROOT / "tests" / "data" / "real"
MONTAGNA = REAL / "montagna"
SIREN_TOGO = REAL / "siren-togo"
MEETINGS_FILE, CALLS_FILE = "Montagna_meetings_edgelist.csv", "Montagna_phonecalls_edgelist.csv"


def edge_list(path: Path) -> dict[tuple[str, str], float]:
    """The file's directed ties and their weights, as written."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {(row["from"], row["to"]): float(row["weight"]) for row in csv.DictReader(f)}


def matrix_cells(path: Path) -> tuple[list[str], list[str], list[tuple[str, str, float]]]:
    """Row labels, column labels and non-zero cells of a matrix, as written."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        columns = [c.strip() for c in next(reader)[1:]]
        rows, cells = [], []
        for row in reader:
            rows.append(row[0].strip())
            cells += [(row[0].strip(), c, float(v)) for c, v in zip(columns, row[1:], strict=True) if float(v) != 0]
    return rows, columns, cells


def stored_ties(graph, layer: str) -> dict[tuple[str, str], float]:
    rows = graph.read(
        "MATCH (a:Person)-[r:CONTACT {layer: $layer}]->(b:Person) RETURN a.name AS a, b.name AS b, r.weight AS w",
        {"layer": layer},
    ).rows()
    return {(r["a"], r["b"]): float(r["w"]) for r in rows}


def people(graph) -> int:
    return graph.read_value("MATCH (p:Person) RETURN count(p)")


def test_montagna_keeps_meetings_and_calls_as_two_layers_over_one_set_of_people(empty_graph, tmp_path):
    result = api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path)
    loaded = {s.file: s for s in result.loaded}
    meetings = edge_list(MONTAGNA / "Montagna_meetings_edgelist.csv")
    calls = edge_list(MONTAGNA / "Montagna_phonecalls_edgelist.csv")
    # Every directed tie of each file, with its own weight, in its own layer (18->19 met twice, spoke 5 times
    # and 19->18 six: the calls no longer overwrite the meetings).
    assert stored_ties(empty_graph, "meetings") == meetings
    assert stored_ties(empty_graph, "phonecalls") == calls
    assert (meetings[("18", "19")], calls[("18", "19")], calls[("19", "18")]) == (2, 5, 6)
    # SOURCE.md's table says 288 and 149 data rows; the files hold 289 and 150: their last line has no line
    # break, so a line count misses it. The load reads every row, as the files say.
    assert (len(meetings), len(calls)) == (289, 150)
    assert (loaded[MEETINGS_FILE].rows_written, loaded[CALLS_FILE].rows_written) == (289, 150)
    # SOURCE.md (and Cavallaro et al. 2020): 256 meeting ties and 124 call ties once both directions are one
    # tie, over 101 and 100 people, 47 of them in both layers: 154 people.
    pairs = empty_graph.read(
        "MATCH (a:Person)-[r:CONTACT]->(b:Person) WITH r.layer AS layer, a, b "
        "WITH layer, CASE WHEN a.person_id < b.person_id THEN [a, b] ELSE [b, a] END AS pair "
        "RETURN layer, count(DISTINCT pair) AS ties"
    ).rows()
    assert {r["layer"]: r["ties"] for r in pairs} == {"meetings": 256, "phonecalls": 124}
    assert people(empty_graph) == 154
    ends = {x for pair in meetings for x in pair} | {x for pair in calls for x in pair}
    assert len(ends) == 154
    # The second file says it shares 47 of its people with the first: a merge is never silent.
    second = loaded["Montagna_phonecalls_edgelist.csv"].overlap
    assert (second.dataset, second.layer, second.ids, second.shared) == ("montagna", "phonecalls", 100, 47)
    assert second.shared_with == ["Montagna_meetings_edgelist.csv"]
    assert loaded["Montagna_meetings_edgelist.csv"].overlap.shared == 0


def test_reloading_one_layer_changes_no_other_layer(empty_graph, tmp_path):
    api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path)
    before = stored_ties(empty_graph, "meetings"), stored_ties(empty_graph, "phonecalls")
    again = api.load(empty_graph, MONTAGNA / "Montagna_phonecalls_edgelist.csv", rejects_dir=tmp_path)
    assert again.relationships_created == 0 and again.duplicates_merged == again.rows_written
    assert (stored_ties(empty_graph, "meetings"), stored_ties(empty_graph, "phonecalls")) == before


def test_siren_and_togo_are_two_datasets_with_dataset_per_file(empty_graph, tmp_path):
    siren_rows, _, siren_cells = matrix_cells(SIREN_TOGO / "siren_44x44.csv")
    togo_rows, _, togo_cells = matrix_cells(SIREN_TOGO / "togo_33x33.csv")
    result = api.load_dir(empty_graph, SIREN_TOGO, rejects_dir=tmp_path, dataset_per_file=True)
    assert people(empty_graph) == len(siren_rows) + len(togo_rows) == 44 + 33
    by_dataset = empty_graph.read(
        "MATCH (p:Person) RETURN split(p.person_id, ':')[0] AS dataset, count(p) AS n ORDER BY dataset"
    ).rows()
    assert [(r["dataset"], r["n"]) for r in by_dataset] == [("siren_44x44", 44), ("togo_33x33", 33)]
    assert len(stored_ties(empty_graph, "siren")) == len(siren_cells)
    assert len(stored_ties(empty_graph, "togo")) == len(togo_cells)
    assert all(s.overlap.shared == 0 for s in result.loaded)


def test_siren_and_togo_in_one_dataset_say_they_share_ids(empty_graph, tmp_path, capsys):
    code = loaders_cli(["load-dir", str(SIREN_TOGO), "--rejects-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert people(empty_graph) == 44  # Togo's 1..33 are Siren's 1..33: one folder, one dataset
    assert "dataset siren-togo, layer togo: shares 33 of its 33 ids with siren_44x44.csv" in out
    code = loaders_cli(["load-dir", str(SIREN_TOGO), "--dataset", "x", "--dataset-per-file"])
    assert code == 2 and "not both" in capsys.readouterr().err


def test_single_file_takes_dataset_and_layer_names(empty_graph, tmp_path):
    summary = api.load(empty_graph, SIREN_TOGO / "togo_33x33.csv", rejects_dir=tmp_path, dataset="togo",
                       layer="wiretaps")  # fmt: skip
    assert (summary.overlap.dataset, summary.overlap.layer, summary.overlap.ids) == ("togo", "wiretaps", 33)
    assert empty_graph.read_value("MATCH (p:Person) WHERE p.person_id STARTS WITH 'togo:' RETURN count(p)") == 33
    assert empty_graph.read_value("MATCH (l:Load) RETURN [l.dataset, l.layer]") == ["togo", "wiretaps"]


def test_caviar_phases_are_layers_of_one_dataset(empty_graph, tmp_path):
    folder = tmp_path / "caviar"
    folder.mkdir()
    for name in ("phase1.csv", "phase2.csv"):
        shutil.copy(REAL / "caviar" / name, folder / name)
    result = api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    for name, layer in (("phase1.csv", "phase1"), ("phase2.csv", "phase2")):
        rows, columns, cells = matrix_cells(folder / name)
        stored = stored_ties(empty_graph, layer)
        assert stored == {(a, b): w for a, b, w in cells}
    first, second = (set(matrix_cells(folder / n)[1]) for n in ("phase1.csv", "phase2.csv"))
    assert people(empty_graph) == len(first | second)
    assert result.loaded[1].overlap.shared == len(first & second) > 0


def test_two_mode_matrix_gives_people_and_events(empty_graph, datasets_dir, tmp_path):
    folder = tmp_path / "infinito"
    folder.mkdir()
    path = folder / "infinito_summits_156x47.csv"
    shutil.copy(datasets_dir / "ndrangheta-infinito" / path.name, path)
    rows, columns, cells = matrix_cells(path)
    # load-dir recognises the shape: a header of events, a first column of people, 0/1 cells.
    (summary,) = api.load_dir(empty_graph, folder, rejects_dir=tmp_path).loaded
    assert (summary.mapping, summary.rows_rejected) == ("two_mode", 0)
    # SOURCE.md: 156 persons (rows) and 47 summits (columns).
    assert (people(empty_graph), len(rows)) == (156, 156)
    assert empty_graph.read_value("MATCH (g:Gathering) RETURN count(g)") == len(columns) == 47
    attended = empty_graph.read_value("MATCH (:Person)-[r:ATTENDED]->(:Gathering) RETURN count(r)")
    assert attended == len(cells)
    # SOURCE.md: PANETTA Pietro Francesco attended the most summits, 17.
    top = empty_graph.read(
        "MATCH (p:Person)-[:ATTENDED]->(g:Gathering) RETURN p.name AS name, count(g) AS n ORDER BY n DESC LIMIT 1"
    ).rows()[0]
    assert (top["name"], top["n"]) == ("PANETTA Pietro Francesco", 17)


def test_adjacency_refuses_a_people_by_events_matrix(empty_graph, datasets_dir, tmp_path):
    path = datasets_dir / "ndrangheta-infinito" / "infinito_summits_156x47.csv"
    with pytest.raises(FileRejected) as refused:
        api.load(empty_graph, path, "adjacency", rejects_dir=tmp_path)
    message = str(refused.value)
    assert message.startswith("infinito_summits_156x47.csv is not a square matrix")
    assert "156 of its 156 row labels" in message and "--mapping two_mode" in message
    assert empty_graph.read_value("MATCH (n) RETURN count(n)") == 0


def test_analytics_project_two_mode_data_to_people_on_request(empty_graph, datasets_dir, tmp_path):
    path = datasets_dir / "ndrangheta-infinito" / "infinito_summits_156x47.csv"
    api.load(empty_graph, path, "two_mode", rejects_dir=tmp_path)
    _, _, cells = matrix_cells(path)
    attendees: dict[str, set[str]] = {}
    for person, event, _ in cells:
        attendees.setdefault(event, set()).add(f"ndrangheta-infinito:{person}")
    shared: dict[frozenset[str], int] = {}
    for group in attendees.values():
        for a in group:
            for b in group:
                if a < b:
                    shared[frozenset((a, b))] = shared.get(frozenset((a, b)), 0) + 1
    projection = pull_projection(empty_graph, Options(layers=("co_attendance",)))
    found = {
        frozenset((projection.keys[a], projection.keys[b])): n
        for a, b, n in zip(projection.src.tolist(), projection.dst.tolist(), projection.count.tolist(), strict=True)
    }
    assert found == shared
    # The default layers leave two-mode data alone: attendance is projected only when asked for.
    assert len(pull_projection(empty_graph, Options()).src) == 0
    analysis = run_analytics(empty_graph, Options(layers=("co_attendance",), write=False))
    assert analysis.ranked(limit=1)[0].betweenness == max(u.betweenness for u in analysis.units)


def test_each_montagna_layer_analysed_on_its_own_names_n18_first(empty_graph, tmp_path):
    # SOURCE.md (Cavallaro et al. 2020, Ficara et al. 2021): N18 ranks first by betweenness in each layer.
    api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path)
    for layer, path in (
        ("meetings", "Montagna_meetings_edgelist.csv"),
        ("phonecalls", "Montagna_phonecalls_edgelist.csv"),
    ):
        # Only the layer's own ties are projected.
        projection = pull_projection(empty_graph, Options(layers=(layer,)))
        tied = {projection.keys[i] for i in (*projection.src.tolist(), *projection.dst.tolist())}
        assert tied == {f"montagna:{x}" for pair in edge_list(MONTAGNA / path) for x in pair}
        analysis = run_analytics(empty_graph, Options(layers=(layer,), write=False))
        assert analysis.ranked(limit=1)[0].name == "18"
