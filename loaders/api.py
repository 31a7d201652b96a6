"""The loaders' Python API, as the app's Load page uses it.

mapping = detect_mapping(path)            # or FileRejected saying which come close
frame = preview(path, mapping, n=20)      # the first rows as mapped
report = validate(path, mapping)          # a dry run: counts and rejects, nothing written
summary = load(graph, path, mapping, progress=callback, rejects_dir=folder)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from explorer import audit, auth
from explorer.alerts import after_load
from explorer.auth import User
from explorer.db import DEFAULT_BATCH_SIZE, Graph
from explorer.exceptions import ExplorerError, FileRejected
from loaders.choose import choose_mapping, rank_mappings
from loaders.datasets import default_layer, file_dataset, local_keys
from loaders.limits import sheet_names
from loaders.mapping import Mapping, all_mappings, get_mapping
from loaders.neo4j_admin import load_admin_folder
from loaders.pacing import GiveWay, lower_priority
from loaders.readahead import gc_paused, quick_handoffs, read_by_worker
from loaders.readers import SUPPORTED, XLSX_SUFFIXES, Export, open_export
from loaders.run import Prepared, load_file, prepare_file
from loaders.summary import LoadSummary, Progress
from loaders.transform import time_column
from loaders.warmup import PlanWarmer
from loaders.write import ensure_schema, load_id_for, load_statuses

__all__ = [
    "LoadSummary",
    "Progress",
    "DirSummary",
    "detect_mapping",
    "close_mappings",
    "sheets_of",
    "list_mappings",
    "preview",
    "validate",
    "load",
    "load_dir",
    "network_defaults",
]


def list_mappings() -> list[Mapping]:
    """Every mapping available (built-in and EXPLORER_MAPPINGS folders), by name."""
    return sorted(all_mappings().values(), key=lambda m: m.name)


def _mapping(mapping: str | Mapping | None, path: Path, sheet: str | None = None) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    if mapping:
        return get_mapping(mapping)
    return detect_mapping(path, sheet=sheet)


def sheets_of(path: str | Path) -> list[str]:
    """A workbook's sheets in order ([] for a file that is not a workbook)."""
    return sheet_names(Path(path)) if Path(path).suffix.lower() in XLSX_SUFFIXES else []


def detect_mapping(path: str | Path, sheet: str | None = None) -> Mapping:
    """The one mapping whose required columns the file's headers hold; FileRejected otherwise."""
    return choose_mapping(open_export(path, sheet=sheet))


def close_mappings(path: str | Path, limit: int = 3, sheet: str | None = None) -> list[dict[str, Any]]:
    """The best-fitting mappings with the columns each is missing (for a chooser in the UI)."""
    ranked = rank_mappings(open_export(path, sheet=sheet))
    return [
        {"mapping": h.mapping.name, "fits": h.fits, "found": sorted(h.index), "missing": h.missing}
        for h in ranked[:limit]
    ]


def network_defaults(path: str | Path, mapping: str | Mapping | None = None) -> tuple[str, str] | None:
    """For a network file (edge list, matrix: people named by local ids), the dataset and layer a page
    proposes: the file's stem and its default layer. None for other exports."""
    path = Path(path)
    if not local_keys(_mapping(mapping, path)):
        return None
    return file_dataset(path), default_layer(path)


def preview(
    path: str | Path, mapping: str | Mapping | None = None, n: int = 20, sheet: str | None = None
) -> pd.DataFrame:
    """The first `n` rows as the load reads them: `_row`, `_rejected` (why the load would reject the row:
    "column: reason", or the reason alone for a whole-row problem) and the normalised columns.

    The rows go through the load's own `TableTransformer.read_row`, so a row the preview passes is a row
    the load writes. A rejected row shows the values read before the cell that rejected it.
    """
    path = Path(path)
    m = _mapping(mapping, path, sheet)
    export = open_export(path, sheet=sheet)
    if m.format != "table":
        frame = next(iter(export.chunks(n)), None)
        return pd.DataFrame(frame.rows[:n] if frame else [], columns=export.headers)
    prepared = prepare_file(path, m, export=export)  # read where the mapping's layout puts the header
    transformer, export = prepared.transformer, prepared.export
    times = {c.name for c in m.columns.values() if time_column(c)}
    records = []
    chunk = next(iter(export.chunks(n)), None)
    if chunk is not None:
        for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
            readings, error = transformer.read_rows(raw)  # one per value of a `split` cell
            for values, _keys in readings:
                record: dict[str, Any] = {"_row": number, "_rejected": _reason(error)}
                for name in m.columns:
                    value = values.get(name)
                    # Times are kept as ISO text while loading; the preview shows them as datetimes.
                    record[name] = datetime.fromisoformat(value) if name in times and isinstance(value, str) else value
                records.append(record)
        records += [{"_row": number, "_rejected": reason} for number, reason, _raw in chunk.broken]
    records.sort(key=lambda r: r["_row"])
    return pd.DataFrame(records[:n])


