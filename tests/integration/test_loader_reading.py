"""Every input format of the loaders: encodings detected (not assumed), TSV, XLSX sheets, JSON Lines, chunks."""

from __future__ import annotations

import json

import openpyxl
import pytest

from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from loaders import api
from loaders.readers import open_export
from tests.loader_helpers import counts, workbook

pytestmark = pytest.mark.integration
SAMPLES = PROJECT_ROOT / "tests" / "data" / "samples"
CDR_HEADER = ["主叫号码", "被叫号码", "开始时间", "通话时长"]


@pytest.mark.parametrize(
    ("name", "kind", "encoding", "delimiter", "first_header"),
    [
        ("chat_messages.csv", "csv", "utf-8", ",", "聊天平台"),
        ("cdr_话单.csv", "csv", "utf-8-sig", ",", "主叫号码"),  # the BOM is not part of the first header
        ("messages_gbk.csv", "csv", "gb18030", ",", "发送方"),  # GBK bytes, read with its superset
        ("posts.tsv", "csv", "utf-8", "\t", "site"),
        ("payments.jsonl", "jsonl", "utf-8", None, "platform"),
        ("contacts.xlsx", "xlsx", None, None, "owner_phone"),
    ],
)
def test_each_format_is_recognised(name, kind, encoding, delimiter, first_header):
    export = open_export(SAMPLES / name)
    assert (export.kind, export.encoding, export.delimiter, export.headers[0]) == (
        kind,
        encoding,
        delimiter,
        first_header,
    )


def test_gb18030_characters_outside_gbk_are_read(empty_graph, tmp_path):
    # 𠮷 (U+20BB7) and 㐀 (U+3400) have no GBK code: only GB18030's four-byte form holds them.
    path = tmp_path / "contacts.csv"
    rows = ["机主号码,联系人姓名,联系人号码", "13800138001,𠮷㐀哥,13800138002", "13800138001,王强,13800138003"]
    path.write_bytes(("\n".join(rows) + "\n").encode("gb18030"))
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    assert open_export(path).encoding == "gb18030"
    api.load(empty_graph, path, rejects_dir=tmp_path)
    names = empty_graph.read("MATCH ()-[c:HAS_CONTACT]->() RETURN c.saved_name AS n ORDER BY n", checked=True).rows()
    assert [r["n"] for r in names] == ["王强", "𠮷㐀哥"]


def test_gbk_is_detected_not_assumed_for_utf8_lookalikes(tmp_path):
    # The same Chinese text in UTF-8 must not be read as GBK (it would decode to mojibake).
    path = tmp_path / "m.csv"
    path.write_text("发送方,接收方,发送时间,内容\n13800138001,13800138002,2021-06-23 14:10,今晚有冰毒吗\n", "utf-8")
    assert open_export(path).encoding == "utf-8"
    frame = api.preview(path, n=1)
    assert frame["text"].tolist() == ["今晚有冰毒吗"]


def test_xlsx_named_sheet(empty_graph, tmp_path):
    path = tmp_path / "extraction.xlsx"
    workbook(
        path,
        {
            "说明": [["本文件由取证软件导出"], ["案件", "A2021-001"]],
            "通话记录": [CDR_HEADER, [13800138001, 13800138002, "2021-06-23 10:00", 60],
                         [13800138002, 13800138003, "2021-06-23 11:00", 30]],
        },
    )  # fmt: skip
    # The first sheet is the notes: no mapping fits it.
    with pytest.raises(FileRejected, match="no mapping recognises"):
        api.load(empty_graph, path, rejects_dir=tmp_path)
    with pytest.raises(FileRejected, match="has no sheet '短信'; its sheets are 说明, 通话记录"):
        api.load(empty_graph, path, sheet="短信", rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}
    summary = api.load(empty_graph, path, sheet="通话记录", rejects_dir=tmp_path)
    assert (summary.mapping, summary.rows_written, summary.rows_rejected) == ("cdr", 2, 0)
    assert counts(empty_graph) == (3, 2)
    # Numbers typed as numbers in the sheet are phones, not 1.38e10.
    assert empty_graph.read_value("MATCH (p:Phone {number: '+8613800138001'}) RETURN count(p)") == 1


def test_xlsx_first_sheet_by_default(empty_graph, tmp_path):
    path = tmp_path / "calls.xlsx"
    workbook(path, {"话单": [CDR_HEADER, [13800138001, 13800138002, "2021-06-23 10:00", 60]], "其他": [["x"]]})
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.mapping, summary.rows_written) == ("cdr", 1)


def _cdr_rows(n: int) -> list[list[object]]:
    return [[f"138{i % 9000 + 1000:08d}", f"139{i % 7000 + 1000:08d}", f"2024-03-01 10:{i % 60:02d}:00", i]
            for i in range(n)]  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".xlsx"])
def test_big_files_are_read_in_chunks(tmp_path, suffix):
    n, size = 2_500, 1_000
    path = tmp_path / f"calls{suffix}"
    rows = _cdr_rows(n)
    header = ["caller", "callee", "start_time", "duration_s"]
    if suffix == ".xlsx":
        workbook(path, {"calls": [header, *rows]})
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(dict(zip(header, r, strict=True))) + "\n" for r in rows), "utf-8")
    else:
        sep = "\t" if suffix == ".tsv" else ","
        path.write_text("\n".join(sep.join(map(str, r)) for r in [header, *rows]) + "\n", "utf-8")
    chunks = open_export(path).chunks(size)
    first = next(chunks)
    # The first chunk comes before the file has been read to its end.
    assert len(first.rows) == size and first.fraction is not None and first.fraction < 0.6
    sizes = [len(first.rows)] + [len(c.rows) for c in chunks]
    assert sizes == [1_000, 1_000, 500]
    assert first.numbers[0] == (1 if suffix == ".jsonl" else 2)


def test_xlsx_read_in_memory_and_streamed_alike(tmp_path, monkeypatch):
    """Workbooks up to XLSX_IN_MEMORY_MAX_BYTES are read with calamine, bigger ones streamed with openpyxl:
    the same rows, row numbers and values either way, wherever the table starts in the sheet."""
    import datetime as dt

    from loaders import readers

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "notes"
    ws = wb.create_sheet("流水")
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "账号", "金额", "时间", "已核实"  # the table starts at B3
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = 6222021234567890123, 1500, dt.datetime(2024, 1, 2, 3, 4, 5), True
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = "6222 0212 3456 7890 124", 12.5, dt.date(2024, 1, 7), False
    ws["B7"], ws["C7"], ws["D7"] = "=1/0", 0, dt.time(3, 4)  # a formula without a cached value reads as empty
    path = tmp_path / "流水.xlsx"
    wb.save(path)

    def read() -> tuple[list[str], list[tuple[list[int], list[list[object]]]]]:
        export = open_export(path, sheet="流水")
        return export.headers, [(c.numbers, c.rows) for c in export.chunks(2)]

    in_memory = read()
    monkeypatch.setattr(readers, "XLSX_IN_MEMORY_MAX_BYTES", 0)
    streamed = read()
    assert in_memory == streamed
    headers, chunks = in_memory
    assert headers == ["", "账号", "金额", "时间", "已核实"]
    assert [n for numbers, _ in chunks for n in numbers] == [4, 6, 7]
    assert chunks[0][1][1] == ["", "6222 0212 3456 7890 124", "12.5", dt.datetime(2024, 1, 7), "False"]
