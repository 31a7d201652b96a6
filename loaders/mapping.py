"""Mappings: YAML files that say how one kind of export becomes nodes and relationships.

A mapping is validated when it is read; every error names the file and the key. See docs/mappings.md.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explorer import model
from explorer.config import load_settings
from explorer.exceptions import InvalidMapping
from loaders import specs
from loaders.normalise import NORMALISERS
from loaders.specs import SOURCE_KEYS, Dates, Layout, Source, check_sources, parse_dates, parse_layout, parse_source

BUILTIN_DIR = Path(__file__).resolve().parent / "mappings"
FORMATS = ("table", "adjacency", "two_mode", "neo4j_admin")
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
# Variables a template may use besides the mapping's columns.
BUILTIN_VARIABLES = ("dataset", "file", "label", "layer")


def header_key(text: object) -> str:
    """How headers are compared: full-width folded, lower case, no units in brackets, no spaces or _-."""
    return _header_key(str(text))


@functools.lru_cache(maxsize=8192)
def _header_key(text: str) -> str:
    """`header_key` of a text, remembered: a folder's plan compares the same texts thousands of times."""
    s = unicodedata.normalize("NFKC", text).lower().replace("\ufeff", "")
    s = re.sub(r"[(\[【（].*?[)\]】）]", "", s)
    return re.sub(r"[\s_\-.:/：]+", "", s)


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    normaliser: str
    required: bool = False
    default: Any = None
    fallback: tuple[str, str] | None = None  # (column, normaliser) used when this one is empty
    required_unless: str | None = None  # a row is rejected when this column and that one are both empty
    source: Source | None = None  # a value from the title, a template, part of a cell, ... (loaders.specs)
    split: re.Pattern[str] | None = None  # between the values of a cell that holds several: one row each

    def header_keys(self) -> list[str]:
        return [header_key(a) for a in (self.name, *self.aliases)]


@dataclass(frozen=True)
class Template:
    """`"{platform}:{handle}"`, or `{hash: [cols]}`: a key or value built from columns."""

    text: str | None = None
    hash_of: tuple[str, ...] = ()

    @property
    def fields(self) -> list[str]:
        return list(self.hash_of) if self.hash_of else TEMPLATE_FIELD.findall(self.text or "")


@dataclass(frozen=True)
class Prop:
    """One property: a column, a template, a constant, a column through a normaliser, or a lexicon lookup."""

    column: str | None = None
    template: Template | None = None
    const: Any = None
    normaliser: str | None = None
    lexicon: str | None = None  # "terms", "flag", "context" or "version" (LEXICON_PROPS)

    @property
    def fields(self) -> list[str]:
        if self.template:
            return self.template.fields
        return [self.column] if self.column else []


@dataclass(frozen=True)
class NodeSpec:
    alias: str
    label: str
    key: str
    values: tuple[Template, ...]  # first one whose fields are all present wins
    properties: dict[str, Prop] = field(default_factory=dict)
    required: bool = False


@dataclass(frozen=True)
class RelSpec:
    type: str  # an identifier, or a template such as "{type}"
    source: str
    target: str
    event: tuple[Prop, ...] | None = None  # identifying values: makes it an event with an event_id
    properties: dict[str, Prop] = field(default_factory=dict)
    reverse_when: tuple[str, Any] | None = None

    @property
    def type_template(self) -> Template | None:
        return Template(self.type) if "{" in self.type else None