def _reason(error: tuple[str, str] | None) -> str:
    if error is None:
        return ""
    column, reason = error
    return f"{column}: {reason}" if column else reason


def validate(path: str | Path, mapping: str | Mapping | None = None, *, rejects_dir: str | Path | None = None,
             sheet: str | None = None, progress: Callable[[Progress], None] | None = None) -> LoadSummary:  # fmt: skip
    """A dry run: every row read and normalised, rejects written, nothing sent to the graph."""
    path = Path(path)
    return _load_one(None, path, _mapping(mapping, path, sheet) if not path.is_dir() else mapping,
                     rejects_dir=rejects_dir, dry_run=True, sheet=sheet, progress=progress)  # fmt: skip


def load(
    graph: Graph,
    path: str | Path,
    mapping: str | Mapping | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    rejects_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dataset: str | None = None,
    sheet: str | None = None,
    layer: str | None = None,
    user: User | None = None,
    alerts: bool | None = None,
) -> LoadSummary:
    """Load one export; the mapping is picked from the headers when not given. Recorded in the audit trail.

    `dataset` and `layer` apply to network files (edge lists, matrices): the dataset their local ids belong
    to (default: the folder's name) and the layer their ties form (default: from the file's name). `user`
    is who loads (the command-line user when None); a role below loader raises PermissionDenied. The alert
    rules then run on what it added, unless `alerts` (else the EXPLORER_ALERTS setting) is off.
    """
    acting = auth.require(user, "load", f"load {Path(path).name}")
    with _loading(graph):
        return _audited_load(graph, path, mapping, progress=progress, rejects_dir=rejects_dir,
                             batch_size=batch_size, dataset=dataset, sheet=sheet, layer=layer, user=acting,
                             alerts=alerts)  # fmt: skip


@contextlib.contextmanager
def _loading(graph: Graph) -> Iterator[None]:
    """What holds for a whole load, of one export or a folder: the loading thread at the load's nice value
    (set before the reading workers start, so that they inherit it), quick handoffs between its threads,
    and the collector off (readahead.gc_paused)."""
    lower_priority(graph.settings.load_nice)
    with quick_handoffs(), gc_paused():
        yield


def _load_one(graph: Graph | None, path: str | Path, mapping: str | Mapping | None, **options: Any) -> LoadSummary:
    """One export file with `load_file`, or one folder of neo4j-admin CSVs with its folder mapping."""
    path = Path(path)
    if options.get("prepared") is not None or not path.is_dir():
        return load_file(graph, path, mapping, **options)
    if isinstance(mapping, str):
        mapping = get_mapping(mapping)
    if mapping is None or mapping.format != "neo4j_admin":
        raise FileRejected(f"{path} is a folder: use `load-dir`, or a folder mapping such as --mapping pole.")
    rejects_dir = options.get("rejects_dir")
    return load_admin_folder(graph, path, mapping, progress=options.get("progress"),
                             batch_size=options.get("batch_size", DEFAULT_BATCH_SIZE),
                             dry_run=options.get("dry_run", False),
                             rejects_dir=Path(rejects_dir) if rejects_dir else None)  # fmt: skip


