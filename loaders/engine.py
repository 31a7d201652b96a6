"""The load: export -> mapping -> normalised rows -> batched UNWIND/MERGE -> Neo4j, with provenance.

Per chunk of rows (10,000 by default) the rows are normalised, bad rows go to
the rejects file, and what is left is written as one transaction: a statement
per node label, then one per relationship type, nodes before relationships,
every write a MERGE on a constrained key, so a load that is interrupted and
run again ends with exactly the graph a clean load gives.

Reading, normalising and planning each chunk's statements run ahead of the
writer, so the client's work overlaps the server's: in a second thread for a
small export, in a forked worker process for a big one (PROCESS_MIN_BYTES),
whose Python work then runs beside the writer's instead of taking turns with it
under one interpreter lock. The writer still sends the chunks one after the
other, in file order. In a folder load the next export is opened and read
while the current one is written.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import multiprocessing
import operator
import os
import pickle
import queue
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from explorer.db import DEFAULT_BATCH_SIZE, Graph
from explorer.exceptions import FileRejected, InvalidMapping, LoadInterrupted
from explorer.queries import schema_statements
from loaders import queries
from loaders.lexicon import Lexicon, default_lexicon
from loaders.mapping import HeaderMatch, Mapping, NodeSpec, Prop, Template, all_mappings, get_mapping
from loaders.normalise import NORMALISERS, digest
from loaders.readers import Chunk, Export, open_export

# Test hook for the interrupted-load promise: SIGKILL this process after N write transactions.
KILL_AFTER_ENV = "EXPLORER_LOADER_KILL_AFTER_BATCHES"
# Chunks read and normalised ahead of the writer: enough to keep the server busy, bounded for memory.
PREFETCH_CHUNKS = 2
# Exports of at least this size are read and normalised in a worker process rather than a thread
# (the environment variable, a test hook, sets another size). A worker costs a fork and the pickling
# of each chunk; from a few thousand rows on it pays: on 15 exports of 0.2-4 MiB, all in workers
# loaded in 0.82x the time of all in threads, whose reading took turns with the writer.
PROCESS_MIN_BYTES_ENV = "EXPLORER_LOADER_PROCESS_MIN_BYTES"
PROCESS_MIN_BYTES = int(os.environ.get(PROCESS_MIN_BYTES_ENV) or 256 * 1024)
# Distinct raw values each normaliser remembers within a load (phones and times repeat in exports).
MEMO_LIMIT = 200_000
# Node keys the planner remembers having sent in this load (to skip repeating them), at most.
WRITTEN_LIMIT = 300_000


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, back on (as it was) after it.

    Normalising, planning and sending a chunk allocate some million lists, dicts and tuples and free
    them together, none in a cycle; with the collector on, each of its full passes walks every one of
    them (and everything else alive). Paused per chunk, it still runs between chunks and frees there
    whatever cycles a chunk left. On the benchmark's waybills, normalising and planning took 8.3-8.7 s
    of CPU instead of 15.9-16.2 s.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    """A normaliser with a bounded memo, shared by every column that uses it in one load.

    Exports repeat the same phones, accounts and times (a call record names both
    ends, and a hub appears in thousands of rows), so most cells are looked up,
    not parsed. The memo is emptied when full: memory stays flat on any file size.
    """

    def __init__(self, name: str, limit: int = MEMO_LIMIT, iso: bool = False):
        self.fn = NORMALISERS[name]
        self.limit = limit
        self.iso = iso  # datetimes as ISO 8601 text (see TableTransformer: times travel as text)
        self.memo: dict[Any, tuple[Any, str | None]] = {}

    def __call__(self, value: Any) -> tuple[Any, str | None]:
        try:
            return self.memo[value]
        except (KeyError, TypeError):
            pass
        try:
            cleaned = self.fn(value)
            result: tuple[Any, str | None] = (cleaned.isoformat() if self.iso else cleaned, None)
        except (ValueError, TypeError, OverflowError) as e:
            result = (None, str(e))
        if len(self.memo) >= self.limit:
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
    # Relationship groups holding some row's main relationship: duplicates are counted on them.
    primary_groups: set[tuple] = field(default_factory=set)
    primary_duplicates: int = 0  # rows whose main relationship repeated an earlier row of this chunk
    # Per node or relationship group, the properties sent as ISO text and stored with datetime().
    temporal: dict[tuple, frozenset[str]] = field(default_factory=dict)
    fraction: float | None = None  # share of the file read up to this chunk
    # Filled by Planner.plan: (cypher, parameters but the load's id) in the order they are run, and which
    # of them write rows' main relationships (index, is an event, the names filled into the template).
    statements: list[tuple[str, dict[str, Any]]] | None = None
    main_statements: list[tuple[int, bool, dict[str, str]]] = field(default_factory=list)

    def add_node(self, label: str, key_prop: str, key: str, props: dict[str, Any]) -> None:
        group = self.nodes.setdefault((label, key_prop), {})
        current = group.get(key)
        if current is None:
            group[key] = props
        else:
            current.update(props)

    def add_rel(self, group_key: tuple, ident: Any, source: str, target: str, row: int, tag: str,
                props: dict[str, Any], main: bool = False) -> bool:  # fmt: skip
        """Add a relationship; False when the chunk already had it (a duplicate row).

        `main`: it is its row's main relationship (duplicates are counted on those).
        """
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
                "main": main,
            }
            if main:
                self.primary_groups.add(group_key)
            return True
        if tag not in entry["sources"]:
            entry["sources"].append(tag)
        entry["props"].update(props)
        return False

    def mark_temporal(self, group_key: tuple, names: frozenset[str]) -> None:
        if names:
            known = self.temporal.get(group_key)
            if known is None or not names <= known:
                self.temporal[group_key] = names | (known or frozenset())


def time_column(col: Any) -> bool:
    """A column whose every value is a datetime (its normaliser, and its fallback's if any)."""
    return col.normaliser == "datetime" and (col.fallback is None or col.fallback[1] == "datetime")


def missing_value(name: str, required: Any, raw: list[Any]) -> str | None:
    """Why an empty required cell rejects its row, or None when `required_unless`'s other column has a value."""
    if required is True:
        return f"{name} is empty"
    other_idx, other = required
    if other_idx is not None and not _empty(raw[other_idx]):
        return None
    return f"{name} and {other} are both empty"


class TableTransformer:
    """Normalises the rows of a table export and builds its nodes and relationships."""

    def __init__(self, mapping: Mapping, match: HeaderMatch, headers: list[str], variables: dict[str, str],
                 load_id: str, lexicon: Lexicon | None = None):  # fmt: skip
        self.mapping = mapping
        self.headers = headers
        self.variables = variables
        self.load_id = load_id
        self.lexicon = lexicon or default_lexicon()
        self.normalisers: dict[tuple[str, bool], _Cached] = {}
        self.plan = []
        for col in mapping.columns.values():
            idx = match.index.get(col.name)
            # A column that only ever holds times keeps them as ISO text from the start: that text is
            # what event ids hash, what templates print and what is sent to be stored with datetime().
            iso = time_column(col)
            fallback = None
            if col.fallback:
                fb_idx = match.index.get(col.fallback[0])
                if fb_idx is not None:
                    fallback = (fb_idx, self.normaliser(col.fallback[1], iso))
            norm = self.normaliser(col.normaliser, iso)
            default = None
            if col.default is not None:
                default, err = norm(col.default)
                if err:
                    raise InvalidMapping(f"Mapping {mapping.path}: columns.{col.name}.default: {err}.")
            header = headers[idx] if idx is not None else col.name
            # `required`: False, True, or (index of the other column or None, its name) for required_unless.
            required: Any = col.required
            if col.required_unless:
                required = (match.index.get(col.required_unless), col.required_unless)
            self.plan.append((col.name, idx, norm, fallback, default, required, header, norm.memo))
        self._compiled: dict[int, tuple[list[str], str | None]] = {}
        # A row's main relationship is the first event it makes (the first relationship when the mapping
        # has no event): a row is a duplicate when its main relationship already existed.
        events = [r for r in mapping.relationships if r.event]
        self.main_candidates = {id(r) for r in (events or mapping.relationships[:1])}
        self.node_temporal = {a: self._temporal(n.properties) for a, n in mapping.nodes.items()}
        self.rel_temporal = [self._temporal(r.properties) for r in mapping.relationships]

    def normaliser(self, name: str, iso: bool = False) -> _Cached:
        """One memoised normaliser per name for the whole load (caller and callee share the phone memo)."""
        norm = self.normalisers.get((name, iso))
        if norm is None:
            norm = self.normalisers[(name, iso)] = _Cached(name, iso=iso)
        return norm

    def _temporal(self, props: dict[str, Prop]) -> frozenset[str]:
        """Properties whose values are always datetimes: sent as ISO text, stored with Cypher's datetime().

        Encoding Python datetimes is the driver's costliest work on event exports (pure Python,
        per value); the server parses ISO text far faster and stores the very same DATETIME.
        """
        names = set()
        for name, p in props.items():
            if p.normaliser is not None:
                if p.normaliser == "datetime":
                    names.add(name)
            elif (
                p.column in self.mapping.columns
                and p.template is None
                and p.lexicon is None
                and time_column(self.mapping.columns[p.column])
            ):
                names.add(name)
        return frozenset(names)

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
        result, _ = self.normaliser(p.normaliser)(value)
        return result

    def _props(self, props: dict[str, Prop], values: dict[str, Any], temporal: frozenset[str]) -> dict[str, Any]:
        out = {}
        for name, p in props.items():
            v = self._prop(p, values)
            if v is not None:
                out[name] = v.isoformat() if name in temporal and isinstance(v, datetime) else v
        return out

    def transform(self, chunk: Chunk) -> Batch:
        batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken))
        for number, reason, raw in chunk.broken:
            batch.rejects.append((number, "", reason, raw))
        variables = self.variables
        for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
            values: dict[str, Any] = dict(variables)
            error: tuple[str, str] | None = None
            for name, idx, norm, fallback, default, required, header, memo in self.plan:
                cell = raw[idx] if idx is not None else None
                if cell is not None and (hit := memo.get(cell)) is not None:
                    # Most cells repeat a value this load has seen: no call, no parsing.
                    if hit[1] is not None:
                        error = (header, hit[1])
                        break
                    values[name] = hit[0]
                    continue
                if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
                    value = None
                    if fallback is not None and not _empty(raw[fallback[0]]):
                        value, err = fallback[1](raw[fallback[0]])
                        if err:
                            error = (self.headers[fallback[0]], err)
                            break
                    elif default is not None:
                        value = default
                    if value is None and required and (message := missing_value(name, required, raw)):
                        error = (header, message)
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
                temporal = self.node_temporal[alias]
                props = self._props(spec.properties, values, temporal) if spec.properties else {}
                batch.add_node(spec.label, spec.key, key, props)
                batch.mark_temporal((spec.label, spec.key), temporal)
            tag = f"{self.load_id}#{number}"
            main_done = False
            for rel, temporal in zip(self.mapping.relationships, self.rel_temporal, strict=True):
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
                props = self._props(rel.properties, values, temporal) if rel.properties else {}
                if rel.event is not None:
                    ident = digest(rel_type, src, dst, *[self._prop(p, values) for p in rel.event])
                else:
                    ident = (src, dst)
                group = (rel_type, a.label, a.key, b.label, b.key, rel.event is not None)
                main = not main_done and id(rel) in self.main_candidates
                main_done = main_done or main
                fresh = batch.add_rel(group, ident, src, dst, number, tag, props, main)
                batch.mark_temporal(group, temporal)
                if main and not fresh:
                    batch.primary_duplicates += 1
        return batch

    def _node_key(self, spec: NodeSpec, values: dict[str, Any]) -> str | None:
        for t in spec.values:
            key = self._template(t, values)
            if key is not None:
                return key
        return None


