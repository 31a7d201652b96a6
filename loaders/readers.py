"""Reading exports: CSV/TSV (UTF-8, BOM, GBK/GB18030 detected), XLSX and XLS, the tables of web pages,
JSON Lines, JSON and plain-text exports whose records span lines (loaders.lines), streamed in chunks.

`open_export` does every file-level check before anything is written: the file exists and is not empty,
its encoding decodes from end to end, an XLSX is a whole workbook, there is a header. It also hashes the
file (the Load key)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from explorer.exceptions import FileRejected
from loaders import html_tables, lines
from loaders.encoding import BLOCK, detect_encoding
from loaders.layout import flatten, header_rows, json_headers, json_records
from loaders.limits import BAD_XLS, BAD_XLSX, XLS_MAX_BYTES, check_width, check_workbook, form_of, sheet_names
from loaders.specs import Layout

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
# Files of sheets: XLSX, Excel 97-2003 (.xls, read by python-calamine) and web pages, whose tables are
# their sheets (loaders.html_tables). Many systems write an `.xls` that is a web page or tab-separated
# text: each is read as what it is (limits.form_of), whatever its name says.
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TABLE_SUFFIXES | XLSX_SUFFIXES | JSONL_SUFFIXES
# A JSON document (a chat app's export) is loaded by name; a folder load leaves .json files alone.
JSON_SUFFIXES = {".json"}

csv.field_size_limit(1 << 28)


@dataclass
class Chunk:
    """Up to `size` records: `rows[i]` is row `numbers[i]` as a spreadsheet numbers it (JSON Lines: its line)."""

    numbers: list[int]
    rows: list[list[Any]]
    broken: list[tuple[int, str, list[Any]]] = field(default_factory=list)  # (row, reason, raw fields)
    skipped: list[int] = field(default_factory=list)  # rows the layout's skip_rows patterns matched
    fraction: float | None = None  # share of the file read so far, for progress bars
    final: bool = False  # the export's last chunk: the reader met the end of the file before filling it


class EmptySheet(FileRejected):
    """A workbook's sheet with no cell filled: nothing to load, and nothing lost by leaving it."""


@dataclass
class Export:
    path: Path
    # csv | xlsx (any file of sheets: XLSX, XLS, a web page's tables) | jsonl | json | lines (plain text
    # read by a `lines` layout)
    kind: str
    headers: list[str]
    sha256: str
    size: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheet_index: int = 0  # the sheet's place in its workbook (0: the first)
    sheets: int = 1  # how many sheets its workbook has
    layout: Layout = field(default_factory=Layout)
    header_end: int = 0  # the number of the header's last row when a layout placed it (else found on reading)
    title: list[list[Any]] = field(default_factory=list)  # the rows above the header

    def chunks(self, size: int) -> Iterator[Chunk]:
        if self.kind == "json":
            return _json_chunks(self, size)
        if self.kind == "xlsx":
            return _xlsx_chunks(self, size)
        if self.kind == "jsonl":
            return _jsonl_chunks(self, size)
        if self.kind == "lines":
            return _lines_chunks(self, size)
        return _csv_chunks(self, size)

    def first_column(self, limit: int = 10_000) -> list[str]:
        """Row labels of a matrix (first cell of each record)."""
        labels: list[str] = []
        for chunk in self.chunks(min(limit, 10_000)):
            labels += [str(r[0]) if r else "" for r in chunk.rows]
            if len(labels) >= limit:
                break
        return labels


