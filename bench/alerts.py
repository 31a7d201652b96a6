"""Early warning: the alert rules after a load, and what running them costs a load.

The scenario is loaded into an emptied database three times: once to warm the server (not counted),
then with the rules off and with them on (after every export, as the product does by default);
throughput is compared. Then, with rings
drawn by the analytics, every rule is evaluated on the biggest export's load (the evaluation an analyst
waits for after loading a file) and on every load of the scenario.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench import load as ld
from bench.common import WORK_DIR, BenchServer
from explorer.alerts import evaluate_load, load_rules, run_pending
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.analytics import run_analytics

BIGGEST_LOAD = "MATCH (l:Load) RETURN l.load_id AS load_id, l.rows_read AS rows ORDER BY rows DESC LIMIT 1"


@dataclass
class AlertsRun:
    rows: int
    off: ld.LoadRun
    on: ld.LoadRun
    biggest_rows: int
    biggest_s: float
    all_loads: int
    all_s: float
    alerts: int

    @property
    def throughput_ratio(self) -> float:
        """Rows per second with the rules on, as a share of rows per second with them off."""
        return self.on.rows_per_s / self.off.rows_per_s


def run(server: BenchServer, folder: Path, rows: int) -> AlertsRun:
    # A rule names relationship types and properties a scenario may lack (no Watch, no KNOWS): not news here.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    var = WORK_DIR / "alerts-var"
    shutil.rmtree(var, ignore_errors=True)
    # A first load warms the server (its plans, its page cache, the JIT) and is not counted: on a cold
    # server whichever load came first would be the slower one.
    ld.run_loader(server, folder, rows, fresh=True, alerts=False)
    off = ld.run_loader(server, folder, rows, fresh=True, alerts=False)
    on = ld.run_loader(server, folder, rows, fresh=True, alerts=True, var_dir=var)
    graph = server.graph()
    run_analytics(graph)
    store = AnalystStore(var / "after-analytics" / STORE_FILE)
    rules = load_rules(graph)
    # Every load first (this also plans each rule once, as the loads of a working day do), then the
    # biggest export's load on its own.
    everything = run_pending(graph, store, everything=True, webhook="")
    biggest = graph.read(BIGGEST_LOAD).records[0]
    started = time.perf_counter()
    evaluate_load(graph, biggest["load_id"], store, rules, webhook="")
    biggest_s = time.perf_counter() - started
    return AlertsRun(rows, off, on, int(biggest["rows"] or 0), biggest_s, len(everything.loads), everything.seconds,
                     len(store.alerts()))  # fmt: skip