# -- writing ----------------------------------------------------------------


_BY_ENDS = operator.itemgetter("source", "target")


def _signature(props: dict[str, Any]) -> int:
    """A hash of a node's properties, to tell a repeat from a change without keeping the values."""
    try:
        return hash(tuple(props.items()))
    except TypeError:  # a list value
        return hash(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items()))


class Planner:
    """Turns a batch into the statements that write it: a statement per node label, then per relationship type.

    It remembers the node keys this load has planned (at most WRITTEN_LIMIT): a node already written,
    with nothing new to say, needs no second MERGE (phones recur in every chunk of a call record).
    Planning needs no database, so it runs where the batch was read and normalised, ahead of the writer.
    """

    def __init__(self, load_id: str | None = None) -> None:
        # Per node label and key: each key sent, with a hash of the properties it was last sent with.
        self.written: dict[tuple[str, str], dict[str, int]] = {}
        # A relationship's sources travel as null when they are just its row's own tag, `<load_id>#<row>`,
        # which the statement writes itself (REL_COLUMNS): a tag is some 80 characters, the row number a few.
        self.tag_prefix = f"{load_id}#" if load_id is not None else None

    def plan(self, batch: Batch) -> Batch:
        """Fill `batch.statements` and `batch.main_statements`, and drop the grouped rows they were made from."""
        statements: list[tuple[str, dict[str, Any]]] = []
        main_statements: list[tuple[int, bool, dict[str, str]]] = []
        for group_key, group in batch.nodes.items():
            label, key = group_key
            done = self.written.setdefault(group_key, {})
            # A node sent before with the same properties needs no second MERGE: it would change nothing.
            signed = [(k, p, s) for k, p in sorted(group.items()) if done.get(k) != (s := _signature(p))]
            if not signed:
                continue
            prop_names = _prop_names(p for _, p, _ in signed)
            props = queries.set_props("n", prop_names, batch.temporal.get(group_key, ()), len(queries.NODE_COLUMNS))
            rows = [[k, *(p.get(n) for n in prop_names)] for k, p, _ in signed]
            statements.append((queries.MERGE_NODES.format(label=label, key=key, props=props), {"rows": rows}))
            if sum(len(d) for d in self.written.values()) + len(signed) > WRITTEN_LIMIT:
                for d in self.written.values():
                    d.clear()  # bounded memory: forgetting only costs a MERGE that changes nothing
            done.update((k, s) for k, _, s in signed)
        for group_key, group in batch.rels.items():
            rel_type, fl, fk, tl, tk, is_event = group_key
            names = dict(type=rel_type, from_label=fl, from_key=fk, to_label=tl, to_key=tk)
            entries = sorted(group.values(), key=_BY_ENDS)
            prop_names = _prop_names(e["props"] for e in entries)
            props = queries.set_props("r", prop_names, batch.temporal.get(group_key, ()), len(queries.REL_COLUMNS))
            cypher = (queries.MERGE_EVENTS if is_event else queries.MERGE_LINKS).format(props=props, **names)
            # Rows' main relationships go in a statement of their own, so that what it created counts them.
            # Each statement numbers its distinct ends in order of appearance (REL_COLUMNS' `from`, `to`).
            split: dict[bool, tuple[list[list[Any]], dict[str, int], dict[str, int]]] = {}
            prefix = self.tag_prefix
            for e in entries:
                p = e["props"]
                rows, froms, tos = split.get(e["main"]) or split.setdefault(e["main"], ([], {}, {}))
                source, target, sources = e["source"], e["target"], e["sources"]
                if prefix is not None and len(sources) == 1 and sources[0] == f"{prefix}{e['row']}":
                    sources = None
                rows.append(
                    [e["id"] if is_event else None, source, target, e["row"], sources,
                     froms.setdefault(source, len(froms)), tos.setdefault(target, len(tos)),
                     *(p.get(n) for n in prop_names)]
                )  # fmt: skip
            for is_main in (False, True):
                if is_main in split:
                    rows, froms, tos = split[is_main]
                    if is_main:
                        main_statements.append((len(statements), is_event, names))
                    statements.append((cypher, {"rows": rows, "froms": list(froms), "tos": list(tos)}))
        batch.statements, batch.main_statements = statements, main_statements
        batch.nodes, batch.rels = {}, {}
        return batch


