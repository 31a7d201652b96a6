"""Analysts working while a load runs: an open workload.

Each analyst starts an investigation at Poisson arrivals (exponential gaps, 5 s on average), whether
or not the previous one has finished: every arrival runs in a thread of its own, sharing one driver as
the app's sessions do, so an arrival never waits for an earlier query. Its response time counts from
the moment it was due, so a thread started late is charged for it. The arrivals come from a seeded
random generator per analyst: the same ones are replayed with the graph idle and while a load runs.
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench.common import percentile
from bench.investigations import Investigation
from explorer.db import Graph

MEAN_GAP_S = 5.0  # each analyst's average time between two investigations
QUERY_TIMEOUT_S = 60


@dataclass(frozen=True)
class Lever:
    """One way of letting the analysts work during a load: the loader's settings, its transaction size, or
    the server's settings (which need a restart)."""

    label: str
    env: dict[str, str] = field(default_factory=dict)
    batch_size: int | None = None
    server_conf: tuple[str, ...] = ()


# Every lever names the loader settings it relies on, so that a change of their defaults leaves it as it was.
_PLAIN = {"EXPLORER_LOAD_NICE": "0", "EXPLORER_LOAD_GIVE_WAY": "0"}
LEVERS = {
    "none": Lever("loader as it was (nice 0, no giving way)", _PLAIN),
    "default": Lever("loader with the product's defaults", {}),
    "nice": Lever("loader at nice 19", {**_PLAIN, "EXPLORER_LOAD_NICE": "19"}),
    "nice10": Lever("loader at nice 10", {**_PLAIN, "EXPLORER_LOAD_NICE": "10"}),
    "default-nice0": Lever("loader with the product's defaults, at nice 0", {"EXPLORER_LOAD_NICE": "0"}),
    "nice-wait3": Lever(
        "loader at nice 19, in 2,000-row pieces giving way up to 3x each one's write time while analysts read",
        {"EXPLORER_LOAD_NICE": "19", "EXPLORER_LOAD_GIVE_WAY": "3", "EXPLORER_LOAD_BUSY_ROWS": "2000"},
    ),  # fmt: skip
    "small-chunks": Lever("2,000-row transactions", _PLAIN, batch_size=2_000),
    "small-give-way": Lever(
        "2,000-row transactions, giving way up to 1x each one's write time",
        {**_PLAIN, "EXPLORER_LOAD_GIVE_WAY": "1"},
        batch_size=2_000,
    ),  # fmt: skip
    "nice-give-way": Lever(
        "loader at nice 19, 2,000-row transactions giving way up to 1x",
        {"EXPLORER_LOAD_NICE": "19", "EXPLORER_LOAD_GIVE_WAY": "1"},
        batch_size=2_000,
    ),  # fmt: skip
    "no-replan": Lever(
        "server keeps its plans for an hour (dbms.cypher.min_replan_interval=1h)",
        _PLAIN,
        server_conf=("dbms.cypher.min_replan_interval=1h",),
    ),  # fmt: skip
}


@dataclass(frozen=True)
class Arrival:
    at_s: float  # due this long after the phase started
    analyst: int
    item: int  # which investigation (index into the list given)
    run: int  # which parameter values (the investigation's run number)


def arrivals(analysts: int, items: int, mean_gap_s: float = MEAN_GAP_S, seed: int = 0) -> Iterator[Arrival]:
    """Every analyst's arrivals, merged in time order; endless (the phase decides when to stop)."""

    def one(analyst: int) -> Iterator[Arrival]:
        rng = random.Random(f"{seed}:{analyst}")  # each analyst's own stream: adding one leaves the others
        at, run = 0.0, 0
        while True:
            at += rng.expovariate(1 / mean_gap_s)
            yield Arrival(at, analyst, rng.randrange(items), analyst * 1_000_000 + run)
            run += 1

    return heapq.merge(*(one(a) for a in range(analysts)), key=lambda a: a.at_s)


