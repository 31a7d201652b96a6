"""`--append`: a run's measures replace every earlier measure of their sections, and only those."""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import Measure, Results, section_of


def test_a_section_run_again_replaces_the_whole_section(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    first = Results("full")
    first.measures += [
        Measure("load: LOAD CSV IN TRANSACTIONS OF 5,000 ROWS (tuned)", 10_000.0, "rows/s"),
        Measure("load: loader throughput vs tuned LOAD CSV", 9_000.0, "rows/s"),
        Measure("query: rings p95", 120.0, "ms"),
    ]
    first.notes.append("first run")
    first.write(out)
    again = Results("full")
    again.measures += [
        Measure("load: LOAD CSV IN TRANSACTIONS OF 20,000 ROWS (tuned)", 11_000.0, "rows/s"),
        Measure("load: loader throughput vs tuned LOAD CSV", 10_500.0, "rows/s"),
    ]
    again.notes.append("second run")
    again.write(out, append=True)

    written = {m["name"]: m["value"] for m in json.loads(out.read_text(encoding="utf-8"))}
    assert written == {
        "query: rings p95": 120.0,  # a section this run did not measure is kept
        "load: LOAD CSV IN TRANSACTIONS OF 20,000 ROWS (tuned)": 11_000.0,
        "load: loader throughput vs tuned LOAD CSV": 10_500.0,
    }  # the 5,000-row measure of the earlier load section is gone with it
    meta = json.loads(out.with_name("latest.meta.json").read_text(encoding="utf-8"))
    assert meta["notes"] == ["[full] first run", "[full] second run"]
    assert meta["scale"] == "full + full"


def test_section_of_a_measure_name() -> None:
    assert section_of("load: loader peak RSS at 219,650 rows") == "load"
    assert section_of("draw: 1,000 nodes drawn and still, ours") == "draw"
