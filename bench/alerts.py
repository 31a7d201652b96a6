"""Early warning: the alert rules after a load, and what running them costs a load.

The scenario is loaded into an emptied database three times: once to warm the server (not counted),
then with the rules off and with them on (after every export, as the product does by default);
throughput is compared. Then, with rings
drawn by the analytics, every rule is evaluated on every load of the scenario (what an analyst waits for
after loading the folder) and on the biggest export's load. Last, the scenario's second wave
(devtools.scenario.wave: one planted event per rule among noise that repeats what the scenario showed) is
loaded and the alerts it raises are scored against the planted events (precision and recall).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench import load as ld
from bench.common import WORK_DIR, BenchServer
from devtools.scenario.wave import generate_wave, score_wave
from explorer import watchlist
from explorer.alerts import evaluate_load, load_rules, run_pending
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.analytics import run_analytics
from loaders.api import load_dir

# Noise rows of each kind in the second wave, per 1,000 export rows of the scenario it follows.
WAVE_NOISE_PER_1000_ROWS = 2
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
    wave: dict
    wave_rows: int
    wave_s: float

    @property
    def throughput_ratio(self) -> float:
        """Rows per second with the rules on, as a share of rows per second with them off."""
        return self.on.rows_per_s / self.off.rows_per_s


def run(server: BenchServer, folder: Path, rows: int) -> AlertsRun:
    var = WORK_DIR / "alerts-var"
    shutil.rmtree(var, ignore_errors=True)
    # A first load warms the server (its plans, its page cache, the JIT) and is not counted: on a cold
    # server whichever load came first would be the slower one.
    ld.run_loader(server, folder, rows, fresh=True, alerts=False)
    off = ld.run_loader(server, folder, rows, fresh=True, alerts=False)
    on = ld.run_loader(server, folder, rows, fresh=True, alerts=True, var_dir=var)
    # Printed as measured: a later step that fails (a rule over its timeout) still leaves these in the log.
    print(f"  {rows:,} rows: rules off {off.seconds:.1f}s, rules on {on.seconds:.1f}s", flush=True)
    graph = server.graph()
    run_analytics(graph)
    store = AnalystStore(var / "after-analytics" / STORE_FILE)
    rules = load_rules(graph)
    # Every load first (this also plans each rule once, as the loads of a working day do), then the
    # biggest export's load on its own.
    everything = run_pending(graph, store, everything=True, webhook="")
    print(f"  every rule on all {len(everything.loads)} loads, rings drawn: {everything.seconds:.1f}s", flush=True)
    biggest = graph.read(BIGGEST_LOAD).records[0]
    started = time.perf_counter()
    evaluate_load(graph, biggest["load_id"], store, rules, webhook="")
    biggest_s = time.perf_counter() - started
    alerts = len(store.alerts())
    wave, wave_rows, wave_s = _second_wave(graph, store, rules, rows)
    return AlertsRun(rows, off, on, int(biggest["rows"] or 0), biggest_s, len(everything.loads), everything.seconds,
                     alerts, wave, wave_rows, wave_s)  # fmt: skip


def _second_wave(graph, store: AnalystStore, rules, rows: int) -> tuple[dict, int, float]:
    """The second wave at this scale, loaded and evaluated as the loader does; its score, rows and rule time."""
    out = WORK_DIR / "alerts-wave"
    shutil.rmtree(out, ignore_errors=True)
    truth = generate_wave(graph, out, seed=11, noise=max(20, rows * WAVE_NOISE_PER_1000_ROWS // 1000))
    for w in truth["watches"]:
        watchlist.add(store, w["kind"], w["value"], w["reason"], "bench")
    before = {a.alert_id for a in store.alerts()}
    loaded = load_dir(graph, out, alerts=False)
    started = time.perf_counter()
    for summary in loaded.loaded:  # what the loader's hook does after each export, into the bench's store
        evaluate_load(graph, summary.load_id, store, rules, webhook="")
    seconds = time.perf_counter() - started
    raised = [(a.rule, a.evidence) for a in store.alerts() if a.alert_id not in before]
    return score_wave(truth, raised), sum(s.rows_read for s in loaded.loaded), seconds
