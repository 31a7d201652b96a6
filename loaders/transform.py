"""Turning an export's rows into the nodes and relationships of a batch, and its bad rows into rejects.

`TableTransformer.read_row` is the one reading of a row, and `read_rows` reads a row once per value of a
cell that holds several (`split`): the load (`transform`) and the preview both use them, so a preview
shows exactly the rejects a load would write.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from explorer.exceptions import FileRejected, InvalidMapping
from loaders.columns import deriver, title_value
from loaders.extract import Extractor
from loaders.lexicon import Lexicon, default_lexicon
from loaders.mapping import HeaderMatch, Mapping, Prop, Template
from loaders.normalise import NORMALISERS, TEXT_NORMALISERS, digest, timestamp, timestamp_text
from loaders.plan import Batch
from loaders.readers import Chunk
from loaders.sniff import unused_warnings

# Distinct raw values each normaliser remembers within a load (phones and times repeat in exports).
MEMO_LIMIT = 200_000
# What a normaliser gives for a cell that stands for nothing (the mapping's `empty_values`): the row reads it
# as an empty cell. Its own object, told apart by identity from any (None, None) a normaliser gives.
BLANK: tuple[Any, str | None] = tuple([None, None])  # type: ignore[assignment]


def is_empty(value: Any) -> bool:
    """True for a missing cell: None, or text that is only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def render_value(value: Any) -> str:
    """A value as a key template prints it: times in ISO 8601, whole floats without `.0`."""
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

    def __init__(self, name: str, limit: int = MEMO_LIMIT, iso: bool = False, fn: Any = None,
                 blanks: frozenset[str] = frozenset()):  # fmt: skip
        # `fn` reads a cell, by default the normaliser of that name. With `iso`, times come out as ISO 8601
        # text (see TableTransformer: times travel as text): `fn` then gives text, by default the
        # normaliser's own reading to text (TEXT_NORMALISERS) or else its value printed.
        if fn is None and iso:
            fn = TEXT_NORMALISERS.get(name) or _printed(NORMALISERS[name])
        self.fn = fn or NORMALISERS[name]
        self.blanks = blanks  # cells read as empty: BLANK, remembered like any value
        self.limit = limit
        self.memo: dict[Any, tuple[Any, str | None]] = {}

    def __call__(self, value: Any) -> tuple[Any, str | None]:
        try:
            hit = self.memo.get(value)
        except TypeError:  # an unhashable value: normalised, not remembered
            return self.compute(value, remember=False)
        return hit if hit is not None else self.compute(value)

    def compute(self, value: Any, remember: bool = True) -> tuple[Any, str | None]:
        """(value, None), (None, why it is rejected) or BLANK, for a value the memo does not hold; remembered."""
        result: tuple[Any, str | None]
        if type(value) is str and value.strip() in self.blanks:
            result = BLANK
        else:
            try:
                result = (self.fn(value), None)
            except (ValueError, TypeError, OverflowError) as e:
                result = (None, str(e))
        if remember:
            if len(self.memo) >= self.limit:
                self.memo.clear()
            self.memo[value] = result
        return result


def _printed(fn: Any) -> Any:
    """A normaliser whose datetime comes out as ISO 8601 text."""
    return lambda value: fn(value).isoformat()


def time_column(col: Any) -> bool:
    """A column whose every value is a datetime (its normaliser, and its fallback's if any)."""
    return col.normaliser == "datetime" and (col.fallback is None or col.fallback[1] == "datetime")


def lexicon_value(lexicon: Lexicon, kind: str, value: Any) -> Any:
    """A lexicon property of a text: its terms, whether any, the trade words near each, or the lexicon's version."""
    flags = lexicon.flags(value) if not is_empty(value) else []
    if kind == "flag":
        return bool(flags)
    if not flags:
        return None
    if kind == "context":
        return [" ".join(f.context) for f in flags]
    return lexicon.version if kind == "version" else [f.term for f in flags]


def missing_value(name: str, required: Any, raw: list[Any]) -> str | None:
    """Why an empty required cell rejects its row, or None when `required_unless`'s other column has a value."""
    if required is True:
        return f"{name} is empty"
    other_idx, other = required
    if other_idx is not None and not is_empty(raw[other_idx]):
        return None
    return f"{name} and {other} are both empty"


