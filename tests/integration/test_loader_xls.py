"""Excel 97-2003 workbooks (.xls) loaded as seized, and the files that systems name `.xls` but are web pages
or text: each read as what it is."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import xlwt

from explorer.exceptions import FileRejected
from loaders import api
from loaders.readers import open_export
from tests.loader_helpers import workbook

pytestmark = pytest.mark.integration

TITLE = ["手机取证报告 通话记录"]
CDR_HEADER = ["主叫号码", "被叫号码", "开始时间", "通话时长"]
CALLS = [
    ["13800138001", "13800138002", dt.datetime(2024, 3, 5, 21, 2, 3), 83],
    ["13800138002", "13800138003", dt.datetime(2024, 3, 5, 22, 0, 0), 12],
]
CONTACTS = [["机主号码", "联系人", "联系人号码"], ["13800138001", "老K", "13600136006"]]
WHEN = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS")


def _xls(path, sheets: dict[str, list[list[object]]]) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write(r, c, value, WHEN)
                else:
                    sheet.write(r, c, value)
    book.save(str(path))


def test_an_xls_workbook_reads_as_the_same_xlsx_does(empty_graph, tmp_path):
    """A phone report saved as .xls: its sheets, its header under a title row, date cells and row numbers
    as the same workbook saved as .xlsx gives them; the folder load reads both sheets."""
    sheets = {"通话记录": [TITLE, [], CDR_HEADER, *CALLS], "通讯录": CONTACTS}
    folder = tmp_path / "case"
    folder.mkdir()
    _xls(folder / "report.xls", sheets)
    workbook(tmp_path / "report.xlsx", sheets)
    assert api.sheets_of(folder / "report.xls") == ["通话记录", "通讯录"]
    old, new = api.preview(folder / "report.xls"), api.preview(tmp_path / "report.xlsx")
    assert list(old["_row"]) == [4, 5]
    assert old.equals(new)
    summary = api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    assert sorted((s.sheet, s.mapping, s.rows_written) for s in summary.loaded) == [
        ("通讯录", "contacts", 1), ("通话记录", "cdr", 2)]  # fmt: skip
    calls = empty_graph.read(
        "MATCH (a:Phone)-[r:CALLED]->(b:Phone) RETURN a.number AS a, r.row AS row, toString(r.at) AS at, "
        "r.duration_s AS s ORDER BY row"
    ).records
    assert [(c["a"], c["row"], c["at"], c["s"]) for c in calls] == [
        ("+8613800138001", 4, "2024-03-05T21:02:03+08:00", 83),
        ("+8613800138002", 5, "2024-03-05T22:00:00+08:00", 12),
    ]


def test_tab_separated_text_named_xls_is_read_as_text(empty_graph, tmp_path):
    """Many systems save a table as tab-separated text (here GBK) under an .xls name: it is read as it is."""
    path = tmp_path / "话单导出.xls"
    lines = ["\t".join(CDR_HEADER), "13800138001\t13800138002\t2024-03-05 21:02:03\t83"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    export = open_export(path)
    assert (export.kind, export.delimiter, export.encoding) == ("csv", "\t", "gb18030")
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.mapping, summary.rows_written) == ("cdr", 1)


STATEMENT_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border="1">
<tr><td colspan="7">中国建设银行 个人活期账户交易明细</td></tr>
<tr><td colspan="7">查询时间：2024-04-01 09:00:00</td></tr>
<tr><th>账号</th><th>交易时间</th><th>交易金额</th><th>收付标志</th><th>对方账号</th><th>对方户名</th><th>摘要</th></tr>
<tr><td>6217000011112222333</td><td>2024-03-05 10:31:12</td><td>4,800.00</td><td>支出</td>
    <td>6222021234567890123</td><td>张伟</td><td>网银转出</td></tr>
<tr><td>6217000011112222333</td><td>2024-03-06 23:05:40</td><td>3,000.00</td><td>收入</td>
    <td>6228480012345678901</td><td>李明</td><td>转账</td></tr>
</table></body></html>"""


def test_a_web_page_named_xls_is_read_for_its_table(empty_graph, tmp_path):
    """A bank's statement download is often a web page (here GB2312) named .xls: its table is its sheet,
    its header found under the title rows by the built-in mapping, its rows numbered as in the table."""
    path = tmp_path / "交易明细.xls"
    path.write_bytes(STATEMENT_PAGE.encode("gbk"))
    assert api.sheets_of(path) == ["table 1"]
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.mapping, summary.header_row, summary.rows_written) == ("bank_statement", 3, 2)
    moved = empty_graph.read(
        "MATCH (a:Account)-[r:TRANSFERRED]->(b:Account) RETURN a.account_id AS a, b.account_id AS b, r.amount AS "
        "amount, r.row AS row ORDER BY row"
    ).records
    assert [(m["a"], m["b"], m["amount"], m["row"]) for m in moved] == [
        ("bank:6217000011112222333", "bank:6222021234567890123", 4800.0, 4),
        ("bank:6228480012345678901", "bank:6217000011112222333", 3000.0, 5),
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"<html><body><p>no table</p></body></html>", "is a web page with no table to read"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600, "is not a complete XLS workbook"),
    ],
    ids=["web page without a table", "truncated"],
)
def test_an_xls_that_cannot_be_read_is_refused_and_writes_nothing(empty_graph, tmp_path, content, says):
    path = tmp_path / "流水.xls"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=re.escape(says)):
        api.load(empty_graph, path, rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}
