"""The load of one export: export -> mapping -> normalised rows -> batched UNWIND/MERGE -> Neo4j, with provenance.

Per chunk of rows (10,000 by default) the rows are normalised, bad rows go to
the rejects file, and what is left is written as one transaction: a statement
per node label, then one per relationship type, nodes before relationships,
every write a MERGE on a constrained key, so a load that is interrupted and
run again ends with exactly the graph a clean load gives.

Reading, normalising and planning each chunk's statements run ahead of the
writer (loaders.readahead), so the client's work overlaps the server's. The
writer still sends the chunks one after the other, in file order.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.db import DEFAULT_BATCH_SIZE, Graph
from explorer.exceptions import FileRejected
from loaders.choose import choose_mapping, header_below_title
from loaders.cypher_text import AllowedNames, Shapes, declared_names, statement_shapes
from loaders.datasets import default_layer, folder_dataset, record_overlap, uses_layer
from loaders.gazetteer import warm_in_background
from loaders.limits import sheet_names
from loaders.mapping import Mapping, get_mapping
from loaders.matrix import MatrixTransformer, check_square
from loaders.pacing import GiveWay
from loaders.places import place_addresses, place_in
from loaders.plan import Batch, Planner
from loaders.readahead import PREFETCH_CHUNKS, ReadAhead, gc_paused, read_ahead, read_by_worker
from loaders.readers import EmptySheet, Export, open_export, relayout
from loaders.resolution import same_as_in
from loaders.summary import SKIPPED_LISTED, LoadSummary, Progress, ProgressCallback
from loaders.transform import TableTransformer
from loaders.warmup import PlanWarmer
from loaders.write import (
    RejectsFile,
    closing,
    default_rejects_dir,
    ensure_schema,
    finish_load,
    load_id_for,
    load_name,
    start_load,
)

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


@dataclass
class Prepared:
    """One export ready to load: opened, its mapping chosen and checked, its transformer built."""

    path: Path
    export: Export
    mapping: Mapping
    transformer: Any
    load_id: str
    batch_size: int = DEFAULT_BATCH_SIZE
    reading: ReadAhead | None = None
    warmer: PlanWarmer | None = None
    # The earlier loads' statuses, as a folder's load read them for all its exports (loaders.write.start_load),
    # and the folder's pacing, shared by its exports' writers.
    statuses: dict[str, str | None] | None = None
    give_way: GiveWay | None = None
    every_sheet: bool = False  # its workbook's other sheets are loaded too (a folder's load): no warning for them

    @cached_property
    def shapes(self) -> Shapes:
        """The properties its statements list: what every known mapping gives the same labels and types."""
        return statement_shapes(self.mapping)

    @cached_property
    def names(self) -> AllowedNames:
        """The labels, types and property names this load may write: those its mapping declares, and the
        other properties of its statements' shapes."""
        return declared_names(self.mapping, self.shapes)

    def batches(self, planner: Planner | None = None) -> Iterator[Batch]:
        """The export's batches, in order; with a planner, each carries the statements that write it."""
        for chunk in self.export.chunks(self.batch_size):
            with gc_paused():
                batch = self.transformer.transform(chunk)
                batch.fraction, batch.final = chunk.fraction, chunk.final
                if planner is not None:
                    planner.plan(batch)
            yield batch

    def read_ahead(self, warmer: PlanWarmer | None = None) -> Prepared:
        """Start reading, normalising and planning now (while another export is being written).

        A big export is read in a worker process, so that its Python work runs beside the writer's
        instead of taking turns with it under one interpreter lock; a small one in a thread.
        With a `warmer`, the server plans each chunk's statements as soon as they are known
        (loaders.warmup), and the writer tells it what it has sent.
        """
        if self.reading is None:
            if any(label == "Address" for label, _ in self.mapping.labels()):
                warm_in_background()  # its addresses are placed once it is written
            size = self.export.size
            items = self.batches(Planner(self.names, self.load_id, self.shapes, export_bytes=size))
            big = read_by_worker(size)
            self.warmer = warmer
            load_id = self.load_id
            on_item = (lambda batch: warmer.offer(batch.statements, load_id)) if warmer is not None else None
            self.reading = read_ahead(items, big, PREFETCH_CHUNKS, on_item)
        return self

    def close(self) -> None:
        """Stop reading ahead, if it started."""
        if self.reading is not None:
            self.reading.close()


