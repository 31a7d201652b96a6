"""Saved investigations: one reviewed `.cypher` file each, with a typed header.

A file in `cypher/` (other than `schema.cypher`) starts with a block of `//`
comment lines holding a YAML header, then the query. The file runs as-is in
Neo4j Browser (the header is only comments there). See docs/investigations.md.

    // title: Find an identifier
    // category: Search
    // description: What is attached to a phone, handle, waybill or name.
    // params:
    //   - {name: value, type: identifier, help: Phone, handle, waybill..., example: "13800138000"}
    // columns: [entity, label, link, neighbour]
    // draw: {nodes: [entity, neighbour], relationships: [link]}
    MATCH ...

The catalog is validated when loaded, not when run: the `$params` used in the
query equal the declared ones, the header is well formed, and (given a graph)
Neo4j's EXPLAIN says the query only reads and returns the declared columns.
Every error names the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.config import PROJECT_ROOT
from explorer.db import Graph, Result
from explorer.exceptions import ExplorerError, InvalidInvestigation
from explorer.model import STATE_PARAM_TYPES
from explorer.params import LIST_ITEM_TYPES, PARAM_TYPES, Param, ParamError

CYPHER_DIR = PROJECT_ROOT / "cypher"
EXCLUDED_FILES = {"schema.cypher"}

HEADER_KEYS = {"title", "description", "category", "params", "columns", "draw", "heavy"}
REQUIRED_HEADER_KEYS = ("title", "description", "category", "columns")
PARAM_KEYS = {"name", "type", "default", "help", "example", "items", "choices"}
DRAW_KEYS = {"nodes", "relationships", "paths", "score"}

_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_BLANKABLE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`", re.S)


@dataclass(frozen=True)
class DrawSpec:
    """Which returned columns hold nodes, relationships or paths, and which is a score."""

    nodes: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    score: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.nodes + self.relationships + self.paths + ((self.score,) if self.score else ())

    @property
    def drawable(self) -> bool:
        return bool(self.nodes or self.relationships or self.paths)


@dataclass
class Investigation:
    """A saved investigation: its header, its query, and how to run it."""

    name: str
    path: Path
    title: str
    description: str
    category: str
    params: list[Param]
    columns: list[str]
    draw: DrawSpec
    cypher: str
    heavy: bool = False
    checked: bool = field(default=False, repr=False)  # EXPLAIN passed on some server

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParamError(f"Investigation {self.name} has no parameter {name!r}; it takes {self.param_names()}.")

    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every declared parameter, coerced; defaults filled in; unknown names refused."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(self.param_names()))
        if unknown:
            raise ParamError(
                f"Investigation {self.name} has no parameter {', '.join(unknown)}; it takes {self.param_names()}."
            )
        return {p.name: p.coerce(values.get(p.name)) for p in self.params}

    def example_params(self) -> dict[str, Any]:
        """Representative parameters (the header's `example`, else default), coerced."""
        return self.bind({p.name: p.bench_value for p in self.params})

    def validate(self, graph: Graph) -> None:
        """EXPLAIN on `graph`: read-only, and returns exactly the declared columns."""
        try:
            explain_params = self.example_params()
        except ParamError:
            explain_params = {}
        try:
            columns = graph.check_read_only(self.cypher, explain_params)
        except ExplorerError as e:
            raise InvalidInvestigation(f"{self.path}:{_first_query_line(self.cypher)}: {e}") from e
        if columns != self.columns:
            raise InvalidInvestigation(
                f"{self.path}:{_header_line(self.cypher, 'columns')}: the header declares columns {self.columns} "
                f"but the query returns {columns}."
            )
        self.checked = True

    def run(self, graph: Graph, timeout_s: float | None = None, **params: Any) -> Result:
        """Run with typed parameters (strings are parsed); the query text is never altered."""
        for p in self.params:  # analyst state (the watch list ...), from the analyst store, unless given
            if p.type in STATE_PARAM_TYPES and params.get(p.name) in (None, ""):
                params[p.name] = AnalystStore(graph.settings.var_dir / STORE_FILE).state(p.type)
        bound = self.bind(params)
        if not self.checked:
            self.validate(graph)
        timeout = timeout_s if timeout_s is not None else (300.0 if self.heavy else 60.0)
        return graph.read(self.cypher, bound, timeout_s=timeout, checked=True)

    @property
    def query(self) -> str:
        """The query without its header (for display)."""
        lines = self.cypher.splitlines()
        start = _first_query_line(self.cypher) - 1
        return "\n".join(lines[start:]).strip()


class Catalog(Mapping[str, Investigation]):
    """The saved investigations by name (file stem), in file-name order."""

    def __init__(self, investigations: list[Investigation]):
        self._by_name = {inv.name: inv for inv in sorted(investigations, key=lambda i: i.name)}

    def __getitem__(self, name: str) -> Investigation:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(
                f"No saved investigation named {name!r}; run `python -m explorer.investigate --list`."
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def by_category(self) -> dict[str, list[Investigation]]:
        """Investigations grouped by category (categories sorted, titles sorted within)."""
        groups: dict[str, list[Investigation]] = {}
        for inv in self._by_name.values():
            groups.setdefault(inv.category, []).append(inv)
        return {c: sorted(groups[c], key=lambda i: i.title.lower()) for c in sorted(groups)}

    def search(self, text: str) -> list[Investigation]:
        """Investigations whose name, title, description or category contains `text`."""
        needle = text.strip().lower()
        return [
            inv
            for inv in self._by_name.values()
            if needle in f"{inv.name} {inv.title} {inv.description} {inv.category}".lower()
        ]


def catalog_files(directory: Path = CYPHER_DIR) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*.cypher") if p.name not in EXCLUDED_FILES)


def load_catalog(graph: Graph | None = None, directory: Path | str = CYPHER_DIR) -> Catalog:
    """Parse and validate every saved investigation; with `graph`, EXPLAIN each one too.

    Raises InvalidInvestigation naming the file and line of the first problem.
    """
    investigations = [parse_investigation(path) for path in catalog_files(Path(directory))]
    if graph is not None:
        for inv in investigations:
            inv.validate(graph)
    return Catalog(investigations)


# -- parsing -------------------------------------------------------------------


def _header_block(text: str) -> tuple[str, int]:
    """The leading `//` lines with the slashes removed, and how many lines they span.

    The header ends at the first line that is not a comment, or at the first blank
    line, so comments about the query can follow it after a blank line.
    """
    lines = text.splitlines()
    header: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            body = stripped[2:]
            header.append(body[1:] if body.startswith(" ") else body)
        elif not stripped and not header:
            header.append("")
        else:
            break
    return "\n".join(header), len(header)


def _first_query_line(text: str) -> int:
    _, n = _header_block(text)
    lines = text.splitlines()
    for i in range(n, len(lines)):
        if lines[i].strip():
            return i + 1
    return n + 1


def _header_line(text: str, key: str) -> int:
    _, n = _header_block(text)
    for i, line in enumerate(text.splitlines()[:n], start=1):
        if re.match(rf"\s*//\s*{re.escape(key)}\s*:", line):
            return i
    return 1


def _blank(text: str) -> str:
    """Comments, strings and quoted names replaced by spaces, line breaks kept (positions kept)."""
    return _BLANKABLE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def used_parameters(cypher: str) -> dict[str, int]:
    """`$name` parameters the query uses (not in comments or strings), with the line of first use."""
    blanked = _blank(cypher)
    used: dict[str, int] = {}
    for m in _PARAM_USE.finditer(blanked):
        used.setdefault(m.group(1), blanked.count("\n", 0, m.start()) + 1)
    return used


class _Located:
    """YAML values with the file line of each mapping key and sequence item."""

    def __init__(self, offset: int):
        self.offset = offset
        self.lines: dict[tuple[Any, ...], int] = {}
        self.duplicates: list[tuple[tuple[Any, ...], int]] = []  # (key path, line) of each repeated key

    def build(self, node: yaml.Node) -> Any:
        self._walk(node, ())
        return yaml.SafeLoader("").construct_document(node)

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1 + self.offset)
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
                line = key_node.start_mark.line + 1 + self.offset
                # YAML keeps the last of two equal keys; a header must not change meaning that quietly.
                if key in seen:
                    self.duplicates.append((path + (key,), line))
                seen.add(key)
                self.lines.setdefault(path + (key,), line)
                self._walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, path + (i,))