def _audited_load(graph: Graph, path: str | Path, mapping: str | Mapping | None, *, user: User,
                  alerts: bool | None = None, **options: Any) -> LoadSummary:  # fmt: skip
    """`load_file`, recorded once under `user`: file, mapping, rows written and rejected, duration, outcome;
    then the alert rules."""
    name = mapping.name if isinstance(mapping, Mapping) else mapping
    params = {"mapping": name, "dataset": options.get("dataset"), "sheet": options.get("sheet"),
              "layer": options.get("layer")}  # fmt: skip
    who = auth.audit_name(user)
    with audit.timed("load", str(path), {k: v for k, v in params.items() if v is not None}, user=who) as entry:
        summary = _load_one(graph, path, mapping, **options)
        entry.rows = summary.rows_written
        entry.detail = f"load {summary.load_id}: {summary.rows_read} read, {summary.rows_rejected} rejected"
    outcome = after_load(graph, summary.load_id, enabled=alerts)
    summary.alerts_raised = len(outcome.raised) if outcome is not None else None
    return summary


@dataclass
class DirSummary:
    loaded: list[LoadSummary] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def plan_dir(folder: str | Path) -> tuple[list[tuple[Path, Mapping, str | None]], list[tuple[str, str]]]:
    """What `load_dir` would load, in order (nodes-only files such as rosters first): each export's file,
    mapping and sheet (None but in a workbook of several sheets); and what it skips, and why."""
    plan, skipped = _plan(folder)
    return [(path, mapping, e.sheet if e is not None and e.sheets > 1 else None) for path, mapping, e in plan], skipped


