"""The preview and the load read rows the same way: the rows one rejects, the other rejects, for the same reason.

tests/data/rejects/tip_calls.csv holds a row for each way a row can fail (a bad phone, a node without a
key, a bad date, a bad value in a fallback column, required columns empty on both sides) and rows that
pass only through a fallback or a default.
"""

from __future__ import annotations

import csv

import pytest

from explorer.config import PROJECT_ROOT
from loaders import api

pytestmark = pytest.mark.integration
FIXTURE = PROJECT_ROOT / "tests" / "data" / "rejects"
EXPORT = FIXTURE / "tip_calls.csv"
MAPPING = str(FIXTURE / "tip_calls.yaml")


def _load_rejects(summary) -> dict[int, str]:
    """The rejects file as row -> reason, written the way the preview shows it ("column: reason")."""
    with summary.rejects_path.open(encoding="utf-8-sig", newline="") as f:
        return {
            int(r["row"]): f"{r['column']}: {r['reason']}" if r["column"] else r["reason"] for r in csv.DictReader(f)
        }


def test_preview_rejects_exactly_the_rows_the_load_rejects(empty_graph, tmp_path):
    frame = api.preview(EXPORT, MAPPING, n=100)
    previewed = {int(r["_row"]): r["_rejected"] for r in frame.to_dict("records") if r["_rejected"]}

    summary = api.load(empty_graph, EXPORT, MAPPING, rejects_dir=tmp_path)
    loaded = _load_rejects(summary)

    assert previewed == loaded
    # Every kind of reason is there, each from the column the load names.
    columns = {reason.split(":", 1)[0] for reason in loaded.values()}
    assert {"caller", "at", "logged", "billed_s"} <= columns
    assert any(reason.startswith("no key for Phone callee") for reason in loaded.values())
    # The rows the preview passes are the rows whose calls are in the graph.
    written = empty_graph.read("MATCH ()-[c:CALLED]->() RETURN c.row AS row ORDER BY row", checked=True).rows()
    passed = sorted(int(r) for r in frame["_row"] if int(r) not in previewed)
    assert [w["row"] for w in written] == passed
    assert summary.rows_written == len(passed) and summary.rows_rejected == len(loaded)


def test_a_default_and_a_fallback_give_the_preview_the_values_the_load_writes(empty_graph, tmp_path):
    frame = api.preview(EXPORT, MAPPING, n=100).set_index("_row")
    api.load(empty_graph, EXPORT, MAPPING, rejects_dir=tmp_path)
    stored = empty_graph.read(
        "MATCH ()-[c:CALLED]->() RETURN c.row AS row, c.duration_s AS d, toString(c.at) AS at", checked=True
    ).rows()
    assert len(stored) >= 3
    for call in stored:
        shown = frame.loc[call["row"]]
        assert int(shown["duration_s"]) == call["d"]
        assert shown["at"].isoformat() == call["at"]
