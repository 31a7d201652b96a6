"""Loading the same CDR rows four or five ways, each into a fresh database.

Every method writes the same graph: one `Phone {number}` per distinct number
(MERGE on the key), one `CALLED` per row keyed by `event_id`, with `at`
(DATETIME), `duration_s`, and the provenance the loader writes (`load_id`,
`row`, `sources` on the relationship, `loads` on the nodes).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import Query

from bench.common import WORK_DIR, BenchServer
from explorer.db import Graph

LOAD_ID = "bench-cdr"
LONG_TIMEOUT_S = 6 * 3600

# The write each alternative performs, per row; `$load_id` and the row number give provenance.
ROW_WRITE = """
MERGE (a:Phone {number: row.caller})
  ON CREATE SET a.loads = [$load_id]
  ON MATCH SET a.loads = CASE WHEN $load_id IN a.loads THEN a.loads ELSE coalesce(a.loads, []) + $load_id END
MERGE (b:Phone {number: row.callee})
  ON CREATE SET b.loads = [$load_id]
  ON MATCH SET b.loads = CASE WHEN $load_id IN b.loads THEN b.loads ELSE coalesce(b.loads, []) + $load_id END
MERGE (a)-[r:CALLED {event_id: row.caller + '|' + row.callee + '|' + row.start_time}]->(b)
  ON CREATE SET r.at = datetime(row.start_time), r.duration_s = toInteger(row.duration_s),
                r.load_id = $load_id, r.row = row.n, r.sources = [$load_id + '#' + toString(row.n)]
