"""Writing to Neo4j: the schema a load needs, the Load node's start and finish, planned batches, rejects."""

from __future__ import annotations

import csv
import os
import re
import signal
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.config import load_settings
from explorer.db import Graph
from explorer.queries import schema_statements
from loaders import queries
from loaders.cypher_text import AllowedNames, Shapes, quote_name
from loaders.pacing import LOAD_METADATA, GiveWay
from loaders.plan import Batch, Planner, pieces
from loaders.readahead import gc_paused
from loaders.summary import LoadSummary
from loaders.warmup import PlanWarmer

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

# Test hook for the interrupted-load promise: SIGKILL this process after N write transactions.
KILL_AFTER_ENV = "EXPLORER_LOADER_KILL_AFTER_BATCHES"


class Writer:
    """Writes planned batches to Neo4j: each batch in one transaction, its statements in order.

    `previous` is the status the Load had before this run: `complete` (a reload: every row met its
    relationship) or `running` (an interrupted run: what it wrote from a row is that row's own).
    """

    def __init__(self, graph: Graph, load_id: str, names: AllowedNames, previous: str | None = None,
                 shapes: Shapes | None = None, warmer: PlanWarmer | None = None,
                 start: tuple[str, dict[str, Any]] | None = None, give_way: GiveWay | None = None):  # fmt: skip
        self.graph = graph
        # The Load node's start, sent first in the first transaction (or by finish_load, if nothing is written).
        self.start = start
        self.warmer = warmer  # told what is sent, so that it does not plan it too
        self.load_id = load_id
        self.previous = previous
        self.planner = Planner(names, load_id, shapes)  # for batches that come unplanned
        self.nodes_created = 0
        self.relationships_created = 0
        self.transactions = 0
        # A folder's writers share one (loaders.pacing): their looks at the server's reads are paced together.
        self.give_way = give_way or GiveWay(graph, graph.settings.load_give_way)
        self.waited_before = self.give_way.waited_s
        self.give_way.look_during()  # answered by the first chunk: is it to be cut in pieces?
        self.busy_rows = graph.settings.load_busy_rows
        self.chunks_split = 0  # chunks written in several transactions because investigations were running
        self.finished = False  # the end of the load went with the last rows (write's `then`)
        kill = os.environ.get(KILL_AFTER_ENV)
        self.kill_after = int(kill) if kill else None

    def write(self, batch: Batch, then: Callable[[ManagedTransaction], None] | None = None) -> int:
        """Write one batch; return how many of its rows met their main relationship already there.

        `then(tx)` (the end of the load: `closing`) runs in its last transaction, after its rows; `finished`
        says whether it ran (a batch with nothing to write sends nothing).

        That is the chunk's own repeats (folded into one relationship before sending) plus the rows
        whose main relationship the graph already held from an earlier chunk or another load.
        A batch is one transaction rather than one per group: the server commits (and syncs its log)
        once per chunk instead of once per label and type. While analysts' investigations run (and the
        load gives way to them), it is cut into transactions of at most `EXPLORER_LOAD_BUSY_ROWS` rows
        with the load giving way after each: a read that starts during a write shares the cores with it
        until it commits, and a short transaction bounds that (docs/benchmarks.md, "Analysts during a
        load"). A row's writes are idempotent and the rerun of an interrupted load counts what it resumes
        row by row (`_resumed`), so a chunk cut in pieces is resumed as one written whole.
        """
        if batch.statements is None:
            self.planner.plan(batch)
        statements = batch.statements or []
        counted: list[int] = []  # statements writing rows' main relationships: what they create is not a duplicate
        duplicates = batch.primary_duplicates
        for i, is_event, names in batch.main_statements:
            rows = statements[i][1]["rows"]
            duplicates += len(rows) - self._resumed(rows, is_event, names)
            if self.previous != "complete":  # a reload: every row's relationship was there
                counted.append(i)
        if not statements:
            return duplicates
        transactions = [[(i, c, p) for i, (c, p) in enumerate(statements)]]
        if self._investigations_running(sum(len(p["rows"]) for _, p in statements)):
            transactions = pieces(statements, self.busy_rows)
            self.chunks_split += 1
        for number, transaction in enumerate(transactions, start=1):
            sent = [(c, queries.batch_parameters(p, self.load_id)) for _, c, p in transaction]
            if self.warmer is not None:
                self.warmer.sent(sent)
            started = time.perf_counter()
            self.give_way.look_during()  # beside the write: to wait after it, or to cut the next chunk
            last = then if number == len(transactions) else None
            with gc_paused():
                results = self.graph.write_together(self.take_start() + sent, LOAD_METADATA, then=last)
            self.finished = self.finished or last is not None
            self.give_way.after_chunk(time.perf_counter() - started)
            results = results[len(results) - len(sent) :]  # the rows' statements, without the Load's start
            for (i, _, _), c in zip(transaction, results, strict=True):
                self.nodes_created += c.nodes_created
                self.relationships_created += c.relationships_created
                if i in counted:
                    duplicates -= c.relationships_created
            self.transactions += 1
            if self.kill_after is not None and self.transactions >= self.kill_after:
                os.kill(os.getpid(), signal.SIGKILL)
        return duplicates

    def take_start(self) -> list[tuple[str, dict[str, Any]]]:
        """The Load's start as the statements to send first (once: then none)."""
        start, self.start = self.start, None
        return [start] if start is not None else []

    def _investigations_running(self, rows: int) -> bool:
        """Whether this chunk is to be cut in pieces: it is bigger than one, and reads run on the server."""
        if self.give_way.share <= 0 or self.busy_rows <= 0 or rows <= self.busy_rows:
            return False
        return self.give_way.reads_lately() > 0

    def _resumed(self, rows: list[list[Any]], is_event: bool, names: dict[str, str]) -> int:
        """After an interrupted run: the rows whose relationship that run already wrote from the same row."""
        if self.previous != "running":
            return 0
        # `names` are the planner's, each already through quote_name.
        cypher = (queries.RESUMED_EVENTS if is_event else queries.RESUMED_LINKS).format(**names)
        # Built from a template (labels and type filled in), so it goes through the read-only gate.
        found = self.graph.read(cypher, {"rows": rows, "load_id": self.load_id}, metadata=LOAD_METADATA).records
        return int(found[0]["resumed"]) if found else 0


