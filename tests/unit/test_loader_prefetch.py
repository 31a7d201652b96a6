"""Reading ahead: items arrive in order, an error arrives in its place, and closing stops the reader.

The same promises hold for the thread (small exports) and the worker process (big ones).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from dataclasses import dataclass

import pytest

from explorer.exceptions import LoadInterrupted
from loaders.readahead import Prefetch, ProcessPrefetch, gc_paused, importing, read_ahead

READERS = [Prefetch, ProcessPrefetch]


@pytest.mark.parametrize("reader", READERS)
def test_items_arrive_in_order(reader):
    assert list(reader(iter(range(100)), depth=2)) == list(range(100))


@pytest.mark.parametrize("reader", READERS)
def test_an_error_arrives_after_the_items_before_it(reader):
    def items():
        yield 1
        yield 2
        raise ValueError("row 3 is broken")

    seen = []
    with pytest.raises(ValueError, match="row 3 is broken"):
        for item in reader(items(), depth=1):
            seen.append(item)
    assert seen == [1, 2]


def test_an_error_that_cannot_travel_from_the_worker_arrives_as_its_text():
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("not picklable")

    def items():
        yield {"rows": [[1, "a"]]}
        raise Unpicklable("sheet 2 is damaged")

    reading = iter(ProcessPrefetch(items(), depth=1))
    assert next(reading) == {"rows": [[1, "a"]]}
    with pytest.raises(LoadInterrupted, match="the load stopped: Unpicklable: sheet 2 is damaged"):
        next(reading)


def test_a_worker_that_dies_is_reported_not_waited_for():
    def items():
        yield "first"
        os._exit(3)  # as if killed or out of memory

    seen = []
    with pytest.raises(LoadInterrupted, match="stopped unexpectedly \\(exit code 3\\)"):
        for item in ProcessPrefetch(items(), depth=1):
            seen.append(item)
    assert seen in ([], ["first"])  # what it had not yet handed over died with it


def test_reading_starts_before_anyone_asks_and_close_stops_it():
    first_read = threading.Event()
    produced = []

    def items():
        for i in range(1_000):
            produced.append(i)
            first_read.set()
            yield i

    reading = Prefetch(items(), depth=2)
    assert first_read.wait(timeout=60)  # started on creation: the next export is read while this one is written
    reading.close()
    assert not reading._thread.is_alive()
    assert len(produced) <= 4  # depth items queued, one being put, one in hand: never the whole file


def test_the_worker_starts_on_creation_and_close_stops_it(tmp_path):
    started = tmp_path / "started"

    def items():
        started.write_text(str(os.getpid()))
        i = 0
        while True:  # an endless export: only close ends it
            yield i
            i += 1

    reading = ProcessPrefetch(items(), depth=2)
    first = next(iter(reading))  # the worker is running: it produced before anyone closed it
    assert first == 0 and int(started.read_text()) != os.getpid()
    reading.close()
    assert not reading._process.is_alive()
    # The thread that unpickles the worker's items as they arrive stops with it.
    assert not reading._arrived._thread.is_alive()


SECOND_UNPICKLED = threading.Event()


class _Chunk:
    """An item that tells when the loader's process has unpickled the second one."""

    def __init__(self, n):
        self.n = n

    def __setstate__(self, state):
        self.__dict__.update(state)
        if state["n"] == 1:
            SECOND_UNPICKLED.set()


def test_the_next_item_is_unpickled_before_it_is_asked_for():
    SECOND_UNPICKLED.clear()
    reading = iter(ProcessPrefetch(iter([_Chunk(0), _Chunk(1)]), depth=1))
    assert next(reading).n == 0
    assert SECOND_UNPICKLED.wait(timeout=60)  # the second is ready while the first is being written
    assert next(reading).n == 1


def test_the_collector_is_paused_for_a_chunk_and_back_after_it_even_after_an_error():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("a bad chunk")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a pause ends where it began: a collector that was off stays off"
    finally:
        gc.enable()


