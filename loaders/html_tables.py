"""The tables of a web page, read as the sheets of a workbook: many systems export a table as an HTML page,
often under an `.xls` name (a bank's statement download, a forensic tool's report).

Each `<table>` with a filled cell is a sheet, named `table 1`, `table 2`... in the page's order, its rows
numbered from 1 as a spreadsheet numbers them. A cell spanning several columns or rows holds its text in
its first column and row only, the others are empty, as in a workbook's merged cells; so a header over two
rows combines as it does in a workbook (loaders.layout). A table inside a cell is a sheet of its own and
adds nothing to that cell. The page is read whole, with the standard library's HTML parser.

Excel's XML Spreadsheet 2003 (`<Worksheet ss:Name><Table><Row><Cell><Data>`), another form systems save
under an `.xls` name, is read the same way: a worksheet's table is named after the worksheet, and a
cell's `ss:Index`, `ss:MergeAcross` and `ss:MergeDown` place it as a workbook would.
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from explorer.exceptions import FileRejected
from loaders.encoding import detect_encoding

# A page is read whole, and its cells take several times its size in memory: bigger ones are refused
# (a table this big is exported as CSV or XLSX by the systems that make it).
HTML_MAX_BYTES = 64 << 20
# Spans make cells without bytes (`<td colspan=1000>` is 19 bytes): a page whose tables would hold more
# cells than this, spans counted, is refused as it is read.
HTML_MAX_CELLS = 10_000_000


def looks_like_html(head: bytes) -> bool:
    """True when a file's first bytes open markup (after a byte-order mark and blank space): a web page,
    or Excel's XML Spreadsheet 2003, which systems also save under an `.xls` name."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def tables_of(path: Path) -> list[tuple[str, list[list[str]]]]:
    """The page's tables with a filled cell, as (name, rows of cell texts), in the order they start.

    The page is parsed once while it is unchanged (a load asks for its sheets, its header and its rows)."""
    stat = path.stat()
    _check_size(path, stat.st_size)  # before its encoding is read from end to end
    return _parsed(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)
def _parsed(path: str, size: int, mtime_ns: int) -> list[tuple[str, list[list[str]]]]:
    return read_tables(Path(path), detect_encoding(Path(path))[0])


def read_tables(path: Path, encoding: str) -> list[tuple[str, list[list[str]]]]:
    """The page's tables with a filled cell, as (name, rows of cell texts), in the order they start."""
    _check_size(path, path.stat().st_size)
    parser = _Tables()
    try:
        parser.feed(path.read_text(encoding=encoding))
        parser.close()
        while parser.open:
            parser.finish_table()
    except FileRejected as e:
        raise FileRejected(f"{path.name}: {e}; ask for the export as CSV or XLSX.") from e
    found = [(name, rows) for _, name, rows in sorted(parser.done) if any(any(c.strip() for c in r) for r in rows)]
    return [(name or f"table {i}", rows) for i, (name, rows) in enumerate(found, start=1)]


def _check_size(path: Path, size: int) -> None:
    if size > HTML_MAX_BYTES:
        raise FileRejected(
            f"{path.name} is a web page over {HTML_MAX_BYTES >> 20} MiB; ask for the export as CSV or XLSX."
        )


class _Table:
    def __init__(self, budget: list[int]) -> None:
        self.budget = budget  # cells the page may still hold, shared by its tables
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.below: dict[int, int] = {}  # column -> rows still covered by a cell spanning rows from above

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def start_cell(self, colspan: int, rowspan: int, column: int | None = None) -> None:
        """A cell spanning `colspan` columns and `rowspan` rows, at the 1-based `column` when given."""
        self.end_cell()
        if self.row is None:
            self.start_row()
        assert self.row is not None
        self._covered()
        while column is not None and len(self.row) < column - 1:
            self.row.append("")
            self._covered()
        self.cell, self.span = [], colspan
        if rowspan > 1:
            for col in range(len(self.row), len(self.row) + colspan):
                self.below[col] = rowspan - 1

    def _covered(self) -> None:
        """Empty cells where a cell above spans down into this row."""
        assert self.row is not None
        while self.below.get(len(self.row), 0) > 0:
            self.below[len(self.row)] -= 1
            self._spend(1)
            self.row.append("")

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        self._spend(self.span)
        self.row.append(" ".join("".join(self.cell).split()))
        self.row.extend([""] * (self.span - 1))
        self.cell = None

    def _spend(self, cells: int) -> None:
        self.budget[0] -= cells
        if self.budget[0] < 0:
            raise FileRejected(f"the page's tables hold more than {HTML_MAX_CELLS:,} cells (spans counted)")

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None:
            self._covered()
            self.rows.append(self.row)
            self.row = None


class _Tables(HTMLParser):
    """Collects every table's rows; `done` holds (the order a table started in, its name, its rows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[int, str | None, _Table]] = []
        self.done: list[tuple[int, str | None, list[list[str]]]] = []
        self.started = 0
        self.worksheet: str | None = None  # XML Spreadsheet: the worksheet whose table comes next
        self.budget = [HTML_MAX_CELLS]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "worksheet":
            self.worksheet = (given.get("ss:name") or "").strip() or None
            return
        if tag == "table":
            self.open.append((self.started, self.worksheet, _Table(self.budget)))
            self.started += 1
            self.worksheet = None
            return
        if not self.open:
            return
        table = self.open[-1][2]
        if tag in ("tr", "row"):
            table.start_row()
        elif tag in ("td", "th"):
            table.start_cell(_span(given.get("colspan")), _span(given.get("rowspan")))
        elif tag == "cell":  # XML Spreadsheet: spans say how many more columns or rows
            index = given.get("ss:index")
            table.start_cell(_span(given.get("ss:mergeacross"), 1), _span(given.get("ss:mergedown"), 1),
                             _span(index) if index else None)  # fmt: skip
        elif tag == "br" and table.cell is not None:
            table.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            return
        table = self.open[-1][2]
        if tag == "table":
            self.finish_table()
        elif tag in ("td", "th", "cell"):
            table.end_cell()
        elif tag in ("tr", "row"):
            table.end_row()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][2].cell is not None:
            self.open[-1][2].cell.append(data)

    def finish_table(self) -> None:
        order, name, table = self.open.pop()
        table.end_row()
        self.done.append((order, name, table.rows))


def _span(value: str | None, more: int = 0) -> int:
    """A span attribute as a count of 1 to 1,000 (a missing or bad one is 1); `more` is added first (an
    XML Spreadsheet's MergeAcross counts the columns beyond the cell's own)."""
    try:
        return min(max(int(str(value).strip()) + more, 1), 1_000)
    except ValueError:
        return 1