def unread_sheets(path: Path, read: str | None) -> list[str]:
    """A warning for each other sheet of the workbook that holds rows, saying what would read it."""
    warnings = []
    for name in sheet_names(path):
        if name == read:
            continue
        try:
            fits = f"it fits mapping {choose_mapping(open_export(path, sheet=name)).name}"
        except EmptySheet:
            continue  # nothing in it to lose
        except FileRejected:
            fits = "no mapping fits it"
        warnings.append(
            f"sheet {name!r} of {path.name} holds rows this load does NOT read ({fits}); load it with "
            f"--sheet {name!r} (the Load page: its sheet), or load the folder, which reads every sheet"
        )
    return warnings


def prepare_file(
    path: str | Path,
    mapping: str | Mapping | None = None,
    *,
    export: Export | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dataset: str | None = None,
    sheet: str | None = None,
    layer: str | None = None,
) -> Prepared:
    """Open one export and check it against its mapping (chosen from the headers when not given)."""
    path = Path(path)
    if isinstance(mapping, str):
        mapping = get_mapping(mapping)
    export = export or open_export(path, sheet=sheet, layout=mapping.layout if mapping is not None else None)
    if mapping is None:
        mapping = choose_mapping(export)
    if mapping.format == "table" and export.layout != mapping.layout:
        export = relayout(export, mapping.layout)  # the header where the mapping's layout puts it
    variables = {"dataset": dataset or folder_dataset(path), "file": path.name, "layer": layer or default_layer(path)}
    load_id = load_id_for(export.sha256, mapping.name, export.sheet_index)
    if mapping.format == "adjacency":
        check_square(export, mapping)
    if mapping.format in ("adjacency", "two_mode"):
        transformer: Any = MatrixTransformer(mapping, export.headers, variables, load_id)
    elif mapping.format == "table":
        match = mapping.match_headers(export.headers)
        if match.missing and mapping.layout.default and (below := header_below_title(export, {"m": mapping})):
            # The header this mapping needs is under title rows: read from there, keeping the row numbers.
            mapping, export = below, relayout(export, below.layout)
            match = mapping.match_headers(export.headers)
        if match.missing:
            raise FileRejected(
                f"{path.name} lacks the columns {', '.join(match.missing)} that mapping {mapping.name} requires; "
                f"its headers are {', '.join(export.headers)}; mapping {mapping.name} expects "
                f"{', '.join(mapping.columns)}."
            )
        transformer = TableTransformer(mapping, match, export.headers, variables, load_id, title=export.title)
    else:
        raise FileRejected(f"Mapping {mapping.name} loads a folder of neo4j-admin CSVs, not the file {path.name}.")
    return Prepared(path, export, mapping, transformer, load_id, batch_size)


def load_file(
    graph: Graph | None,
    path: str | Path,
    mapping: str | Mapping | None = None,
    *,
    progress: ProgressCallback | None = None,
    rejects_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    dataset: str | None = None,
    sheet: str | None = None,
    prepared: Prepared | None = None,
    layer: str | None = None,
) -> LoadSummary:
    """Load one export file into the graph (with `dry_run`, read and check it, and write nothing but rejects).

    `prepared` (from `prepare_file`, perhaps already reading ahead) stands for path, mapping and options.
    A folder of neo4j-admin CSVs is loaded by `loaders.neo4j_admin`; `loaders.api` chooses.
    """
    path = Path(path)
    started = time.perf_counter()
    if prepared is None:
        prepared = prepare_file(path, mapping, batch_size=batch_size, dataset=dataset, sheet=sheet, layer=layer)
    try:
        return _load_prepared(graph, prepared, progress, rejects_dir, dry_run, started)
    finally:
        prepared.close()


