"""Limits on what an export may ask of the reader, checked before its cells are read.

A header wider than Excel allows is refused before it is split; a workbook is
checked from its zip directory, workbook.xml with its relationships and the head
of its sheet. Each refusal is a FileRejected sentence naming the file and the limit.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

from explorer.exceptions import FileRejected
from loaders import html_tables

# The widest header read: Excel's own limit (16,384 columns, XFD). Wider headers are refused before
# they are split, because every later step (mapping, preview, the loader's planner) walks the columns.
MAX_COLUMNS = 16_384
# Limits checked from the zip's directory and the sheet's <dimension> before any cell is read. The
# ratio is Apache POI's default for the same check (ZipSecureFile's minimum inflate ratio, 0.01);
# parts under 1 MiB are exempt, as a small part cannot hold a harmful amount whatever its ratio.
XLSX_MAX_RATIO = 100
XLSX_RATIO_EXEMPT_BYTES = 1 << 20
XLSX_MAX_UNZIPPED_BYTES = 4 << 30
XLSX_MAX_SHARED_STRINGS_BYTES = 256 << 20  # both readers hold the shared strings in memory
XLSX_MAX_CELLS = 50_000_000  # the sheet's declared rows x columns
BAD_XLSX = "{name} is not a complete XLSX workbook (truncated or damaged): {e}."
BAD_XLS = "{name} is not a complete XLS workbook (Excel 97-2003; truncated or damaged): {e}."
# An Excel 97-2003 workbook (.xls) is read whole (its format holds at most 65,536 rows of 256 columns a
# sheet); a bigger file than this is refused before it is read.
XLS_MAX_BYTES = 256 << 20
# The first bytes of an OLE2 compound file, the container of an Excel 97-2003 workbook.
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_TAG = re.compile(r"<(?:\w+:)?(sheet|Relationship|dimension)\b([^>]*)>")
_ATTR = re.compile(r"([\w:]+)\s*=\s*\"([^\"]*)\"")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - ord("A") + 1
    return number


def _tags(text: str, name: str) -> list[dict[str, str]]:
    """The attributes of each <name ...> tag (any namespace prefix dropped from attribute names)."""
    return [
        {key.split(":")[-1]: html.unescape(value) for key, value in _ATTR.findall(attrs)}
        for tag, attrs in _TAG.findall(text)
        if tag == name
    ]


def _small_part(book: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> str:
    with book.open(name) as f:
        return f.read(limit).decode("utf-8", errors="replace")


def _sheet_part(book: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip entry of the named sheet (else the first), from workbook.xml and its relationships."""
    names = set(book.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    sheets = _tags(_small_part(book, "xl/workbook.xml"), "sheet")
    chosen = next((s for s in sheets if sheet is None or s.get("name") == sheet), None)
    if chosen is None:
        return None
    targets = {
        r.get("Id"): r.get("Target", "") for r in _tags(_small_part(book, "xl/_rels/workbook.xml.rels"), "Relationship")
    }
    target = targets.get(chosen.get("id"))
    if not target:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return part if part in names else None


def form_of(path: Path) -> str:
    """What a workbook-like file is, whatever its name says: `xls` (an OLE2 compound file, Excel
    97-2003), `html` (a web page, read for its tables), `zip` (XLSX) or `text`."""
    with path.open("rb") as f:
        head = f.read(2048)
    if head.startswith(OLE2_SIGNATURE):
        return "xls"
    if head.startswith(b"PK"):
        return "zip"
    return "html" if html_tables.looks_like_html(head) else "text"


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's sheets in order, from workbook.xml alone (an .xls workbook: from its own
    directory; a web page: its tables); [] when they cannot be read."""
    form = form_of(path)
    if form == "html":
        try:
            return [name for name, _ in html_tables.tables_of(path)]
        except (FileRejected, OSError, ValueError):
            return []
    if form == "xls":
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            with CalamineWorkbook.from_path(str(path)) as book:
                return list(book.sheet_names)
        except (CalamineError, OSError, ValueError):
            return []
    try:
        with zipfile.ZipFile(path) as book:
            if "xl/workbook.xml" not in book.namelist():
                return []
            return [s.get("name", "") for s in _tags(_small_part(book, "xl/workbook.xml"), "sheet")]
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return []


def check_workbook(path: Path, sheet: str | None = None) -> int:
    """Refuse a workbook whose parts would unzip to too much, or whose sheet declares too many cells.

    Reads only the zip's directory, workbook.xml with its relationships, and the head of the sheet;
    returns the total unzipped size the directory declares. zipfile stops at each part's declared
    size and checks its CRC, so a part cannot unzip to more than it declares without being refused.
    """
    try:
        with zipfile.ZipFile(path) as book:
            infos = book.infolist()
            total = sum(i.file_size for i in infos)
            if total > XLSX_MAX_UNZIPPED_BYTES:
                raise FileRejected(
                    f"{path.name} would unzip to {total:,} bytes, more than the limit of "
                    f"{XLSX_MAX_UNZIPPED_BYTES:,}; split the workbook into smaller files."
                )
            for info in infos:
                if info.file_size > XLSX_RATIO_EXEMPT_BYTES and info.file_size > XLSX_MAX_RATIO * max(
                    1, info.compress_size
                ):
                    raise FileRejected(
                        f"{path.name}: its part {info.filename} unzips to {info.file_size:,} bytes from "
                        f"{info.compress_size:,}, more than {XLSX_MAX_RATIO} times; such a workbook is refused "
                        "as a decompression bomb (the limit is XLSX_MAX_RATIO)."
                    )
                if info.filename.endswith("sharedStrings.xml") and info.file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
                    raise FileRejected(
                        f"{path.name}: its shared strings unzip to {info.file_size:,} bytes, more than the limit "
                        f"of {XLSX_MAX_SHARED_STRINGS_BYTES:,}; split the workbook into smaller files."
                    )
            part = _sheet_part(book, sheet)
            head = _small_part(book, part, 64 * 1024) if part else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError, ValueError) as e:
        raise FileRejected(BAD_XLSX.format(name=path.name, e=e)) from e
    dimension = next(iter(_tags(head.split("<sheetData", 1)[0], "dimension")), {}).get("ref", "")
    corners = [_CELL_REF.match(ref) for ref in dimension.upper().replace("$", "").split(":")]
    if len(corners) == 2 and all(corners):
        (c1, r1), (c2, r2) = (m.groups() for m in corners if m)
        columns = abs(_column_number(c2) - _column_number(c1)) + 1
        rows = abs(int(r2) - int(r1)) + 1
        check_width(path, columns)
        if rows * columns > XLSX_MAX_CELLS:
            raise FileRejected(
                f"{path.name}: its sheet declares {rows:,} rows x {columns:,} columns ({dimension}), more than "
                f"the limit of {XLSX_MAX_CELLS:,} cells; split the workbook into smaller files."
            )
    return total


def check_width(path: Path, columns: int) -> None:
    """Refuse a header of more than MAX_COLUMNS columns."""
    if columns > MAX_COLUMNS:
        raise FileRejected(
            f"{path.name}: the header has {columns:,} columns, more than the limit of {MAX_COLUMNS:,}; "
            "split the export into narrower files."
        )