def start_load(graph: Graph, load_id: str, file: str, sha256: str, mapping: str, names: AllowedNames,
               shapes: Shapes | None = None, warmer: PlanWarmer | None = None,
               statuses: dict[str, str | None] | None = None, give_way: GiveWay | None = None,
               sheet: str | None = None) -> Writer:  # fmt: skip
    """A writer of `names` (its statements of `shapes`, told to `warmer` as it sends them) for this load.

    The Load node (status running) goes with its first transaction, which then costs no commit of its
    own; a completed earlier load makes this a reload. The earlier status is taken from `statuses`
    (`load_statuses`, read once for a folder) when they hold this load, else read now. `give_way` is the
    folder's, shared by its writers; a writer of its own makes its own.
    """
    start = (queries.LOAD_START, {"load_id": load_id, "file": file, "sha256": sha256, "mapping": mapping,
                                  "sheet": sheet, "started_at": datetime.now(UTC)})  # fmt: skip
    # Made first: its look at the server's reads (loaders.pacing) runs beside this read, tagged as the load's.
    writer = Writer(graph, load_id, names, shapes=shapes, warmer=warmer, start=start, give_way=give_way)
    if statuses is not None and load_id in statuses:
        writer.previous = statuses[load_id]
    else:
        writer.previous = load_statuses(graph, [load_id])[load_id]
    return writer


def load_statuses(graph: Graph, load_ids: Iterable[str]) -> dict[str, str | None]:
    """The status of each of these loads in the graph (`running`, `complete`), None for one not there."""
    load_ids = sorted(set(load_ids))
    if not load_ids:
        return {}
    found = graph.read(queries.LOAD_STATUSES, {"load_ids": load_ids}, checked=True, metadata=LOAD_METADATA)
    statuses: dict[str, str | None] = dict.fromkeys(load_ids)
    statuses.update({r["load_id"]: r["status"] for r in found.records})
    return statuses


_SCHEMA_APPLIED: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
# Per server and database: the unique keys (label, key) present when the schema was last checked.
_UNIQUE_KEYS_SEEN: dict[tuple[str, str], set[tuple[str, str]]] = {}


_SCHEMA_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|(?:[A-Z]+\s+)?INDEX)\s+`?(\w+)`?", re.IGNORECASE)


