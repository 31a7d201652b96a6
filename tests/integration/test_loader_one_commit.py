"""The end of a load goes with its last rows: an export read in one chunk is written in one transaction,
its Load node complete with its counts; an export whose end is not known yet ends in a commit of its own."""

from __future__ import annotations

from typing import Any

import pytest

from explorer.db import Graph
from loaders.readers import open_export
from loaders.run import load_file, prepare_file
from tests.conftest import DATA
from tests.loader_helpers import dump

pytestmark = pytest.mark.integration

SAMPLE = DATA / "samples" / "chat_messages.csv"


class CountingGraph(Graph):
    """The real graph, counting its write transactions."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.settings)
        self.transactions = 0

    def write_transaction(self, work: Any, metadata: Any = None) -> Any:
        self.transactions += 1
        return super().write_transaction(work, metadata)


def _load(graph: Graph, tmp_path, whole_before: bool = False, batch_size: int | None = None) -> Any:
    options = {"batch_size": batch_size} if batch_size else {}
    prepared = prepare_file(SAMPLE, **options).read_ahead()
    if whole_before:
        assert prepared.reading is not None
        assert prepared.reading._ended.wait(timeout=60)  # a small export is read by a thread: all of it is here
    return load_file(graph, SAMPLE, prepared=prepared, rejects_dir=tmp_path)


def test_a_load_read_in_one_chunk_is_one_commit(empty_graph, tmp_path):
    """Left to its own timing: the reader says the chunk ends the file, so the writer never has to wait
    for the reader to finish to know it."""
    counting = CountingGraph(empty_graph)
    summary = _load(counting, tmp_path)
    assert counting.transactions == 1
    load = empty_graph.read("MATCH (l:Load) RETURN l.status AS status, l.rows_written AS written").records
    assert [(r["status"], r["written"]) for r in load] == [("complete", summary.rows_written)]
    assert summary.rows_written > 0 and summary.nodes_created > 0
    one_commit = dump(empty_graph)

    # The same export in a chunk exactly as long as it is: the reader meets the end of the file only after
    # handing the chunk over, so the end may not be known when its rows are sent; the same graph, one
    # commit more at most. Waiting for the reader first, one commit again.
    rows = sum(len(chunk.rows) for chunk in open_export(SAMPLE).chunks(100_000))
    for whole_before, commits in ((False, (1, 2)), (True, (1,))):
        empty_graph.clear()
        counting = CountingGraph(empty_graph)
        again = _load(counting, tmp_path, whole_before=whole_before, batch_size=rows)
        assert counting.transactions in commits
        assert dump(empty_graph) == one_commit
        assert (again.rows_written, again.nodes_created) == (summary.rows_written, summary.nodes_created)
