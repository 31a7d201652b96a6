"""Hostile exports are refused before they are read, with a sentence naming the file and the limit.

The fixtures are generated here: a decompression-bomb workbook (cells that compress ~240x), a sheet
declaring 130 million cells, and headers wider than Excel allows, in CSV, XLSX and JSON Lines.
Memory is measured in a fresh interpreter as its peak resident size (VmHWM, which starts afresh at
exec, unlike getrusage's ru_maxrss, which a child started by vfork inherits from the test process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from loaders import limits, readers
from loaders.limits import MAX_COLUMNS
from loaders.readers import open_export

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="calls" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def workbook(path: Path, rows: list[bytes], repeat: int = 1, dimension: str | None = None) -> Path:
    """A minimal workbook whose sheet holds `rows` (row XML) `repeat` times, written as a stream."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            block = b"".join(rows)
            for _ in range(repeat):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _row(cells: list[str]) -> bytes:
    return b"<row>" + b"".join(_cell(c) for c in cells) + b"</row>"


def _peak_mb_reading(path: Path) -> tuple[str, float]:
    """Open the export in a fresh interpreter: (the refusal's sentence, peak resident MB)."""
    code = textwrap.dedent(
        f"""
        from explorer.exceptions import FileRejected
        from loaders.readers import open_export
        try:
            open_export({str(path)!r})
            message = "read without refusal"
        except FileRejected as e:
            message = str(e)
        with open("/proc/self/status") as status:
            print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024)
        print(message)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    peak, message = done.stdout.split("\n", 1)
    return message.strip(), float(peak)


def test_decompression_bomb_is_refused_in_bounded_memory(tmp_path):
    # 200,000 rows of ten one-letter cells: a 0.3 MB file whose sheet unzips to 78 MB, and which took
    # some 220 MB to open before (the red team's 1.25 MB file: 1.43 GB).
    rows = [_row(["phone", "name", "at", "seconds", "a", "b", "c", "d", "e", "f"])] + [_row(["x"] * 10)] * 999
    path = workbook(tmp_path / "bomb.xlsx", rows, repeat=200)
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 200 * info.compress_size  # it is a bomb
    message, peak_mb = _peak_mb_reading(path)
    assert message.startswith("bomb.xlsx: its part xl/worksheets/sheet1.xml unzips to ")
    assert "more than 100 times" in message and "XLSX_MAX_RATIO" in message
    assert peak_mb < 100, peak_mb  # 221 MB before


def test_sheet_declaring_too_many_cells_is_refused(tmp_path):
    path = workbook(tmp_path / "wide.xlsx", [_row(["phone", "name"])], dimension="A1:Z5000000")
    with pytest.raises(FileRejected, match=r"^wide\.xlsx: its sheet declares 5,000,000 rows x 26 columns"):
        open_export(path)
    assert "50,000,000 cells" in str(pytest.raises(FileRejected, open_export, path).value)


def test_workbook_unzipping_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    path = workbook(tmp_path / "big.xlsx", [_row(["phone", "name"])] * 100)
    monkeypatch.setattr(limits, "XLSX_MAX_UNZIPPED_BYTES", 4_000)
    with pytest.raises(FileRejected, match=r"^big\.xlsx would unzip to [\d,]+ bytes, more than the limit of 4,000"):
        open_export(path)


def test_workbook_past_the_in_memory_limit_is_streamed(tmp_path, monkeypatch):
    path = workbook(tmp_path / "calls.xlsx", [_row(["phone", "name"]), _row(["138", "Zhang"])])
    monkeypatch.setattr(readers, "XLSX_IN_MEMORY_MAX_UNZIPPED_BYTES", 0)
    export = open_export(path)
    assert export.headers == ["phone", "name"]
    assert [chunk.rows for chunk in export.chunks(10)] == [[["138", "Zhang"]]]


def test_csv_header_wider_than_the_limit_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(5_000_000)) + "\n1,2\n", encoding="utf-8")
    message, peak_mb = _peak_mb_reading(path)
    assert message == (
        f"wide.csv: the header has 5,000,000 columns, more than the limit of {MAX_COLUMNS:,}; "
        "split the export into narrower files."
    )
    assert peak_mb < 200, peak_mb  # 457 MB before (the red team saw 1 GB with the loader)


def test_xlsx_header_wider_than_the_limit_is_refused(tmp_path):
    path = workbook(tmp_path / "wide.xlsx", [_row([f"c{i}" for i in range(MAX_COLUMNS + 1)])])
    with pytest.raises(FileRejected, match=rf"^wide\.xlsx: the header has {MAX_COLUMNS + 1:,} columns"):
        open_export(path)


def test_jsonl_header_wider_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_text(json.dumps({f"c{i}": i for i in range(MAX_COLUMNS + 1)}) + "\n", encoding="utf-8")
    with pytest.raises(FileRejected, match=rf"^wide\.jsonl: the header has {MAX_COLUMNS + 1:,} columns"):
        open_export(path)


def test_header_at_the_limit_is_read(tmp_path):
    path = tmp_path / "widest.csv"
    path.write_text(",".join(f"c{i}" for i in range(MAX_COLUMNS)) + "\n", encoding="utf-8")
    assert len(open_export(path).headers) == MAX_COLUMNS