class Writer:
    """Writes planned batches to Neo4j: each batch in one transaction, its statements in order.

    `previous` is the status the Load had before this run: `complete` (a reload: every row met its
    relationship) or `running` (an interrupted run: what it wrote from a row is that row's own).
    """

    def __init__(self, graph: Graph, load_id: str, previous: str | None = None):
        self.graph = graph
        self.load_id = load_id
        self.previous = previous
        self.planner = Planner(load_id)  # for batches that come unplanned
        self.nodes_created = 0
        self.relationships_created = 0
        self.transactions = 0
        kill = os.environ.get(KILL_AFTER_ENV)
        self.kill_after = int(kill) if kill else None

    def write(self, batch: Batch) -> int:
        """Write one batch in one transaction; return how many of its rows met their main relationship already there.

        That is the chunk's own repeats (folded into one relationship before sending) plus the rows
        whose main relationship the graph already held from an earlier chunk or another load.
        One transaction per batch rather than per group: a chunk is written whole or not at all, and
        the server commits (and syncs its log) once per chunk instead of once per label and type.
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
        sent = [(c, {**params, "load_id": self.load_id}) for c, params in statements]
        with gc_paused():
            results = self.graph.write_together(sent)
        for i, c in enumerate(results):
            self.nodes_created += c.nodes_created
            self.relationships_created += c.relationships_created
            if i in counted:
                duplicates -= c.relationships_created
        self.transactions += 1
        if self.kill_after is not None and self.transactions >= self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return duplicates

    def _resumed(self, rows: list[list[Any]], is_event: bool, names: dict[str, str]) -> int:
        """After an interrupted run: the rows whose relationship that run already wrote from the same row."""
        if self.previous != "running":
            return 0
        cypher = (queries.RESUMED_EVENTS if is_event else queries.RESUMED_LINKS).format(**names)
        # Built from a template (labels and type filled in), so it goes through the read-only gate.
        found = self.graph.read(cypher, {"rows": rows, "load_id": self.load_id}).records
        return int(found[0]["resumed"]) if found else 0


def start_load(graph: Graph, load_id: str, file: str, sha256: str, mapping: str) -> Writer:
    """Write the Load node (status running) and return a writer; a completed earlier load makes this a reload."""
    found = graph.write(queries.LOAD_START, {"load_id": load_id, "file": file, "sha256": sha256, "mapping": mapping})
    return Writer(graph, load_id, previous=found[0]["previous"] if found else None)


_SCHEMA_APPLIED: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()


def _prop_names(props: Iterable[dict[str, Any]]) -> list[str]:
    names: set[str] = set()
    for p in props:
        names.update(p)
    return sorted(names)


_SCHEMA_NAME = re.compile(r"CREATE\s+(?:CONSTRAINT|(?:[A-Z]+\s+)?INDEX)\s+`?(\w+)`?", re.IGNORECASE)


def ensure_schema(graph: Graph, label_keys: Iterable[tuple[str, str]]) -> None:
    """cypher/schema.cypher, plus a unique key for any label a new mapping brings (once per process).

    Only the statements whose constraint or index is missing are sent: on a database that has its
    schema (the usual case) that is two reads instead of a round trip per statement.
    """
    label_keys = tuple(sorted(label_keys))
    done = (graph.settings.uri, graph.database, label_keys)
    if done in _SCHEMA_APPLIED:
        return
    present = {r["name"] for r in graph.read(queries.CONSTRAINT_NAMES, checked=True).records}
    present |= {r["name"] for r in graph.read(queries.INDEX_NAMES, checked=True).records}
    statements = schema_statements()
    missing_statements = [s for s in statements if (m := _SCHEMA_NAME.match(s)) is None or m.group(1) not in present]
    if missing_statements:
        graph.apply_schema(missing_statements)
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


@dataclass
class Prepared:
    """One export ready to load: opened, its mapping chosen and checked, its transformer built."""

    path: Path
    export: Export
    mapping: Mapping
    transformer: Any
    load_id: str
    batch_size: int = DEFAULT_BATCH_SIZE
    reading: _ReadAhead | None = None

    def batches(self, planner: Planner | None = None) -> Iterator[Batch]:
        """The export's batches, in order; with a planner, each carries the statements that write it."""
        for chunk in self.export.chunks(self.batch_size):
            with gc_paused():
                batch = self.transformer.transform(chunk)
                batch.fraction = chunk.fraction
                if planner is not None:
                    planner.plan(batch)
            yield batch

    def read_ahead(self) -> Prepared:
        """Start reading, normalising and planning now (while another export is being written).

        A big export is read in a worker process, so that its Python work runs beside the writer's
        instead of taking turns with it under one interpreter lock; a small one in a thread.
        """
        if self.reading is None:
            items = self.batches(Planner(self.load_id))
            big = self.path.is_file() and self.path.stat().st_size >= PROCESS_MIN_BYTES
            self.reading = ProcessPrefetch(items, PREFETCH_CHUNKS) if big else Prefetch(items, PREFETCH_CHUNKS)
        return self

    def close(self) -> None:
        if self.reading is not None:
            self.reading.close()