def open_export(path: str | Path, sheet: str | None = None, layout: Layout | None = None) -> Export:
    """Check an export file and return a reader for it, or raise FileRejected saying what is wrong.

    `layout` (a mapping's header_row, skip_rows, records) says where the header is when it is not
    the first non-blank row."""
    path = Path(path)
    if not path.is_file():
        raise FileRejected(f"{path} does not exist or is not a file.")
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(f"{path.name} is empty.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED | JSON_SUFFIXES:
        known = ", ".join(sorted(SUPPORTED | JSON_SUFFIXES))
        raise FileRejected(f"{path.name}: unknown format {suffix or '(no extension)'}; expected one of {known}.")
    if suffix in JSON_SUFFIXES:
        encoding, sha = detect_encoding(path)
        export = Export(path, "json", [], sha, size, encoding=encoding)
        return relayout(export, layout or Layout())
    if suffix == ".xls" and form_of(path) == "text":
        export = _open_csv(path, size)  # tab-separated text named .xls, as many systems export a table
    elif suffix in XLSX_SUFFIXES:
        export = _open_xlsx(path, size, sheet)
    elif suffix in JSONL_SUFFIXES:
        export = _open_jsonl(path, size)
    else:
        export = _open_csv(path, size)
    return relayout(export, layout) if layout is not None and not layout.default else export


def relayout(export: Export, layout: Layout) -> Export:
    """The same export read with a mapping's layout: its header where the layout puts it (no second hash)."""
    name = export.path.name
    if layout.lines is not None:
        if export.kind not in ("csv", "lines"):
            raise FileRejected(
                f"{name}: the mapping reads plain-text lines (`lines`), and this is a {export.kind} file."
            )
        with export.path.open("r", encoding=export.encoding) as f:
            title = lines.title_of(f, layout, name)
        return Export(export.path, "lines", lines.fields_of(layout), export.sha256, export.size, export.encoding,
                      layout=layout, title=title)  # fmt: skip
    if export.kind == "json":
        records = json_records(export.path, export.encoding or "utf-8", layout.records)
        headers = json_headers(records)
        if not headers:
            raise FileRejected(f"{name} holds no JSON objects in its list of records.")
        check_width(export.path, len(headers))
        return Export(export.path, "json", headers, export.sha256, export.size, encoding=export.encoding,
                      layout=layout)  # fmt: skip
    if export.kind == "jsonl":
        return Export(export.path, "jsonl", export.headers, export.sha256, export.size, encoding=export.encoding,
                      layout=layout)  # fmt: skip
    if export.kind == "xlsx":
        with _xlsx_rows(export.path, export.size, export.sheet) as (_title, _total, rows):
            headers, title, end = header_rows(rows, layout, name)
    else:
        delimiter = export.delimiter or ","
        if layout.header_row and export.path.suffix.lower() not in (".tsv", ".tab"):
            # The delimiter was guessed from the first non-blank line, which may be a title: guess it again
            # from the header's line.
            with export.path.open("r", encoding=export.encoding, newline="") as f:
                line = next((t for n, t in enumerate(f, start=1) if n == layout.header_row), "")
            delimiter = max([",", "\t", ";", "|"], key=line.count) if line.strip() else delimiter
        with export.path.open("r", encoding=export.encoding, newline="") as f:
            records = enumerate(csv.reader(f, delimiter=delimiter), start=1)
            headers, title, end = header_rows(records, layout, name)
    check_width(export.path, len(headers))
    return Export(export.path, export.kind, headers, export.sha256, export.size, export.encoding,
                  delimiter if export.kind == "csv" else None, export.sheet, export.sheet_index, export.sheets,
                  layout, end, title)  # fmt: skip


def head(export: Export, n: int) -> list[tuple[int, list[Any]]]:
    """The first `n` rows of a CSV or XLSX export, numbered, blank ones included (to look for a header)."""
    if export.kind == "xlsx":
        with _xlsx_rows(export.path, export.size, export.sheet) as (_title, _total, rows):
            return [row for row, _ in zip(rows, range(n), strict=False)]
    if export.kind != "csv":
        return []
    with export.path.open("r", encoding=export.encoding, newline="") as f:
        records = enumerate(csv.reader(f, delimiter=export.delimiter or ","), start=1)
        return [row for row, _ in zip(records, range(n), strict=False)]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            h.update(block)
    return h.hexdigest()


def _open_csv(path: Path, size: int) -> Export:
    encoding, sha = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as f:
        first = ""
        for line in f:
            if line.strip():
                first = line
                break
    if not first:
        raise FileRejected(f"{path.name} has no header row (the file is blank).")
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else max([",", "\t", ";", "|"], key=first.count)
    check_width(path, first.count(delimiter) + 1)
    headers = next(csv.reader([first], delimiter=delimiter))
    headers = [h.replace("\ufeff", "").strip() for h in headers]
    return Export(path, "csv", headers, sha, size, encoding=encoding, delimiter=delimiter)


def _csv_chunks(export: Export, size: int) -> Iterator[Chunk]:
    width = len(export.headers)
    with export.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=export.encoding, newline="") as f:
        reader = csv.reader(f, delimiter=export.delimiter or ",")
        header_seen = False
        chunk = Chunk([], [])
        number = 0
        end, layout = export.header_end, export.layout
        for record in reader:
            number += 1
            if end:
                if number <= end:
                    continue
            elif not header_seen:
                if any(cell.strip() for cell in record):
                    header_seen = True
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank line: no record
            if layout.skip and layout.skipped(record):
                chunk.skipped.append(number)
                continue
            if len(record) != width:
                # A trailing empty field is common (Excel); anything else breaks the column order.
                if len(record) > width and not any(c.strip() for c in record[width:]):
                    record = record[:width]
                else:
                    chunk.broken.append((number, f"has {len(record)} fields, the header has {width}", record))
                    continue
            chunk.numbers.append(number)
            chunk.rows.append(record)
            if len(chunk.rows) >= size:
                chunk.fraction = min(1.0, raw.tell() / export.size)
                yield chunk
                chunk = Chunk([], [])
        if chunk.rows or chunk.broken or chunk.skipped:
            chunk.fraction, chunk.final = 1.0, True
            yield chunk


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


