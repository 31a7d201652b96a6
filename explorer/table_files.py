"""Tables out of the product: CSV, XLSX and JSON bytes, safe to open.

Exported cells come from seized data, so a name or a post may be crafted to
run as a spreadsheet formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`,
`@SUM(...)`). CSV and XLSX cells whose text begins with `=`, `+`, `-`, `@`
(or their full-width or small forms), after any leading whitespace (spaces,
line breaks, NBSP) or invisible characters (zero-width space, BOM), or that
begin with a tab or a line break, get a leading apostrophe, which every
spreadsheet shows as text and never evaluates (OWASP, "CSV Injection"). Plain numbers are left alone: a
phone number like `+8613812345678` or an amount like `-250.5` cannot run
anything. XLSX cells are also written as explicit strings, without the
control characters (U+0000 to U+001F but tab, line feed and carriage return)
that the XLSX format cannot hold: one such character in a seized value would
otherwise make the whole workbook fail. JSON is for
programs, not spreadsheets, and keeps every value exactly.

Accepted inputs: a pandas DataFrame, a list of dicts, or a `explorer.db.Result`.
Neo4j nodes, relationships, paths and temporal values become plain values.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

# Characters that make a spreadsheet treat a cell as a formula or a command, compared after NFKC
# normalisation, which folds the full-width (＝＋－＠) and small forms (﹦﹢﹣﹫) onto these.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ]*(?:[.,]\d+)?")
# Characters an XLSX file cannot store (XML 1.0 forbids them).
_XLSX_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xlsx_text(value: Any) -> Any:
    """`value` without the control characters an XLSX cell cannot hold."""
    return _XLSX_FORBIDDEN.sub("", value) if isinstance(value, str) else value


def _ignorable(ch: str) -> bool:
    """Whitespace (tab, line breaks, NBSP ...) and invisible format characters (zero-width space, BOM ...),
    which a spreadsheet or a reader's eye skips before the first character that counts."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def neutralise(value: Any) -> Any:
    """`value` with a leading apostrophe if a spreadsheet would treat it as a formula."""
    if not isinstance(value, str) or not value:
        return value
    first = next((ch for ch in value if not _ignorable(ch)), "")
    formula = unicodedata.normalize("NFKC", first).startswith(FORMULA_TRIGGERS) if first else False
    if not formula and not value.startswith(("\t", "\r", "\n")):
        return value
    if _PLAIN_NUMBER.fullmatch(value.lstrip(" ")):
        return value
    return "'" + value


def plain(value: Any) -> Any:
    """A Neo4j value (node, relationship, path, temporal, spatial) as JSON-friendly data."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):  # neo4j.time.DateTime / Date / Time / Duration
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def raw_frame(data: Any) -> pd.DataFrame:
    """Any accepted input as a DataFrame of the values as they came (nodes stay nodes)."""
    if isinstance(data, pd.DataFrame):
        return data.copy()
    rows = data.rows() if hasattr(data, "rows") and callable(data.rows) else list(data)
    columns = list(getattr(data, "columns", []) or [])
    return pd.DataFrame([{k: v for k, v in dict(r).items()} for r in rows], columns=columns or None)


def to_frame(data: Any) -> pd.DataFrame:
    """Any accepted input as a DataFrame of plain values."""
    return raw_frame(data).map(plain_cell)


def plain_cell(value: Any) -> Any:
    """One value as plain data: nodes, relationships and paths as JSON text."""
    value = plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def neutralised_frame(data: Any) -> pd.DataFrame:
    """The table with every cell and column name neutralised for spreadsheets."""
    frame = to_frame(data).map(neutralise)
    frame.columns = [neutralise(str(c)) for c in frame.columns]
    return frame


def to_csv_bytes(data: Any) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Chinese text), formulas neutralised."""
    return neutralised_frame(data).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(data: Any, sheet_name: str = "results") -> bytes:
    """An XLSX workbook, formulas neutralised and every text cell stored as a string."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    # Control characters go before neutralising, so that "\x01=cmd" cannot become a bare "=cmd".
    clean = to_frame(data).map(xlsx_text)
    clean.columns = [xlsx_text(str(c)) for c in clean.columns]
    frame = neutralised_frame(clean)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _sheet_title(sheet_name)
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([None if _is_missing(v) else v for v in row])
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json_bytes(data: Any) -> bytes:
    """A JSON array of row objects, values kept exactly (not neutralised)."""
    if isinstance(data, pd.DataFrame):
        rows: Sequence[Mapping[str, Any]] = data.to_dict(orient="records")
    elif hasattr(data, "rows") and callable(data.rows):
        rows = data.rows()
    else:
        rows = [dict(r) for r in data]
    clean = [{str(k): plain(None if _is_missing(v) else v) for k, v in r.items()} for r in rows]
    return json.dumps(clean, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _is_missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _sheet_title(name: str) -> str:
    # Excel forbids []:*?/\ in sheet names and caps them at 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "results"
