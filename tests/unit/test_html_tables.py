"""The tables of web pages and of Excel's XML Spreadsheet 2003, read as sheets (loaders.html_tables)."""

from __future__ import annotations

import pytest

from explorer.exceptions import FileRejected
from loaders import html_tables
from loaders.html_tables import looks_like_html, read_tables

PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>明细</title></head><body>
<table><tr><td>导出说明<table>
  <tr><th colspan="2">交易</th><th rowspan="2">对方账号</th></tr>
  <tr><th>日期</th><th>金额</th></tr>
  <tr><td>2024-03-05 10:20:00</td><td>5,000.00</td><td>6228&nbsp;4800 1234</td></tr>
  <tr><td>2024-03-06<br>23:05</td><td>3000<td>李明 &amp; 王强
</table></td></tr></table>
<table><tr><td></td></tr></table>
</body></html>"""


def test_spans_are_merged_cells_and_a_table_in_a_cell_is_a_sheet_of_its_own(tmp_path):
    path = tmp_path / "明细.xls"
    path.write_bytes(PAGE.encode("gbk"))
    tables = read_tables(path, "gbk")
    # The outer table keeps its own text only; the empty table is no sheet.
    assert [name for name, _ in tables] == ["table 1", "table 2"]
    assert tables[0][1] == [["导出说明"]]
    assert tables[1][1] == [
        ["交易", "", "对方账号"],  # a cell over two columns, then one over two rows
        ["日期", "金额", ""],
        ["2024-03-05 10:20:00", "5,000.00", "6228 4800 1234"],
        ["2024-03-06 23:05", "3000", "李明 & 王强"],  # <br> is a space; unclosed cells and rows end
    ]


def test_xml_spreadsheet_worksheets_are_named_and_cells_placed(tmp_path):
    path = tmp_path / "流水.xls"
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">导出</Data></Cell></Row></Table>'
        '</Worksheet><Worksheet ss:Name="流水"><Table>'
        '<Row><Cell ss:MergeAcross="2"><Data ss:Type="String">对账单</Data></Cell></Row>'
        '<Row><Cell><Data ss:Type="String">日期</Data></Cell><Cell ss:Index="3"><Data>金额</Data></Cell></Row>'
        '<Row><Cell ss:MergeDown="1"><Data>a</Data></Cell><Cell><Data>b</Data></Cell></Row>'
        "<Row><Cell><Data>c</Data></Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    assert read_tables(path, "utf-8") == [
        ("说明", [["导出"]]),
        ("流水", [["对账单", "", ""], ["日期", "", "金额"], ["a", "b"], ["", "c"]]),
    ]


@pytest.mark.parametrize(
    ("head", "html"),
    [(b"\xef\xbb\xbf\r\n  <html>", True), (b"<?xml version", True), (b"\xd0\xcf\x11\xe0", False), (b"a\tb\n", False)],
)
def test_markup_is_told_from_text_and_workbooks(head, html):
    assert looks_like_html(head) is html


def test_a_page_too_big_to_hold_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(html_tables, "HTML_MAX_BYTES", 100)
    path = tmp_path / "big.html"
    path.write_text("<table>" + "<tr><td>x</td></tr>" * 20 + "</table>", encoding="utf-8")
    for read in (lambda: read_tables(path, "utf-8"), lambda: html_tables.tables_of(path)):
        with pytest.raises(FileRejected, match="big.html is a web page over"):
            read()


def test_spans_cannot_make_a_page_of_more_cells_than_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(html_tables, "HTML_MAX_CELLS", 1_000)
    path = tmp_path / "spans.html"
    path.write_text("<table>" + '<tr><td colspan="400">x</td></tr>' * 3 + "</table>", encoding="utf-8")
    with pytest.raises(FileRejected, match=r"spans.html: the page's tables hold more than 1,000 cells"):
        read_tables(path, "utf-8")
    path.write_text('<table><tr><td colspan="30" rowspan="40">x</td></tr>' + "<tr></tr>" * 39 + "</table>")
    with pytest.raises(FileRejected, match="more than 1,000 cells"):  # the rows it covers count too
        read_tables(path, "utf-8")
    path.write_text("<table>" + '<tr><td colspan="400">x</td></tr>' * 2 + "</table>", encoding="utf-8")
    assert [len(row) for row in read_tables(path, "utf-8")[0][1]] == [400, 400]
