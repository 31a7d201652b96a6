"""A load gives way to the analysts: while an investigation is running it writes in short transactions and
waits after each, never otherwise; what it writes is what a load with nobody reading writes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.db import Graph
from loaders import pacing
from loaders.__main__ import print_summary
from loaders.api import load, load_dir
from loaders.pacing import LOAD_METADATA, GiveWay
from tests.conftest import DATA
from tests.loader_helpers import LONG_READ, a_read_running, call_record_lines, counts, dump

pytestmark = pytest.mark.integration


def test_a_read_in_progress_is_seen_and_the_load_waits_for_it(graph) -> None:
    give_way = GiveWay(graph, share=1.0)
    assert give_way.reads_running() == 0
    assert give_way.after_chunk(0.2) == 0.0
    with graph.driver.session(database=graph.database, default_access_mode="READ") as session:
        tx = session.begin_transaction()
        try:
            result = tx.run(LONG_READ)
            next(iter(result))  # the query is running: its rows are still streaming
            assert give_way.reads_running() == 1
            assert give_way.after_chunk(0.2) > 0
            assert give_way.chunks_waited == 1
            # A write shorter than one look is not worth asking about: no wait, whatever runs.
            assert give_way.after_chunk(pacing.STEP_S / 2) == 0.0
            assert give_way.chunks_waited == 1
        finally:
            tx.close()
    assert give_way.reads_running() == 0
    assert give_way.after_chunk(0.2) == 0.0
    assert give_way.chunks_waited == 1


def test_an_investigation_with_labels_is_a_read_though_it_holds_a_lock(empty_graph) -> None:
    """A read that matches labels holds a shared lock on them: locks do not tell reads from writes."""
    empty_graph.write("CREATE (:Person {person_id: 'pacing-reader'})")
    give_way = GiveWay(empty_graph, share=1.0)
    with empty_graph.driver.session(database=empty_graph.database, default_access_mode="READ") as session:
        tx = session.begin_transaction()
        try:
            next(iter(tx.run("MATCH (p:Person) UNWIND range(1, 1000000) AS x RETURN p, x")))
            locks = empty_graph.read_value(
                "SHOW TRANSACTIONS YIELD currentQuery, activeLockCount WHERE currentQuery STARTS WITH 'MATCH (p:Person)' "
                "RETURN max(activeLockCount)"
            )
            assert locks >= 1
            assert give_way.reads_running() == 1
        finally:
            tx.close()


def test_a_loads_write_in_progress_is_not_a_read(empty_graph) -> None:
    give_way = GiveWay(empty_graph, share=1.0)
    with empty_graph.driver.session(database=empty_graph.database) as session:
        tx = session.begin_transaction(metadata=LOAD_METADATA)
        try:
            tx.run("CREATE (:Person {person_id: 'pacing-test'})").consume()
            result = tx.run(LONG_READ)  # the load's write transaction is still running
            next(iter(result))
            assert give_way.reads_running() == 0
        finally:
            tx.close()


def test_a_load_that_may_not_wait_never_asks(graph) -> None:
    give_way = GiveWay(graph, share=0.0)
    with graph.driver.session(database=graph.database, default_access_mode="READ") as session:
        tx = session.begin_transaction()
        try:
            next(iter(tx.run(LONG_READ)))
            assert give_way.after_chunk(0.2) == 0.0
            assert give_way.chunks_waited == 0
        finally:
            tx.close()


def test_a_load_during_an_investigation_writes_in_pieces_what_a_quiet_load_writes(
    empty_graph, tmp_path, capsys
) -> None:
    path = tmp_path / "calls.csv"
    lines = call_record_lines(seed=5, prefix="139", phones=120, rows=1_200, month="2024-04", min_duration=0)
    path.write_text("\n".join(lines + lines[1:41]) + "\n", encoding="utf-8")  # 40 repeated calls
    busy = Graph(empty_graph.driver, replace(empty_graph.settings, load_busy_rows=100, load_give_way=0.01))
    with a_read_running(empty_graph):
        during = load(busy, path, batch_size=500, rejects_dir=tmp_path, alerts=False)
    assert during.chunks_split == 3  # every chunk of 500 rows (and its nodes) was more than 100 rows
    print_summary(during)
    assert "investigations were running: 3 chunks written in smaller transactions" in capsys.readouterr().out
    written = dump(empty_graph)
    assert counts(empty_graph)[1] == 1_200

    empty_graph.clear()
    quiet = load(busy, path, batch_size=500, rejects_dir=tmp_path, alerts=False)
    assert quiet.chunks_split == 0  # nobody reading: each chunk is one transaction
    assert dump(empty_graph) == written
    assert (during.rows_written, during.duplicates_merged) == (1_240, 40)
    assert (quiet.rows_written, quiet.duplicates_merged) == (1_240, 40)


def test_the_answer_the_wait_just_had_is_not_asked_again(graph, monkeypatch) -> None:
    monkeypatch.setattr(pacing, "FRESH_S", 600.0)  # "just" asked, however slow this machine is today
    give_way = GiveWay(graph, share=1.0)
    with a_read_running(graph):
        assert give_way.reads_lately() == 1  # nothing asked yet: the server is asked
    # Just asked: the next chunk's writer takes that answer instead of asking again at once.
    assert give_way.reads_lately() == 1
    assert give_way.reads_running() == 0
    assert give_way.reads_lately() == 0


def test_the_look_beside_a_write_answers_for_it(graph, monkeypatch) -> None:
    """The server is asked while a chunk is written; that answer decides the wait after the write and
    whether the next chunk is cut, and stands until it is FRESH_S old."""
    monkeypatch.setattr(pacing, "FRESH_S", 600.0)  # "lately", however slow this machine is today
    give_way = GiveWay(graph, share=1.0)
    look = give_way.look_during()
    assert look is not None and look.result() == 0  # nobody reads while this chunk is written
    with a_read_running(graph):
        # A read that starts after the look is a later look's to see: this chunk does not wait, and the
        # next one asks nothing while the answer is fresh.
        assert give_way.after_chunk(0.2) == 0.0
        assert give_way.look_during() is None
        assert give_way.reads_lately() == 0
        monkeypatch.setattr(pacing, "FRESH_S", 0.0)  # the answer has aged
        look = give_way.look_during()
        assert look is not None and look.result() == 1
        assert give_way.after_chunk(0.2) > 0
    assert give_way.chunks_waited == 1
    assert GiveWay(graph, share=0.0).look_during() is None  # a load that may not wait never asks


def test_a_folders_exports_share_their_looks(empty_graph, tmp_path, monkeypatch) -> None:
    """One pace for a folder: its writers take the answer one of them had lately instead of asking again."""
    monkeypatch.setattr(pacing, "FRESH_S", 600.0)
    asked = []
    reads_running = GiveWay.reads_running

    def counted(self: GiveWay) -> int:
        asked.append(self)
        return reads_running(self)

    monkeypatch.setattr(GiveWay, "reads_running", counted)
    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("chat_messages.csv", "waybills.csv", "roster.csv"):
        (folder / name).write_bytes((DATA / "samples" / name).read_bytes())
    summary = load_dir(empty_graph, folder, rejects_dir=tmp_path, alerts=False)
    assert len(summary.loaded) == 3 and all(s.rows_written > 0 for s in summary.loaded)
    assert len(asked) == 1


def test_a_loads_own_reads_carry_its_tag(graph) -> None:
    """The look may run beside the load's own reads (the Load's status, the rows an interrupted run wrote):
    they carry the load's metadata, so that the load never gives way to itself."""
    own = "SHOW TRANSACTIONS YIELD currentQuery, metaData WHERE currentQuery STARTS WITH 'SHOW' RETURN metaData"
    assert graph.read(own, checked=True, metadata=LOAD_METADATA).records[0]["metaData"] == LOAD_METADATA
    assert graph.read(own, checked=True).records[0]["metaData"] == {}
