"""Giving way to the analysts: a load may run at a lower CPU priority, and writes in short pieces while they read.

On a small server the load and the investigations share the same cores. `lower_priority` puts the
thread that loads, and the threads and reading processes it starts, at a higher nice value
(`EXPLORER_LOAD_NICE`): when an investigation needs a core, the kernel gives it before the load's
reading, normalising and sending; when nobody else needs the cores, the load runs as fast as before.

`GiveWay` is the other lever: while investigations run, the writer cuts each chunk into transactions
of at most `EXPLORER_LOAD_BUSY_ROWS` rows (loaders/write.py) and, after each, waits while reads are
still running, for at most `EXPLORER_LOAD_GIVE_WAY` times what that transaction took to write.

Reads and writes do not lock each other out in Neo4j, but on a small server they share the same cores:
a write transaction takes a core (and the disk at its commit) from the investigations that start while
it runs, for as long as it runs. A short transaction bounds that, and the wait lets the reads that were
waiting finish. The writer asks the server which transactions are running a query; those that are not
a load's writes (tagged with LOAD_METADATA) are taken for the analysts' reads. A load therefore slows
by at most that share, and only while analysts are working. The writer asks while a chunk is being
written, in a thread of its own (`look_during`), and takes an answer less than FRESH_S old for the
chunks after it: with nobody reading it writes each chunk whole, and its asking costs the load no time,
at most a couple of short queries a second beside its writes (`EXPLORER_LOAD_GIVE_WAY=0` drops them
too). An investigation that starts just after a look is seen by the next one, within FRESH_S.
docs/benchmarks.md, "Analysts during a load", has the measurements that chose the defaults.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from explorer.db import Graph
from explorer.exceptions import ExplorerError

log = logging.getLogger(__name__)

# The metadata of a load's write transactions (loaders.write), so that loads never wait for each other.
LOAD_METADATA = {"explorer": "load"}

# Transactions of the load's database that are running a query and are not a load's writes: the analysts'
# investigations (and any other work on the server). A read holds locks too (a shared lock on the labels
# it reads), so locks do not tell reads from writes; the loads' own metadata does. The load's own write
# transaction is committed when this runs, and this query itself is left out.
READS_RUNNING = """
SHOW TRANSACTIONS YIELD database, currentQuery, status, metaData
WHERE database = $database AND status = 'Running' AND trim(currentQuery) <> ''
  AND NOT trim(currentQuery) STARTS WITH 'SHOW TRANSACTIONS'
  AND coalesce(metaData.explorer, '') <> 'load'
RETURN count(*) AS reads
"""

STEP_S = 0.05  # how often the writer looks again while it waits
FRESH_S = 0.5  # an answer the server gave this recently is taken for now

LOOK_WAIT_S = 10.0  # a look that has not answered by then is given up: the writer asks itself

# The looks beside the writes: a thread of their own, shared by the process's loads, started on first use.
_looker: ThreadPoolExecutor | None = None
_looker_lock = threading.Lock()


def _look(task: GiveWay) -> Future[int]:
    global _looker
    with _looker_lock:
        if _looker is None:
            _looker = ThreadPoolExecutor(max_workers=2, thread_name_prefix="load-look")
    return _looker.submit(task.reads_running)


def _forget_looker() -> None:
    """In a forked child: the parent's looking threads are not there, so the child starts its own."""
    global _looker, _looker_lock
    _looker, _looker_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_looker)


def lower_priority(nice: int) -> int:
    """Run the calling thread at nice value `nice` at least; return the thread's nice value.

    Linux keeps a nice value per thread, and a thread or process started afterwards inherits its
    starter's: the load's read-ahead thread and forked reading workers run at it too, and the rest of
    the process (the app's other sessions) keeps its own. An unprivileged thread cannot raise its
    priority again, so this is done in the thread that loads and nowhere else. Elsewhere than Linux,
    where the value is the whole process's, nothing is changed.
    """
    if nice <= 0 or sys.platform != "linux":
        return 0
    thread = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread)
        if current < nice:
            os.setpriority(os.PRIO_PROCESS, thread, nice)
        return os.getpriority(os.PRIO_PROCESS, thread)
    except OSError as e:  # a sandbox that forbids it: load at the priority the thread has
        log.warning("the load keeps its CPU priority: %s", e)
        return 0


class GiveWay:
    """Waits after a chunk while reads run on the server, up to `share` of the chunk's write time."""

    def __init__(self, graph: Graph, share: float):
        self.graph = graph
        self.share = max(0.0, share)
        self.waited_s = 0.0
        self.chunks_waited = 0
        self._last: tuple[float, int] | None = None  # when the server last answered, and its answer
        self._looking: Future[int] | None = None  # the look beside the write being sent (look_during)

    def reads_running(self) -> int:
        try:
            reads = int(self.graph.read_value(READS_RUNNING, {"database": self.graph.database}) or 0)
        except ExplorerError as e:  # a server that will not list its transactions: load at full speed
            log.warning("the load will not give way to readers: listing the transactions failed: %s", e)
            self.share = 0.0
            reads = 0
        self._last = (time.perf_counter(), reads)
        return reads

    def look_during(self) -> Future[int] | None:
        """Ask the server which reads run, in the looks' thread, while the caller writes the next chunk.

        Not while a look is out, nor when the server answered less than FRESH_S ago: that answer stands
        for this chunk too. A folder's exports share one GiveWay, so a folder of small exports asks about
        twice a second rather than twice per export (each look is a query the busy server runs too).
        """
        if self.share <= 0:
            return None
        if self._looking is not None and not self._looking.done():
            return self._looking
        if self._fresh() is not None:
            return None
        self._looking = _look(self)
        return self._looking

    def _fresh(self) -> int | None:
        """The server's last answer if it is less than FRESH_S old, else None."""
        if self._last is not None and time.perf_counter() - self._last[0] <= FRESH_S:
            return self._last[1]
        return None

    def reads_lately(self) -> int:
        """The reads running, as the server said at most FRESH_S ago (the look beside the last chunk's
        write, or the wait after it); asked now if it has said nothing since."""
        self._looked()
        fresh = self._fresh()
        return fresh if fresh is not None else self.reads_running()

    def _looked(self) -> int | None:
        """The answer of the look beside the last write (waiting for it if it is still out), or None."""
        looking, self._looking = self._looking, None
        if looking is None:
            return None
        try:
            return looking.result(timeout=LOOK_WAIT_S)
        except FutureTimeout:
            log.warning("the look at the analysts' reads did not answer in %.0f s: asking again", LOOK_WAIT_S)
            return None

    def after_chunk(self, write_s: float) -> float:
        """Wait while reads run, for at most `share * write_s` seconds; return the time waited.

        A write shorter than one look (STEP_S) at that share held the cores too briefly to be worth
        asking the server about: a folder of small exports would otherwise spend more on asking (a
        round trip per chunk) than the waits could give the analysts.
        """
        if self.share <= 0 or self.share * write_s < STEP_S:
            return 0.0
        self._looked()
        if self._fresh() == 0:
            return 0.0  # nobody was reading while the chunk was written (or lately)
        started = time.perf_counter()
        deadline = started + self.share * write_s
        waited = False
        while (left := deadline - time.perf_counter()) > 0 and self.reads_running():
            waited = True
            time.sleep(min(STEP_S, left))  # pacing the writer, not waiting for an event
        if not waited:
            return 0.0
        spent = time.perf_counter() - started
        self.waited_s += spent
        self.chunks_waited += 1
        return spent
