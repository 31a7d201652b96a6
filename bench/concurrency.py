"""Analysts querying while a load runs: threads sharing one driver, as the app's sessions do."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.investigations import Investigation
from explorer.db import Graph


@dataclass
class ConcurrencyRun:
    analysts: int
    load_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    load_error: str | None = None


def analysts_during_load(
    graph: Graph, items: list[Investigation], analysts: int, load: Callable[[], object], min_s: float = 5.0
) -> ConcurrencyRun:
    """Run `load()` in one thread while `analysts` threads loop over the investigations until it ends."""
    run = ConcurrencyRun(analysts, 0.0)
    lock = threading.Lock()
    done = threading.Event()

    def analyst(k: int) -> None:
        i = k
        while not done.is_set():
            item = items[i % len(items)]
            started = time.perf_counter()
            try:
                graph.read(item.cypher, item.params(i), checked=True, timeout_s=60)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    run.latencies_ms.append(elapsed)
            except Exception as e:  # noqa: BLE001 - every failure an analyst would see counts
                with lock:
                    run.errors.append(f"{item.name}: {type(e).__name__}: {e}")
            i += 1

    threads = [threading.Thread(target=analyst, args=(k,), daemon=True) for k in range(analysts)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    try:
        load()
    except Exception as e:  # noqa: BLE001 - reported, the analysts' numbers still stand
        run.load_error = f"{type(e).__name__}: {e}"
    run.load_s = time.perf_counter() - started
    # A load shorter than min_s would say little about contention: keep the analysts on a little longer.
    while time.perf_counter() - started < min_s:
        time.sleep(0.1)
    done.set()
    for t in threads:
        t.join(timeout=120)
    return run
