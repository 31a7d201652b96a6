"""The load: export -> mapping -> normalised rows -> batched UNWIND/MERGE -> Neo4j, with provenance.

Per chunk of rows (10,000 by default) the rows are normalised, bad rows go to
the rejects file, and what is left is written as one transaction per node
label and then one per relationship type: nodes before relationships, every
write a MERGE on a constrained key, so a load that is interrupted and run
again ends with exactly the graph a clean load gives.
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from explorer.db import DEFAULT_BATCH_SIZE, Graph
from explorer.exceptions import FileRejected, InvalidMapping
from loaders import queries
from loaders.lexicon import Lexicon, default_lexicon
from loaders.mapping import HeaderMatch, Mapping, NodeSpec, Prop, Template, all_mappings, get_mapping
from loaders.normalise import NORMALISERS, digest
from loaders.readers import Chunk, Export, open_export

# Test hook for the interrupted-load promise: SIGKILL this process after N write transactions.
KILL_AFTER_ENV = "EXPLORER_LOADER_KILL_AFTER_BATCHES"


@dataclass
class LoadSummary:
    """What one load did; `rejects_path` is None when no row was rejected."""

    load_id: str
    file: str
    mapping: str
    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    duplicates_merged: int = 0
    rejects_path: Path | None = None
    nodes_created: int = 0
    relationships_created: int = 0
    elapsed_s: float = 0.0
    dry_run: bool = False
    same_as_candidates: int = 0

    @property
    def rows_per_s(self) -> float:
        return self.rows_read / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejects_path"] = str(self.rejects_path) if self.rejects_path else None
        return d


@dataclass
class Progress:
    """Handed to the progress callback after every chunk."""

    file: str
    rows_read: int
    rows_rejected: int
    elapsed_s: float
    fraction: float | None

    @property
    def rows_per_s(self) -> float:
        return self.rows_read / self.elapsed_s if self.elapsed_s > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


# -- choosing the mapping ------------------------------------------------------


def rank_mappings(export: Export, mappings: dict[str, Mapping] | None = None) -> list[HeaderMatch]:
    """Every table mapping scored against the export's headers, best first."""
    mappings = mappings if mappings is not None else all_mappings()
    matches = [m.match_headers(export.headers) for m in mappings.values() if m.format == "table"]
    return sorted(matches, key=lambda h: (h.fits, len(h.index), h.score), reverse=True)


def looks_like_matrix(export: Export) -> bool:
    """A square matrix: header labels (after the first cell) are the first column's labels."""
    labels = [h for h in export.headers[1:]]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        return False
    rows = export.first_column(limit=len(labels) + 1)
    return sorted(map(str, rows)) == sorted(labels)


def choose_mapping(export: Export, mappings: dict[str, Mapping] | None = None) -> Mapping:
    """The one mapping that fits the headers, or FileRejected naming the near misses and missing columns."""
    mappings = mappings if mappings is not None else all_mappings()
    ranked = rank_mappings(export, mappings)
    fitting = [h for h in ranked if h.fits]
    if fitting:
        best = fitting[0]
        if len(fitting) == 1 or len(best.index) > len(fitting[1].index):
            return best.mapping
        names = ", ".join(h.mapping.name for h in fitting if len(h.index) == len(best.index))
        raise FileRejected(f"{export.path.name} fits several mappings equally ({names}); choose one with --mapping.")
    adjacency = [m for m in mappings.values() if m.format == "adjacency"]
    if adjacency and looks_like_matrix(export):
        return adjacency[0]
    close = [h for h in ranked if h.index][:3]
    if not close:
        raise FileRejected(
            f"{export.path.name}: no mapping recognises its headers ({', '.join(export.headers[:12])}); "
            "write a mapping for this export (docs/mappings.md) or choose one with --mapping."
        )
    hints = "; ".join(f"{h.mapping.name} is missing {', '.join(h.missing)}" for h in close)
    raise FileRejected(f"{export.path.name}: no mapping fits its headers. Closest: {hints}.")


