"""A load shortens the interpreter's switch interval while it runs, and puts it back after."""

from __future__ import annotations

import sys
import threading

from loaders.readahead import HANDOFF_S, quick_handoffs


def test_the_interval_is_short_during_a_load_and_restored_after():
    before = sys.getswitchinterval()
    with quick_handoffs():
        assert sys.getswitchinterval() == min(HANDOFF_S, before) < 0.005
    assert sys.getswitchinterval() == before


def test_overlapping_loads_restore_it_only_when_the_last_ends():
    before = sys.getswitchinterval()
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[float] = []

    def other_load() -> None:
        with quick_handoffs():
            first_in.set()
            second_done.wait(timeout=30)
        seen.append(sys.getswitchinterval())

    thread = threading.Thread(target=other_load)
    thread.start()
    assert first_in.wait(timeout=30)
    with quick_handoffs():
        pass
    # This load ended while the other still runs: the interval stays short for it.
    assert sys.getswitchinterval() == min(HANDOFF_S, before)
    second_done.set()
    thread.join(timeout=30)
    assert seen == [before] and sys.getswitchinterval() == before


def test_an_error_inside_still_restores_it():
    before = sys.getswitchinterval()
    try:
        with quick_handoffs():
            raise ValueError("a load that failed")
    except ValueError:
        pass
    assert sys.getswitchinterval() == before
