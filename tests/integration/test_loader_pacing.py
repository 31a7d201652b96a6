"""A load gives way to the analysts: it waits after a chunk while an investigation is running, never otherwise."""

from __future__ import annotations

import pytest

from loaders.pacing import GiveWay

pytestmark = pytest.mark.integration

LONG_READ = "UNWIND range(1, 10000000) AS x RETURN x"


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
        finally:
            tx.close()
    assert give_way.reads_running() == 0
    assert give_way.after_chunk(0.2) == 0.0
    assert give_way.chunks_waited == 1


def test_a_write_in_progress_is_not_a_read(empty_graph) -> None:
    give_way = GiveWay(empty_graph, share=1.0)
    with empty_graph.driver.session(database=empty_graph.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run("CREATE (:Person {person_id: 'pacing-test'})").consume()
            result = tx.run(LONG_READ)  # the write transaction holds its locks while it reads on
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