def _load_prepared(graph: Graph | None, prepared: Prepared, progress: ProgressCallback | None,
                   rejects_dir: str | Path | None, dry_run: bool, started: float) -> LoadSummary:  # fmt: skip
    path, export, mapping, load_id = prepared.path, prepared.export, prepared.mapping, prepared.load_id
    sheet = export.sheet if export.sheets > 1 else None  # named where the workbook has several
    summary = LoadSummary(load_id=load_id, file=path.name, mapping=mapping.name, dry_run=dry_run,
                          unused_columns=list(getattr(prepared.transformer, "unused_headers", [])),
                          header_row=export.header_end, sheet=sheet)  # fmt: skip
    if sheet is not None and not prepared.every_sheet:
        summary.warnings += unread_sheets(path, sheet)
    rejects = RejectsFile(Path(rejects_dir) if rejects_dir else default_rejects_dir(graph), path.name,
                          load_name(mapping.name, export.sheet_index), export.headers)  # fmt: skip
    writer = None
    if not dry_run:
        if graph is None:
            raise ValueError("a graph is needed unless dry_run is set")
        ensure_schema(graph, mapping.labels())
        writer = start_load(graph, load_id, path.name, export.sha256, mapping.name, prepared.names, prepared.shapes,
                            warmer=prepared.warmer, statuses=prepared.statuses,
                            give_way=prepared.give_way, sheet=sheet)  # fmt: skip
    # The writer takes the batches in file order while the next ones are read and normalised.
    reading = prepared.read_ahead().reading if writer is not None else None
    batches = reading.with_ends() if reading is not None else ((batch, False) for batch in prepared.batches())
    labels = {label for label, _ in mapping.labels()}
    too_many_addresses = False

    def after(tx: ManagedTransaction) -> None:
        """What a load adds besides its rows, committed with the Load's completion."""
        nonlocal too_many_addresses
        if mapping.entity_resolution and "Person" in labels:
            summary.same_as_candidates = same_as_in(tx, load_id)
        if "Address" in labels:
            placed = place_in(tx, load_id)
            too_many_addresses, summary.addresses_placed = placed is None, placed or 0

    try:
        for batch, last in batches:
            rejects.add(batch.rejects)
            summary.rows_read += batch.rows_read
            summary.rows_written += batch.rows_ok
            summary.rows_rejected += len(batch.rejects)
            summary.rows_skipped += len(batch.skipped)
            summary.skipped_rows += batch.skipped[: SKIPPED_LISTED - len(summary.skipped_rows)]
            summary.warnings += batch.warnings
            for header, count in batch.blanked.items():
                summary.blank_cells[header] = summary.blank_cells.get(header, 0) + count
            summary.mentions += batch.mentions
            if writer is not None:
                if last:  # every reject on disk before the Load says it is complete
                    summary.rejects_path = rejects.close()
                # The last batch takes the end of the load with it: one commit fewer per export.
                summary.duplicates_merged += writer.write(batch, closing(summary, load_id, after) if last else None)
            else:
                summary.duplicates_merged += batch.primary_duplicates
            if progress:
                progress(Progress(path.name, summary.rows_read, summary.rows_rejected,
                                  time.perf_counter() - started, batch.fraction))  # fmt: skip
    finally:
        summary.rejects_path = rejects.close()
    if writer is not None and graph is not None:
        finish_load(graph, writer, summary, load_id, after=after)
        if too_many_addresses:  # placed in transactions of their own
            summary.addresses_placed = place_addresses(graph, load_id)
        variables = prepared.transformer.variables
        layer = variables["layer"] if uses_layer(mapping) else None
        summary.overlap = record_overlap(graph, mapping, load_id, variables["dataset"], layer)
    summary.elapsed_s = time.perf_counter() - started
    return summary