def ensure_schema(graph: Graph, label_keys: Iterable[tuple[str, str]]) -> None:
    """cypher/schema.cypher, plus a unique key for any label a new mapping brings (once per process).

    Only the statements whose constraint or index is missing are sent: on a database that has its
    schema (the usual case) that is two reads instead of a round trip per statement.
    """

    def constraints() -> tuple[set[str], set[tuple[str, str]]]:
        """The constraints' names, and the (label, key) of each node's single-property unique key."""
        found = graph.read(queries.CONSTRAINTS, checked=True).records
        return {r["name"] for r in found}, {tuple(r["unique_key"]) for r in found if r["unique_key"]}

    label_keys = tuple(sorted(label_keys))
    where = (graph.settings.uri, graph.database)
    done = (*where, label_keys)
    if done in _SCHEMA_APPLIED:
        return
    if where in _UNIQUE_KEYS_SEEN and set(label_keys) <= _UNIQUE_KEYS_SEEN[where]:
        # The schema file was checked in this process and these keys seen (or made): no round trip, as
        # for a label set met before. A folder's exports bring a dozen label sets, nearly all known.
        _SCHEMA_APPLIED.add(done)
        return
    present, existing = constraints()
    present |= {r["name"] for r in graph.read(queries.INDEX_NAMES, checked=True).records}
    statements = schema_statements()
    missing_statements = [s for s in statements if (m := _SCHEMA_NAME.match(s)) is None or m.group(1) not in present]
    if missing_statements:
        graph.apply_schema(missing_statements)
        existing = constraints()[1]  # with the ones just made
    missing = [(label, key) for label, key in label_keys if (label, key) not in existing]
    labels, keys = {label for label, _ in label_keys}, {key for _, key in label_keys}
    for label, key in missing:
        name = f"{label.lower()}_{key}_key"
        cypher = queries.UNIQUE_KEY.format(name=quote_name(name, {name}), label=quote_name(label, labels),
                                           key=quote_name(key, keys))  # fmt: skip
        graph.write(cypher)
    if missing:
        graph.apply_schema([])
    _UNIQUE_KEYS_SEEN[where] = existing | set(missing)
    _SCHEMA_APPLIED.add(done)


class RejectsFile:
    """The rejects CSV: row, column, reason, then the row as read. Opened on the first reject."""

    def __init__(self, directory: Path, export_name: str, mapping: str, headers: list[str]):
        self.path = directory / f"{Path(export_name).stem}.{mapping}.rejects.csv"
        self.headers = headers
        self._file = None
        self._writer: Any = None
        if self.path.exists():
            self.path.unlink()  # a stale file from an earlier run of the same export

    def add(self, rejects: list[tuple[int, str, str, list[Any]]]) -> None:
        if not rejects:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._file)
            self._writer.writerow(["row", "column", "reason", *self.headers])
        for number, column, reason, raw in rejects:
            self._writer.writerow([number, column, reason, *["" if v is None else v for v in raw]])

    def close(self) -> Path | None:
        if self._file is not None:
            self._file.close()
            return self.path
        return None


def default_rejects_dir(graph: Graph | None) -> Path:
    """Where rejects go unless a load names a folder: `rejects` under the settings' var folder."""
    settings = graph.settings if graph is not None else load_settings()
    return settings.var_dir / "rejects"


def closing(summary: LoadSummary, load_id: str,
            after: Callable[[ManagedTransaction], None] | None = None) -> Callable[[ManagedTransaction], None]:  # fmt: skip
    """The end of a load, as work for a write transaction: the Load node closed with the row counts
    `summary` has now, then `after(tx)` (what a load adds besides its rows: loaders.run).

    Sent with the load's last rows when the writer knows them to be the last (`Writer.write`'s `then`),
    else by `finish_load` in a transaction of its own: either way, the end of a load is one commit.
    """
    finish = {"load_id": load_id, "rows_read": summary.rows_read, "rows_written": summary.rows_written,
              "rows_rejected": summary.rows_rejected}  # fmt: skip

    def work(tx: ManagedTransaction) -> None:
        tx.run(queries.LOAD_FINISH, finish).consume()
        if after is not None:
            after(tx)

    return work


def finish_load(graph: Graph, writer: Writer, summary: LoadSummary, load_id: str,
                after: Callable[[ManagedTransaction], None] | None = None) -> None:  # fmt: skip
    """Close the Load node (`closing`) unless its last rows did, and copy the writer's counters into the summary."""
    if not writer.finished:  # the Load's start too, if no rows were sent
        graph.write_together(writer.take_start(), then=closing(summary, load_id, after))
    summary.nodes_created = writer.nodes_created
    summary.relationships_created = writer.relationships_created
    summary.gave_way_s = writer.give_way.waited_s - writer.waited_before
    summary.chunks_split = writer.chunks_split


def load_id_for(sha256: str, mapping: str, sheet_index: int = 0) -> str:
    """The Load's key: the same file with the same mapping is the same load (a reload meets its nodes)."""
    return f"{sha256}:{load_name(mapping, sheet_index)}"


def load_name(mapping: str, sheet_index: int = 0) -> str:
    """A load's key after the file's hash (its rejects file is named by it too): the mapping, and for a
    workbook's sheets after the first, the sheet's place, so that each is a load of its own (`cdr.sheet2`)."""
    return mapping + (f".sheet{sheet_index + 1}" if sheet_index else "")