class TableTransformer:
    """Normalises the rows of a table export and builds its nodes and relationships."""

    def __init__(self, mapping: Mapping, match: HeaderMatch, headers: list[str], variables: dict[str, str],
                 load_id: str, lexicon: Lexicon | None = None, title: list[list[Any]] | None = None):  # fmt: skip
        self.mapping = mapping
        self.headers = headers
        self.variables = variables
        self.load_id = load_id
        self.lexicon = lexicon or default_lexicon()
        self.normalisers: dict[tuple[str, bool], _Cached] = {}
        self.functions: dict[tuple[str, bool], Any] = {}  # by name and whether times come out as text
        if mapping.dates is not None:  # the mapping's own date order and time zone
            zone, order = mapping.dates.zone, mapping.dates.order
            self.functions["datetime", False] = lambda v: timestamp(v, zone, order)
            self.functions["datetime", True] = lambda v: timestamp_text(v, zone, order)
        self.plan = []
        self.derived = []  # columns computed from other cells (template, extract, in_out), after the rest
        for col in mapping.columns.values():
            idx = match.index.get(col.name)
            derive = None
            constant = None
            if col.source is not None and col.source.kind in ("const", "from_title"):
                constant = col.source.value
                if col.source.kind == "from_title":
                    constant = title_value(col.source, title or [], col.name, variables.get("file", ""))
            elif col.source is not None:
                derive = deriver(col.source, match.index, col.normaliser, mapping.empty_values)
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
            if constant is not None:
                default, err = norm(constant)
                if err:
                    raise FileRejected(f"{variables.get('file', '')}: column {col.name} ({constant!r}): {err}.")
            elif col.default is not None:
                default, err = norm(col.default)
                if err:
                    raise InvalidMapping(f"Mapping {mapping.path}: columns.{col.name}.default: {err}.")
            header = headers[idx] if idx is not None else col.name
            # `required`: False, True, or (index of the other column or None, its name) for required_unless.
            required: Any = col.required
            if col.required_unless:
                required = (match.index.get(col.required_unless), col.required_unless)
            if derive is not None:
                self.derived.append((col.name, norm, default, required, header, derive))
            else:
                self.plan.append((col.name, idx, norm, fallback, default, required, header, norm.memo))
        used = set(match.index.values())
        # Columns of the file no mapping column reads: listed in the summary, sniffed on the first chunk.
        self.unused = [i for i, h in enumerate(headers) if i not in used]
        self.unused_headers = [headers[i] or f"(column {i + 1})" for i in self.unused]
        self.sniffed = False
        # The column whose cells may hold several values (`split`), by index, with the pattern between them.
        self.split = next(((match.index[c.name], c.split) for c in mapping.columns.values()
                           if c.split is not None and c.name in match.index), None)  # fmt: skip
        self.blanked: Counter[str] = Counter()  # cells read as empty (`empty_values`), by header, since the last chunk
        self._compiled: dict[int, tuple[list[str], str | None]] = {}
        # A row's main relationship is the first event it makes (the first relationship when the mapping
        # has no event): a row is a duplicate when its main relationship already existed.
        events = [r for r in mapping.relationships if r.event]
        self.main_candidates = {id(r) for r in (events or mapping.relationships[:1])}
        # Per node alias its spec, temporal properties and property readers (`_readers`); per relationship
        # the same and its ends.
        nodes = mapping.nodes
        self.node_specs = {alias: (spec, self._temporal(spec.properties), self._readers(spec.properties))
                           for alias, spec in nodes.items()}  # fmt: skip
        self.rel_specs = [(rel, self._temporal(rel.properties), self._readers(rel.properties),
                           nodes[rel.source], nodes[rel.target]) for rel in mapping.relationships]  # fmt: skip
        # Per node, its key templates with their compiled form (`_compile`), tried in order.
        self.node_keys = [(spec, [(t, self._compile(t)) for t in spec.values]) for spec in nodes.values()]
        self.extractor = Extractor.for_mapping(mapping)  # None when the mapping reads no text or extraction is off

    def normaliser(self, name: str, iso: bool = False) -> _Cached:
        """One memoised normaliser per name for the whole load (caller and callee share the phone memo)."""
        norm = self.normalisers.get((name, iso))
        if norm is None:
            # In a column of directions a lone `-` is a sign (debit, out), as statements' +/- columns write it.
            blanks = self.mapping.empty_values - {"-"} if name == "direction" else self.mapping.empty_values
            norm = self.normalisers[(name, iso)] = _Cached(
                name, iso=iso, fn=self.functions.get((name, iso)), blanks=blanks
            )
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
            parts.append(v if type(v) is str else render_value(v))
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
            return lexicon_value(self.lexicon, p.lexicon, value)
        if value is None or p.normaliser is None:
            return value
        result, _ = self.normaliser(p.normaliser)(value)
        return result

    @staticmethod
    def _readers(props: dict[str, Prop]) -> list[tuple[str, str | None, Prop]]:
        """Per property: its name, the column it is as read (None when `_prop` works it out), the Prop."""
        plain = {name: p.column for name, p in props.items()
                 if p.column and p.const is None and p.template is None and not p.lexicon and not p.normaliser}  # fmt: skip
        return [(name, plain.get(name), p) for name, p in props.items()]

    def _props(self, readers: list[tuple[str, str | None, Prop]], values: dict[str, Any],
               temporal: frozenset[str]) -> dict[str, Any]:  # fmt: skip
        out = {}
        for name, column, p in readers:
            v = values.get(column) if column is not None else self._prop(p, values)
            if v is not None:
                out[name] = v.isoformat() if name in temporal and isinstance(v, datetime) else v
        return out

    def read_row(self, raw: list[Any]) -> tuple[dict[str, Any], dict[str, str], tuple[str, str] | None]:
        """One row as the load reads it: its normalised values (by column, plus the variables), its node
        keys (by node alias), and why it is rejected, (column, reason), or None.

        The values of a rejected row stop at the cell that rejected it.
        """
        values: dict[str, Any] = dict(self.variables)
        keys: dict[str, str] = {}
        for name, idx, norm, fallback, default, required, header, memo in self.plan:
            cell = raw[idx] if idx is not None else None
            hit = memo.get(cell) if cell is not None else None
            if hit is not None and hit is not BLANK:
                # Most cells repeat a value this load has seen: no call, no parsing.
                if hit[1] is not None:
                    return values, keys, (header, hit[1])
                values[name] = hit[0]
                continue
            if hit is None and not (cell is None or cell == "" or (type(cell) is str and cell.isspace())):
                hit = norm.compute(cell)  # the memo was asked above
            if hit is BLANK:
                self.blanked[header] += 1  # a "/" or "-" that stands for nothing: an empty cell
            if hit is None or hit is BLANK:
                value = None
                if fallback is not None and not is_empty(raw[fallback[0]]):
                    value, err = fallback[1](raw[fallback[0]])
                    if err:
                        return values, keys, (self.headers[fallback[0]], err)
                elif default is not None:
                    value = default
                if value is None and required and (message := missing_value(name, required, raw)):
                    return values, keys, (header, message + (f" ({cell!r} stands for nothing)" if hit is BLANK else ""))
            else:
                value, err = hit
                if err:
                    return values, keys, (header, err)
            values[name] = value
        if self.derived:
            error = self._read_derived(raw, values)
            if error is not None:
                return values, keys, error
        for spec, templates in self.node_keys:
            key = self._node_key(templates, values)
            if key is None:
                if spec.required:
                    needs = " or ".join("+".join(t.fields) for t in spec.values)
                    return values, keys, ("", f"no key for {spec.label} {spec.alias} (needs {needs})")
                continue
            keys[spec.alias] = key
        return values, keys, None

    def read_rows(self, raw: list[Any]) -> tuple[list[tuple[dict[str, Any], dict[str, str]]], tuple[str, str] | None]:
        """The row read once per value of its `split` column (once when it has none or one value): each
        reading's values and node keys, and why the row is rejected, or None. One bad value rejects the
        whole row, so a row is written whole or not at all; the readings stop at the bad one."""
        cell = raw[self.split[0]] if self.split is not None else None
        parts = [p.strip() for p in self.split[1].split(cell)] if self.split and type(cell) is str else []
        parts = [p for p in parts if p]
        if len(parts) < 2:
            values, keys, error = self.read_row(raw)
            return [(values, keys)], error
        readings = []
        for i, part in enumerate(parts, start=1):
            values, keys, error = self.read_row([*raw[: self.split[0]], part, *raw[self.split[0] + 1 :]])
            readings.append((values, keys))
            if error is not None:
                return readings, (error[0], f"{error[1]} (value {i} of the {len(parts)} in the cell)")
        return readings, None

    def _read_derived(self, raw: list[Any], values: dict[str, Any]) -> tuple[str, str] | None:
        """The computed columns' values into `values`; (column, reason) when one rejects the row."""
        for name, norm, default, required, header, derive in self.derived:
            try:
                cell = derive(raw)
            except (ValueError, TypeError) as e:
                return header, str(e)
            if cell is None or cell == "":
                value = default
                if value is None and required and (message := missing_value(name, required, raw)):
                    return header, message
            else:
                value, err = norm(cell)
                if err:
                    return header, err
            values[name] = value
        return None

    def transform(self, chunk: Chunk) -> Batch:
        """The chunk's rows as nodes and relationships, its bad rows as rejects."""
        batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken), skipped=list(chunk.skipped))
        if not self.sniffed and chunk.rows:
            self.sniffed = True
            names = [h or f"(column {i + 1})" for i, h in enumerate(self.headers)]
            batch.warnings = unused_warnings(self.mapping.name, names, self.unused, chunk.rows)
        for number, reason, raw in chunk.broken:
            batch.rejects.append((number, "", reason, raw))
        read_row, split = self.read_row, self.split
        node_specs, rel_specs = self.node_specs, self.rel_specs
        for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
            if split is None:
                values, keys, error = read_row(raw)
                readings: Any = ((values, keys),)
            else:
                readings, error = self.read_rows(raw)  # once per value of the `split` cell
            if error is not None:
                batch.rejects.append((number, error[0], error[1], raw))
                continue
            batch.rows_ok += 1
            tag = f"{self.load_id}#{number}"
            first = True
            for values, keys in readings:
                for alias, key in keys.items():
                    spec, temporal, readers = node_specs[alias]
                    props = self._props(readers, values, temporal) if readers else {}
                    batch.add_node(spec.label, spec.key, key, props)
                    if temporal:
                        batch.mark_temporal((spec.label, spec.key), temporal)
                main_done = False
                for rel, temporal, readers, a, b in rel_specs:
                    if rel.source not in keys or rel.target not in keys:
                        continue
                    src, dst = keys[rel.source], keys[rel.target]
                    if rel.reverse_when and values.get(rel.reverse_when[0]) == rel.reverse_when[1]:
                        a, b, src, dst = b, a, dst, src
                    rel_type = rel.type
                    if rel.type_template is not None:
                        rel_type = self._template(rel.type_template, values)
                        if rel_type is None:
                            continue
                    props = self._props(readers, values, temporal) if readers else {}
                    if rel.event is not None:
                        ident = digest(rel_type, src, dst, *[self._prop(p, values) for p in rel.event])
                    else:
                        ident = (src, dst)
                    group = (rel_type, a.label, a.key, b.label, b.key, rel.event is not None)
                    main = not main_done and id(rel) in self.main_candidates
                    main_done = main_done or main
                    fresh = batch.add_rel(group, ident, src, dst, number, tag, props, main)
                    if temporal:
                        batch.mark_temporal(group, temporal)
                    if main and not fresh:
                        batch.primary_duplicates += 1
                if first and self.extractor is not None:
                    batch.mentions += self.extractor.add(batch, keys, values, number, tag)
                first = False
        batch.blanked, self.blanked = dict(self.blanked), Counter()
        return batch

    def _node_key(
        self, templates: list[tuple[Template, tuple[list[str], str | None]]], values: dict[str, Any]
    ) -> str | None:
        """The key of the first template whose fields all have values (a single column's value read here)."""
        for t, (fields, pattern) in templates:
            if pattern == "{0}":
                v = values.get(fields[0])
                if v is not None and v != "":
                    return v if type(v) is str else render_value(v)
                continue
            key = self._template(t, values)
            if key is not None:
                return key
        return None