# Workbooks up to this size are read with python-calamine (a Rust reader that needs a small fraction
# of openpyxl's CPU, docs/benchmarks.md), which holds the
# whole sheet in memory while it is read; bigger ones are streamed row by row with openpyxl, so that a
# million-row workbook does not need its cells in memory at once. Both give the same values (tests).
# A file's size says little about its cells (XML compresses 5-20x, a crafted sheet 1,000x), so the
# in-memory reader is also kept for workbooks whose parts unzip to at most XLSX_IN_MEMORY_MAX_UNZIPPED_BYTES.
XLSX_IN_MEMORY_MAX_BYTES = 32 * 1024 * 1024
XLSX_IN_MEMORY_MAX_UNZIPPED_BYTES = 64 * 1024 * 1024


def _open_xlsx(path: Path, size: int, sheet: str | None) -> Export:
    sha = sha256_of(path)
    with _xlsx_rows(path, size, sheet) as (title, _total, rows):
        headers: list[str] | None = None
        try:
            for _number, values in rows:
                if any(v not in (None, "") for v in values):
                    check_width(path, len(values))
                    headers = [str(_cell(v)).strip() for v in values]
                    break
        except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError) as e:
            raise FileRejected(BAD_XLSX.format(name=path.name, e=e)) from e
    if headers is None:
        raise EmptySheet(f"{path.name}: sheet {title!r} is empty.")
    while headers and headers[-1] == "":
        headers.pop()
    names = sheet_names(path)
    index = names.index(title) if title in names else 0
    return Export(path, "xlsx", headers, sha, size, sheet=title, sheet_index=index, sheets=max(len(names), 1))


@contextlib.contextmanager
def _xlsx_rows(path: Path, size: int, sheet: str | None) -> Iterator[tuple[str, int, Iterator[tuple[int, list[Any]]]]]:
    """The sheet's title, its last row's number, and its rows as (row number, values from column A on)."""
    form = form_of(path)
    if form == "html" or path.suffix.lower() in (".html", ".htm"):  # a web page: its tables are its sheets
        tables = html_tables.tables_of(path)
        names = [name for name, _ in tables]
        if not tables:
            raise EmptySheet(f"{path.name} is a web page with no table to read.")
        if sheet is not None and sheet not in names:
            raise FileRejected(f"{path.name} has no sheet {sheet!r}; its tables are {', '.join(names)}.")
        name, rows = tables[names.index(sheet) if sheet is not None else 0]
        yield name, len(rows), ((number, list(row)) for number, row in enumerate(rows, start=1))
        return
    xls = form == "xls"  # Excel 97-2003: no zip to check, and never too big to hold (XLS_MAX_BYTES)
    if xls and size > XLS_MAX_BYTES:
        raise FileRejected(
            f"{path.name} is an XLS workbook of {size:,} bytes, more than the limit of {XLS_MAX_BYTES:,}; "
            "ask for the export as XLSX or CSV."
        )
    unzipped = 0 if xls else check_workbook(path, sheet)
    if xls or (size <= XLSX_IN_MEMORY_MAX_BYTES and unzipped <= XLSX_IN_MEMORY_MAX_UNZIPPED_BYTES):
        from python_calamine import CalamineError, CalamineWorkbook

        bad = BAD_XLS if xls else BAD_XLSX
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as e:
            raise FileRejected(bad.format(name=path.name, e=e)) from e
        try:
            if sheet is not None and sheet not in wb.sheet_names:
                raise FileRejected(f"{path.name} has no sheet {sheet!r}; its sheets are {', '.join(wb.sheet_names)}.")
            try:
                ws = wb.get_sheet_by_name(sheet) if sheet else wb.get_sheet_by_index(0)
            except (CalamineError, OSError, ValueError) as e:
                raise FileRejected(bad.format(name=path.name, e=e)) from e
            # The last used cell's row (0-based in calamine), as openpyxl's max_row gives it.
            yield ws.name, (ws.end[0] + 1 if ws.end else 0), _calamine_rows(ws)
        finally:
            wb.close()
        return
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise FileRejected(BAD_XLSX.format(name=path.name, e=e)) from e
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileRejected(f"{path.name} has no sheet {sheet!r}; its sheets are {', '.join(wb.sheetnames)}.")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ((number, list(values)) for number, values in enumerate(ws.iter_rows(values_only=True), start=1))
        yield ws.title, ws.max_row or 0, rows
    finally:
        wb.close()


