"""The layout and column options of a mapping: where the header is, which rows to skip, how dates read,
and columns that come from somewhere other than one header (the title, a template, a part of a cell,
a constant, a pair of income and expense columns).

They are parsed here and checked when the mapping is read (loaders.mapping calls `parse_layout`,
`parse_dates` and `parse_source`); loaders.columns computes the values. docs/mappings.md documents
every option with an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from explorer.exceptions import InvalidMapping

TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
DATE_ORDERS = ("year_first", "day_first", "month_first")
SOURCE_KEYS = ("const", "from_title", "template", "extract", "in_out")
_OFFSET = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?")


@dataclass(frozen=True)
class Layout:
    """Where the records of an export are: `header_row` (1-based; None: the first non-blank row),
    `header_rows` (a header spread over that many rows, merged cells above their sub-headers),
    `skip` (rows with a cell matching one of these patterns are skipped and counted: totals, footers),
    `records` (in a JSON document, the key of the list of records), and for a plain-text export whose
    records span lines (a chat app's .txt export) `lines`, the pattern of a record's first line, with
    `continued_in`, the field its further lines go to, and `section`, the pattern of a line that heads
    a section (a conversation) whose heading lines go to the field `section_in` (loaders.lines)."""

    header_row: int | None = None
    header_rows: int = 1
    skip: tuple[re.Pattern[str], ...] = ()
    records: str | None = None
    lines: re.Pattern[str] | None = None
    continued_in: str | None = None
    section: re.Pattern[str] | None = None
    section_in: str | None = None

    @property
    def default(self) -> bool:
        return self == Layout()

    def skipped(self, cells: list[Any]) -> bool:
        """True when a cell of the row matches one of the skip patterns."""
        if not self.skip:
            return False
        for cell in cells:
            if cell is None or cell == "":
                continue
            text = str(cell).strip()
            if any(p.search(text) for p in self.skip):
                return True
        return False


@dataclass(frozen=True)
class Dates:
    """How the mapping's dates read: the order of a numeric date whose year comes last, and the zone of
    times written without one (None: EXPLORER_TIMEZONE, Asia/Shanghai by default)."""

    order: str = "year_first"
    zone: tzinfo | None = None
    zone_name: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a column's raw value comes from when it is not one header's cell.

    kind: `const` (value), `from_title` (pattern searched above the header), `template` (text over
    other columns' raw cells), `extract` (pattern over another column's raw cell), `in_out`
    (columns: the income column and the expense column).
    """

    kind: str
    value: Any = None
    pattern: re.Pattern[str] | None = None
    columns: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The header columns this source reads."""
        return self.columns


def _fail(path: Any, key: str, problem: str) -> InvalidMapping:
    return InvalidMapping(f"Mapping {path}: {key}: {problem}.")


def _pattern(path: Any, key: str, value: Any) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise _fail(path, key, "must be a regular expression")
    try:
        return re.compile(value)
    except re.error as e:
        raise _fail(path, key, f"is not a valid regular expression ({e})") from e


def parse_layout(data: dict, path: Any) -> Layout:
    """The top-level keys `header_row`, `skip_rows` and `records`."""
    header_row = data.get("header_row")
    header_rows = 1
    if isinstance(header_row, list):
        rows = header_row
        if (
            not rows
            or not all(isinstance(r, int) and r >= 1 for r in rows)
            or rows != list(range(rows[0], rows[0] + len(rows)))
        ):
            raise _fail(path, "header_row", "a list must name consecutive row numbers, such as [3, 4]")
        header_row, header_rows = rows[0], len(rows)
    elif header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        raise _fail(path, "header_row", "must be a row number (1 for the first row) or a list such as [3, 4]")
    skip = data.get("skip_rows") or []
    if isinstance(skip, str):
        skip = [skip]
    if not isinstance(skip, list):
        raise _fail(path, "skip_rows", "must be a pattern or a list of patterns")
    patterns = tuple(_pattern(path, f"skip_rows[{i}]", p) for i, p in enumerate(skip))
    records = data.get("records")
    if records is not None and not isinstance(records, str):
        raise _fail(path, "records", "must be the key of the list of records in a JSON document")
    return Layout(header_row, header_rows, patterns, records, *_parse_lines(data, path))


def _parse_lines(data: dict, path: Any) -> tuple[Any, ...]:
    """The top-level key `lines`: `{start: <pattern with named groups>, continued_in: <field>,
    section: <pattern>, section_in: <field>}`, as (start, continued_in, section, section_in)."""
    spec = data.get("lines")
    if spec is None:
        return None, None, None, None
    keys = {"start", "continued_in", "section", "section_in"}
    if not isinstance(spec, dict) or set(spec) - keys or "start" not in spec:
        raise _fail(path, "lines", "must be {start: <pattern of a record's first line>, continued_in: <field>, "
                    "section: <pattern of a section's first line>, section_in: <field>}, start required")  # fmt: skip
    if data.get("header_row") is not None or data.get("records") is not None:
        raise _fail(path, "lines", "a plain-text export has no header row or JSON records: use lines alone")
    start = _pattern(path, "lines.start", spec["start"])
    fields = list(start.groupindex)
    if not fields:
        raise _fail(path, "lines.start", "must name the fields it reads, as (?P<sent_at>...) does")
    continued_in = _field(path, "lines.continued_in", spec.get("continued_in", fields[-1]))
    if ("section" in spec) != ("section_in" in spec):
        raise _fail(path, "lines", "section (the pattern of a section's first line) and section_in go together")
    if "section" not in spec:
        return start, continued_in, None, None
    section_in = _field(path, "lines.section_in", spec["section_in"])
    if section_in in fields or section_in == continued_in:
        raise _fail(path, "lines.section_in", f"{section_in!r} is already a field of the record")
    return start, continued_in, _pattern(path, "lines.section", spec["section"]), section_in


def _field(path: Any, key: str, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise _fail(path, key, "must be the name of a field (letters, digits, _)")
    return value


# Cells that stand for "nothing here" in exports: a slash or dashes in an unused field, "N/A", "NULL".
# Read as values they would make one Account "-" or one Address "/" that every such row meets at.
DEFAULT_EMPTY_VALUES = frozenset({"/", "-", "--", "---", "—", "——", "N/A", "n/a", "#N/A", "NULL", "null", "无"})


def parse_empty_values(data: dict, path: Any) -> frozenset[str]:
    """The top-level key `empty_values`: the cells (after trimming spaces) read as empty; `[]` for none."""
    values = data.get("empty_values")
    if values is None:
        return DEFAULT_EMPTY_VALUES
    if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
        raise _fail(path, "empty_values", 'must be a list of cell texts, such as ["/", "-"], or [] for none')
    return frozenset(str(v).strip() for v in values)


def parse_zone(text: str) -> tzinfo:
    """`+08:00`, `UTC+7`, `GMT-05:30` (a fixed offset) or a zone name such as Asia/Bangkok."""
    m = _OFFSET.fullmatch(text.strip())
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"{text!r} is not a UTC offset (+08:00) or a time zone name (Asia/Shanghai)") from e


def parse_dates(data: dict, path: Any) -> Dates | None:
    """The top-level key `dates: {order: day_first, timezone: "+07:00"}`."""
    spec = data.get("dates")
    if spec is None:
        return None
    if not isinstance(spec, dict) or set(spec) - {"order", "timezone"}:
        raise _fail(path, "dates", "must be {order: year_first|day_first|month_first, timezone: <zone>}")
    order = spec.get("order", "year_first")
    if order not in DATE_ORDERS:
        raise _fail(path, "dates.order", f"{order!r} is not one of {', '.join(DATE_ORDERS)}")
    zone, zone_name = None, None
    if spec.get("timezone") is not None:
        zone_name = str(spec["timezone"])
        try:
            zone = parse_zone(zone_name)
        except ValueError as e:
            raise _fail(path, "dates.timezone", str(e)) from e
    return Dates(order, zone, zone_name)


def parse_source(spec: dict, key: str, path: Any) -> Source | None:
    """A column's `const`, `from_title`, `template`, `extract` or `in_out` setting (at most one)."""
    given = [k for k in SOURCE_KEYS if k in spec]
    if not given:
        return None
    if len(given) > 1:
        raise _fail(path, key, f"takes one of {', '.join(SOURCE_KEYS)}, not {' and '.join(given)}")
    for other in ("aliases", "fallback"):
        if other in spec:
            raise _fail(path, f"{key}.{other}", f"a column with {given[0]} reads no header of its own")
    kind = given[0]
    value = spec[kind]
    if kind == "const":
        if value is None or isinstance(value, dict | list):
            raise _fail(path, f"{key}.const", "must be a value such as bank or 42")
        return Source("const", value=value)
    if kind == "from_title":
        pattern = _pattern(path, f"{key}.from_title", value)
        if pattern.groups > 1:
            raise _fail(path, f"{key}.from_title", "may capture one group: the value")
        return Source("from_title", pattern=pattern)
    if kind == "template":
        fields = tuple(TEMPLATE_FIELD.findall(value)) if isinstance(value, str) else ()
        if not fields:
            raise _fail(path, f"{key}.template", 'must be a text over other columns, such as "{date} {time}"')
        return Source("template", value=value, columns=fields)
    if kind == "extract":
        if not isinstance(value, dict) or set(value) != {"column", "pattern"}:
            raise _fail(path, f"{key}.extract", "must be {column: <column>, pattern: <regular expression>}")
        pattern = _pattern(path, f"{key}.extract.pattern", value["pattern"])
        if pattern.groups > 1:
            raise _fail(path, f"{key}.extract.pattern", "may capture one group: the value")
        return Source("extract", pattern=pattern, columns=(str(value["column"]),))
    if not isinstance(value, dict) or set(value) != {"in", "out"}:
        raise _fail(path, f"{key}.in_out", "must be {in: <income column>, out: <expense column>}")
    return Source("in_out", columns=(str(value["in"]), str(value["out"])))


def parse_split(spec: dict, key: str, path: Any) -> re.Pattern[str] | None:
    """A column's `split`: the pattern between the values of a cell that holds several (a contact's numbers)."""
    return _pattern(path, f"{key}.split", spec["split"]) if spec.get("split") is not None else None


def check_sources(columns: dict[str, Any], path: Any) -> None:
    """Every column a source reads is a declared column that reads a header of its own; `split` is on one
    such column at most."""
    split = [c.name for c in columns.values() if getattr(c, "split", None) is not None]
    if len(split) > 1 or (split and columns[split[0]].source is not None):
        raise _fail(path, f"columns.{split[-1]}.split", "only one column, read from a header, may split its cells")
    for col in columns.values():
        source = getattr(col, "source", None)
        if source is None:
            continue
        for f in source.fields:
            if f not in columns:
                raise _fail(path, f"columns.{col.name}.{source.kind}", f"{f!r} is not a column of this mapping")
            if columns[f].source is not None:
                raise _fail(path, f"columns.{col.name}.{source.kind}", f"{f!r} must be a column read from a header")