# -- turning rows into nodes and relationships -------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _render(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Cached:
    """A normaliser with a bounded memo: exports repeat the same phones, accounts and times."""

    def __init__(self, name: str):
        self.fn = NORMALISERS[name]
        self.memo: dict[Any, tuple[Any, str | None]] = {}

    def __call__(self, value: Any) -> tuple[Any, str | None]:
        try:
            return self.memo[value]
        except (KeyError, TypeError):
            pass
        try:
            result: tuple[Any, str | None] = (self.fn(value), None)
        except (ValueError, TypeError, OverflowError) as e:
            result = (None, str(e))
        if len(self.memo) > 200_000:
            self.memo.clear()
        with contextlib.suppress(TypeError):
            self.memo[value] = result
        return result


@dataclass
class Batch:
    """One chunk's writes, grouped by what one Cypher statement can write."""

    nodes: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str, str, str, bool], dict[Any, dict[str, Any]]] = field(default_factory=dict)
    rejects: list[tuple[int, str, str, list[Any]]] = field(default_factory=list)
    rows_read: int = 0
    rows_ok: int = 0
    primary_group: tuple | None = None
    primary_duplicates: int = 0  # rows whose primary relationship repeated an earlier row of this chunk

    def add_node(self, label: str, key_prop: str, key: str, props: dict[str, Any]) -> None:
        group = self.nodes.setdefault((label, key_prop), {})
        current = group.get(key)
        if current is None:
            group[key] = props
        else:
            current.update(props)

    def add_rel(self, group_key: tuple, ident: Any, source: str, target: str, row: int, tag: str,
                props: dict[str, Any]) -> bool:  # fmt: skip
        """Add a relationship; False when the chunk already had it (a duplicate row)."""
        group = self.rels.setdefault(group_key, {})
        entry = group.get(ident)
        if entry is None:
            group[ident] = {
                "id": ident,
                "source": source,
                "target": target,
                "row": row,
                "sources": [tag],
                "props": props,
            }
            return True
        if tag not in entry["sources"]:
            entry["sources"].append(tag)
        entry["props"].update(props)
        return False


