"""A relationship statement finds its ends once per distinct end (big statements) or once per row (small
ones, which the server plans faster): both ways write the same graph, duplicates and missing ends alike."""

from __future__ import annotations

import pytest

from loaders import queries
from loaders.api import load, load_dir
from tests.conftest import DATA
from tests.loader_helpers import call_record_lines, dump

pytestmark = pytest.mark.integration

SAMPLES = DATA / "samples"
NETWORKS = ["edge_list.csv", "matrix_4x4.csv"]  # layered links, with local ids
EXPORTS = ["roster.csv", "waybills.csv", "bank_statement.csv", "payments.jsonl", "chat_messages.csv"]


def _graph_after(graph, tmp_path, monkeypatch, *, once_from: int, run) -> tuple:
    monkeypatch.setattr(queries, "ENDS_ONCE_MIN_ROWS", once_from)
    monkeypatch.setattr(queries, "ENDS_ONCE_MIN_EXPORT_BYTES", 0)  # these small exports as if they were big
    graph.clear()
    summaries = run()
    return dump(graph), [(s.rows_written, s.rows_rejected, s.duplicates_merged) for s in summaries]


@pytest.mark.parametrize("name", ["exports", "networks", "calls"])
def test_both_ways_of_finding_the_ends_write_the_same_graph(empty_graph, tmp_path, monkeypatch, name):
    folder = tmp_path / name
    folder.mkdir()
    if name == "calls":  # repeated calls (duplicates) and the same phones in many rows
        lines = call_record_lines(seed=9, prefix="137", phones=40, rows=900, month="2024-05", min_duration=0)
        (folder / "calls.csv").write_text("\n".join(lines + lines[1:31]) + "\n", encoding="utf-8")
    for sample in {"exports": EXPORTS, "networks": NETWORKS, "calls": []}[name]:
        (folder / sample).write_bytes((SAMPLES / sample).read_bytes())

    def run():
        return load_dir(empty_graph, folder, rejects_dir=tmp_path / "rejects", batch_size=400, alerts=False).loaded

    per_row = _graph_after(empty_graph, tmp_path, monkeypatch, once_from=10**9, run=run)
    once = _graph_after(empty_graph, tmp_path, monkeypatch, once_from=1, run=run)
    assert per_row[1] == once[1] and sum(w for w, _, _ in once[1]) > 0
    assert per_row[0] == once[0]
    assert once[0][1], "relationships were written"


def test_a_small_statement_sends_no_list_of_ends(empty_graph, tmp_path, monkeypatch):
    """The per-row statement looks its ends up by key: it needs no `froms`/`tos` lists, and a row naming a
    node that is not in the graph writes nothing, as with the lists."""
    sent = []
    write_together = type(empty_graph).write_together

    def recording(self, statements, metadata=None, then=None):
        sent.extend(statements)
        return write_together(self, statements, metadata, then)

    monkeypatch.setattr(type(empty_graph), "write_together", recording)
    path = tmp_path / "calls.csv"
    lines = call_record_lines(seed=3, prefix="136", phones=10, rows=30, month="2024-06", min_duration=0)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = load(empty_graph, path, rejects_dir=tmp_path, alerts=False)
    relationship_statements = [(c, p) for c, p in sent if "MERGE (a)-[r:" in c]
    assert relationship_statements and summary.rows_written == 30
    for cypher, params in relationship_statements:
        assert "$batch.froms" not in cypher and set(params["batch"]) == {"rows"}
