"""The three-province split of the scenario: deterministic, and its truth agrees with its rosters."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from devtools.scenario import generate
from devtools.scenario.provinces import ROSTER_FILE, TRUTH_FILE


def rosters(out: Path) -> dict[str, list[dict[str, str]]]:
    return {p: list(csv.DictReader((out / p / ROSTER_FILE).open(encoding="utf-8"))) for p in ("p1", "p2", "p3")}


def test_provinces_split_is_deterministic_and_consistent(tmp_path: Path) -> None:
    truth = generate(3_000, 5, tmp_path / "a", provinces=3)
    generate(3_000, 5, tmp_path / "b", provinces=3)
    for name in ("p1/roster.csv", "p2/roster.csv", "p3/roster.csv", TRUTH_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert not (tmp_path / "a" / "ground_truth.json").exists()  # the provinces replace the exports
    rows = rosters(tmp_path / "a")
    assert {p: len(r) for p, r in rows.items()} == truth["rows"]
    for province, cases in truth["cases"].items():
        assert cases == sorted({row["case_id"] for row in rows[province]})
    assert {p["mode"] for p in truth["planted"]} == {"exact", "phone", "name"}
    for planted in truth["planted"]:
        listed = [
            r for r in rows[planted["to"]] if r["case_id"] == planted["case"] and r["name"] == planted["written_as"]
        ]
        assert listed, planted
        if planted["mode"] == "exact":
            assert listed[0]["id_number"] == planted["person"].removeprefix("id:")
        else:  # no ID number: only the name, the birth date and perhaps the phone tie the row to its person
            assert not listed[0]["id_number"] and listed[0]["birth_date"]
            assert listed[0]["birth_date"].replace("-", "") == planted["person"][9:17]
    assert truth["links"] and all(link["a"][0] != link["b"][0] for link in truth["links"])
    assert len(truth["links"]) >= len({(p["to"], p["case"], p["from"]) for p in truth["planted"]}) * 0.9
    json.dumps(truth)  # plain JSON all the way down