"""

LOAD_CSV = (
    "LOAD CSV WITH HEADERS FROM $url AS line "
    "CALL (line) { WITH line {.*, n: linenumber() - 1} AS row " + ROW_WRITE + "} IN TRANSACTIONS OF $batch ROWS"
)
UNWIND_WRITE = "UNWIND $rows AS row " + ROW_WRITE
SINGLE_WRITE = "WITH $row AS row " + ROW_WRITE
COUNT_CALLS = "MATCH ()-[r:CALLED]->() RETURN count(r) AS n"
COUNT_PHONES = "MATCH (p:Phone) RETURN count(p) AS n"


@dataclass
class LoadRun:
    method: str
    rows: int
    seconds: float
    peak_rss_mib: float | None = None
    detail: str = ""

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("nan")


def graph_counts(graph: Graph) -> tuple[int, int]:
    return graph.read_value(COUNT_PHONES) or 0, graph.read_value(COUNT_CALLS) or 0


def _numbered(path: Path, limit: int | None = None):
    with path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=1):
            if limit is not None and n > limit:
                return
            row["n"] = n
            yield row


def load_csv(server: BenchServer, csv_path: Path, batch: int) -> LoadRun:
    """Server-side LOAD CSV ... CALL { } IN TRANSACTIONS OF `batch` ROWS into a fresh database."""
    graph = server.fresh()
    server.import_dir.mkdir(parents=True, exist_ok=True)
    target = server.import_dir / csv_path.name
    if not target.exists():
        os.link(csv_path, target) if _same_fs(csv_path, server.import_dir) else _copy(csv_path, target)
    rows = _count(csv_path)
    started = time.perf_counter()
    # IN TRANSACTIONS needs an implicit (auto-commit) transaction, so this bypasses Graph.write.
    with graph.driver.session(database=graph.database) as session:
        # The server's default transaction timeout (120 s) would stop a long load: ask for hours.
        query = Query(LOAD_CSV, timeout=LONG_TIMEOUT_S)
        session.run(query, url=f"file:///{target.name}", batch=batch, load_id=LOAD_ID).consume()
    seconds = time.perf_counter() - started
    return LoadRun(f"LOAD CSV IN TRANSACTIONS OF {batch}", rows, seconds, detail=f"batch={batch}")


def per_row(server: BenchServer, csv_path: Path, sample: int) -> LoadRun:
    """One write transaction per row through the driver, as a typical script does."""
    graph = server.fresh()
    rows = list(_numbered(csv_path, sample))
    started = time.perf_counter()
    with graph.driver.session(database=graph.database) as session:
        for row in rows:
            session.execute_write(lambda tx, r=row: tx.run(SINGLE_WRITE, row=r, load_id=LOAD_ID).consume())
    return LoadRun("per-row driver loop", len(rows), time.perf_counter() - started)


def unwind_batches(server: BenchServer, csv_path: Path, batch: int = 10_000) -> LoadRun:
    """A well-written client script: UNWIND batches of rows, one transaction each, no loader logic."""
    graph = server.fresh()
    rows = _count(csv_path)
    started = time.perf_counter()
    graph.write_batches(UNWIND_WRITE, _numbered(csv_path), batch_size=batch, extra={"load_id": LOAD_ID})
    return LoadRun(f"driver UNWIND batches of {batch}", rows, time.perf_counter() - started)


def admin_import(server: BenchServer, csv_path: Path) -> LoadRun:
    """`neo4j-admin database import full` (offline): CSV prep + import + constraints, on a stopped server."""
    from explorer.server import LIB_DIR, resolve_artifacts

    server.wipe()
    server.write_config()
    resolve_artifacts()
    work = WORK_DIR / "admin-import"
    work.mkdir(parents=True, exist_ok=True)
    nodes_csv, rels_csv = work / "phones.csv", work / "calls.csv"
    rows = 0
    started = time.perf_counter()
    # The import tool needs each node once, so the numbers are de-duplicated first (counted in the time).
    seen: set[str] = set()
    with (
        csv_path.open(encoding="utf-8", newline="") as src,
        rels_csv.open("w", encoding="utf-8", newline="") as rel_out,
    ):
        writer = csv.writer(rel_out)
        writer.writerow(
            [
                ":START_ID",
                ":END_ID",
                ":TYPE",
                "event_id",
                "at:datetime",
                "duration_s:long",
                "load_id",
                "row:long",
                "sources:string[]",
            ]
        )
        for n, row in enumerate(csv.DictReader(src), start=1):
            caller, callee, at = row["caller"], row["callee"], row["start_time"]
            seen.add(caller)
            seen.add(callee)
            writer.writerow(
                [
                    caller,
                    callee,
                    "CALLED",
                    f"{caller}|{callee}|{at}",
                    at,
                    row["duration_s"],
                    LOAD_ID,
                    n,
                    f"{LOAD_ID}#{n}",
                ]
            )
            rows = n
    with nodes_csv.open("w", encoding="utf-8", newline="") as node_out:
        node_out.write("number:ID,loads:string[],:LABEL\n")
        node_out.writelines(f"{number},{LOAD_ID},Phone\n" for number in seen)
    del seen
    prep_s = time.perf_counter() - started
    env = {
        **os.environ,
        "NEO4J_HOME": str(server.home),
        "NEO4J_CONF": str(server.home / "conf"),
        "JAVA_OPTS": f"-Xmx{server.settings.heap}",
    }
    cmd = [
        "java",
        f"-Xmx{server.settings.heap}",
        "-cp",
        f"{LIB_DIR}/*",
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        "neo4j",
        "--overwrite-destination=true",
        f"--nodes={nodes_csv}",
        f"--relationships={rels_csv}",
        f"--report-file={work / 'import.report'}",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = " / ".join((done.stdout + done.stderr).strip().splitlines()[-4:])
        raise RuntimeError(f"neo4j-admin import failed: {tail}")
    import_s = time.perf_counter() - started - prep_s
    graph = server.start()
    schema_started = time.perf_counter()
    graph.apply_schema()  # the constraints the online methods had from the start
    schema_s = time.perf_counter() - schema_started
    seconds = prep_s + import_s + schema_s
    return LoadRun(
        "neo4j-admin database import",
        rows,
        seconds,
        detail=f"prep {prep_s:.1f}s + import {import_s:.1f}s + constraints {schema_s:.1f}s",
    )


def loader_available() -> bool:
    """True when the loader's API is installed (a bare `loaders/` folder of mappings is not enough)."""
    try:
        return importlib.util.find_spec("loaders.api") is not None
    except ModuleNotFoundError:
        return False


def run_loader(
    server: BenchServer, csv_path: Path, mapping: str = "cdr", fresh: bool = True, profile: Path | None = None
) -> LoadRun:
    """The product's loader in a child process; its peak RSS comes from the kernel's accounting."""
    if fresh:
        server.fresh()
    rows = _count(csv_path)
    s = server.settings
    env = {
        **os.environ,
        "NEO4J_URI": s.uri,
        "NEO4J_USERNAME": s.username,
        "NEO4J_PASSWORD": s.password,
        "NEO4J_DATABASE": s.database,
        "NEO4J_HTTP_PORT": str(s.http_port),
    }
    cmd = [sys.executable, "-m", "bench.run_loader", str(csv_path), "--mapping", mapping]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait4 gives this child's own rusage (ru_maxrss in KiB), not the sum over all children.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"the loader failed on {csv_path.name}: {err.strip().splitlines()[-1:] or out[-300:]}")
    return LoadRun(
        "loader (loaders.api.load)",
        rows,
        seconds,
        peak_rss_mib=usage.ru_maxrss / 1024,
        detail=out.strip().splitlines()[-1] if out.strip() else "",
    )


def children_peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _count(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f) - 1


def _same_fs(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def _copy(src: Path, dst: Path) -> None:
    import shutil

    shutil.copyfile(src, dst)
