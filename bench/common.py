"""What every benchmark shares: the measure record, the scales, fresh servers, timing.

A benchmark server is a separate local Neo4j (own Bolt/HTTP ports, own home
under `.neo4j/server-<port>`) so the developer's database is never touched
and every method starts from an empty store.
"""

from __future__ import annotations

import json
import math
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from devtools import local_neo4j as local_server
from explorer.config import PROJECT_ROOT, Settings, load_settings
from explorer.db import Graph

RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
WORK_DIR = PROJECT_ROOT / "bench" / "work"


@dataclass(frozen=True)
class Scale:
    """How big each benchmark runs; `full` is the benchmark scale of the issue (devtools.scenario `bench`)."""

    name: str
    people: int | str  # the scenario's --scale: its population (`bench`: >= 1M nodes and 5M relationships)
    second_people: int  # a second scenario (other seed), loaded while analysts query; also the loader's
    # small point of the memory comparison and the rows LOAD CSV's batch size is tuned on
    per_row_sample: int  # rows the one-transaction-per-row loop loads
    query_runs: int  # timed runs per investigation (after warm-up)
    draw_sizes: tuple[int, ...]
    draw_timeout_s: float
    networkx_nodes: int  # largest projection networkx is given
    analysts: int
    load_csv_batches: tuple[int, ...]  # batch sizes tried for LOAD CSV ... IN TRANSACTIONS
    memory_rows: tuple[int, int] = (1_000_000, 5_000_000)  # one call-record file at two sizes, loaded with writes
    arrival_gap_s: float = 5.0  # each analyst's mean time between investigations in the open workload
    restart: bool = True  # fresh database = wiped store and restarted server (else: emptied in place)
    load_rounds: int = 1  # rounds of tuned LOAD CSV then the loader; the median round's ratio is reported
    admin_import: bool = True


SCALES = {
    # tiny: the harness's own test; numbers mean little.
    "tiny": Scale(
        "tiny",
        400,
        200,
        100,
        3,
        (200,),
        15.0,
        1_000,
        3,
        (5_000,),
        (5_000, 25_000),
        1.0,
        restart=False,
        admin_import=False,
    ),  # fmt: skip
    # small: the demo's size, the whole run in a few minutes.
    "small": Scale(
        "small",
        2_000,
        600,
        200,
        8,
        (200, 1_000, 3_000),
        15.0,
        2_000,
        10,
        (2_000, 10_000),
        (50_000, 250_000),
        restart=False,
        load_rounds=3,
    ),  # fmt: skip
    # medium: a quarter of a million export rows; where the loading comparison fits in half an hour on a busy
    # 2-core machine. Three rounds of the two loads, each on a restarted server: one pair of runs here
    # has varied from 0.84x to 1.06x between days.
    "medium": Scale(
        "medium",
        10_000,
        2_000,
        1_000,
        20,
        (200, 1_000, 3_000),
        60.0,
        4_000,
        10,
        (5_000, 20_000),
        (200_000, 1_000_000),
        load_rounds=3,
    ),  # fmt: skip
    "full": Scale("full", "bench", 8_000, 1_000, 20, (200, 1_000, 3_000), 60.0, 4_000, 10, (5_000, 20_000)),
}


@dataclass
class Measure:
    """One line of the results: a value, optionally against an anchor and a target."""

    name: str
    value: float | None
    unit: str
    anchor: str | None = None
    anchor_value: float | None = None
    ratio: float | None = None
    target: str | None = None
    met: bool | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        keep = {"name", "value", "unit"}
        if self.anchor is not None:
            keep |= {"anchor_value", "ratio"}  # an anchor always comes with its value and ratio (null if unknown)
        if self.target is not None:
            keep.add("met")
        return {k: v for k, v in asdict(self).items() if v is not None or k in keep}


