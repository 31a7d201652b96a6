"""Planning the writer's statements on the server before it sends them.

The server plans a statement text the first time it meets it, with the writer's transaction open
and nothing else for it to do meanwhile; a folder of small exports meets a few dozen texts, and at
`small` scale their planning was most of each export's fixed cost (docs/benchmarks.md). So, as each
chunk of an export is planned (read ahead, while the export before it is written), its statements
go to a `PlanWarmer`, whose thread has the server plan each one it has not met (an EXPLAIN on a
session of its own). When the writer then sends the statement, the plan is in the server's cache.

The server's cache key is the statement's text and its parameters' types, where a list or a string
also counts by its size's order of magnitude (1, 2-10, 11-100, ...) and a map by its type alone: an
EXPLAIN helps only with the very text the writer will send and parameters of the same shape. The
writer sends its rows inside one map (`queries.batch_parameters`), so the stand-ins are that map with
its lists empty, not the rows themselves.

Warming never holds up or fails a load: the writer never waits for it, a statement the writer has
already sent is not planned again, and a failure is logged and the load goes on.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.db import Graph
from loaders import queries
from loaders.pacing import LOAD_METADATA

log = logging.getLogger(__name__)

Statement = tuple[str, Mapping[str, Any]]

_CLOSE_WAIT_S = 10.0


def _magnitude(n: int) -> int:
    """The server's size class of a list or string of `n`: 0 and 1 alone, then per power of ten."""
    return n if n <= 1 else 1 + len(str(n - 1))


def _shape(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str):
        return ("str", _magnitude(len(value)))
    if isinstance(value, list):
        kinds = {type(v) for v in value}
        return ("list", _magnitude(len(value)), kinds.pop().__name__ if len(kinds) == 1 else "mixed")
    return (type(value).__name__,)


def plan_key(cypher: str, params: Mapping[str, Any]) -> tuple[Any, ...]:
    """What tells one cached plan from another: the text, and each parameter's type and size class."""
    return (cypher, tuple(sorted((name, _shape(v)) for name, v in params.items())))


def stand_ins(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of the same shape as `params` (`plan_key` alike), cheap to send: a list of lists
    becomes as many empty lists, a list of strings as many empty strings, a map's lists empty lists
    (the server does not size what a map holds); other values stay."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict):
            value = {k: [] if isinstance(v, list) else v for k, v in value.items()}
        elif isinstance(value, list) and value:
            kinds = {type(v) for v in value}
            if kinds == {list}:
                value = [[]] * len(value)
            elif kinds == {str}:
                value = [""] * len(value)
        out[name] = value
    return out


class PlanWarmer:
    """Has the server plan statements ahead of the writer, in a thread with a session of its own.

    `offer` the statements of a planned chunk as soon as they are known; `sent` those the writer is
    about to send (they need no warming any more). `planned` lists the texts planned, in order.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.planned: list[str] = []
        self.failures = 0
        self._known: set[tuple[Any, ...]] = set()  # offered or sent: not offered again
        self._sent: set[tuple[Any, ...]] = set()  # sent by the writer: not worth planning any more
        self._queue: queue.Queue[tuple[tuple[Any, ...], str, dict[str, Any]]] = queue.Queue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def offer(self, statements: Iterable[Statement] | None, load_id: str) -> None:
        """Plan these statements (with the load's id, as the writer adds it) unless met before; never raises."""
        try:
            fresh = []
            for cypher, params in statements or ():
                params = queries.batch_parameters(params, load_id)  # as the writer sends them
                key = plan_key(cypher, params)
                if key not in self._known:
                    self._known.add(key)
                    fresh.append((key, cypher, stand_ins(params)))
            if not fresh or self._stop.is_set():
                return
            if self._thread is not None and not self._thread.is_alive():
                return  # it could not open a session: the writer plans for itself
            with self._lock:
                self._pending += len(fresh)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="loader-plan", daemon=True)
                    self._thread.start()
            for item in fresh:
                self._queue.put(item)
        except Exception:  # noqa: BLE001 - warming is an optimisation: the load goes on without it
            log.warning("could not queue statements for planning ahead", exc_info=True)

    def sent(self, statements: Iterable[Statement]) -> None:
        """The writer is sending these statements (parameters as sent): planning them ahead is too late."""
        try:
            keys = {plan_key(cypher, params) for cypher, params in statements}
            self._known |= keys
            self._sent |= keys
        except Exception:  # noqa: BLE001 - as in offer
            log.warning("could not note the statements sent", exc_info=True)

    def _done_one(self) -> None:
        with self._lock:
            self._pending -= 1
            if self._pending <= 0:
                self._idle.notify_all()

    def _run(self) -> None:
        try:
            with self.graph.planning_session(LOAD_METADATA) as plan:  # not a read to give way to
                while not self._stop.is_set():
                    try:
                        key, cypher, params = self._queue.get(timeout=0.2)
                    except queue.Empty:
                        continue
                    try:
                        if key not in self._sent and not self._stop.is_set():
                            plan(cypher, params)
                            self.planned.append(cypher)
                    except Exception as e:  # noqa: BLE001 - logged; the writer will plan it itself
                        self._failed(e)
                    finally:
                        self._done_one()
        except Exception as e:  # noqa: BLE001 - no session: nothing is planned ahead, the load goes on
            self._failed(e)
        finally:
            with self._lock:
                self._pending = 0
                self._idle.notify_all()

    def _failed(self, error: BaseException) -> None:
        self.failures += 1
        level = logging.DEBUG if self._stop.is_set() or self.failures > 1 else logging.WARNING
        log.log(level, "planning a statement ahead failed (the load goes on): %s: %s", type(error).__name__, error)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every statement offered so far is planned (or given up); False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: self._pending <= 0, timeout=timeout)

    def close(self) -> None:
        """Stop planning: what is queued is dropped, an EXPLAIN under way is waited for (briefly)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=_CLOSE_WAIT_S)