def _calamine_rows(ws: Any) -> Iterator[tuple[int, list[Any]]]:
    """calamine's rows as openpyxl gives them: from column A (calamine starts at the first column used)
    and a date-only cell as a datetime at midnight."""
    start = ws.start
    pad = [None] * (start[1] if start else 0)
    for number, values in enumerate(ws.iter_rows(), start=1):
        yield number, pad + [_midnight(v) if type(v) is date else v for v in values]


def _midnight(value: date) -> datetime:
    return datetime(value.year, value.month, value.day)


def _xlsx_chunks(export: Export, size: int) -> Iterator[Chunk]:
    width = len(export.headers)
    with _xlsx_rows(export.path, export.size, export.sheet) as (_title, total, rows):
        header_seen = False
        chunk = Chunk([], [])
        end, layout = export.header_end, export.layout
        for number, values in rows:
            if end and number <= end:
                continue
            if not any(v not in (None, "") for v in values):
                continue
            if not header_seen and not end:
                header_seen = True
                continue
            if layout.skip and layout.skipped(values):
                chunk.skipped.append(number)
                continue
            row = [_cell(v) for v in values[:width]]
            row += [""] * (width - len(row))
            chunk.numbers.append(number)
            chunk.rows.append(row)
            if len(chunk.rows) >= size:
                chunk.fraction = min(1.0, number / total) if total else None
                yield chunk
                chunk = Chunk([], [])
        if chunk.rows or chunk.skipped:
            chunk.fraction, chunk.final = 1.0, True
            yield chunk


def _open_jsonl(path: Path, size: int) -> Export:
    encoding, sha = detect_encoding(path)
    headers: list[str] = []
    seen = 0
    with path.open("r", encoding=encoding) as f:
        for line in f:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                check_width(path, len(obj))
                headers += [k for k in obj if k not in headers]
                check_width(path, len(headers))
                seen += 1
            if seen >= 100:
                break
    if not headers:
        raise FileRejected(f"{path.name} holds no JSON object per line (JSON Lines expected).")
    return Export(path, "jsonl", headers, sha, size, encoding=encoding)


def _jsonl_chunks(export: Export, size: int) -> Iterator[Chunk]:
    """The objects of a JSON Lines export, numbered by their line (blank lines are no records)."""
    with export.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=export.encoding) as f:

        def records() -> Iterator[tuple[int, list[Any], str | None]]:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    obj = None
                if not isinstance(obj, dict):
                    yield number, [line.rstrip("\n")], "is not a JSON object"
                    continue
                yield number, [_json_cell(obj.get(h)) for h in export.headers], None

        yield from _chunked(records(), size, export.layout, lambda _: min(1.0, raw.tell() / export.size))


def _json_chunks(export: Export, size: int) -> Iterator[Chunk]:
    """The records of a JSON document, numbered from 1 in the order of its list of records."""
    found = json_records(export.path, export.encoding or "utf-8", export.layout.records)

    def records() -> Iterator[tuple[int, list[Any], str | None]]:
        for number, record in enumerate(found, start=1):
            if not isinstance(record, dict):
                yield number, [json.dumps(record, ensure_ascii=False)], "is not a JSON object"
                continue
            flat = flatten(record)
            yield number, [_json_cell(flat.get(h)) for h in export.headers], None

    yield from _chunked(records(), size, export.layout, lambda number: number / len(found))


def _lines_chunks(export: Export, size: int) -> Iterator[Chunk]:
    """The records of a plain-text export (loaders.lines), numbered by the line each starts on."""
    with export.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=export.encoding) as f:
        records = ((number, row, None) for number, row in lines.records(f, export.layout))
        yield from _chunked(records, size, export.layout, lambda _: min(1.0, raw.tell() / export.size))


def _chunked(records: Iterator[tuple[int, list[Any], str | None]], size: int, layout: Layout,
             progress: Callable[[int], float]) -> Iterator[Chunk]:  # fmt: skip
    """Numbered records, each (number, cells, None) or (number, raw text, why it is broken), in chunks of
    `size` rows; rows the layout's skip_rows match are counted as skipped. `progress` gives the share of
    the file read at a record's number."""
    chunk = Chunk([], [])
    for number, row, broken in records:
        if broken is not None:
            chunk.broken.append((number, broken, row))
            continue
        if layout.skip and layout.skipped(row):
            chunk.skipped.append(number)
            continue
        chunk.numbers.append(number)
        chunk.rows.append(row)
        if len(chunk.rows) >= size:
            chunk.fraction = progress(number)
            yield chunk
            chunk = Chunk([], [])
    if chunk.rows or chunk.broken or chunk.skipped:
        chunk.fraction, chunk.final = 1.0, True
        yield chunk


def _json_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return value