def prepare_file(
    path: str | Path,
    mapping: str | Mapping | None = None,
    *,
    export: Export | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dataset: str | None = None,
    sheet: str | None = None,
) -> Prepared:
    """Open one export and check it against its mapping (chosen from the headers when not given)."""
    path = Path(path)
    if isinstance(mapping, str):
        mapping = get_mapping(mapping)
    export = export or open_export(path, sheet=sheet)
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
) -> LoadSummary:
    """Load one export (or, for a neo4j-admin mapping, one folder) into the graph.

    `prepared` (from `prepare_file`, perhaps already reading ahead) stands for path, mapping and options.
    """
    path = Path(path)
    started = time.perf_counter()
    if prepared is None and path.is_dir():
        if isinstance(mapping, str):
            mapping = get_mapping(mapping)
        if mapping is None or mapping.format != "neo4j_admin":
            raise FileRejected(f"{path} is a folder: use `load-dir`, or a folder mapping such as --mapping pole.")
        from loaders.neo4j_admin import load_admin_folder

        return load_admin_folder(graph, path, mapping, progress=progress, batch_size=batch_size, dry_run=dry_run,
                                 rejects_dir=Path(rejects_dir) if rejects_dir else None)  # fmt: skip
    if prepared is None:
        prepared = prepare_file(path, mapping, batch_size=batch_size, dataset=dataset, sheet=sheet)
    try:
        return _load_prepared(graph, prepared, progress, rejects_dir, dry_run, started)
    finally:
        prepared.close()


