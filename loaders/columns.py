"""Computing the raw value of a column that reads no header of its own (options in loaders.specs):
a value found in the title area, a template joining other columns' cells, a part of another cell,
and a signed amount (or its direction) from an income column and an expense column.

The value is computed from the row's raw cells and then goes through the column's normaliser like
any cell, so `"{date} {time}"` is parsed as one date and time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from explorer.exceptions import FileRejected
from loaders.normalise import amount
from loaders.specs import TEMPLATE_FIELD, Source


def raw_text(cell: Any) -> str:
    """A cell as text for a template: a date at midnight as its date, a time of day as HH:MM:SS."""
    if isinstance(cell, datetime):
        if cell.time() == time(0) and cell.tzinfo is None:
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def title_value(source: Source, title: list[list[Any]], column: str, file: str) -> str:
    """The text the column's `from_title` pattern captures in the rows above the header."""
    assert source.pattern is not None
    for row in title:
        texts = [raw_text(c) for c in row if raw_text(c)]
        for text in [*texts, " ".join(texts)]:
            m = source.pattern.search(text)
            if m:
                return (m.group(1) if source.pattern.groups else m.group(0)).strip()
    where = f"rows 1-{len(title)}" if title else "there are none: set header_row"
    raise FileRejected(
        f"{file}: column {column}: the pattern {source.pattern.pattern!r} is found nowhere above the header ({where})."
    )


def deriver(
    source: Source, index: dict[str, int], normaliser: str, blanks: frozenset[str] = frozenset()
) -> Callable[[list[Any]], Any]:
    """A function of a row's raw cells giving the column's raw value (None when empty); it raises
    ValueError with the reason a row is rejected. A cell in `blanks` ("/", "-") reads as empty."""
    cols = [index.get(c) for c in source.columns]

    def text_of(raw: list[Any], i: int | None) -> str:
        text = raw_text(raw[i]) if i is not None else ""
        return "" if text in blanks else text

    if source.kind == "template":
        pattern = TEMPLATE_FIELD.sub(lambda m: "{" + str(source.columns.index(m.group(1))) + "}", source.value)

        def template(raw: list[Any]) -> Any:
            parts = [text_of(raw, i) for i in cols]
            return pattern.format(*parts) if all(parts) else None

        return template
    if source.kind == "extract":
        regex, at = source.pattern, cols[0]
        assert regex is not None

        def extract(raw: list[Any]) -> Any:
            text = text_of(raw, at)
            m = regex.search(text) if text else None
            if m is None:
                return None
            value = m.group(1) if regex.groups else m.group(0)
            return value.strip() if value else None

        return extract
    income, expense = cols
    as_direction = normaliser == "direction"

    def in_out(raw: list[Any]) -> Any:
        got_in = _amount(raw, income, blanks)
        got_out = _amount(raw, expense, blanks)
        if got_in and got_out:
            raise ValueError(f"both {source.columns[0]} and {source.columns[1]} hold an amount")
        if got_in:
            return "in" if as_direction else abs(got_in)
        if got_out:
            return "out" if as_direction else -abs(got_out)
        return None

    return in_out


def _amount(raw: list[Any], i: int | None, blanks: frozenset[str]) -> float:
    if i is None:
        return 0.0
    cell = raw[i]
    if cell is None or (isinstance(cell, str) and (not cell.strip() or cell.strip() in blanks)):
        return 0.0
    return amount(cell)
