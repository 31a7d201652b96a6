"""Reading ahead: items arrive in order, an error arrives in its place, and closing stops the reader."""

from __future__ import annotations

import threading

import pytest

from loaders.engine import Prefetch


def test_items_arrive_in_order():
    assert list(Prefetch(iter(range(100)), depth=2)) == list(range(100))


def test_an_error_arrives_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("row 3 is broken")

    seen = []
    with pytest.raises(ValueError, match="row 3 is broken"):
        for item in Prefetch(items(), depth=1):
            seen.append(item)
    assert seen == [1, 2]


def test_reading_starts_before_anyone_asks_and_close_stops_it():
    first_read = threading.Event()
    produced = []

    def items():
        for i in range(1_000):
            produced.append(i)
            first_read.set()
            yield i

    reading = Prefetch(items(), depth=2)
    assert first_read.wait(timeout=10)  # started on creation: the next export is read while this one is written
    reading.close()
    assert not reading._thread.is_alive()
    assert len(produced) <= 4  # depth items queued, one being put, one in hand: never the whole file