def _load_prepared(graph: Graph | None, prepared: Prepared, progress: ProgressCallback | None,
                   rejects_dir: str | Path | None, dry_run: bool, started: float) -> LoadSummary:  # fmt: skip
    path, export, mapping, load_id = prepared.path, prepared.export, prepared.mapping, prepared.load_id
    summary = LoadSummary(load_id=load_id, file=path.name, mapping=mapping.name, dry_run=dry_run)
    rejects = RejectsFile(Path(rejects_dir) if rejects_dir else default_rejects_dir(graph), path.name, mapping.name,
                          export.headers)  # fmt: skip
    writer = None
    if not dry_run:
        if graph is None:
            raise ValueError("a graph is needed unless dry_run is set")
        ensure_schema(graph, mapping.labels())
        writer = start_load(graph, load_id, path.name, export.sha256, mapping.name)
    # The writer takes the batches in file order while the next ones are read and normalised.
    batches = prepared.read_ahead().reading if writer is not None else prepared.batches()
    assert batches is not None
    try:
        for batch in batches:
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
                                  time.perf_counter() - started, batch.fraction))  # fmt: skip
    finally:
        summary.rejects_path = rejects.close()
    if writer is not None and graph is not None:
        finish_load(graph, writer, summary, load_id)
        if mapping.entity_resolution and any(label == "Person" for label, _ in mapping.labels()):
            from loaders.resolution import link_same_as

            summary.same_as_candidates = link_same_as(graph, load_id)
    summary.elapsed_s = time.perf_counter() - started
    return summary