@dataclass
class Mapping:
    name: str
    title: str
    description: str
    path: Path
    format: str = "table"
    columns: dict[str, Column] = field(default_factory=dict)
    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    relationships: list[RelSpec] = field(default_factory=list)
    entity_resolution: bool = True
    options: dict[str, Any] = field(default_factory=dict)  # format-specific (adjacency, neo4j_admin)
    layout: Layout = field(default_factory=Layout)
    dates: Dates | None = None
    extract: dict[str, str] = field(default_factory=dict)  # node alias -> text column read by loaders.extract
    empty_values: frozenset[str] = specs.DEFAULT_EMPTY_VALUES  # cells that stand for nothing ("/", "-")

    @property
    def header_columns(self) -> list[Column]:
        """The columns read from a header of the export (not from the title, a template, ...)."""
        return [c for c in self.columns.values() if c.source is None]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.header_columns if c.required and c.fallback is None and not c.required_unless]

    @property
    def node_only(self) -> bool:
        """True when the mapping makes no event: rosters and the like load first in a folder."""
        return self.format == "table" and not any(r.event for r in self.relationships)

    def labels(self) -> list[tuple[str, str]]:
        """(label, key) pairs this mapping writes."""
        pairs = {(n.label, n.key) for n in self.nodes.values()}
        if self.format in ("adjacency", "two_mode"):
            pairs.add((self.options["node"].label, self.options["node"].key))
        if self.format == "two_mode":
            pairs.add((self.options["event"].label, self.options["event"].key))
        return sorted(pairs)

    def match_headers(self, headers: Sequence[str]) -> HeaderMatch:
        """Which header holds each column, and which required columns are missing."""
        index: dict[str, int] = {}
        keys = [header_key(h) for h in headers]
        for column in self.header_columns:
            for k in column.header_keys():
                if k in keys:
                    index[column.name] = keys.index(k)
                    break
        missing = [c for c in self.required_columns if c not in index]
        fallback_missing = [
            c.name
            for c in self.header_columns
            if c.required and c.fallback and c.name not in index and c.fallback[0] not in index
        ]
        either_missing = [
            f"{c.name} or {c.required_unless}"
            for c in self.header_columns
            if c.required_unless and c.name not in index and c.required_unless not in index
        ]
        return HeaderMatch(self, index, missing + fallback_missing + either_missing, len(headers), list(headers))


