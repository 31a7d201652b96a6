"""`python -m loaders load FILE [--mapping NAME] [--dry-run]`, `load-dir DIR`, `mappings`, `schema`,
`loads`, `unload LOAD_ID`, `clear --yes`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.db import DEFAULT_BATCH_SIZE, Graph, describe
from explorer.exceptions import ExplorerError
from loaders import api, extract, maintenance
from loaders.summary import LoadSummary, Progress

NO_EXTRACT_HELP = "do not read phones, accounts, cards, waybills or addresses out of message and post texts"


class ProgressBar:
    """One line on stderr, redrawn at most 5 times a second: rows, rows/s, rejects."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr  # the stderr of the moment (not of import time)
        self.width = width
        self.last = 0.0

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and p.fraction != 1.0:
            return
        self.last = now
        frac = p.fraction if p.fraction is not None else 0.0
        filled = int(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r{p.file[:30]:30} [{bar}] {frac:4.0%} {p.rows_read:>10,} rows {p.rows_per_s:>9,.0f} rows/s "
            f"{p.rows_rejected:>7,} rejects"
        )
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def print_summary(s: LoadSummary) -> None:
    verb = "Checked (dry run, nothing written)" if s.dry_run else "Loaded"
    what = f"{s.file} › {s.sheet}" if s.sheet else s.file
    print(f"{verb} {what} with mapping {s.mapping} in {s.elapsed_s:.1f} s ({s.rows_per_s:,.0f} rows/s)")
    print(f"  rows read {s.rows_read:,}, written {s.rows_written:,}, rejected {s.rows_rejected:,}, "
          f"duplicates merged {s.duplicates_merged:,}")  # fmt: skip
    if not s.dry_run:
        print(f"  nodes created {s.nodes_created:,}, relationships created {s.relationships_created:,}, "
              f"SAME_AS candidates {s.same_as_candidates:,}")  # fmt: skip
        print(f"  load id {s.load_id}")
    if s.overlap is not None and not s.dry_run:
        print(f"  {s.overlap.sentence()}")
    if s.chunks_split:
        print(f"  investigations were running: {s.chunks_split:,} chunks written in smaller transactions, "
              f"{s.gave_way_s:.1f} s given way to them (EXPLORER_LOAD_BUSY_ROWS, EXPLORER_LOAD_GIVE_WAY)")  # fmt: skip
    if s.alerts_raised:
        print(f"  new alerts {s.alerts_raised:,} (`python -m explorer.alerts list`)")
    if s.header_row > 1:
        print(f"  header on row {s.header_row}; the rows above it are the title area")
    if s.rows_skipped:
        listed = ", ".join(map(str, s.skipped_rows)) + (", ..." if s.rows_skipped > len(s.skipped_rows) else "")
        print(f"  rows skipped by the mapping's skip_rows {s.rows_skipped:,} (rows {listed})")
    if s.blank_cells:
        counts = ", ".join(f"{header} {n:,}" for header, n in s.blank_cells.items())
        print(f"  cells read as empty, as they stand for nothing ('/', '-', the mapping's empty_values): {counts}")
    if s.unused_columns:
        print(f"  columns no mapping column reads (not loaded): {', '.join(s.unused_columns)}")
    for warning in s.warnings:
        print(f"  WARNING: {warning}")
    if s.mentions:
        print(f"  identifiers read from texts (MENTIONS, docs/extraction.md) {s.mentions:,}")
    if s.rejects_path:
        print(f"  rejected rows (row, column, reason): {s.rejects_path}")


# Exit status of a load in which every row of a file was rejected.
ALL_REJECTED = 3