def parse_investigation(path: Path | str) -> Investigation:
    """Parse one `.cypher` file (header and query) without touching the database."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInvestigation(f"{path}:1: cannot read the file as UTF-8 text: {e}.") from e
    return parse_text(text, path)


def parse_text(text: str, path: Path | str = "<text>") -> Investigation:
    """Parse investigation text; `path` names the file in errors (and gives the name)."""
    path = Path(path)
    header_text, header_lines = _header_block(text)

    def fail(line: int, message: str) -> InvalidInvestigation:
        return InvalidInvestigation(f"{path}:{line}: {message}")

    if not header_text.strip():
        raise fail(
            1, "the file has no header: start it with `// title: ...` comment lines (see docs/investigations.md)."
        )
    try:
        node = yaml.compose(header_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(e, "problem", None) or str(e)
        raise fail(line, f"the header is not valid YAML: {problem}.") from e
    loc = _Located(0)
    header = loc.build(node) if node is not None else None
    if not isinstance(header, dict):
        raise fail(1, "the header must be `key: value` lines (title, description, category, params, columns, draw).")
    if loc.duplicates:
        keys, line = loc.duplicates[0]
        raise fail(line, f"the header gives {'.'.join(map(str, keys))!r} twice; each key may appear once.")

    def line_of(*keys: Any) -> int:
        while keys and keys not in loc.lines:
            keys = keys[:-1]
        return loc.lines.get(keys, 1)

    for key in header:
        if key not in HEADER_KEYS:
            raise fail(line_of(key), f"unknown header key {key!r}; allowed keys are {sorted(HEADER_KEYS)}.")
    for key in REQUIRED_HEADER_KEYS:
        if key not in header or header[key] in (None, "", []):
            raise fail(1, f"the header lacks {key!r}.")
    for key in ("title", "description", "category"):
        if not isinstance(header[key], str):
            raise fail(line_of(key), f"{key!r} must be text.")

    columns = header["columns"]
    if not isinstance(columns, list) or not all(isinstance(c, str) and c for c in columns):
        raise fail(line_of("columns"), "'columns' must be a list of the returned column names, e.g. [person, score].")
    if len(set(columns)) != len(columns):
        raise fail(line_of("columns"), "'columns' names a column twice.")

    params: list[Param] = []
    raw_params = header.get("params") or []
    if not isinstance(raw_params, list):
        raise fail(line_of("params"), "'params' must be a list of `- {name: ..., type: ...}` entries.")
    for i, raw in enumerate(raw_params):
        params.append(_parse_param(raw, i, line_of, fail))
    names = [p.name for p in params]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise fail(line_of("params", i, "name"), f"parameter {name!r} is declared twice.")

    draw = _parse_draw(header.get("draw"), columns, line_of, fail)

    heavy = header.get("heavy", False)
    if not isinstance(heavy, bool):
        raise fail(line_of("heavy"), "'heavy' must be true or false.")

    query_start = header_lines + 1
    body = "\n".join(text.splitlines()[header_lines:])
    if not _blank(body).strip():
        raise fail(query_start, "the file has a header but no query after it.")
    used = {name: line + header_lines for name, line in used_parameters(body).items()}
    for name, line in used.items():
        if name not in names:
            raise fail(line, f"the query uses ${name}, which the header does not declare under 'params'.")
    for i, name in enumerate(names):
        if name not in used:
            raise fail(
                line_of("params", i, "name"), f"parameter {name!r} is declared but the query never uses ${name}."
            )

    return Investigation(
        name=path.stem,
        path=path,
        title=header["title"].strip(),
        description=" ".join(header["description"].split()),
        category=header["category"].strip(),
        params=params,
        columns=list(columns),
        draw=draw,
        cypher=text,
        heavy=heavy,
    )


def _parse_param(raw: Any, i: int, line_of: Any, fail: Any) -> Param:
    if not isinstance(raw, dict):
        raise fail(line_of("params", i), "each parameter must be a mapping such as {name: phone, type: identifier}.")
    for key in raw:
        if key not in PARAM_KEYS:
            raise fail(
                line_of("params", i, key), f"unknown parameter key {key!r}; allowed keys are {sorted(PARAM_KEYS)}."
            )
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise fail(line_of("params", i, "name"), f"parameter {i + 1} needs a 'name' usable as $name (got {name!r}).")
    kind = raw.get("type")
    if kind not in PARAM_TYPES:
        raise fail(
            line_of("params", i, "type"), f"parameter {name!r} has type {kind!r}; use one of {list(PARAM_TYPES)}."
        )
    items = raw.get("items", "string")
    if kind == "list" and items not in LIST_ITEM_TYPES:
        raise fail(
            line_of("params", i, "items"),
            f"list parameter {name!r} has items {items!r}; use one of {list(LIST_ITEM_TYPES)}.",
        )
    if kind != "list" and "items" in raw:
        raise fail(line_of("params", i, "items"), f"'items' only applies to list parameters, and {name!r} is {kind}.")
    help_text = raw.get("help", "")
    if not isinstance(help_text, str):
        raise fail(line_of("params", i, "help"), f"the help of parameter {name!r} must be text.")
    choices = raw.get("choices")
    if choices is not None and not isinstance(choices, list):
        raise fail(line_of("params", i, "choices"), f"the choices of parameter {name!r} must be a list.")
    param = Param(
        name=name,
        type=kind,
        help=help_text.strip(),
        default=raw.get("default"),
        required="default" not in raw and kind not in STATE_PARAM_TYPES,
        example=raw.get("example"),
        items=items if kind == "list" else "string",
        choices=tuple(choices) if choices is not None else None,
    )
    for key in ("default", "example"):
        if raw.get(key) is not None:
            try:
                param.coerce(raw[key])
            except ParamError as e:
                raise fail(line_of("params", i, key), f"the {key} of parameter {name!r} is unusable: {e}") from e
    if param.required and param.example is None:
        raise fail(
            line_of("params", i, "name"),
            f"parameter {name!r} has no default, so it needs an 'example' (used by the tests and benchmarks).",
        )
    return param


def _parse_draw(raw: Any, columns: list[str], line_of: Any, fail: Any) -> DrawSpec:
    if raw is None:
        return DrawSpec()
    if not isinstance(raw, dict):
        raise fail(line_of("draw"), "'draw' must be a mapping with nodes, relationships, paths and score.")
    for key in raw:
        if key not in DRAW_KEYS:
            raise fail(line_of("draw", key), f"unknown draw key {key!r}; allowed keys are {sorted(DRAW_KEYS)}.")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("nodes", "relationships", "paths"):
        value = raw.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(line_of("draw", key), f"draw {key} must be a list of column names.")
        for col in value:
            if col not in columns:
                raise fail(line_of("draw", key), f"draw {key} names {col!r}, which is not among the columns {columns}.")
        lists[key] = tuple(value)
    score = raw.get("score")
    if score is not None and (not isinstance(score, str) or score not in columns):
        raise fail(line_of("draw", "score"), f"draw score names {score!r}, which is not among the columns {columns}.")
    return DrawSpec(nodes=lists["nodes"], relationships=lists["relationships"], paths=lists["paths"], score=score)