_DONE = object()


class _ReadAhead:
    """What both read-ahead kinds share: items, then `done`, or an `error` raised in its place."""

    def _receive(self) -> tuple[str, Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Any]:
        try:
            yield from _items(iter(self._receive, None))
        finally:
            self.close()


def _items(messages: Iterator[tuple[str, Any]]) -> Iterator[Any]:
    """The items a read-ahead's messages carry, up to `done`; an `error` is raised in its place."""
    for kind, item in messages:
        if kind == "item":
            yield item
        elif kind == "done":
            return
        else:
            raise item


class Prefetch(_ReadAhead):
    """Iterate `items` in order while a thread computes up to `depth` of them ahead, from creation on.

    The thread does the reading, normalising and planning (pure Python); the caller's writes mostly
    wait on the server's socket, which releases the GIL, so the two overlap. An error in the
    thread is raised where the caller iterates, in order; `close` stops the thread.
    """

    def __init__(self, items: Iterator[Any], depth: int = PREFETCH_CHUNKS):
        self._items = items
        self._slots: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loader-read", daemon=True)
        self._thread.start()

    def _put(self, kind: str, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._slots.put((kind, item), timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._items:
                if not self._put("item", item):
                    return
            self._put("done", _DONE)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            self._put("error", e)

    def _receive(self) -> tuple[str, Any]:
        return self._slots.get()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=30)


class ProcessPrefetch(_ReadAhead):
    """`Prefetch` in a forked worker process: the items are computed there and arrive here pickled.

    The worker shares no interpreter lock with the caller, so on two cores reading and normalising
    run beside the writer rather than in its pauses. The same contract as `Prefetch`: items in order,
    an error raised in its place (as a LoadInterrupted naming it if it cannot travel), `close` stops
    the worker. The two ends of one pipe connect them: the worker computes the next item while the last
    one waits in the pipe, a worker that dies (killed, out of memory) ends the pipe and is reported,
    and a worker whose loader has gone finds the pipe broken and stops.

    Here, a thread takes each item from the pipe and unpickles it as soon as it arrives, while the
    writer waits on the server, so that the writer finds the next chunk ready when a transaction ends.
    Unpickled between two transactions, the five chunks of the benchmark's 44,840 waybill rows kept the
    server idle for 0.41 s in all (docs/benchmarks.md). Whatever `depth`, the items ahead of the writer
    are at most four: one being computed, one in the pipe, one in the thread's hand, one waiting for
    the writer.
    """

    def __init__(self, items: Iterator[Any], depth: int = PREFETCH_CHUNKS):
        context = multiprocessing.get_context("fork")  # the worker inherits the opened export: nothing to pickle
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(items, sender), name="loader-read", daemon=True)
        self._process.start()
        sender.close()  # the worker holds the only sending end: when it exits, receiving ends
        self._arrived = Prefetch(_items(self._messages()), 1)

    def _run(self, items: Iterator[Any], sender: Any) -> None:
        self._receiver.close()  # the loader holds the only receiving end: when it exits, sending fails
        # The worker lives for one export and its chunks leave no cycles worth a collection (see
        # gc_paused): with the collector off for its whole life, reading and sending the benchmark's
        # waybills took 9.7-10.2 s of CPU, against 11.2 s with it paused per chunk.
        gc.disable()
        try:
            for item in items:
                sender.send(("item", item))
            sender.send(("done", None))
        except (BrokenPipeError, ConnectionResetError):
            return  # the loader is gone: nobody will read this
        except BaseException as e:  # noqa: BLE001 - handed to the consumer, which raises it
            try:
                pickle.dumps(e)
            except Exception:  # noqa: BLE001 - an error that cannot be pickled travels as its text
                e = LoadInterrupted(f"the load stopped: {type(e).__name__}: {e}")
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sender.send(("error", e))

    def _messages(self) -> Iterator[tuple[str, Any]]:
        """The worker's messages, unpickled (in the thread of `self._arrived`); a worker gone before `done`
        is raised as LoadInterrupted."""
        while True:
            try:
                with gc_paused():  # unpickling a chunk builds its rows' lists
                    message = self._receiver.recv()
            except EOFError:
                self._process.join(timeout=30)
                raise LoadInterrupted(
                    f"the loader's reading process stopped unexpectedly (exit code {self._process.exitcode}); "
                    "load the export again: the graph ends as a clean load leaves it"
                ) from None
            yield message

    def _receive(self) -> tuple[str, Any]:
        return self._arrived._receive()

    def close(self) -> None:
        # The worker first: its end of the pipe closes, so a thread waiting on the pipe wakes and stops.
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=30)
        self._arrived.close()
        self._receiver.close()


def iter_chunks(export: Export, size: int) -> Iterator[Chunk]:
    return export.chunks(size)