@dataclass
class Results:
    scale: str
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, measure: Measure) -> Measure:
        self.measures.append(measure)
        print(f"  {format_row(measure)}", flush=True)
        return measure

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    def write(self, path: Path, append: bool = False) -> None:
        """The results file is a JSON list of measures (docs/benchmarks.md); the notes go beside it.

        `append` keeps the measures of an earlier run in the file from the sections this run did not measure
        (two runs at different scales or commits make one report): a section is the part of a measure's name
        before the colon, and this run's measures replace every earlier one of their sections, so that a
        measure this run no longer makes (a LOAD CSV batch size that is no longer the tuned one) does not
        stay behind. The notes then say which scale each part came from.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = [m.as_dict() for m in self.measures]
        meta_path = path.with_name(path.stem + ".meta.json")
        notes, scale = [f"[{self.scale}] {n}" for n in self.notes], self.scale
        if append and path.is_file():
            mine = {section_of(m["name"]) for m in payload}
            earlier_measures = json.loads(path.read_text(encoding="utf-8"))
            payload = [m for m in earlier_measures if section_of(m["name"]) not in mine] + payload
            if meta_path.is_file():
                earlier = json.loads(meta_path.read_text(encoding="utf-8"))
                notes = earlier.get("notes", []) + notes
                scale = f"{earlier.get('scale')} + {self.scale}"
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        meta = {"scale": scale, "machine": machine(), "notes": notes, "finished_at": _now()}
        path.with_name(path.stem + ".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    def table(self) -> str:
        header = f"{'measure':58} {'value':>14} {'unit':9} {'anchor':>14} {'ratio':>9}  target"
        lines = [header, "-" * len(header)]
        lines += [format_row(m) for m in self.measures]
        return "\n".join(lines)


def section_of(name: str) -> str:
    """The section a measure belongs to: `load` for `load: loader throughput vs tuned LOAD CSV`."""
    return name.split(":", 1)[0].strip()


def _num(v: float | None) -> str:
    if v is None:
        return "-"
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return str(v)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def format_row(m: Measure) -> str:
    target = ""
    if m.target:
        target = f"{m.target} [{'met' if m.met else 'MISSED'}]"
    ratio = f"{m.ratio:.2f}x" if m.ratio is not None else "-"
    return f"{m.name:58} {_num(m.value):>14} {m.unit:9} {_num(m.anchor_value):>14} {ratio:>9}  {target}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def machine() -> dict[str, Any]:
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


class BenchServer:
    """A throw-away local Neo4j 5.26 on its own ports, wiped on every `fresh()`."""

    def __init__(self, bolt_port: int, http_port: int, heap: str | None = None, pagecache: str | None = None):
        base = load_settings()
        self.settings: Settings = replace(
            base,
            uri=f"bolt://127.0.0.1:{bolt_port}",
            http_port=http_port,
            heap=heap or os.environ.get("BENCH_HEAP", "4g"),
            pagecache=pagecache or os.environ.get("BENCH_PAGECACHE", "4g"),
        )
        self.local = local_server.LocalServer(self.settings)
        self._graph: Graph | None = None
        self.restart = True  # False: `fresh()` empties the running database instead of wiping the store
        self.extra_conf: tuple[str, ...] = ()  # server settings beyond the product's (a lever being tried)

    @property
    def home(self) -> Path:
        return self.local.home

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    def cpu_seconds(self) -> float | None:
        """CPU time the server process has used so far (all its threads), from /proc; None without one."""
        pid = self.local.pid()
        stat = Path(f"/proc/{pid}/stat") if pid is not None else None
        if stat is None or not stat.is_file():
            return None
        fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = Graph.connect(self.settings)
        return self._graph

    def stop(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None
        local_server.stop(self.settings)

    def wipe(self) -> None:
        """Stop and delete the store (keeps jars and config): the next start is an empty database."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        shutil.rmtree(self.home / "logs", ignore_errors=True)

    def start(self) -> Graph:
        local_server.start(self.settings, self.extra_conf)
        return self.graph()

    def reconfigure(self, extra_conf: tuple[str, ...]) -> Graph:
        """Restart the server with these settings added to its config (the store is kept)."""
        self.stop()
        self.extra_conf = tuple(extra_conf)
        return self.start()

    def fresh(self, schema: bool = True) -> Graph:
        """An empty database with the product's schema applied."""
        if self.restart or self.local.pid() is None:
            self.wipe()
            graph = self.start()
        else:
            graph = self.graph()
            graph.clear()  # small scales: emptying in place is enough and saves a restart per method
            # ... but not with the plans an earlier method left in the server's cache: a restart (as at the
            # larger scales) starts every method planning its own statements (docs/benchmarks.md).
            graph.driver.execute_query("CALL db.clearQueryCaches()", database_=graph.database)
        if schema:
            graph.apply_schema()
        return graph

    def write_config(self) -> Path:
        return self.local.write_config()