def test_the_collector_stays_off_until_the_last_of_overlapping_holds_ends():
    """A load holds the collector off while its threads hold it per chunk: the first block to end must
    not turn it back on under the others."""
    assert gc.isenabled()
    first_in, second_out = threading.Event(), threading.Event()

    def chunk_in_a_thread():
        with gc_paused():
            first_in.set()
            second_out.wait(timeout=60)

    thread = threading.Thread(target=chunk_in_a_thread)
    with gc_paused():
        thread.start()
        assert first_in.wait(timeout=60)
    assert not gc.isenabled(), "the thread's block still runs"
    second_out.set()
    thread.join(timeout=60)
    assert gc.isenabled()


@pytest.mark.parametrize("reader", READERS)
def test_reading_ahead_leaves_the_loaders_collector_on(reader):
    def chunks():  # as Prepared.batches builds them
        for i in range(5):
            with gc_paused():
                chunk = [[i, str(i)] for _ in range(1000)]
            yield chunk

    assert [c[0][0] for c in reader(chunks(), depth=2)] == list(range(5))
    assert gc.isenabled()


def test_the_worker_reads_without_the_collector():
    def states():
        for _ in range(3):
            yield gc.isenabled()

    assert list(ProcessPrefetch(states(), depth=1)) == [False, False, False]


@pytest.mark.parametrize("reader", READERS)
def test_each_item_is_shown_as_soon_as_it_is_read(reader):
    seen = []
    assert list(reader(iter(range(5)), depth=1, on_item=seen.append)) == list(range(5))
    assert seen == list(range(5))  # in the loader's process, for the worker too


def test_no_worker_is_forked_while_a_thread_imports():
    """While a thread of the loader imports modules (the gazetteer's warm-up), a big export is read in a
    thread instead: a forked worker would inherit the lock of a module half imported, and could hang."""
    big = read_ahead(iter(range(5)), big=True)
    assert isinstance(big, ProcessPrefetch) and list(big) == list(range(5))
    held, release = threading.Event(), threading.Event()

    def importer() -> None:
        with importing():
            held.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=importer)
    thread.start()
    try:
        assert held.wait(timeout=30)
        meanwhile = read_ahead(iter(range(5)), big=True)
        assert type(meanwhile) is Prefetch and list(meanwhile) == list(range(5))
    finally:
        release.set()
        thread.join(timeout=30)
    small = read_ahead(iter(range(5)), big=False)
    assert type(small) is Prefetch and list(small) == list(range(5))


@pytest.mark.parametrize("reader", READERS)
def test_the_last_item_is_known_once_its_end_has_arrived(reader):
    ahead = reader(iter([1, 2, 3]), depth=2)
    queued = ahead._arrived if isinstance(ahead, ProcessPrefetch) else ahead  # where the writer takes them
    ends = ahead.with_ends()
    assert [next(ends), next(ends)] == [(1, False), (2, False)]
    assert queued._ended.wait(timeout=60)  # the last item has arrived, and nothing after it
    assert list(ends) == [(3, True)]


def test_an_item_whose_end_is_still_being_read_is_not_called_the_last():
    """Nothing waits to know: the writer sends such an item as it is and ends the load on its own."""
    release = threading.Event()

    def items():
        yield 1
        release.wait(60)  # the reader is still at work on what comes next

    ends = Prefetch(items(), depth=2).with_ends()
    assert next(ends) == (1, False)
    release.set()
    assert list(ends) == []


@dataclass
class _Item:
    n: int
    final: bool = False


@pytest.mark.parametrize("reader", READERS)
def test_an_item_that_says_it_is_final_is_the_last_while_its_reader_is_still_closing(reader):
    """A batch made from the chunk with which the reader met the end of the file is the last, whatever the
    reader still does after it (closing the file, a worker's hand-back): the writer sends the load's end
    with it, in the same commit, instead of a transaction of its own."""
    release = multiprocessing.get_context("fork").Event()  # seen by a forked worker too

    def items():
        yield _Item(1)
        yield _Item(2, final=True)
        release.wait(60)  # the reader is still busy after the file's last chunk

    ends = reader(items(), depth=2).with_ends()
    try:
        assert next(ends) == (_Item(1), False)
        assert next(ends) == (_Item(2, final=True), True)
    finally:
        release.set()
    assert list(ends) == []