class TableTransformer:
    """Normalises the rows of a table export and builds its nodes and relationships."""

    def __init__(self, mapping: Mapping, match: HeaderMatch, headers: list[str], variables: dict[str, str],
                 load_id: str, lexicon: Lexicon | None = None):  # fmt: skip
        self.mapping = mapping
        self.headers = headers
        self.variables = variables
        self.load_id = load_id
        self.lexicon = lexicon or default_lexicon()
        self.plan = []
        for col in mapping.columns.values():
            idx = match.index.get(col.name)
            fallback = None
            if col.fallback:
                fb_idx = match.index.get(col.fallback[0])
                if fb_idx is not None:
                    fallback = (fb_idx, _Cached(col.fallback[1]))
            norm = _Cached(col.normaliser)
            default = None
            if col.default is not None:
                default, err = norm(col.default)
                if err:
                    raise InvalidMapping(f"Mapping {mapping.path}: columns.{col.name}.default: {err}.")
            header = headers[idx] if idx is not None else col.name
            self.plan.append((col.name, idx, norm, fallback, default, col.required, header))
        self.prop_normalisers: dict[str, _Cached] = {}
        self._compiled: dict[int, tuple[list[str], str | None]] = {}
        primary = next((r for r in mapping.relationships if r.event), None) or (
            mapping.relationships[0] if mapping.relationships else None
        )
        self.primary = primary

    def _compile(self, t: Template) -> tuple[list[str], str | None]:
        """Fields and a str.format pattern (None for a hash), once per template: rows are many."""
        fields = t.fields
        if t.hash_of:
            compiled: tuple[list[str], str | None] = (fields, None)
        else:
            pattern = (t.text or "").replace("{", "{{").replace("}", "}}")
            for i, f in enumerate(fields):
                pattern = pattern.replace("{{" + f + "}}", "{" + str(i) + "}")
            compiled = (fields, pattern)
        self._compiled[id(t)] = compiled
        return compiled

    def _template(self, t: Template, values: dict[str, Any]) -> str | None:
        compiled = self._compiled.get(id(t)) or self._compile(t)
        fields, pattern = compiled
        parts = []
        for f in fields:
            v = values.get(f)
            if v is None or v == "":
                return None
            parts.append(v if type(v) is str else _render(v))
        if pattern is None:
            return "h:" + digest(*parts)
        if pattern == "{0}":
            return parts[0]
        return pattern.format(*parts)

    def _prop(self, p: Prop, values: dict[str, Any]) -> Any:
        if p.const is not None:
            return p.const
        if p.template is not None:
            return self._template(p.template, values)
        value = values.get(p.column) if p.column else None
        if p.lexicon:
            terms = self.lexicon.find(value) if not _empty(value) else []
            return bool(terms) if p.lexicon == "flag" else (terms or None)
        if value is None or p.normaliser is None:
            return value
        norm = self.prop_normalisers.setdefault(p.normaliser, _Cached(p.normaliser))
        result, _ = norm(value)
        return result

    def _props(self, props: dict[str, Prop], values: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, p in props.items():
            v = self._prop(p, values)
            if v is not None:
                out[name] = v
        return out

    def transform(self, chunk: Chunk) -> Batch:
        batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken))
        for number, reason, raw in chunk.broken:
            batch.rejects.append((number, "", reason, raw))
        variables = self.variables
        for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
            values: dict[str, Any] = dict(variables)
            error: tuple[str, str] | None = None
            for name, idx, norm, fallback, default, required, header in self.plan:
                cell = raw[idx] if idx is not None else None
                if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
                    value = None
                    if fallback is not None and not _empty(raw[fallback[0]]):
                        value, err = fallback[1](raw[fallback[0]])
                        if err:
                            error = (self.headers[fallback[0]], err)
                            break
                    elif default is not None:
                        value = default
                    if value is None and required:
                        error = (header, f"{name} is empty")
                        break
                else:
                    value, err = norm(cell)
                    if err:
                        error = (header, err)
                        break
                values[name] = value
            if error is None:
                keys: dict[str, str] = {}
                for spec in self.mapping.nodes.values():
                    key = self._node_key(spec, values)
                    if key is None:
                        if spec.required:
                            needs = " or ".join("+".join(t.fields) for t in spec.values)
                            error = ("", f"no key for {spec.label} {spec.alias} (needs {needs})")
                            break
                        continue
                    keys[spec.alias] = key
            if error is not None:
                batch.rejects.append((number, error[0], error[1], raw))
                continue
            batch.rows_ok += 1
            for alias, key in keys.items():
                spec = self.mapping.nodes[alias]
                batch.add_node(spec.label, spec.key, key, self._props(spec.properties, values))
            tag = f"{self.load_id}#{number}"
            for rel in self.mapping.relationships:
                if rel.source not in keys or rel.target not in keys:
                    continue
                a, b = self.mapping.nodes[rel.source], self.mapping.nodes[rel.target]
                src, dst = keys[rel.source], keys[rel.target]
                if rel.reverse_when and values.get(rel.reverse_when[0]) == rel.reverse_when[1]:
                    a, b, src, dst = b, a, dst, src
                rel_type = rel.type
                if rel.type_template is not None:
                    rel_type = self._template(rel.type_template, values)
                    if rel_type is None:
                        continue
                props = self._props(rel.properties, values)
                if rel.event is not None:
                    ident = digest(rel_type, src, dst, *[self._prop(p, values) for p in rel.event])
                else:
                    ident = (src, dst)
                group = (rel_type, a.label, a.key, b.label, b.key, rel.event is not None)
                fresh = batch.add_rel(group, ident, src, dst, number, tag, props)
                if rel is self.primary:
                    batch.primary_group = group
                    if not fresh:
                        batch.primary_duplicates += 1
        return batch

    def _node_key(self, spec: NodeSpec, values: dict[str, Any]) -> str | None:
        for t in spec.values:
            key = self._template(t, values)
            if key is not None:
                return key
        return None