def all_rejected(summaries: list[LoadSummary]) -> int:
    """0, or ALL_REJECTED after saying on stderr which files had every row rejected."""
    bad = [s.file for s in summaries if s.all_rejected]
    if not bad:
        return 0
    print(f"error: every row was rejected in {', '.join(bad)}; see the rejects files.", file=sys.stderr)
    return ALL_REJECTED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Load seized-data exports into the graph.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_load = sub.add_parser("load", help="load one export file (or a neo4j-admin folder with --mapping pole)")
    p_load.add_argument("file", type=Path)
    p_load.add_argument("--mapping", help="mapping name or YAML file (default: picked from the headers)")
    p_load.add_argument("--dry-run", action="store_true", help="read, normalise and report; write nothing")
    p_load.add_argument("--sheet", help="XLSX sheet (default: the first)")
    p_load.add_argument(
        "--dataset", help="the {dataset} part of keys for edge lists and matrices (default: folder name)"
    )
    p_load.add_argument("--layer", help="the layer of an edge list's or matrix's ties (default: from the file name)")
    p_load.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    p_load.add_argument("--rejects-dir", type=Path, help="where rejected rows go (default: var/rejects)")
    p_load.add_argument("--no-alerts", action="store_true", help="do not run the alert rules after the load")
    p_load.add_argument("--no-extract", action="store_true", help=NO_EXTRACT_HELP)
    p_dir = sub.add_parser("load-dir", help="load every recognised export of a folder, rosters first")
    p_dir.add_argument("folder", type=Path)
    p_dir.add_argument("--dry-run", action="store_true", help="say what would load with which mapping")
    p_dir.add_argument("--dataset", help="the dataset of the folder's edge lists and matrices (default: its name)")
    p_dir.add_argument("--dataset-per-file", action="store_true",
                       help="each edge list or matrix is a dataset of its own, named after the file")  # fmt: skip
    p_dir.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    p_dir.add_argument("--rejects-dir", type=Path)
    p_dir.add_argument("--no-alerts", action="store_true", help="do not run the alert rules after each load")
    p_clear = sub.add_parser(
        "clear", help="empty the evidence graph (not the schema; the watch list lives apart from it)"
    )
    p_clear.add_argument("--yes", action="store_true", help="confirm: every load, node and relationship goes")
    p_unload = sub.add_parser("unload", help="remove what one load wrote (LOAD_ID as `loads` lists it)")
    p_unload.add_argument("load_id")
    sub.add_parser("loads", help="list the loads in the graph with their ids")
    p_dir.add_argument("--no-extract", action="store_true", help=NO_EXTRACT_HELP)
    sub.add_parser("mappings", help="list the mappings and the columns they need")
    sub.add_parser("schema", help="apply cypher/schema.cypher (constraints and indexes)")
    args = parser.parse_args(argv)
    try:
        with extract.switched(not getattr(args, "no_extract", False)):
            return _run(args)
    except ExplorerError as e:
        print(f"error: {describe(e)}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "mappings":
        for m in api.list_mappings():
            need = ", ".join(m.required_columns) if m.format == "table" else f"({m.format})"
            print(f"{m.name:15} {m.title}\n{'':15} needs: {need}\n{'':15} {m.path}")
        return 0
    if args.command == "load" and args.dry_run:
        bar = ProgressBar()
        summary = api.validate(args.file, args.mapping, rejects_dir=args.rejects_dir, sheet=args.sheet, progress=bar)
        bar.done()
        print_summary(summary)
        return all_rejected([summary])
    if args.command == "load-dir" and args.dry_run:
        plan, skipped = api.plan_dir(args.folder)
        for path, m, sheet in plan:
            name = path.relative_to(args.folder) if path != args.folder else path
            print(f"{name}{f' › {sheet}' if sheet else ''}: {m.name}")
        for name, why in skipped:
            print(f"{name}: skipped - {why}")
        return 0
    with Graph.connect() as graph:
        graph.ping()
        if args.command == "schema":
            print(f"Applied {graph.apply_schema()} schema statements.")
            return 0
        if args.command in ("clear", "unload", "loads"):
            return _maintain(graph, args)
        bar = ProgressBar()
        if args.command == "load":
            summary = api.load(graph, args.file, args.mapping, progress=bar, rejects_dir=args.rejects_dir,
                               batch_size=args.batch_size, dataset=args.dataset, sheet=args.sheet,
                               layer=args.layer, alerts=False if args.no_alerts else None)  # fmt: skip
            bar.done()
            print_summary(summary)
            return all_rejected([summary])
        result = api.load_dir(graph, args.folder, progress=bar, rejects_dir=args.rejects_dir,
                              batch_size=args.batch_size, dataset=args.dataset,
                              dataset_per_file=args.dataset_per_file,
                              alerts=False if args.no_alerts else None)  # fmt: skip
        bar.done()
        for s in result.loaded:
            print_summary(s)
        for name, why in result.skipped:
            print(f"Skipped {name}: {why}")
        print(f"{len(result.loaded)} files loaded, {len(result.skipped)} skipped; graph now {graph.counts()}")
        return all_rejected(result.loaded)


def _maintain(graph: Graph, args: argparse.Namespace) -> int:
    """`clear`, `unload` and `loads` (loaders.maintenance)."""
    if args.command == "loads":
        for r in maintenance.loads(graph):
            where = f" dataset {r['dataset']} layer {r['layer']}" if r["dataset"] else ""
            print(f"{r['load_id']}  {r['file']} ({r['mapping']}, {r['status']}, {r['rows'] or 0:,} rows){where}")
        return 0
    if args.command == "unload":
        print(maintenance.unload(graph, args.load_id).sentence())
        return 0
    if not args.yes:
        counts = maintenance.evidence_counts(graph)
        print(f"error: clear would remove every load: {counts.nodes_removed:,} nodes and {counts.relationships:,} "
              "relationships of evidence; run `python -m loaders clear --yes` to confirm.", file=sys.stderr)  # fmt: skip
        return 2
    print(maintenance.clear(graph).sentence())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
