"""Reading ahead of the writer: a chunk is read, normalised and planned while the one before is written.

In a second thread for a small export, in a forked worker process for a big one (PROCESS_MIN_BYTES),
whose Python work then runs beside the writer's instead of taking turns with it under one interpreter
lock. Also the collector's tuning: the cyclic garbage collector is paused while a chunk is handled.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from explorer.exceptions import LoadInterrupted

# Chunks read and normalised ahead of the writer: enough to keep the server busy, bounded for memory.
PREFETCH_CHUNKS = 2
# Exports of at least this size are read and normalised in a worker process rather than a thread
# (the environment variable, a test hook, sets another size). A worker costs a fork and the pickling
# of each chunk; from a few thousand rows on it pays, because a thread's reading takes turns with the
# writer under one interpreter lock and a worker's does not (docs/benchmarks.md).
PROCESS_MIN_BYTES_ENV = "EXPLORER_LOADER_PROCESS_MIN_BYTES"
PROCESS_MIN_BYTES = int(os.environ.get(PROCESS_MIN_BYTES_ENV) or 256 * 1024)


def read_by_worker(size: int) -> bool:
    """Whether an export of `size` bytes is big: read by a worker process, not a thread (PROCESS_MIN_BYTES)."""
    return size >= PROCESS_MIN_BYTES


# How long a thread may keep the interpreter lock while another waits for it, during a load (Python's
# default is 5 ms). The writer waits on the server between short bursts of work, and each time an answer
# arrives it must take the lock back from the reading thread, which computes without pause: a round
# trip of 2.5 ms took 37 ms beside a busy thread at 5 ms, 6 ms at 0.5 ms (docs/benchmarks.md).
HANDOFF_S = 0.0005
_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_before = 0.0


@contextlib.contextmanager
def quick_handoffs() -> Iterator[None]:
    """A thread waiting for the interpreter lock gets it within HANDOFF_S while the block runs (in any
    thread of the process: the interval is the interpreter's), then the interval is as it was."""
    global _handoff_users, _handoff_before
    with _handoff_lock:
        if _handoff_users == 0:
            _handoff_before = sys.getswitchinterval()
            sys.setswitchinterval(min(HANDOFF_S, _handoff_before))
        _handoff_users += 1
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if _handoff_users == 0:
                sys.setswitchinterval(_handoff_before)


# Held while a thread of the loader imports modules (the gazetteer's warm-up). A worker forked meanwhile
# would inherit the lock of a module half imported by a thread it does not have, and hang if it imported
# that module too; so no worker is forked while it is held.
_importing = threading.Lock()


@contextlib.contextmanager
def importing() -> Iterator[None]:
    """Hold off forking reading workers while the block imports modules in a thread of its own."""
    with _importing:
        yield


def read_ahead(items: Iterator[Any], big: bool, depth: int = PREFETCH_CHUNKS,
               on_item: Callable[[Any], None] | None = None) -> ReadAhead:  # fmt: skip
    """A forked worker for a `big` export, a thread otherwise, and a thread too while another thread
    imports modules (`importing`): a thread then reads the export rather than the loader waiting."""
    if big and _importing.acquire(blocking=False):
        try:
            return ProcessPrefetch(items, depth, on_item)
        finally:
            _importing.release()
    return Prefetch(items, depth, on_item)


_collector_lock = threading.Lock()
_collector_holders = 0
_collector_was_on = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, back on (as it was) when the last block held
    in any thread of the process ends: a load holds it for its whole length, and a chunk's own work
    (normalising, planning, unpickling, sending) holds it too when run outside a load (a preview).

    Normalising, planning and sending a chunk allocate some million lists, dicts and tuples and free
    them together, none in a cycle; with the collector on, each of its passes walks every one of them
    (and everything else alive): chunks read ahead and waiting, unpickled rows, rows being sent. Held
    for a whole folder of the `medium` benchmark, the loader's process spent 0.6 s less CPU and kept
    the same peak memory, because nothing a load does leaves its chunks in a cycle: the rows the driver
    keeps in one are emptied once sent (explorer.db). docs/benchmarks.md has the figures.
    """
    global _collector_holders, _collector_was_on
    with _collector_lock:
        if _collector_holders == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _collector_holders += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_holders -= 1
            if _collector_holders == 0 and _collector_was_on:
                gc.enable()


_DONE = object()


class ReadAhead:
    """What both read-ahead kinds share: items, then `done`, or an `error` raised in its place."""

    def _receive(self) -> tuple[str, Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Any]:
        return (item for item, _ in self.with_ends())

    def with_ends(self) -> Iterator[tuple[Any, bool]]:
        """Each item with whether it is known to be the last: it says so itself (an item whose `final` is
        true, such as a batch made from the chunk a reader ended the file with), or its end has already
        arrived behind it.

        Nothing waits for the answer: an item whose end is still being read comes with False, as does
        one followed by another. The writer sends the end of a load with a chunk known to be the last.
        """
        try:
            for item in _items(iter(self._receive, None)):
                yield item, getattr(item, "final", False) is True or self._done_next()
        finally:
            self.close()

    def _done_next(self) -> bool:
        """Whether every item has arrived and none is left for the caller (False when it cannot tell yet)."""
        raise NotImplementedError


def _items(messages: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    """The items a read-ahead's messages carry, up to `done`; an `error` is raised in its place."""
    for kind, item in messages:
        if kind == "item":
            yield item
        elif kind == "done":
            return
        else:
            raise item


class Prefetch(ReadAhead):
    """Iterate `items` in order while a thread computes up to `depth` of them ahead, from creation on.

    The thread does the reading, normalising and planning (pure Python); the caller's writes mostly
    wait on the server's socket, which releases the GIL, so the two overlap. An error in the
    thread is raised where the caller iterates, in order; `close` stops the thread.
    `on_item`, if given, sees each item in the thread as soon as it is computed (it must not raise).
    """

    def __init__(self, items: Iterator[Any], depth: int = PREFETCH_CHUNKS,
                 on_item: Callable[[Any], None] | None = None):  # fmt: skip
        self._items = items
        self._on_item = on_item
        self._slots: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._ended = threading.Event()  # every item is queued: the items ran out without an error
        self._thread = threading.Thread(target=self._run, name="loader-read", daemon=True)
        self._thread.start()

    def _put(self, kind: str, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._slots.put((kind, item), timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._items:
                if self._on_item is not None:
                    self._on_item(item)
                if not self._put("item", item):
                    return
            self._ended.set()
            self._put("done", _DONE)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            self._put("error", e)

    def _receive(self) -> tuple[str, Any]:
        return self._slots.get()

    def _done_next(self) -> bool:
        if not self._ended.is_set():
            return False
        with self._slots.mutex:
            return not any(kind == "item" for kind, _ in self._slots.queue)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)


class ProcessPrefetch(ReadAhead):
    """`Prefetch` in a forked worker process: the items are computed there and arrive here pickled.

    The worker shares no interpreter lock with the caller, so on two cores reading and normalising
    run beside the writer rather than in its pauses. The same contract as `Prefetch`: items in order,
    an error raised in its place (as a LoadInterrupted naming it if it cannot travel), `close` stops
    the worker. The two ends of one pipe connect them: the worker computes the next item while the last
    one waits in the pipe, a worker that dies (killed, out of memory) ends the pipe and is reported,
    and a worker whose loader has gone finds the pipe broken and stops.

    Here, a thread takes each item from the pipe and unpickles it as soon as it arrives, while the
    writer waits on the server, so that the writer finds the next chunk ready when a transaction ends.
    Unpickled between two transactions instead, each chunk would keep the server idle while the writer
    unpickles it (docs/benchmarks.md). Whatever `depth`, the items ahead of the writer
    are at most four: one being computed, one in the pipe, one in the thread's hand, one waiting for
    the writer.
    """

    def __init__(self, items: Iterator[Any], depth: int = PREFETCH_CHUNKS,
                 on_item: Callable[[Any], None] | None = None):  # fmt: skip
        context = multiprocessing.get_context("fork")  # the worker inherits the opened export: nothing to pickle
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(items, sender), name="loader-read", daemon=True)
        self._process.start()
        sender.close()  # the worker holds the only sending end: when it exits, receiving ends
        # `on_item` sees each item here, in the loader's process, as it arrives.
        self._arrived = Prefetch(_items(self._messages()), 1, on_item)

    def _run(self, items: Iterator[Any], sender: Any) -> None:
        self._receiver.close()  # the loader holds the only receiving end: when it exits, sending fails
        # The worker lives for one export and its chunks leave no cycles worth a collection (see
        # gc_paused): the collector stays off for its whole life, which costs less CPU than pausing it
        # per chunk (docs/benchmarks.md).
        gc.disable()
        try:
            for item in items:
                sender.send(("item", item))
            sender.send(("done", None))
        except (BrokenPipeError, ConnectionResetError):
            return  # the loader is gone: nobody will read this
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            try:
                pickle.dumps(e)
            except Exception:  # noqa: BLE001 - an error that cannot be pickled travels as its text
                e = LoadInterrupted(f"the load stopped: {type(e).__name__}: {e}")
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sender.send(("error", e))

    def _messages(self) -> Iterator[tuple[str, Any]]:
        """The worker's messages, unpickled (in the thread of `self._arrived`); a worker gone before `done`
        is raised as LoadInterrupted."""
        while True:
            try:
                with gc_paused():  # unpickling a chunk builds its rows' lists
                    message = self._receiver.recv()
            except EOFError:
                self._process.join(timeout=30)
                raise LoadInterrupted(
                    f"the loader's reading process stopped unexpectedly (exit code {self._process.exitcode}); "
                    "load the export again: the graph ends as a clean load leaves it"
                ) from None
            yield message

    def _receive(self) -> tuple[str, Any]:
        return self._arrived._receive()

    def _done_next(self) -> bool:
        return self._arrived._done_next()

    def close(self) -> None:
        # The worker first: its end of the pipe closes, so a thread waiting on the pipe wakes and stops.
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=30)
        self._arrived.close()
        self._receiver.close()
