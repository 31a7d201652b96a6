"""Latency of every catalog investigation on the benchmark graph, and the Bolt floor.

Every investigation of the catalog (`explorer.catalog`) runs with
representative values from the benchmark scenario, or else with the example
parameters its file declares for benchmarks (falling back to its defaults).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.catalog import Investigation as SavedInvestigation
from explorer.catalog import load_catalog
from explorer.db import Graph

ROUND_TRIP = "RETURN 1 AS one"


@dataclass
class Investigation:
    name: str
    cypher: str
    heavy: bool
    params: Callable[[int], dict[str, Any]]


@dataclass
class Timing:
    name: str
    heavy: bool
    samples_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: int = 0


RING_IDS = "MATCH (r:Ring) RETURN r.ring_id AS ring_id ORDER BY r.size DESC LIMIT 10"
LOAD_IDS = "MATCH (l:Load) RETURN l.load_id AS load_id ORDER BY l.load_id LIMIT 10"


def scenario_samples(graph: Graph, truth: dict[str, Any], count: int = 10) -> dict[str, list[Any]]:
    """Representative parameter values from the scenario's ground truth and the loaded graph.

    Identifier parameters get planted people's phones (an organiser, and a broker or member of the same
    ring as the second end; a burner that was replaced for `phone`), account parameters mule accounts,
    ring and load parameters the graph's own ids: what an analyst would look up, not values the graph lacks.
    """
    people = truth.get("people", {})
    firsts, seconds, accounts = [], [], []
    for ring in truth.get("rings", [])[:count]:
        organisers = [k for k, role in ring["roles"].items() if role == "organiser"]
        others = ring.get("brokers", []) + [k for k in ring["members"] if k not in organisers]
        if not organisers or not others:
            continue
        firsts.append(people[organisers[0]]["phones"][0])
        seconds.append(people[others[0]]["phones"][0])
        accounts.extend(ring.get("mule_accounts", [])[:1])
    samples: dict[str, list[Any]] = {}
    for name in ("value", "first", "source", "person"):
        samples[name] = firsts
    for name in ("second", "target"):
        samples[name] = seconds
    samples["account"] = accounts
    # A phone that went quiet: a planted burner with a next number (for "Replacement phones").
    burners = truth.get("knobs", {}).get("burners", {}).values()
    samples["phone"] = [numbers[0]["phone"] for numbers in burners if len(numbers) > 1][:count]
    samples["ring_id"] = [r["ring_id"] for r in graph.read(RING_IDS, checked=True).records]
    samples["load_id"] = [r["load_id"] for r in graph.read(LOAD_IDS, checked=True).records]
    samples["case_id"] = [c["case_id"] for c in truth.get("cases", [])[:count]]
    return {k: v for k, v in samples.items() if v}


def catalog_investigations(graph: Graph, truth: dict[str, Any] | None = None) -> list[Investigation]:
    """Every saved investigation of the catalog, validated on `graph`, with representative parameters.

    With the scenario's ground truth, a parameter named like one of `scenario_samples` takes value i
    modulo their number on run i; other parameters keep the header's example or default.
    """
    samples = scenario_samples(graph, truth) if truth else {}
    items = []
    for saved in load_catalog(graph).values():
        base = {p.name: p.bench_value for p in saved.params}
        names = [p.name for p in saved.params if samples.get(p.name)]

        def params(i: int, saved: SavedInvestigation = saved, base: dict = base, names: list = names) -> dict[str, Any]:
            values = dict(base)
            for name in names:
                values[name] = samples[name][i % len(samples[name])]
            return saved.bind(values)

        items.append(Investigation(saved.name, saved.cypher, saved.heavy, params))
    return items


def time_queries(graph: Graph, items: list[Investigation], runs: int, warmup: int = 2) -> list[Timing]:
    timings = []
    for item in items:
        timing = Timing(item.name, item.heavy)
        for i in range(warmup + runs):
            params = item.params(i)
            started = time.perf_counter()
            try:
                result = graph.read(item.cypher, params, checked=True, timeout_s=60)
            except Exception as e:  # noqa: BLE001 - a failing investigation is a result, not a crash
                timing.errors.append(f"{type(e).__name__}: {e}")
                if len(timing.errors) >= 3:
                    break
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if i >= warmup:
                timing.samples_ms.append(elapsed)
                timing.rows = len(result)
        timings.append(timing)
    return timings


def round_trip(graph: Graph, runs: int) -> list[float]:
    samples = []
    with graph.driver.session(database=graph.database) as session:
        for i in range(runs + 5):
            started = time.perf_counter()
            session.run(ROUND_TRIP).consume()
            if i >= 5:
                samples.append((time.perf_counter() - started) * 1000)
    return samples


def profile_query(graph: Graph, item: Investigation, out: Path) -> str:
    """PROFILE one run; write the operator tree to `out` and return a one-line summary of the costliest steps."""
    lines: list[str] = []
    costs: list[tuple[int, str]] = []

    def walk(plan: dict, depth: int) -> None:
        hits, rows = plan.get("dbHits", 0), plan.get("rows", 0)
        op = plan.get("operatorType", "?").split("@")[0]
        details = plan.get("args", {}).get("Details", "")
        lines.append(f"{'  ' * depth}{op} rows={rows} dbHits={hits} {details}")
        costs.append((hits, op))
        for child in plan.get("children", []):
            walk(child, depth + 1)

    # PROFILE runs the query for real in a read transaction: it cannot write (the text was checked already).
    with graph.driver.session(database=graph.database, default_access_mode="READ") as session:
        started = time.perf_counter()
        summary = session.run("PROFILE " + item.cypher, item.params(0)).consume()
        elapsed = (time.perf_counter() - started) * 1000
    if summary.profile:
        walk(summary.profile, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"{item.name} ({elapsed:.0f} ms)\n" + "\n".join(lines) + "\n", encoding="utf-8")
    top = ", ".join(f"{op} {hits:,} db hits" for hits, op in sorted(costs, reverse=True)[:3])
    return f"{item.name}: {elapsed:.0f} ms profiled; costliest operators: {top}"
