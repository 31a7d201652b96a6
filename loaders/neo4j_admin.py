"""Folders of neo4j-admin import CSVs (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE` headers).

Used for Neo4j's POLE example (mapping `pole`). Node files load first and give
every `:ID` its label and key; relationship files then MERGE between those
keys. Typed headers (`latitude:double`) convert their values; empty fields are
left out, as neo4j-admin does.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from explorer.db import DEFAULT_BATCH_SIZE, Graph
from explorer.exceptions import FileRejected
from loaders.cypher_text import AllowedNames, NameSet
from loaders.mapping import IDENTIFIER, Mapping
from loaders.plan import Batch
from loaders.readers import Export, open_export
from loaders.summary import LoadSummary, Progress, ProgressCallback
from loaders.write import RejectsFile, default_rejects_dir, ensure_schema, finish_load, load_id_for, start_load

_TYPES = {
    "int": int, "long": int, "short": int, "byte": int, "float": float, "double": float,
    "boolean": lambda v: v.strip().lower() == "true", "string": str,
}  # fmt: skip


def _field(header: str) -> tuple[str, str]:
    name, _, kind = header.partition(":") if not header.startswith(":") else (header, "", "")
    return name, (kind or "string").lower()


def _convert(kind: str, value: str) -> Any:
    if kind.endswith("[]"):
        base = _TYPES.get(kind[:-2], str)
        return [base(v) for v in value.split(";") if v != ""]
    return _TYPES.get(kind, str)(value)


def _files(folder: Path, prefix: str) -> tuple[list[Path], list[Path]]:
    nodes = sorted(folder.glob(f"{prefix}*.nodes.*.csv"))
    rels = sorted(folder.glob(f"{prefix}*.relationships.*.csv"))
    if not nodes:
        raise FileRejected(f"{folder} holds no neo4j-admin node files ({prefix}*.nodes.<Label>.csv).")
    return nodes, rels


def folder_sha256(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode("utf-8") + b"\0")
        with f.open("rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    return h.hexdigest()


def _allowed_names(mapping: Mapping, node_files: list[Path], rel_files: list[Path],
                   exports: dict[Path, Export]) -> AllowedNames:  # fmt: skip
    """The folder's names: the mapping's labels and keys, the files' labels, types and property headers.

    The mapping's `*` entry keys any other label, and `:LABEL` and `:TYPE` fields name them row by row,
    so labels and types are any identifier; a property header that is not one refuses the folder here,
    before anything is written.
    """
    keys: dict[str, tuple[str, str]] = mapping.options["labels"]
    properties = {key for key, _ in keys.values()} | {"pole_id", "source_id"}
    for f, export in exports.items():
        for header in export.headers:
            name = _field(header)[0]
            if name.startswith(":"):
                continue
            if IDENTIFIER.fullmatch(name) is None:
                raise FileRejected(f"{f.name}: the column {header!r} cannot be a property name (letters, digits, _).")
            properties.add(name)
    labels = {label for label in keys if label != "*"}
    labels |= {f.name.split(".nodes.")[1].rsplit(".", 1)[0] for f in node_files}
    types = {f.name.split(".relationships.")[1].rsplit(".", 1)[0] for f in rel_files}
    return AllowedNames(NameSet(labels, IDENTIFIER), NameSet(types, IDENTIFIER), NameSet(properties))


def load_admin_folder(
    graph: Graph | None,
    folder: Path,
    mapping: Mapping,
    *,
    progress: ProgressCallback | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    rejects_dir: Path | None = None,
) -> LoadSummary:
    started = time.perf_counter()
    node_files, rel_files = _files(folder, mapping.options["file_prefix"])
    exports = {f: open_export(f) for f in node_files + rel_files}  # every file checked before writing
    for f, export in exports.items():
        needed = {":ID"} if f in node_files else {":START_ID", ":END_ID"}
        if not needed <= {_field(h)[0] for h in export.headers}:
            raise FileRejected(f"{f.name} lacks the columns {', '.join(sorted(needed))} of a neo4j-admin file.")
    names = _allowed_names(mapping, node_files, rel_files, exports)
    sha = folder_sha256(node_files + rel_files)
    load_id = load_id_for(sha, mapping.name)
    keys: dict[str, tuple[str, str]] = mapping.options["labels"]
    summary = LoadSummary(load_id=load_id, file=folder.name, mapping=mapping.name, dry_run=dry_run)
    rejects = RejectsFile(rejects_dir or default_rejects_dir(graph), folder.name, mapping.name, ["file", "fields"])
    writer = None
    if not dry_run:
        if graph is None:
            raise ValueError("a graph is needed unless dry_run is set")
        label_keys = {(lb, k) for lb, (k, _) in keys.items() if lb != "*"}
        for f in node_files:
            label = f.name.split(".nodes.")[1].rsplit(".", 1)[0]
            label_keys.add((label, keys.get(label, keys["*"])[0]))
        ensure_schema(graph, sorted(label_keys))
        writer = start_load(graph, load_id, folder.name, sha, mapping.name, names)
    ids: dict[str, tuple[str, str, str]] = {}

    def report(fraction: float | None) -> None:
        if progress:
            progress(Progress(folder.name, summary.rows_read, summary.rows_rejected,
                              time.perf_counter() - started, fraction))  # fmt: skip

    def finish_chunk(batch: Batch) -> None:
        rejects.add(batch.rejects)
        summary.rows_read += batch.rows_read
        summary.rows_written += batch.rows_ok
        summary.rows_rejected += len(batch.rejects)
        if writer is not None:
            writer.write(batch)

    total = len(node_files) + len(rel_files)
    try:
        for i, f in enumerate(node_files):
            export = exports[f]
            fields = [_field(h) for h in export.headers]
            file_label = f.name.split(".nodes.")[1].rsplit(".", 1)[0]
            for chunk in export.chunks(batch_size):
                batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken))
                batch.rejects += [(n, "", reason, [f.name, ",".join(raw)]) for n, reason, raw in chunk.broken]
                for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
                    record = {name: value for (name, _), value in zip(fields, raw, strict=True)}
                    label = (record.get(":LABEL") or file_label).split(";")[0]
                    key_prop, template = keys.get(label, keys["*"])
                    key = template
                    for name, value in record.items():
                        key = key.replace("{" + name + "}", value)
                    node_id = record.get(":ID", "")
                    if not node_id or "{" in key or not key:
                        batch.rejects.append((number, ":ID", "no :ID or key value", [f.name, ",".join(raw)]))
                        continue
                    props: dict[str, Any] = {"pole_id": node_id} if mapping.name == "pole" else {"source_id": node_id}
                    try:
                        for (name, kind), value in zip(fields, raw, strict=True):
                            if not name.startswith(":") and value != "" and kind != "ignore":
                                props[name] = _convert(kind, value)
                    except ValueError as e:
                        batch.rejects.append((number, name, str(e), [f.name, ",".join(raw)]))
                        continue
                    ids[node_id] = (label, key_prop, key)
                    batch.add_node(label, key_prop, key, props)
                    batch.rows_ok += 1
                finish_chunk(batch)
                report(i / total)
        for j, f in enumerate(rel_files):
            export = exports[f]
            fields = [_field(h) for h in export.headers]
            file_type = f.name.split(".relationships.")[1].rsplit(".", 1)[0]
            for chunk in export.chunks(batch_size):
                batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken))
                batch.rejects += [(n, "", reason, [f.name, ",".join(raw)]) for n, reason, raw in chunk.broken]
                for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
                    record = dict(zip([n for n, _ in fields], raw, strict=True))
                    start, end = ids.get(record[":START_ID"]), ids.get(record[":END_ID"])
                    if start is None or end is None:
                        missing = ":START_ID" if start is None else ":END_ID"
                        reason = f"no node with :ID {record[missing]!r}"
                        batch.rejects.append((number, missing, reason, [f.name, ",".join(raw)]))
                        continue
                    rel_type = record.get(":TYPE") or file_type
                    props = {
                        name: _convert(kind, value)
                        for (name, kind), value in zip(fields, raw, strict=True)
                        if not name.startswith(":") and value != ""
                    }
                    group = (rel_type, start[0], start[1], end[0], end[1], False)
                    tag = f"{load_id}#{f.name}:{number}"
                    batch.add_rel(group, (start[2], end[2]), start[2], end[2], number, tag, props)
                    batch.rows_ok += 1
                finish_chunk(batch)
                report((len(node_files) + j) / total)
    finally:
        summary.rejects_path = rejects.close()
    if writer is not None and graph is not None:
        finish_load(graph, writer, summary, load_id)
    summary.elapsed_s = time.perf_counter() - started
    report(1.0)
    return summary
