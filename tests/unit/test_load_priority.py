"""A load's lower CPU priority: the thread that loads and what it starts take it, the rest of the process keeps its own."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading

import pytest

from loaders.pacing import lower_priority

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="nice values are per thread on Linux only")


def _nice_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _report_nice(queue) -> None:
    queue.put(os.getpriority(os.PRIO_PROCESS, 0))


def test_the_loading_thread_and_the_workers_it_forks_run_lower_and_the_others_do_not() -> None:
    before = _nice_of_this_thread()
    seen: dict[str, int] = {}

    def load() -> None:
        seen["returned"] = lower_priority(before + 5)
        seen["loading"] = _nice_of_this_thread()
        inner = threading.Thread(target=lambda: seen.__setitem__("read_ahead", _nice_of_this_thread()))
        inner.start()
        inner.join()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        worker = context.Process(target=_report_nice, args=(queue,))
        worker.start()
        seen["worker"] = queue.get(timeout=30)
        worker.join(timeout=30)

    loading = threading.Thread(target=load)
    loading.start()
    loading.join()
    assert seen == {"returned": before + 5, "loading": before + 5, "read_ahead": before + 5, "worker": before + 5}
    assert _nice_of_this_thread() == before  # the app's other sessions keep their priority


def test_nice_zero_changes_nothing_and_a_thread_is_never_raised_again() -> None:
    seen: dict[str, int] = {}

    def load() -> None:
        start = _nice_of_this_thread()
        seen["zero"] = lower_priority(0)
        seen["after_zero"] = _nice_of_this_thread() - start
        lower_priority(start + 6)
        lower_priority(start + 2)  # a smaller value does not (and could not) raise the thread again
        seen["after_two"] = _nice_of_this_thread() - start

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    assert seen == {"zero": 0, "after_zero": 0, "after_two": 6}