# -- writing ----------------------------------------------------------------


class Writer:
    """Writes batches to Neo4j: node groups first, then relationship groups, one transaction each."""

    def __init__(self, graph: Graph, load_id: str):
        self.graph = graph
        self.load_id = load_id
        self.nodes_created = 0
        self.relationships_created = 0
        self.transactions = 0
        kill = os.environ.get(KILL_AFTER_ENV)
        self.kill_after = int(kill) if kill else None

    def _run(self, cypher: str, rows: list[dict[str, Any]]) -> int:
        created = 0

        def count(c: Any) -> None:
            nonlocal created
            self.nodes_created += c.nodes_created
            self.relationships_created += c.relationships_created
            created += c.relationships_created

        self.graph.write_batches(cypher, rows, batch_size=max(1, len(rows)), extra={"load_id": self.load_id},
                                 on_counters=count)  # fmt: skip
        self.transactions += 1
        if self.kill_after is not None and self.transactions >= self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return created

    def write(self, batch: Batch) -> int:
        """Write one batch; return how many rows of the primary relationship met an existing one."""
        for (label, key), group in batch.nodes.items():
            rows = [{"key": k, "props": p} for k, p in group.items()]
            props = queries.set_props("n", _prop_names(rows))
            self._run(queries.MERGE_NODES.format(label=label, key=key, props=props), rows)
        duplicates = batch.primary_duplicates
        for group_key, group in batch.rels.items():
            rel_type, fl, fk, tl, tk, is_event = group_key
            template = queries.MERGE_EVENTS if is_event else queries.MERGE_LINKS
            rows = [
                {"id": e["id"] if is_event else None, "source": e["source"], "target": e["target"], "row": e["row"],
                 "sources": e["sources"], "props": e["props"]}
                for e in group.values()
            ]  # fmt: skip
            props = queries.set_props("r", _prop_names(rows))
            cypher = template.format(type=rel_type, from_label=fl, from_key=fk, to_label=tl, to_key=tk, props=props)
            created = self._run(cypher, rows)
            if group_key == batch.primary_group:
                duplicates += len(rows) - created
        return duplicates


_SCHEMA_APPLIED: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()


def _prop_names(rows: list[dict[str, Any]]) -> list[str]:
    names: set[str] = set()
    for row in rows:
        names.update(row["props"])
    return sorted(names)


def ensure_schema(graph: Graph, label_keys: Iterable[tuple[str, str]]) -> None:
    """cypher/schema.cypher, plus a unique key for any label a new mapping brings (once per process)."""
    label_keys = tuple(sorted(label_keys))
    done = (graph.settings.uri, graph.database, label_keys)
    if done in _SCHEMA_APPLIED:
        return
    graph.apply_schema()
    existing = {(r["label"], r["key"]) for r in graph.read(queries.EXISTING_UNIQUE_KEYS, checked=True).records}
    missing = [(label, key) for label, key in label_keys if (label, key) not in existing]
    for label, key in missing:
        graph.write(queries.UNIQUE_KEY.format(name=f"{label.lower()}_{key}_key", label=label, key=key))
    if missing:
        graph.apply_schema([])
    _SCHEMA_APPLIED.add(done)


class RejectsFile:
    """The rejects CSV: row, column, reason, then the row as read. Opened on the first reject."""

    def __init__(self, directory: Path, export_name: str, mapping: str, headers: list[str]):
        self.path = directory / f"{Path(export_name).stem}.{mapping}.rejects.csv"
        self.headers = headers
        self.count = 0
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
        self.count += len(rejects)

    def close(self) -> Path | None:
        if self._file is not None:
            self._file.close()
            return self.path
        return None


def default_rejects_dir(graph: Graph | None) -> Path:
    from explorer.config import load_settings

    settings = graph.settings if graph is not None else load_settings()
    return settings.var_dir / "rejects"


def dataset_name(path: Path) -> str:
    """The default `{dataset}` of keys: the folder the export sits in."""
    return path.resolve().parent.name.lower() or "dataset"