@dataclass
class HeaderMatch:
    mapping: Mapping
    index: dict[str, int]
    missing: list[str]
    header_count: int
    headers: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.missing and bool(self.index)

    @property
    def score(self) -> float:
        """Share of the mapping's columns found, for ranking near misses."""
        return len(self.index) / max(1, len(self.mapping.header_columns))


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str) -> InvalidMapping:
        return InvalidMapping(f"Mapping {self.path}: {key}: {problem}.")

    def identifier(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
            raise self.fail(key, f"{value!r} must be a name of letters, digits and underscores")
        return value

    def label_key(self, label: str, key_prop: str, key: str) -> None:
        """The label must be one of the model's, keyed by the model's key for it."""
        if label not in model.NODE_KEYS:
            raise self.fail(key, f"{label!r} is not a label of the model (explorer/model.py, docs/model.md)")
        if model.NODE_KEYS[label] != key_prop:
            raise self.fail(key, f"{label} is keyed by {model.NODE_KEYS[label]} (docs/model.md), not {key_prop}")

    def rel_type(self, rel_type: str, key: str) -> str:
        if rel_type not in model.RELATIONSHIP_TYPES:
            raise self.fail(key, f"{rel_type!r} is not a relationship type of the model (explorer/model.py)")
        return rel_type

    def mapping(self, value: Any, key: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping of names to settings")
        return value

    def template(self, value: Any, key: str, known: set[str]) -> Template:
        if isinstance(value, dict) and set(value) == {"hash"}:
            cols = value["hash"]
            if not isinstance(cols, list) or not cols:
                raise self.fail(key, "hash must list the columns to hash")
            t = Template(hash_of=tuple(str(c) for c in cols))
        elif isinstance(value, str):
            t = Template(text=value)
        else:
            raise self.fail(key, f'{value!r} must be a template string such as "{{platform}}:{{handle}}"')
        for f in t.fields:
            if f not in known:
                raise self.fail(key, f"uses {{{f}}}, which is not a column of this mapping")
        return t

    def prop(self, value: Any, key: str, known: set[str]) -> Prop:
        if isinstance(value, str):
            if "{" in value:
                return Prop(template=self.template(value, key, known))
            if value not in known:
                raise self.fail(key, f"column {value!r} is not declared under columns")
            return Prop(column=value)
        if isinstance(value, dict):
            if set(value) == {"const"}:
                return Prop(const=value["const"])
            if len(value) == 1 and next(iter(value)) in LEXICON_PROPS:
                kind, col = next(iter(value.items()))
                if col not in known:
                    raise self.fail(key, f"column {col!r} is not declared under columns")
                return Prop(column=col, lexicon=LEXICON_PROPS[kind])
            if set(value) == {"column", "normaliser"}:
                if value["column"] not in known:
                    raise self.fail(key, f"column {value['column']!r} is not declared under columns")
                if value["normaliser"] not in NORMALISERS:
                    raise self.fail(key, f"unknown normaliser {value['normaliser']!r}")
                return Prop(column=value["column"], normaliser=value["normaliser"])
        raise self.fail(
            key,
            "must be a column name, a template, {const: v}, {column: c, normaliser: n}, {lexicon: c}, "
            "{lexicon_flag: c}, {lexicon_context: c} or {lexicon_version: c}",
        )


# Lexicon properties (loaders/lexicon.py): the terms found, whether any was, the trade words near each, the version.
LEXICON_PROPS = {"lexicon": "terms", "lexicon_flag": "flag", "lexicon_context": "context", "lexicon_version": "version"}

ALLOWED = {
    "top": {"name", "title", "description", "format", "columns", "nodes", "relationships", "entity_resolution",
            "node", "relationship", "labels", "file_prefix", "event", "header_row", "skip_rows", "records", "dates",
            "extract", "empty_values", "lines"},
    "column": {"aliases", "normaliser", "required", "default", "fallback", "required_unless", "split", *SOURCE_KEYS},
    "node": {"label", "key", "value", "properties", "required"},
    "relationship": {"type", "from", "to", "event", "properties", "reverse_when"},
}  # fmt: skip


def parse_mapping(data: Any, path: Path) -> Mapping:
    """Validate a mapping document; raise InvalidMapping naming the file and the key."""
    ck = _Checker(path)
    if not isinstance(data, dict):
        raise ck.fail("(top)", "the file must be a YAML mapping with name, columns, nodes and relationships")
    unknown = set(data) - ALLOWED["top"]
    if unknown:
        raise ck.fail(sorted(unknown)[0], "is not a mapping key (see docs/mappings.md)")
    name = data.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ck.fail("name", "must be lower case letters, digits and underscores")
    fmt = data.get("format", "table")
    if fmt not in FORMATS:
        raise ck.fail("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    m = Mapping(
        name=name,
        title=str(data.get("title", name)),
        description=str(data.get("description", "")),
        path=path,
        format=fmt,
        entity_resolution=bool(data.get("entity_resolution", True)),
        layout=parse_layout(data, path),
        dates=parse_dates(data, path),
        empty_values=specs.parse_empty_values(data, path),
    )
    if fmt in ("adjacency", "two_mode"):
        _parse_adjacency(ck, data, m)
    elif fmt == "neo4j_admin":
        _parse_neo4j_admin(ck, data, m)
    else:
        _parse_table(ck, data, m)
    return m


def _parse_table(ck: _Checker, data: dict, m: Mapping) -> None:
    columns = ck.mapping(data.get("columns"), "columns")
    if not columns:
        raise ck.fail("columns", "at least one column is needed")
    seen: dict[str, str] = {}
    for col_name, spec in columns.items():
        key = f"columns.{col_name}"
        ck.identifier(col_name, key)
        spec = ck.mapping(spec, key)
        if set(spec) - ALLOWED["column"]:
            raise ck.fail(f"{key}.{sorted(set(spec) - ALLOWED['column'])[0]}", "is not a column setting")
        normaliser = spec.get("normaliser", "text")
        if normaliser not in NORMALISERS:
            raise ck.fail(f"{key}.normaliser", f"unknown normaliser {normaliser!r} (known: {', '.join(NORMALISERS)})")
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list):
            raise ck.fail(f"{key}.aliases", "must be a list of header names")
        fallback = None
        if spec.get("fallback") is not None:
            fb = ck.mapping(spec["fallback"], f"{key}.fallback")
            if set(fb) != {"column", "normaliser"} or fb["normaliser"] not in NORMALISERS:
                raise ck.fail(f"{key}.fallback", "must be {column: <column>, normaliser: <normaliser>}")
            fallback = (str(fb["column"]), str(fb["normaliser"]))
        unless = spec.get("required_unless")
        if unless is not None and not isinstance(unless, str):
            raise ck.fail(f"{key}.required_unless", "must name another column")
        column = Column(col_name, tuple(str(a) for a in aliases), normaliser, bool(spec.get("required", False)),
                        spec.get("default"), fallback, unless, parse_source(spec, key, ck.path),
                        specs.parse_split(spec, key, ck.path))  # fmt: skip
        for k in column.header_keys() if column.source is None else ():
            if k in seen and seen[k] != col_name:
                raise ck.fail(f"{key}.aliases", f"header {k!r} is already an alias of column {seen[k]!r}")
            seen[k] = col_name
        m.columns[col_name] = column
    for column in m.columns.values():
        if column.fallback and column.fallback[0] not in m.columns:
            raise ck.fail(f"columns.{column.name}.fallback", f"column {column.fallback[0]!r} is not declared")
        if column.required_unless and (
            column.required_unless not in m.columns or column.required_unless == column.name
        ):
            raise ck.fail(f"columns.{column.name}.required_unless", f"{column.required_unless!r} is not another column")
        if column.required_unless and column.required:
            raise ck.fail(f"columns.{column.name}.required_unless", "cannot be combined with required: true")
    check_sources(m.columns, ck.path)
    known = set(m.columns) | set(BUILTIN_VARIABLES)
    nodes = ck.mapping(data.get("nodes"), "nodes")
    if not nodes:
        raise ck.fail("nodes", "at least one node is needed")
    for alias, spec in nodes.items():
        key = f"nodes.{alias}"
        ck.identifier(alias, key)
        spec = ck.mapping(spec, key)
        if set(spec) - ALLOWED["node"]:
            raise ck.fail(f"{key}.{sorted(set(spec) - ALLOWED['node'])[0]}", "is not a node setting")
        label = ck.identifier(spec.get("label"), f"{key}.label")
        key_prop = ck.identifier(spec.get("key"), f"{key}.key")
        ck.label_key(label, key_prop, f"{key}.label" if label not in model.NODE_KEYS else f"{key}.key")
        raw_values = spec.get("value", "{" + key_prop + "}")
        raw_values = raw_values if isinstance(raw_values, list) else [raw_values]
        values = tuple(ck.template(v, f"{key}.value", known) for v in raw_values)
        props = {}
        for prop_name, prop in ck.mapping(spec.get("properties"), f"{key}.properties").items():
            ck.identifier(prop_name, f"{key}.properties.{prop_name}")
            props[prop_name] = ck.prop(prop, f"{key}.properties.{prop_name}", known)
        m.nodes[alias] = NodeSpec(alias, label, key_prop, values, props, bool(spec.get("required", False)))
    rels = data.get("relationships") or []
    if not isinstance(rels, list):
        raise ck.fail("relationships", "must be a list")
    for i, spec in enumerate(rels):
        key = f"relationships[{i}]"
        spec = ck.mapping(spec, key)
        if set(spec) - ALLOWED["relationship"]:
            raise ck.fail(f"{key}.{sorted(set(spec) - ALLOWED['relationship'])[0]}", "is not a relationship setting")
        rel_type = spec.get("type")
        if isinstance(rel_type, str) and "{" in rel_type:
            # A type read from the data (edge lists): the rel_type normaliser makes it a valid name.
            ck.template(rel_type, f"{key}.type", known)
        else:
            ck.rel_type(ck.identifier(rel_type, f"{key}.type"), f"{key}.type")
        for end in ("from", "to"):
            if spec.get(end) not in m.nodes:
                raise ck.fail(f"{key}.{end}", f"{spec.get(end)!r} is not one of the nodes ({', '.join(m.nodes)})")
        event = spec.get("event")
        if event is not None:
            if not isinstance(event, list):
                raise ck.fail(f"{key}.event", "must list the columns (or {column, normaliser}) that identify the event")
            event = tuple(ck.prop(c, f"{key}.event", set(m.columns)) for c in event)
        reverse = None
        if spec.get("reverse_when") is not None:
            rw = ck.mapping(spec["reverse_when"], f"{key}.reverse_when")
            if set(rw) != {"column", "equals"} or rw["column"] not in m.columns:
                raise ck.fail(f"{key}.reverse_when", "must be {column: <column>, equals: <value>}")
            reverse = (rw["column"], rw["equals"])
        props = {}
        for prop_name, prop in ck.mapping(spec.get("properties"), f"{key}.properties").items():
            ck.identifier(prop_name, f"{key}.properties.{prop_name}")
            props[prop_name] = ck.prop(prop, f"{key}.properties.{prop_name}", known)
        m.relationships.append(RelSpec(rel_type, spec["from"], spec["to"], event, props, reverse))
    for alias, col in ck.mapping(data.get("extract"), "extract").items():
        if alias not in m.nodes or col not in m.columns:
            raise ck.fail(f"extract.{alias}", "must name one of the nodes and the column of its text")
        m.extract[alias] = col


def _matrix_node(ck: _Checker, data: dict, part: str, label: str, key_prop: str) -> NodeSpec:
    """`node` (a matrix's rows, and its columns when square) or `event` (a two-mode matrix's columns)."""
    node = ck.mapping(data.get(part), part)
    label = ck.identifier(node.get("label", label), f"{part}.label")
    key_prop = ck.identifier(node.get("key", key_prop), f"{part}.key")
    ck.label_key(label, key_prop, f"{part}.label" if label not in model.NODE_KEYS else f"{part}.key")
    known = set(BUILTIN_VARIABLES)
    value = ck.template(node.get("value", "{dataset}:{label}"), f"{part}.value", known)
    props = {
        p: ck.prop(v, f"{part}.properties.{p}", known)
        for p, v in ck.mapping(node.get("properties"), f"{part}.properties").items()
    }
    return NodeSpec(part, label, key_prop, (value,), props)


def _parse_adjacency(ck: _Checker, data: dict, m: Mapping) -> None:
    """A square matrix (`adjacency`), or a two-mode one (`two_mode`: rows are `node`, columns `event`)."""
    m.options["node"] = _matrix_node(ck, data, "node", "Person", "person_id")
    if m.format == "two_mode":
        m.options["event"] = _matrix_node(ck, data, "event", "Gathering", "gathering_id")
    rel = ck.mapping(data.get("relationship"), "relationship")
    m.options["rel_type"] = ck.rel_type(
        ck.identifier(rel.get("type", "ATTENDED" if m.format == "two_mode" else "CONTACT"), "relationship.type"),
        "relationship.type",
    )
    m.options["weight"] = ck.identifier(rel.get("weight", "weight"), "relationship.weight")


def _parse_neo4j_admin(ck: _Checker, data: dict, m: Mapping) -> None:
    labels = ck.mapping(data.get("labels"), "labels")
    keys: dict[str, tuple[str, str]] = {}
    for label, spec in labels.items():
        if label != "*":
            ck.identifier(label, f"labels.{label}")
        spec = ck.mapping(spec, f"labels.{label}")
        key_prop = ck.identifier(spec.get("key"), f"labels.{label}.key")
        if label != "*":
            ck.label_key(label, key_prop, f"labels.{label}")
        elif key_prop != model.POLE_KEY:
            # The labels of the folder's own files that the model has no label for keep their :ID there.
            raise ck.fail(f"labels.{label}.key", f"every other label is keyed by {model.POLE_KEY} (docs/model.md)")
        value = spec.get("value")
        if not isinstance(value, str):
            raise ck.fail(f"labels.{label}.value", 'must be a template over the file\'s columns, such as "{:ID}"')
        keys[label] = (key_prop, value)
    if "*" not in keys:
        raise ck.fail("labels", 'needs a "*" entry: the key of every other label')
    m.options["labels"] = keys
    m.options["file_prefix"] = str(data.get("file_prefix", ""))


# libyaml's safe loader where PyYAML was built with it (the wheels are): the pure-Python one took 13 ms a file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate one mapping file."""
    try:
        return mapping_from_text(str(path), Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise InvalidMapping(f"Mapping {path}: cannot be read: {e}.") from e


@functools.lru_cache(maxsize=256)
def mapping_from_text(path: str, text: str) -> Mapping:
    """A mapping file's text, parsed once per process (a load reads each mapping two or three times)."""
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as e:
        raise InvalidMapping(f"Mapping {path}: is not valid YAML: {e}.") from e
    return parse_mapping(data, Path(path))


def mapping_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    env = [Path(p) for p in os.environ.get("EXPLORER_MAPPINGS", "").split(":") if p]
    return [BUILTIN_DIR, load_settings().var_dir / "mappings", *env, *(Path(p) for p in extra)]


def all_mappings(extra: Iterable[str | Path] = ()) -> dict[str, Mapping]:
    """Built-in mappings, those saved from the Load page (loaders.saved_mappings), then those of the
    EXPLORER_MAPPINGS folders; a later folder overrides by name."""
    found: dict[str, Mapping] = {}
    for d in mapping_dirs(extra):
        for path in sorted(Path(d).glob("*.y*ml")):
            m = load_mapping(path)
            found[m.name] = m
    return found


def get_mapping(name_or_path: str | Path, extra: Iterable[str | Path] = ()) -> Mapping:
    """A mapping by name, or from a YAML file path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.is_file():
        return load_mapping(p)
    mappings = all_mappings(extra)
    if str(name_or_path) not in mappings:
        raise InvalidMapping(f"There is no mapping named {name_or_path!r}; known: {', '.join(sorted(mappings))}.")
    return mappings[str(name_or_path)]