@dataclass
class Phase:
    """The investigations of one phase: response times (ms, by investigation name) and errors."""

    seconds: float = 0.0
    arrivals: int = 0
    by_item: dict[str, list[float]] = field(default_factory=dict)
    by_arrival: dict[int, float] = field(default_factory=dict)  # response time by position in the schedule
    errors: list[str] = field(default_factory=list)
    most_in_flight: int = 0
    load_error: str | None = None

    @property
    def latencies_ms(self) -> list[float]:
        """Every response time of the phase, in the schedule's order."""
        return [self.by_arrival[k] for k in sorted(self.by_arrival)]

    def p95(self) -> float | None:
        return percentile(self.latencies_ms, 95) if self.latencies_ms else None

    def by_investigation(self) -> dict[str, float]:
        """Each investigation's p95 in this phase."""
        return {k: percentile(v, 95) for k, v in self.by_item.items() if v}

    def slowest(self, count: int = 3) -> str:
        """The investigations with the highest p95 in this phase, for the notes."""
        ranked = sorted(((percentile(v, 95), k, len(v)) for k, v in self.by_item.items() if v), reverse=True)
        return ", ".join(f"{name} {p95:,.0f} ms ({n})" for p95, name, n in ranked[:count])


def open_workload(
    graph: Graph,
    items: list[Investigation],
    schedule: Iterator[Arrival],
    *,
    seconds: float | None = None,
    load: Callable[[], object] | None = None,
) -> Phase:
    """Start the arrivals of `schedule` as they fall due, for `seconds` or for as long as `load()` runs.

    With `load`, it runs in a thread of its own from the start of the phase, and the arrivals stop
    when it ends. Every investigation started is waited for (each has a server-side timeout).
    """
    if (seconds is None) == (load is None):
        raise ValueError("give the phase a duration or a load")
    phase = Phase()
    lock = threading.Lock()
    over = threading.Event()
    in_flight = 0

    def ask(position: int, arrival: Arrival, due: float) -> None:
        nonlocal in_flight
        item = items[arrival.item]
        with lock:
            in_flight += 1
            phase.most_in_flight = max(phase.most_in_flight, in_flight)
        try:
            graph.read(item.cypher, item.params(arrival.run), checked=True, timeout_s=QUERY_TIMEOUT_S)
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                phase.by_item.setdefault(item.name, []).append(elapsed)
                phase.by_arrival[position] = elapsed
        except Exception as e:  # noqa: BLE001 - every failure an analyst would see counts
            with lock:
                phase.errors.append(f"{item.name}: {type(e).__name__}: {e}")
        finally:
            with lock:
                in_flight -= 1

    def run_load() -> None:
        try:
            load()
        except Exception as e:  # noqa: BLE001 - reported, the analysts' numbers still stand
            phase.load_error = f"{type(e).__name__}: {e}"
        finally:
            over.set()

    workers: list[threading.Thread] = []
    started = time.perf_counter()
    loader = threading.Thread(target=run_load, daemon=True) if load is not None else None
    if loader is not None:
        loader.start()
    for position, arrival in enumerate(schedule):
        if seconds is not None and arrival.at_s >= seconds:
            break
        due = started + arrival.at_s
        # Waiting for the next arrival's time is the workload's pacing; a load that ends stops it.
        if over.wait(max(0.0, due - time.perf_counter())):
            break
        worker = threading.Thread(target=ask, args=(position, arrival, due), daemon=True)
        worker.start()
        workers.append(worker)
    phase.seconds = seconds if seconds is not None else time.perf_counter() - started
    phase.arrivals = len(workers)
    for worker in workers:
        worker.join(timeout=QUERY_TIMEOUT_S + 60)
    if loader is not None:
        loader.join()
    return phase


def paired(idle: list[Phase], busy: list[Phase]) -> tuple[list[float], list[float]]:
    """The response times of the arrivals that ran in both: under load (round by round), and idle.

    The rounds replay the same schedules idle and during a load, so an arrival is the same investigation
    with the same parameters at the same moment of its phase in both. Comparing only the arrivals both
    phases saw keeps a load that ends early (or late) from changing which investigations are compared:
    with a few dozen arrivals per phase, two slow investigations more or less move a p95 by half.
    """
    under: list[float] = []
    alone: list[float] = []
    for quiet, loaded in zip(idle, busy, strict=True):
        for position, ms in sorted(loaded.by_arrival.items()):
            if position in quiet.by_arrival:
                under.append(ms)
                alone.append(quiet.by_arrival[position])
    return under, alone