def _plan(folder: str | Path) -> tuple[list[tuple[Path, Mapping, Export | None]], list[tuple[str, str]]]:
    """`plan_dir`, keeping each export as opened (so that loading does not read and hash it again)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileRejected(f"{folder} is not a folder.")
    mappings = all_mappings()
    plan: list[tuple[Path, Mapping, Export | None]] = []
    skipped: list[tuple[str, str]] = []
    admin = [m for m in mappings.values() if m.format == "neo4j_admin"]
    if any(folder.glob("*.nodes.*.csv")) and admin:
        prefix_fit = [m for m in admin if any(folder.glob(f"{m.options['file_prefix']}*.nodes.*.csv"))]
        return [(folder, (prefix_fit or admin)[0], None)], skipped
    # Sub-folders too: case folders are often sorted by source (bank/, cdr/, ...).
    for path in sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).parts):
        name = str(path.relative_to(folder))
        if path.suffix.lower() not in SUPPORTED or path.name.endswith(".rejects.csv") or path.name.startswith("."):
            if path.suffix.lower() not in {".md", ".json", ".yaml", ".yml"} and not path.name.startswith("."):
                skipped.append((name, "not an export format"))
            continue
        try:
            export = open_export(path)
            plan.append((path, choose_mapping(export, mappings), export))
        except ExplorerError as e:
            skipped.append((name, str(e)))
        # A workbook's other sheets are exports of their own (a phone report: calls, contacts, messages).
        for sheet in sheets_of(path)[1:]:
            try:
                export = open_export(path, sheet=sheet)
                plan.append((path, choose_mapping(export, mappings), export))
            except ExplorerError as e:
                skipped.append((f"{name} › {sheet}", str(e)))
    order = {name: i for i, name in enumerate(["roster"])}

    def rank(item: tuple[Path, Mapping, Export | None]) -> tuple[int, int, str]:
        m = item[1]
        return (order.get(m.name, len(order)), 0 if m.node_only else 1, str(item[0].relative_to(folder)))

    plan.sort(key=rank)
    return plan, skipped


def load_dir(
    graph: Graph,
    folder: str | Path,
    *,
    progress: Callable[[Progress], None] | None = None,
    rejects_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dataset: str | None = None,
    skip_sha256: Collection[str] = (),
    user: User | None = None,
    dataset_per_file: bool = False,
    alerts: bool | None = None,
) -> DirSummary:
    """Load every recognised export of a folder: rosters and other nodes-only files first, then events.

    The local ids of its network files (edge lists, matrices) are one dataset, named `dataset` or after
    the folder; with `dataset_per_file`, each file is a dataset of its own, named after the file.

    Each export is read once, and the next one is read and normalised while the current one is
    written. Exports whose content hash is in `skip_sha256` (already loaded) are left out. `user` as
    for `load`. The alert rules run once the folder is written (or a file of it fails), on each export's
    load in the order loaded: each load is still judged against what loads that started before it wrote,
    and the rules plan once against the whole folder instead of once per growing graph.
    """
    acting = auth.require(user, "load", f"load folder {Path(folder).name}")
    if dataset and dataset_per_file:
        raise FileRejected("Name one dataset for the folder or one per file (--dataset-per-file), not both.")
    with _loading(graph):
        return _load_folder(graph, folder, acting, progress=progress, rejects_dir=rejects_dir,
                            batch_size=batch_size, dataset=dataset, skip_sha256=skip_sha256,
                            dataset_per_file=dataset_per_file, alerts=alerts)  # fmt: skip


def read_while(plan: list[tuple[Path, Mapping, Export | None]], i: int) -> range:
    """The exports read while export `i` is written: the next one, and the one after it too when the next is
    small (read by a thread, not a worker: readahead.read_by_worker). A small export is written in less time than
    a worker process takes to read a big export's first chunk, which would otherwise keep the writer
    waiting; reading further ahead behind a big export only takes the cores the server needs
    (docs/benchmarks.md)."""
    export = plan[i + 1][2] if i + 1 < len(plan) else None
    small_next = export is not None and not read_by_worker(export.size)
    return range(i + 1, min(i + (3 if small_next else 2), len(plan)))


def _load_folder(graph: Graph, folder: str | Path, acting: User, *, progress: Callable[[Progress], None] | None,
                 rejects_dir: str | Path | None, batch_size: int, dataset: str | None,
                 skip_sha256: Collection[str], dataset_per_file: bool, alerts: bool | None) -> DirSummary:  # fmt: skip
    """`load_dir` once the user may load."""
    if not Path(folder).is_dir():
        raise FileRejected(f"{folder} is not a folder.")
    # The server checks its schema while the folder's exports are opened and their mappings chosen, and
    # while it is asked what became of earlier loads of these exports (one read instead of one per export).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="load-schema") as beside:
        schema = beside.submit(ensure_schema, graph, ())
        plan, skipped = _plan(folder)
        plan = [item for item in plan if item[2] is None or item[2].sha256 not in skip_sha256]
        statuses = load_statuses(graph, [load_id_for(e.sha256, m.name, e.sheet_index) for _, m, e in plan if e])
        schema.result()
    result = DirSummary(skipped=skipped)
    if len(plan) == 1 and plan[0][2] is None:  # a neo4j-admin folder
        path, mapping, _ = plan[0]
        result.loaded.append(_audited_load(graph, path, mapping, progress=progress, rejects_dir=rejects_dir,
                                           batch_size=batch_size, dataset=dataset, user=acting,
                                           alerts=alerts))  # fmt: skip
        return result

    give_way = GiveWay(graph, graph.settings.load_give_way)  # one pace for the folder's writers

    def prepared(i: int) -> Prepared:
        path, mapping, export = plan[i]
        own = file_dataset(path) if dataset_per_file else dataset
        ready = prepare_file(path, mapping, export=export, batch_size=batch_size, dataset=own)
        ready.statuses, ready.give_way, ready.every_sheet = statuses, give_way, True
        return ready

    # The next exports are read while one is written (read_while). With EXPLORER_LOAD_PLAN_AHEAD, the server
    # plans each export's statements while the exports before it are written (loaders.warmup).
    upcoming: dict[int, Prepared] = {}
    unopened: set[int] = set()  # an export that cannot be opened raises in its turn, once those before are loaded
    warmer = PlanWarmer(graph) if graph.settings.load_plan_ahead else None
    # Each export's audit record is written while the next one loads; all are on disk before this returns.
    with audit.written_behind():
        try:
            for i in range(len(plan)):
                current = upcoming.pop(i, None) or prepared(i).read_ahead(warmer)
                for j in read_while(plan, i):
                    if j not in upcoming and j not in unopened:
                        try:
                            upcoming[j] = prepared(j).read_ahead(warmer)
                        except ExplorerError:
                            unopened.add(j)
                result.loaded.append(_audited_load(graph, current.path, current.mapping, progress=progress,
                                                   rejects_dir=rejects_dir, prepared=current, user=acting,
                                                   alerts=False))  # fmt: skip
                statuses.pop(current.load_id, None)  # the same content again in the folder: its status is new
        finally:
            for waiting in upcoming.values():
                waiting.close()
            if warmer is not None:
                warmer.close()
            for summary in result.loaded:
                outcome = after_load(graph, summary.load_id, enabled=alerts)
                summary.alerts_raised = len(outcome.raised) if outcome is not None else None
    return result
