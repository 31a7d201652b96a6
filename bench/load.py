"""Loading the same scenario several ways, each into a fresh database.

The product's loader reads the scenario's exports themselves. The other
methods get the rows the loader writes (bench.data.canonical: one CSV per
node label or relationship group per export) and write the same graph: one
node per key (MERGE on the constrained key, `loads` provenance), one
relationship per event (MERGE on `event_id`) or per linked pair, with the same
properties and the same `load_id`, `row` and `sources` provenance; and, after
each export, what the loader writes besides its rows: the export's Load node
and its SAME_AS candidates, by the loader's own queries.
Throughput is always counted in export rows, so every method's rows/s is
comparable with the loader's.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Query

from bench.common import WORK_DIR, BenchServer
from bench.data import LIST_SEP, Canonical, Group, head_rows
from explorer.db import Graph
from loaders import gazetteer

LONG_TIMEOUT_S = 6 * 3600

COUNT_NODES = "MATCH (n) WHERE NOT n:Load RETURN count(n) AS n"
# The nodes the exports' rows make (not the loads' own nodes, nor the rings and runs the analytics add).
COUNT_LOADED_NODES = "MATCH (n) WHERE NOT (n:Load OR n:Ring OR n:AnalyticsRun) RETURN count(n) AS n"
COUNT_RELS = "MATCH ()-[r]->() WHERE type(r) <> 'SAME_AS' RETURN count(r) AS n"
COUNT_PLACED = "MATCH (a:Address) WHERE a.lat IS NOT NULL RETURN count(a) AS n"

# How a canonical CSV cell becomes the value the loader sends (LOAD CSV reads every field as text).
_CONVERT = {
    "string": "{v}",
    "long": "toInteger({v})",
    "double": "toFloat({v})",
    "boolean": "toBoolean({v})",
    "datetime": "datetime({v})",
    "date": "date({v})",
    "list": "split({v}, '" + LIST_SEP + "')",
}
_ADMIN_TYPE = {
    "string": "",
    "long": ":long",
    "double": ":double",
    "boolean": ":boolean",
    "datetime": ":datetime",
    "date": ":date",
    "list": ":string[]",
}


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _set_props(var: str, group: Group, row: str) -> str:
    sets = [
        f"{var}.{_q(p)} = coalesce({_CONVERT[group.types.get(p, 'string')].format(v=f'{row}.{_q(p)}')}, {var}.{_q(p)})"
        for p in group.props
        if p in group.types
    ]
    return ("SET " + ", ".join(sets)) if sets else ""


def write_cypher(group: Group, row: str = "row") -> str:
    """The MERGE the loader runs for one row of `group`, reading text fields from `row` (identifiers checked
    by the loaders' mappings; values are all parameters or fields)."""
    if group.kind == "node":
        return (
            f"MERGE (n:{_q(group.label)} {{{_q(group.key)}: {row}.key}})\n"
            "ON CREATE SET n.loads = [$load_id]\n"
            "ON MATCH SET n.loads = CASE WHEN $load_id IN n.loads THEN n.loads "
            "ELSE coalesce(n.loads, []) + $load_id END\n" + _set_props("n", group, row)
        )
    sources = f"split({row}.sources, '{LIST_SEP}')"
    ident = " {event_id: " + row + ".id}" if group.event else ""
    return (
        f"MATCH (a:{_q(group.from_label)} {{{_q(group.from_key)}: {row}.source}})\n"
        f"MATCH (b:{_q(group.to_label)} {{{_q(group.to_key)}: {row}.target}})\n"
        f"MERGE (a)-[r:{_q(group.type)}{ident}]->(b)\n"
        f"ON CREATE SET r.load_id = $load_id, r.row = toInteger({row}.row), r.sources = {sources}\n"
        f"ON MATCH SET r.sources = coalesce(r.sources, []) + [s IN {sources} WHERE NOT s IN coalesce(r.sources, [])]\n"
        + _set_props("r", group, row)
    )


def load_csv_cypher(group: Group) -> str:
    return (
        "LOAD CSV WITH HEADERS FROM $url AS row\n"
        "CALL (row) {\n" + write_cypher(group) + "\n} IN TRANSACTIONS OF $batch ROWS"
    )


@dataclass
class LoadRun:
    method: str
    rows: int
    seconds: float
    peak_rss_mib: float | None = None
    detail: str = ""
    batch: int | None = None  # rows per transaction, where the method takes a batch size
    server_cpu_s: float | None = None  # CPU the Neo4j server spent during the run
    client_cpu_s: float | None = None  # CPU of the loading process (the loader's child process), if any
    # Seconds per export, in folder order (the loader's per-file time; LOAD CSV's statements by export).
    per_export: list[tuple[str, float]] = field(default_factory=list)
    # For a method run as a command of its own: from starting the process to its exit. `seconds` is then the
    # method's own time, from a connected client to the last commit, as LOAD CSV's is timed.
    process_s: float | None = None

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("nan")

    @property
    def cpu_ms_per_1000_rows(self) -> float | None:
        """Server and client CPU per 1,000 export rows: the work a method asks of the machine's cores."""
        if self.server_cpu_s is None:
            return None
        return 1000 * 1000 * (self.server_cpu_s + (self.client_cpu_s or 0.0)) / self.rows


def _cpu_delta(before: float | None, after: float | None) -> float | None:
    return after - before if before is not None and after is not None else None


def graph_counts(graph: Graph) -> tuple[int, int]:
    return graph.read_value(COUNT_NODES) or 0, graph.read_value(COUNT_RELS) or 0


def placed_addresses(graph: Graph) -> int:
    """Addresses the loader's placing gave a place on the map: every method places the same ones."""
    return graph.read_value(COUNT_PLACED) or 0


def _link(src: Path, dst: Path) -> None:
    if dst.exists():
        return
    try:
        os.link(src, dst)
    except OSError:
        import shutil

        shutil.copyfile(src, dst)


def load_csv(server: BenchServer, canon: Canonical, batch: int, fresh: bool = True) -> LoadRun:
    """Server-side LOAD CSV ... CALL { } IN TRANSACTIONS OF `batch` ROWS, one statement per canonical CSV."""
    graph = server.fresh() if fresh else server.graph()
    folder = server.import_dir / canon.folder.name
    folder.mkdir(parents=True, exist_ok=True)
    for g in canon.groups:
        _link(canon.folder / g.path, folder / g.path)
    # The recogniser that places addresses is built before the clock starts: the loader builds it during its load.
    gazetteer.warm()
    started, cpu = time.perf_counter(), server.cpu_seconds()
    # IN TRANSACTIONS needs an implicit (auto-commit) transaction, so this bypasses Graph.write.
    per_export: dict[str, float] = {}
    extras_s = 0.0
    with graph.driver.session(database=graph.database) as session:
        for i, g in enumerate(canon.groups):
            # The server's default transaction timeout would stop a long load: ask for hours.
            query = Query(load_csv_cypher(g), timeout=LONG_TIMEOUT_S)
            url = f"file:///{canon.folder.name}/{g.path}"
            group_started = time.perf_counter()
            session.run(query, url=url, batch=batch, load_id=g.load_id).consume()
            if i + 1 == len(canon.groups) or canon.groups[i + 1].load_id != g.load_id:
                # The export's rows are in: the same graph as the loader's needs its Load node and
                # SAME_AS candidates too, written by the same queries at the same point.
                extras_started = time.perf_counter()
                load_extras(graph, canon, g.load_id)
                extras_s += time.perf_counter() - extras_started
            export = g.path.split(".")[0]  # `NN-mapping`: the NN-th export of the folder
            per_export[export] = per_export.get(export, 0.0) + time.perf_counter() - group_started
    seconds = time.perf_counter() - started
    detail = f"of which Load nodes, addresses placed and SAME_AS candidates {extras_s:.1f}s"
    return LoadRun(f"LOAD CSV IN TRANSACTIONS OF {batch}", canon.export_rows, seconds, detail=detail, batch=batch,
                   server_cpu_s=_cpu_delta(cpu, server.cpu_seconds()), per_export=list(per_export.items()))  # fmt: skip


def per_row(server: BenchServer, canon: Canonical, sample: int) -> LoadRun:
    """One write transaction per row through the driver, as a typical script does: each call record of
    a sample writes its two phones and the call (the rows of the biggest event group)."""
    graph = server.fresh()
    group = canon.biggest_event_group()
    rows = head_rows(canon.folder / group.path, sample)
    nodes_from = Group("", "node", group.load_id, "", ["key"], label=group.from_label, key=group.from_key)
    nodes_to = Group("", "node", group.load_id, "", ["key"], label=group.to_label, key=group.to_key)
    cypher = (
        "WITH $row AS row\nCALL (row) { WITH {key: row.source} AS end\n" + write_cypher(nodes_from, "end") + "}\n"
        "CALL (row) { WITH {key: row.target} AS end\n" + write_cypher(nodes_to, "end") + "}\n" + write_cypher(group)
    )
    started = time.perf_counter()
    with graph.driver.session(database=graph.database) as session:
        for row in rows:
            session.execute_write(lambda tx, r=row: tx.run(cypher, row=r, load_id=group.load_id).consume())
    return LoadRun("per-row driver loop", len(rows), time.perf_counter() - started, detail=f"{group.type} rows")


def admin_import(server: BenchServer, canon: Canonical) -> LoadRun:
    """`neo4j-admin database import full` (offline) of the same graph: the canonical rows folded to one
    line per node and per relationship (the tool cannot MERGE), import, then the schema's constraints."""
    import pandas as pd

    from devtools.local_neo4j import resolve_artifacts

    server.wipe()
    server.write_config()
    resolve_artifacts()
    work = WORK_DIR / "admin-import"
    done_file = work / "prepared.json"
    # The folded CSVs of the same canonical rows are kept: a second import (the benchmark graph after the
    # load comparison, or a run that failed later) reuses them and reports the preparation time measured.
    if done_file.is_file():
        prepared = json.loads(done_file.read_text())
        if prepared.get("canonical") == str(canon.folder) and prepared.get("stamp") == _stamp(canon):
            return _admin_run(server, canon, work, prepared["args"], prepared["prep_s"], cached=True)
    if work.exists():
        import shutil

        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.perf_counter()
    args: list[str] = []
    by_node: dict[tuple[str, str], list[Group]] = {}
    by_rel: dict[tuple, list[Group]] = {}
    for g in canon.groups:
        if g.kind == "node":
            by_node.setdefault((g.label, g.key), []).append(g)
        else:
            by_rel.setdefault((g.type, g.from_label, g.to_label, g.event), []).append(g)

    def read(groups: list[Group]) -> pd.DataFrame:
        frames = []
        for g in groups:
            df = pd.read_csv(canon.folder / g.path, dtype=str, keep_default_na=False, na_values=[""])
            df["load_id"] = g.load_id
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def header(groups: list[Group], fixed: list[str]) -> tuple[list[str], list[str]]:
        props, types = [], {}
        for g in groups:
            for p in g.props:
                if p in g.types and p not in types:
                    props.append(p)
                    types[p] = g.types[p]
        return props, [f"{p}{_ADMIN_TYPE[types[p]]}" for p in props]

    for n, ((label, key), groups) in enumerate(by_node.items()):
        df = read(groups)
        props, typed = header(groups, [])
        loads = df.drop_duplicates(["key", "load_id"]).groupby("key", sort=False)["load_id"].agg(LIST_SEP.join)
        # The last non-empty value wins, as the loader's coalesce() SET leaves it.
        last = df.groupby("key", sort=False)[props].last() if props else pd.DataFrame(index=loads.index)
        out = last.reindex(loads.index)
        out.insert(0, "loads", loads)
        path = work / f"nodes-{n}.csv"
        out.to_csv(path, header=["loads:string[]", *typed], index_label=f"{key}:ID({label})")
        args.append(f"--nodes={label}={path}")
        del df, out, last, loads
    for n, ((rel_type, fl, tl, event), groups) in enumerate(by_rel.items()):
        df = read(groups)
        props, typed = header(groups, [])
        ident = ["id"] if event else ["source", "target"]
        grouped = df.groupby(ident, sort=False)
        first = (
            grouped[["source", "target", "row", "load_id"]].first() if event else grouped[["row", "load_id"]].first()
        )
        sources = grouped["sources"].agg(lambda s: LIST_SEP.join(dict.fromkeys(LIST_SEP.join(s).split(LIST_SEP))))
        out = first.reset_index()
        out["sources"] = sources.values
        if props:
            last = grouped[props].last().reset_index(drop=True)
            for p in props:
                out[p] = last[p].values
        cols = ["source", "target"] + (["id"] if event else []) + ["load_id", "row", "sources", *props]
        heads = [f":START_ID({fl})", f":END_ID({tl})"] + (["event_id"] if event else [])
        heads += ["load_id", "row:long", "sources:string[]", *typed]
        out = out[cols]
        out.insert(2, ":TYPE", rel_type)
        path = work / f"rels-{n}.csv"
        out.to_csv(path, header=[*heads[:2], ":TYPE", *heads[2:]], index=False)
        args.append(f"--relationships={path}")
        del df, out, grouped
    prep_s = time.perf_counter() - started
    done_file.write_text(json.dumps({"canonical": str(canon.folder), "stamp": _stamp(canon), "args": args,
                                     "prep_s": prep_s}))  # fmt: skip
    return _admin_run(server, canon, work, args, prep_s)


def _stamp(canon: Canonical) -> float:
    return (canon.folder / "manifest.json").stat().st_mtime


def _admin_run(
    server: BenchServer, canon: Canonical, work: Path, args: list[str], prep_s: float, cached: bool = False
) -> LoadRun:
    from devtools.local_neo4j import LIB_DIR

    started = time.perf_counter()
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home / "conf")}
    cmd = [
        "java", f"-Xmx{server.settings.heap}", "-cp", f"{LIB_DIR}/*", "org.neo4j.cli.AdminTool",
        "database", "import", "full", "neo4j", "--overwrite-destination=true", "--array-delimiter=" + LIST_SEP,
        "--multiline-fields=true", "--skip-bad-relationships=true",
        f"--report-file={work / 'import.report'}", *args,
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = " / ".join((done.stdout + done.stderr).strip().splitlines()[-4:])
        raise RuntimeError(f"neo4j-admin import failed: {tail}")
    import_s = time.perf_counter() - started
    graph = server.start()
    schema_started = time.perf_counter()
    graph.apply_schema()  # the constraints the online methods had from the start
    schema_s = time.perf_counter() - schema_started
    seconds = prep_s + import_s + schema_s
    return LoadRun(
        "neo4j-admin database import",
        canon.export_rows,
        seconds,
        detail=f"prep {prep_s:.1f}s{' (measured earlier)' if cached else ''} + import {import_s:.1f}s + constraints "
        f"{schema_s:.1f}s",
    )


LOAD_DONE = """
MERGE (l:Load {load_id: $load_id})
SET l.file = $file, l.mapping = $mapping, l.status = 'complete', l.started_at = datetime(), l.finished_at = datetime()
"""


def admin_graph(server: BenchServer, canon: Canonical) -> LoadRun:
    """The benchmark graph without the hours of an online load: neo4j-admin import of the loader's rows, then
    what the loader adds besides them (a Load node per export, SAME_AS candidates between persons)."""
    run = admin_import(server, canon)
    run.detail += "; " + admin_extras(server.graph(), canon)
    return run


def admin_extras(graph: Graph, canon: Canonical, same_as: bool = True) -> str:
    """Load nodes for every export and (optionally) the SAME_AS candidates of its persons; returns a summary."""
    started = time.perf_counter()
    skipped = [note for load_id in dict.fromkeys(g.load_id for g in canon.groups)
               if (note := load_extras(graph, canon, load_id, same_as))]  # fmt: skip
    detail = f"Load nodes{' and SAME_AS' if same_as else ''} {time.perf_counter() - started:.1f}s"
    if skipped:
        detail += f"; SAME_AS candidates not linked for {', '.join(skipped)}"
    return detail


def load_extras(graph: Graph, canon: Canonical, load_id: str, same_as: bool = True) -> str | None:
    """What the loader writes for one export besides its rows: the Load node, its addresses placed on the
    map (the loader's own placing, loaders.places) and, where its mapping resolves entities and it holds
    persons, the SAME_AS candidates (the loader's own query).

    Returns a note when the candidates could not be linked (an export that timed out keeps none).
    """
    from loaders.mapping import get_mapping
    from loaders.places import place_addresses
    from loaders.resolution import link_same_as

    group = next(g for g in canon.groups if g.load_id == load_id)
    mapping = load_id.rsplit(":", 1)[-1]
    graph.write(LOAD_DONE, {"load_id": load_id, "file": group.export, "mapping": mapping})
    labels = {g.label for g in canon.groups if g.load_id == load_id and g.kind == "node"}
    if "Address" in labels:
        place_addresses(graph, load_id)
    if not (same_as and "Person" in labels and get_mapping(mapping).entity_resolution):
        return None
    try:
        link_same_as(graph, load_id)
    except Exception as e:  # noqa: BLE001 - candidates are extras: a timed-out export keeps none
        return f"{group.export} ({type(e).__name__})"
    return None


def run_loader(
    server: BenchServer, folder: Path, rows: int, fresh: bool = True, profile: Path | None = None,
    alerts: bool = False, var_dir: Path | None = None, env: dict[str, str] | None = None,
    batch_size: int | None = None,
) -> LoadRun:  # fmt: skip
    """The product's loader on a whole scenario folder in a child process (its peak RSS from the kernel).

    Its `seconds` are the load's own, from connecting to the end, as the child measures them; its
    `process_s` add the child's start-up (the interpreter and the imports, about a second).

    The alert rules run after each export only with `alerts` (their store then under `var_dir`), so that
    the loader's own figures stay comparable with runs made before there were alerts. `env` adds to
    the loader's environment (its settings), `batch_size` sets its rows per write transaction.
    """
    if fresh:
        server.fresh()
    s = server.settings
    env = {
        **os.environ,
        "NEO4J_URI": s.uri,
        "NEO4J_USERNAME": s.username,
        "NEO4J_PASSWORD": s.password,
        "NEO4J_DATABASE": s.database,
        "NEO4J_HTTP_PORT": str(s.http_port),
        "EXPLORER_ALERTS": "on" if alerts else "off",
        **(env or {}),
    }
    if var_dir is not None:
        env["EXPLORER_VAR_DIR"] = str(var_dir)
    cmd = [sys.executable, "-m", "bench.run_loader", str(folder)]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    if batch_size is not None:
        cmd += ["--batch-size", str(batch_size)]
    started, cpu = time.perf_counter(), server.cpu_seconds()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(proc.pid)
    try:
        out, err = proc.communicate()
    finally:
        sampler.stop()
    seconds = time.perf_counter() - started
    server_cpu, client_cpu = _cpu_delta(cpu, server.cpu_seconds()), None  # the loader reports its own
    if proc.returncode != 0:
        raise RuntimeError(f"the loader failed on {folder.name}: {err.strip().splitlines()[-1:] or out[-300:]}")
    # The loader's own high-water mark is exact; with its reading workers, the sampled sum of their
    # proportional sets (shared pages counted once) is the footprint of the whole.
    peak = sampler.peak_kib / 1024 if sampler.peak_kib else None
    per_export = []
    process_s, seconds = seconds, None
    for line in out.splitlines():
        if line.startswith("load_s "):
            seconds = float(line.split()[1])
        elif line.startswith("peak_rss_kib "):
            own = int(line.split()[1]) / 1024
            peak = max(own, peak or 0.0)
        elif line.startswith("cpu_s "):
            client_cpu = float(line.split()[1])
        elif line.startswith("export_s "):  # export_s SECONDS NAME
            _, secs, name = line.split(" ", 2)
            per_export.append((name, float(secs)))
    return LoadRun(
        "loader (loaders.api.load_dir)",
        rows,
        seconds if seconds is not None else process_s,
        process_s=process_s,
        peak_rss_mib=peak,
        detail=next((ln for ln in reversed(out.splitlines()) if ln.startswith("loaded")), ""),
        server_cpu_s=server_cpu,
        client_cpu_s=client_cpu,
        per_export=per_export,
    )


class TreeMemory:
    """Samples the memory of a process and its descendants (the loader and its reading workers).

    Every `interval` seconds it sums their proportional set sizes (`Pss` of /proc/PID/smaps_rollup: a
    page shared by the loader and a forked worker counts half to each, so once in the sum) and keeps
    the largest sum. A sample can miss a peak shorter than the interval; the loader's own `VmHWM`,
    which it reports itself, cannot, so the larger of the two is taken.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self.sample_kib())
            self._stop.wait(interval)  # the sampling period, not a synchronisation

    def sample_kib(self) -> int:
        total = 0
        for pid in self._tree():
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    total += next((int(ln.split()[1]) for ln in f if ln.startswith("Pss:")), 0)
            except OSError:
                continue  # it exited between the listing and the reading
        return total

    def _tree(self) -> list[int]:
        pids, frontier = [], [self.pid]
        while frontier:
            pid = frontier.pop()
            pids.append(pid)
            try:
                listed = list(Path(f"/proc/{pid}/task").glob("*/children"))
            except OSError:
                continue  # it exited while being listed: its children, if any, are gone with it
            for children in listed:
                with contextlib.suppress(OSError):
                    frontier += [int(c) for c in children.read_text().split()]
        return pids

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
