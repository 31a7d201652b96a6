"""Planning a batch: the statements that write it, a statement per node label, then per relationship type.

Planning needs no database, so it runs where the batch was read and normalised, ahead of the writer.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from loaders import queries
from loaders.cypher_text import AllowedNames, Shapes, quote_name

# Node keys the planner remembers having sent in this load (to skip repeating them), at most.
WRITTEN_LIMIT = 300_000


@dataclass
class Batch:
    """One chunk's writes, grouped by what one Cypher statement can write."""

    nodes: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str, str, str, bool], dict[Any, dict[str, Any]]] = field(default_factory=dict)
    rejects: list[tuple[int, str, str, list[Any]]] = field(default_factory=list)
    rows_read: int = 0
    rows_ok: int = 0
    primary_duplicates: int = 0  # rows whose main relationship repeated an earlier row of this chunk
    mentions: int = 0  # identifiers read out of the chunk's texts
    # Per node or relationship group, the properties sent as ISO text and stored with datetime().
    temporal: dict[tuple, frozenset[str]] = field(default_factory=dict)
    fraction: float | None = None  # share of the file read up to this chunk
    final: bool = False  # made from the export's last chunk (loaders.readers.Chunk.final)
    skipped: list[int] = field(default_factory=list)  # rows the mapping's skip_rows patterns matched
    warnings: list[str] = field(default_factory=list)  # unused columns that look like evidence (first chunk)
    blanked: dict[str, int] = field(default_factory=dict)  # cells read as empty (`empty_values`), by header
    # Filled by Planner.plan: (cypher, parameters but the load's id) in the order they are run, and which
    # of them write rows' main relationships (index, is an event, the quoted names filled into the template).
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
    Every label, type and property name in a statement is one of `names`, quoted by `quote_name`.
    With `shapes`, a statement lists the properties of its shape besides those the batch carries, so
    that its text does not change with the columns an export happens to hold.
    """

    def __init__(self, names: AllowedNames, load_id: str | None = None, shapes: Shapes | None = None,
                 export_bytes: int | None = None) -> None:  # fmt: skip
        self.names = names
        self.shapes = shapes or Shapes()
        # Big statements find their ends once only in an export big enough to pay for that plan (queries).
        self.ends_once = export_bytes is None or export_bytes >= queries.ENDS_ONCE_MIN_EXPORT_BYTES
        # Per node label and key: each key sent, with a hash of the properties it was last sent with.
        self.written: dict[tuple[str, str], dict[str, int]] = {}
        # In a big statement, a relationship's sources travel as null when they are just its row's own tag,
        # `<load_id>#<row>`, which the statement writes itself (REL_COLUMNS): a tag is some 80 characters.
        self.tag_prefix = f"{load_id}#" if load_id is not None else None

    def plan(self, batch: Batch) -> Batch:
        """Fill `batch.statements` and `batch.main_statements`, and drop the grouped rows they were made from."""
        statements: list[tuple[str, dict[str, Any]]] = []
        main_statements: list[tuple[int, bool, dict[str, str]]] = []
        allowed = self.names
        for group_key, group in batch.nodes.items():
            label, key = group_key
            done = self.written.setdefault(group_key, {})
            # A node sent before with the same properties needs no second MERGE: it would change nothing.
            signed = [(k, p, s) for k, p in sorted(group.items()) if done.get(k) != (s := _signature(p))]
            if not signed:
                continue
            prop_names = _prop_names((p for _, p, _ in signed), self.shapes.nodes.get(label, ()))
            props = queries.set_props("n", prop_names, allowed.properties, batch.temporal.get(group_key, ()),
                                      len(queries.NODE_COLUMNS))  # fmt: skip
            rows = [[k, *(p.get(n) for n in prop_names)] for k, p, _ in signed]
            cypher = queries.MERGE_NODES.format(label=quote_name(label, allowed.labels),
                                                key=quote_name(key, allowed.properties), props=props)  # fmt: skip
            statements.append((cypher, {"rows": rows}))
            if sum(len(d) for d in self.written.values()) + len(signed) > WRITTEN_LIMIT:
                for d in self.written.values():
                    d.clear()  # bounded memory: forgetting only costs a MERGE that changes nothing
            done.update((k, s) for k, _, s in signed)
        for group_key, group in batch.rels.items():
            rel_type, fl, fk, tl, tk, is_event = group_key
            names = dict(type=quote_name(rel_type, allowed.types),
                         from_label=quote_name(fl, allowed.labels), from_key=quote_name(fk, allowed.properties),
                         to_label=quote_name(tl, allowed.labels), to_key=quote_name(tk, allowed.properties))  # fmt: skip
            entries = sorted(group.values(), key=_BY_ENDS)
            prop_names = _prop_names(
                (e["props"] for e in entries), self.shapes.rels.get((rel_type, fl, tl, is_event), ())
            )
            props = queries.set_props("r", prop_names, allowed.properties, batch.temporal.get(group_key, ()),
                                      len(queries.REL_COLUMNS))  # fmt: skip
            fill: dict[str, Any] = {"props": props, **names}
            if is_event:
                kind = "event"
            elif "layer" in prop_names and all(e["props"].get("layer") is not None for e in entries):
                # A layer's links are keyed by their layer too (docs/mappings.md, "Network files").
                kind, fill["layer_at"] = "layer", len(queries.REL_COLUMNS) + prop_names.index("layer")
            else:
                kind = "link"
            # Rows' main relationships go in a statement of their own, so that what it created counts them.
            # Each statement numbers its distinct ends in order of appearance (REL_COLUMNS' `from`, `to`).
            split: dict[bool, tuple[list[list[Any]], dict[str, int], dict[str, int]]] = {}
            for e in entries:
                p = e["props"]
                rows, froms, tos = split.get(e["main"]) or split.setdefault(e["main"], ([], {}, {}))
                source, target = e["source"], e["target"]
                rows.append(
                    [e["id"] if is_event else None, source, target, e["row"], e["sources"],
                     froms.setdefault(source, len(froms)), tos.setdefault(target, len(tos)),
                     *(p.get(n) for n in prop_names)]
                )  # fmt: skip
            for is_main in (False, True):
                if is_main in split:
                    rows, froms, tos = split[is_main]
                    if is_main:
                        main_statements.append((len(statements), is_event, names))
                    # A big statement finds each distinct end once; a small one, each row's (queries.ENDS_ONCE).
                    once = self.ends_once and len(rows) >= queries.ENDS_ONCE_MIN_ROWS
                    if once and self.tag_prefix is not None:
                        _own_tags_as_null(rows, self.tag_prefix)
                    cypher = queries.MERGE_RELATIONSHIPS[kind, once].format(**fill)
                    params = {"rows": rows, "froms": list(froms), "tos": list(tos)} if once else {"rows": rows}
                    statements.append((cypher, params))
        batch.statements, batch.main_statements = statements, main_statements
        batch.nodes, batch.rels = {}, {}
        return batch


def _own_tags_as_null(rows: list[list[Any]], prefix: str) -> None:
    """A big statement's rows: sources that are just the row's own tag travel as null (REL_COLUMNS)."""
    for row in rows:
        sources = row[4]
        if len(sources) == 1 and sources[0] == f"{prefix}{row[3]}":
            row[4] = None


def _prop_names(props: Iterable[dict[str, Any]], shape: Iterable[str] = ()) -> list[str]:
    names: set[str] = set(shape)
    for p in props:
        names.update(p)
    return sorted(names)


def pieces(statements: list[tuple[str, dict[str, Any]]], most_rows: int) -> list[list[tuple[int, str, dict[str, Any]]]]:
    """A batch's planned statements cut into transactions of at most `most_rows` rows, in the same order.

    Each item is (the statement's index in `statements`, its text, the parameters of its share of rows).
    A relationship statement's share carries only the ends its rows name, renumbered (REL_COLUMNS'
    `from`, `to`), so that every piece stands alone; the statements keep their order, so every node
    statement's pieces come before the relationships that meet those nodes.
    """
    most_rows = max(1, most_rows)
    cut: list[list[tuple[int, str, dict[str, Any]]]] = [[]]
    room = most_rows
    for index, (cypher, params) in enumerate(statements):
        rows = params["rows"]
        start = 0
        while start < len(rows):
            if room == 0:
                cut.append([])
                room = most_rows
            share = rows[start : start + room]
            start += len(share)
            room -= len(share)
            cut[-1].append((index, cypher, params if len(share) == len(rows) else _rows_only(params, share)))
    return [piece for piece in cut if piece]


_FROM_AT, _TO_AT = queries.REL_COLUMNS.index("from"), queries.REL_COLUMNS.index("to")


def _rows_only(params: dict[str, Any], rows: list[list[Any]]) -> dict[str, Any]:
    """A statement's parameters for some of its rows (with only the ends those rows name)."""
    if "froms" not in params:
        return {**params, "rows": rows}
    froms, tos = params["froms"], params["tos"]
    own_froms: dict[int, int] = {}
    own_tos: dict[int, int] = {}
    renumbered = []
    for row in rows:
        row = list(row)
        row[_FROM_AT] = own_froms.setdefault(row[_FROM_AT], len(own_froms))
        row[_TO_AT] = own_tos.setdefault(row[_TO_AT], len(own_tos))
        renumbered.append(row)
    return {**params, "rows": renumbered, "froms": [froms[i] for i in own_froms], "tos": [tos[i] for i in own_tos]}