def finish_load(graph: Graph, writer: Writer, summary: LoadSummary, load_id: str) -> None:
    """Close the Load node with the row counts and copy the writer's counters into the summary."""
    graph.write(queries.LOAD_FINISH, {"load_id": load_id, "rows_read": summary.rows_read,
                                      "rows_written": summary.rows_written,
                                      "rows_rejected": summary.rows_rejected})  # fmt: skip
    summary.nodes_created = writer.nodes_created
    summary.relationships_created = writer.relationships_created


def load_id_for(sha256: str, mapping: str) -> str:
    return f"{sha256}:{mapping}"


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
) -> LoadSummary:
    """Load one export (or, for a neo4j-admin mapping, one folder) into the graph."""
    path = Path(path)
    started = time.perf_counter()
    if isinstance(mapping, str):
        mapping = get_mapping(mapping)
    if path.is_dir():
        if mapping is None or mapping.format != "neo4j_admin":
            raise FileRejected(f"{path} is a folder: use `load-dir`, or a folder mapping such as --mapping pole.")
        from loaders.neo4j_admin import load_admin_folder

        return load_admin_folder(graph, path, mapping, progress=progress, batch_size=batch_size, dry_run=dry_run,
                                 rejects_dir=Path(rejects_dir) if rejects_dir else None)  # fmt: skip
    export = open_export(path, sheet=sheet)
    if mapping is None:
        mapping = choose_mapping(export)
    variables = {"dataset": dataset or dataset_name(path), "file": path.name}
    load_id = load_id_for(export.sha256, mapping.name)
    if mapping.format == "adjacency":
        from loaders.matrix import MatrixTransformer

        transformer: Any = MatrixTransformer(mapping, export.headers, variables, load_id)
    elif mapping.format == "table":
        match = mapping.match_headers(export.headers)
        if match.missing:
            raise FileRejected(
                f"{path.name} lacks the columns {', '.join(match.missing)} that mapping {mapping.name} requires; "
                f"its headers are {', '.join(export.headers)}; mapping {mapping.name} expects "
                f"{', '.join(mapping.columns)}."
            )
        transformer = TableTransformer(mapping, match, export.headers, variables, load_id)
    else:
        raise FileRejected(f"Mapping {mapping.name} loads a folder of neo4j-admin CSVs, not the file {path.name}.")

    summary = LoadSummary(load_id=load_id, file=path.name, mapping=mapping.name, dry_run=dry_run)
    rejects = RejectsFile(Path(rejects_dir) if rejects_dir else default_rejects_dir(graph), path.name, mapping.name,
                          export.headers)  # fmt: skip
    writer = None
    if not dry_run:
        if graph is None:
            raise ValueError("a graph is needed unless dry_run is set")
        ensure_schema(graph, mapping.labels())
        graph.write(queries.LOAD_START, {"load_id": load_id, "file": path.name, "sha256": export.sha256,
                                         "mapping": mapping.name})  # fmt: skip
        writer = Writer(graph, load_id)
    try:
        for chunk in export.chunks(batch_size):
            batch = transformer.transform(chunk)
            rejects.add(batch.rejects)
            summary.rows_read += batch.rows_read
            summary.rows_written += batch.rows_ok
            summary.rows_rejected += len(batch.rejects)
            if writer is not None:
                summary.duplicates_merged += writer.write(batch)
            else:
                summary.duplicates_merged += batch.primary_duplicates
            if progress:
                progress(Progress(path.name, summary.rows_read, summary.rows_rejected,
                                  time.perf_counter() - started, chunk.fraction))  # fmt: skip
    finally:
        summary.rejects_path = rejects.close()
    if writer is not None and graph is not None:
        finish_load(graph, writer, summary, load_id)
        if mapping.entity_resolution and any(label == "Person" for label, _ in mapping.labels()):
            from loaders.resolution import link_same_as

            summary.same_as_candidates = link_same_as(graph, load_id)
    summary.elapsed_s = time.perf_counter() - started
    return summary


def iter_chunks(export: Export, size: int) -> Iterator[Chunk]:
    return export.chunks(size)
