"""A generated scenario loads through the built-in mappings, and only its planted bad rows are rejected."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from devtools.scenario import generate

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def scenario(graph, tmp_path_factory):
    """A small scenario loaded into an emptied graph (module scope: one load for both tests)."""
    from loaders.api import load_dir

    out = tmp_path_factory.mktemp("scenario")
    truth = generate(400, 5, out)
    graph.clear()
    graph.apply_schema()
    return truth, load_dir(graph, out, rejects_dir=tmp_path_factory.mktemp("rejects"))


def test_every_export_loads_and_only_planted_rows_are_rejected(scenario):
    truth, result = scenario
    assert not result.skipped
    assert sorted(Path(s.file).name for s in result.loaded) == sorted(f["file"] for f in truth["files"])
    planted: dict[str, set[int]] = defaultdict(set)
    for bad in truth["bad_rows"]:
        planted[bad["file"]].add(bad["row"])
    for summary in result.loaded:
        name = Path(summary.file).name
        assert summary.rows_rejected == len(planted[name]), name
        rejected = (
            set(pd.read_csv(summary.rejects_path, encoding="utf-8-sig")["row"]) if summary.rejects_path else set()
        )
        assert rejected == planted[name], name


def test_planted_people_meet_their_identifiers_in_the_graph(graph, scenario):
    truth, _ = scenario
    people = [truth["people"][k] for ring in truth["rings"] for k in ring["members"]]
    rows = graph.read(
        "UNWIND $ids AS id MATCH (p:Person {person_id: id})-[:HAS_PHONE]->(ph:Phone) "
        "RETURN p.person_id AS person, collect(ph.number) AS phones",
        {"ids": [f"id:{p['id_number']}" for p in people]},
    ).rows()
    found = {r["person"]: set(r["phones"]) for r in rows}
    assert len(found) == len(people)
    for p in people:
        assert found[f"id:{p['id_number']}"] <= set(p["phones"]), p["name"]
