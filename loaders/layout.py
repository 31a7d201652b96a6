"""Exports whose header is not the first row, and JSON documents.

`header_rows` finds the header a mapping's layout names (`header_row`, possibly over several rows
with merged cells), keeping the rows above it (the title area, where `from_title` looks);
`json_records` reads a chat app's JSON export. The rows keep the seized file's own numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from explorer.exceptions import FileRejected
from loaders.specs import Layout

# A JSON document is read whole (a list of records cannot be streamed by the standard library).
JSON_MAX_BYTES = 256 << 20


def blank(cells: Iterable[Any]) -> bool:
    return not any(c is not None and str(c).strip() for c in cells)


def header_rows(
    rows: Iterable[tuple[int, list[Any]]], layout: Layout, name: str
) -> tuple[list[str], list[list[Any]], int]:
    """(headers, the rows above the header, the number of the header's last row) from numbered rows.

    The header starts at `layout.header_row` (else at the first non-blank row) and spans
    `layout.header_rows` rows; a header over several rows is combined by `combine`.
    """
    title: list[list[Any]] = []
    found: list[list[Any]] = []
    last = 0
    for number, cells in rows:
        start = layout.header_row
        if not found and (number < start if start is not None else blank(cells)):
            title.append(list(cells))
            continue
        found.append(list(cells))
        last = number
        if len(found) >= layout.header_rows:
            break
    if len(found) < layout.header_rows or blank(found[0]):
        where = f"row {layout.header_row}" if layout.header_row else "the first non-blank row"
        raise FileRejected(f"{name}: the mapping puts the header at {where}, but that row is blank or past the end.")
    headers = combine(found)
    while headers and headers[-1] == "":
        headers.pop()
    return headers, title, last


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\ufeff", "").strip()


def combine(rows: list[list[Any]]) -> list[str]:
    """One header from one or more rows: per column, its cells from top to bottom joined by a space.

    A cell merged across columns holds its text in the first column only: an empty upper cell over a
    sub-header takes the text of the upper cell to its left when that column has a sub-header too.
    """
    width = max(len(r) for r in rows)
    grid = [[_text(r[i]) if i < len(r) else "" for i in range(width)] for r in rows]
    for upper in range(len(grid) - 1):
        below = grid[upper + 1 :]
        for i in range(1, width):
            has_sub = any(row[i] for row in below)
            left_has_sub = any(row[i - 1] for row in below)
            if not grid[upper][i] and has_sub and left_has_sub:
                grid[upper][i] = grid[upper][i - 1]
    return [" ".join(row[i] for row in grid if row[i]) for i in range(width)]


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Nested objects one level down become `outer.inner` fields (`from.id`)."""
    flat: dict[str, Any] = {}
    for k, v in record.items():
        if isinstance(v, dict) and v and all(not isinstance(x, dict) for x in v.values()):
            for k2, v2 in v.items():
                flat[f"{k}.{k2}"] = v2
        else:
            flat[str(k)] = v
    return flat


def json_records(path: Path, encoding: str, key: str | None) -> list[Any]:
    """The records of a JSON document: the list under `key`, the document itself when it is a list, or
    its one list of objects (a chat export's `messages`)."""
    if path.stat().st_size > JSON_MAX_BYTES:
        raise FileRejected(
            f"{path.name} is a JSON document over {JSON_MAX_BYTES >> 20} MiB; save it as JSON Lines (.jsonl)."
        )
    try:
        doc = json.loads(path.read_text(encoding=encoding))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise FileRejected(f"{path.name} is not a valid JSON document: {e}.") from e
    if key is not None:
        records = doc.get(key) if isinstance(doc, dict) else None
        if not isinstance(records, list):
            raise FileRejected(f"{path.name} has no list of records under {key!r} (the mapping's records key).")
    elif isinstance(doc, list):
        records = doc
    else:
        lists = [k for k, v in doc.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) != 1:
            found = ", ".join(lists) or "none"
            raise FileRejected(
                f"{path.name}: cannot tell which list holds the records (lists of objects: {found}); "
                "name it in the mapping with records: <key>."
            )
        records = doc[lists[0]]
    return records


def json_headers(records: list[Any], limit: int = 1000) -> list[str]:
    """The fields of the first records (nested objects flattened), in order of first appearance."""
    headers: list[str] = []
    seen: set[str] = set()
    for record in records[:limit]:
        for k in flatten(record) if isinstance(record, dict) else ():
            if k not in seen:
                seen.add(k)
                headers.append(k)
    return headers
