"""The looks at the analysts' reads run in a thread pool of the process: a forked child (a load run in a
worker process) starts its own instead of waiting on the parent's threads, which it does not have."""

from __future__ import annotations

import multiprocessing

from loaders import pacing


class Answer:
    """Stands for a GiveWay: what its look returns."""

    def reads_running(self) -> int:
        return 7


def _child(out) -> None:
    out.send(pacing._look(Answer()).result(timeout=30))


def test_a_forked_child_looks_with_threads_of_its_own():
    assert pacing._look(Answer()).result(timeout=30) == 7  # the parent's pool now has a thread
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender,))
    child.start()
    try:
        assert receiver.poll(60), "the child's look never answered"
        assert receiver.recv() == 7
    finally:
        child.join(timeout=60)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
