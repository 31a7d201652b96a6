"""Giving way to the analysts: between two chunks, a load waits while their investigations run.

Reads and writes do not lock each other out in Neo4j, but on a small server they share the same cores:
a load that writes chunk after chunk takes a core (and the disk at each commit) from the investigations
that start meanwhile. After each chunk the writer asks the server which transactions are running; while
some of them read (they hold no locks), it waits in short steps, for at most `share` times what the
chunk took to write. A load therefore slows by at most that share, and only while analysts are working;
with nobody reading it costs one short query per chunk (`EXPLORER_LOAD_GIVE_WAY=0` drops that too).
"""

from __future__ import annotations

import logging
import time

from explorer.db import Graph
from explorer.exceptions import ExplorerError

log = logging.getLogger(__name__)

# Transactions of the load's database that are running a query and hold no lock: reads. The load's own
# write transaction is committed when this runs, and this query itself is left out.
READS_RUNNING = """
SHOW TRANSACTIONS YIELD database, currentQuery, status, activeLockCount
WHERE database = $database AND status = 'Running' AND activeLockCount = 0 AND trim(currentQuery) <> ''
  AND NOT trim(currentQuery) STARTS WITH 'SHOW TRANSACTIONS'
RETURN count(*) AS reads
"""

STEP_S = 0.05  # how often the writer looks again while it waits


class GiveWay:
    """Waits after a chunk while reads run on the server, up to `share` of the chunk's write time."""

    def __init__(self, graph: Graph, share: float):
        self.graph = graph
        self.share = max(0.0, share)
        self.waited_s = 0.0
        self.chunks_waited = 0

    def reads_running(self) -> int:
        try:
            return int(self.graph.read_value(READS_RUNNING, {"database": self.graph.database}) or 0)
        except ExplorerError as e:  # a server that will not list its transactions: load at full speed
            log.warning("the load will not give way to readers: listing the transactions failed: %s", e)
            self.share = 0.0
            return 0

    def after_chunk(self, write_s: float) -> float:
        """Wait while reads run, for at most `share * write_s` seconds; return the time waited."""
        if self.share <= 0 or write_s <= 0:
            return 0.0
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
