"""The mapping options for real exports (loaders.specs, loaders.columns, loaders.layout, loaders.dates)
and the sniffing of unused columns (loaders.sniff), without a database."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected, InvalidMapping
from loaders.columns import deriver, raw_text, title_value
from loaders.layout import combine, header_rows
from loaders.mapping import load_mapping, parse_mapping
from loaders.normalise import timestamp
from loaders.readers import open_export
from loaders.sniff import looks_like
from loaders.specs import SOURCE_KEYS, Layout, Source, parse_layout, parse_zone
from loaders.transform import TableTransformer

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mar 25, 2015", datetime(2015, 3, 25, tzinfo=CST)),
        ("March 25 2015 2:05 PM", datetime(2015, 3, 25, 14, 5, tzinfo=CST)),
        ("Wednesday, March 25th, 2015 at 9:00 am", datetime(2015, 3, 25, 9, 0, tzinfo=CST)),
        ("25-Mar-2015 14:05:09", datetime(2015, 3, 25, 14, 5, 9, tzinfo=CST)),
        ("25 Sept 2015 12:00 AM", datetime(2015, 9, 25, 0, 0, tzinfo=CST)),
        ("Mar 25, 2015 14:05 UTC+7", datetime(2015, 3, 25, 14, 5, tzinfo=timezone(timedelta(hours=7)))),
        ("2015年三月25日", datetime(2015, 3, 25, tzinfo=CST)),
        ("2015年十二月5日 10时05分", datetime(2015, 12, 5, 10, 5, tzinfo=CST)),
    ],
)
def test_month_names_in_english_and_chinese(text, expected):
    assert timestamp(text) == expected


def test_year_last_needs_the_mappings_order():
    with pytest.raises(ValueError, match="day-first or month-first"):
        timestamp("03/04/2015")
    assert timestamp("03/04/2015", order="day_first") == datetime(2015, 4, 3, tzinfo=CST)
    assert timestamp("03/04/2015", order="month_first") == datetime(2015, 3, 4, tzinfo=CST)
    with pytest.raises(ValueError, match="not a date"):
        timestamp("31/31/2015", order="day_first")


def test_the_mappings_time_zone_with_its_offset_at_that_moment():
    new_york = parse_zone("America/New_York")
    assert timestamp("03/01/2015 10:00", new_york, "month_first").utcoffset() == timedelta(hours=-5)
    assert timestamp("03/25/2015 10:00", new_york, "month_first").utcoffset() == timedelta(hours=-4)
    assert timestamp("2015-03-25 10:00", parse_zone("+07:00")).utcoffset() == timedelta(hours=7)
    assert timestamp("2015-03-25 10:00+00:00", parse_zone("+07:00")).utcoffset() == timedelta(0)  # written zone wins
    assert timestamp(datetime(2015, 3, 25, 10), parse_zone("UTC+3")).utcoffset() == timedelta(hours=3)
    with pytest.raises(ValueError, match="not a UTC offset"):
        parse_zone("Mars/Olympus")


def test_a_header_over_two_rows_with_merged_cells():
    upper = ["运单号", "寄件人", None, None, "收件人", None, "寄件时间"]
    lower = [None, "姓名", "电话", "地址", "姓名", "电话", None]
    assert combine([upper, lower]) == [
        "运单号", "寄件人 姓名", "寄件人 电话", "寄件人 地址", "收件人 姓名", "收件人 电话", "寄件时间",
    ]  # fmt: skip
    # An empty upper cell over a sub-header, next to a column without one, is not filled from the left.
    assert combine([["日期", None], [None, "时间"]]) == ["日期", "时间"]


def test_header_row_keeps_the_title_rows_and_the_seized_row_numbers():
    rows = list(enumerate([["Bank statement"], ["账号：6222"], [], ["日期", "金额", ""], ["2024-03-05", "1"]], start=1))
    headers, title, last = header_rows(iter(rows), Layout(header_row=4), "s.csv")
    assert (headers, last) == (["日期", "金额"], 4)
    assert title == [["Bank statement"], ["账号：6222"], []]
    with pytest.raises(FileRejected, match="header at row 9"):
        header_rows(iter(rows), Layout(header_row=9), "s.csv")


def test_skip_rows_match_any_cell():
    layout = parse_layout({"skip_rows": ["^合计$", r"^共\d+笔"]}, "m.yaml")
    assert layout.skipped(["合计", None, 8000.0])
    assert layout.skipped(["", "共3笔"])
    assert not layout.skipped(["2024-03-05", "合计金额"])


def test_title_value_and_its_absence():
    source = Source("from_title", pattern=re.compile(r"账号[:：]\s*([\d ]+\d)"))
    assert title_value(
        source, [["工商银行"], ["账号：6222 0212 3456", None, "户名：张伟"]], "account_no", "s.xlsx"
    ) == ("6222 0212 3456")
    with pytest.raises(FileRejected, match="s.xlsx: column account_no: the pattern"):
        title_value(source, [["工商银行"]], "account_no", "s.xlsx")


def test_templates_extraction_and_income_expense():
    index = {"date": 0, "time": 1, "income": 2, "expense": 3, "who": 4}
    row = [datetime(2024, 3, 5), time(10, 20), "", "4,800.00", "李明（136 0013 6006）"]
    assert deriver(Source("template", value="{date} {time}", columns=("date", "time")), index, "datetime")(row) == (
        "2024-03-05 10:20:00"
    )
    assert (
        deriver(Source("template", value="{date} {time}", columns=("date", "time")), index, "datetime")(
            [datetime(2024, 3, 5), "", "", "", ""]
        )
        is None
    )  # a part missing: no half-made time at midnight
    phone = Source("extract", pattern=re.compile(r"[(（]([^)）]+)[)）]"), columns=("who",))
    assert deriver(phone, index, "phone")(row) == "136 0013 6006"
    assert deriver(phone, index, "phone")([None, None, "", "", "李明"]) is None
    pair = Source("in_out", columns=("income", "expense"))
    assert deriver(pair, index, "amount")(row) == -4800.0
    assert deriver(pair, index, "direction")(row) == "out"
    assert deriver(pair, index, "direction")([None, None, "500", "0.00", ""]) == "in"
    with pytest.raises(ValueError, match="both income and expense"):
        deriver(pair, index, "amount")([None, None, "1", "2", ""])
    assert raw_text(datetime(2024, 3, 5, 9, 30)) == "2024-03-05 09:30:00"


def test_cells_that_stand_for_nothing_are_empty_parts_of_computed_columns():
    index = {"date": 0, "time": 1, "income": 2, "expense": 3, "who": 4}
    blanks = frozenset({"/", "-"})
    when = Source("template", value="{date} {time}", columns=("date", "time"))
    assert deriver(when, index, "datetime", blanks)(["2024-03-05", " / ", "", "", ""]) is None  # not "2024-03-05 /"
    assert deriver(when, index, "datetime")(["2024-03-05", "/", "", "", ""]) == "2024-03-05 /"  # with none given
    pair = Source("in_out", columns=("income", "expense"))
    assert deriver(pair, index, "amount", blanks)([None, None, "/", "350.00", ""]) == -350.0
    with pytest.raises(ValueError, match="not an amount"):
        deriver(pair, index, "amount")([None, None, "/", "350.00", ""])
    whole = Source("extract", pattern=re.compile(r"^(.+)$"), columns=("who",))
    assert deriver(whole, index, "name", blanks)([None, None, "", "", "-"]) is None


def test_empty_values_default_to_slashes_and_dashes_and_may_be_none():
    assert {"/", "-", "--", "N/A", "NULL"} <= parse_mapping(BASE, Path("m.yaml")).empty_values
    assert parse_mapping({**BASE, "empty_values": ["无记录", 0]}, Path("m.yaml")).empty_values == {"无记录", "0"}
    assert parse_mapping({**BASE, "empty_values": []}, Path("m.yaml")).empty_values == frozenset()


BASE = {
    "name": "m",
    "columns": {"a": {"aliases": ["A"]}},
    "nodes": {"p": {"label": "Phone", "key": "number", "value": "{a}"}},
}


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"header_row": 0}, "header_row: must be a row number"),
        ({"empty_values": "/"}, "empty_values: must be a list of cell texts"),
        ({"columns": {"a": {"aliases": ["A"], "split": "("}}}, r"columns.a.split: is not a valid regular expression"),
        (
            {"columns": {"a": {"aliases": ["A"], "split": ";"}, "b": {"aliases": ["B"], "split": ","}}},
            "only one column",
        ),
        (
            {"columns": {"a": {"aliases": ["A"]}, "b": {"template": "{a}", "split": ";"}}},
            "read from a header, may split",
        ),
        ({"header_row": [3, 5]}, "header_row: a list must name consecutive"),
        ({"skip_rows": ["("]}, r"skip_rows\[0\]: is not a valid regular expression"),
        ({"dates": {"order": "sideways"}}, "dates.order: 'sideways' is not one of"),
        ({"dates": {"timezone": "Nowhere/City"}}, "dates.timezone:"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"const": 1, "template": "{a}"}}}, "columns.b: takes one of"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"from_title": "x", "aliases": ["B"]}}}, "reads no header"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"template": "{c}"}}}, "'c' is not a column"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"extract": {"column": "a"}}}}, "columns.b.extract: must be"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"in_out": {"in": "a", "out": "z"}}}}, "'z' is not a column"),
        ({"columns": {"a": {"aliases": ["A"]}, "b": {"const": 1}, "c": {"template": "{b}"}}}, "read from a header"),
        ({"lines": "(?P<a>.*)"}, r"lines: must be \{start"),
        ({"lines": {"start": "(.*)"}}, "lines.start: must name the fields"),
        ({"lines": {"start": "(?P<a>.*)", "then": "b"}}, r"lines: must be \{start"),
        ({"lines": {"start": "(?P<a>.*)", "continued_in": "b c"}}, "lines.continued_in: must be the name"),
        ({"lines": {"start": "(?P<a>.*)"}, "header_row": 2}, "no header row or JSON records"),
        ({"lines": {"start": "(?P<a>.*)", "section": "=+"}}, "section .* and section_in go together"),
        ({"lines": {"start": "(?P<a>.*)", "section": "=+", "section_in": "a"}}, "'a' is already a field"),
    ],
)
def test_bad_options_are_refused_naming_the_key(extra, says):
    with pytest.raises(InvalidMapping, match=says):
        parse_mapping({**BASE, **extra}, Path("m.yaml"))


def test_columns_with_a_source_are_not_looked_for_among_the_headers():
    m = parse_mapping(
        {**BASE, "columns": {"a": {"aliases": ["A"]}, "bank": {"const": "ICBC", "required": True}}}, Path("m.yaml")
    )
    match = m.match_headers(["A"])
    assert match.fits and match.index == {"a": 0}


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["13812345678", "136 0013 6006", ""], "an identifier"),
        (["wxid_abc123", "wxid_zzz999"], "an identifier"),
        (["356938035643809", "490154203237518"], "an identifier"),
        (["2024-03-05 10:20", "Mar 25, 2015"], "a date"),
        (["¥1,200.00", "350.50"], "an amount"),
        (["云南省昆明市五华区青年路2号", "广东省深圳市南山区科技园1号"], "an address"),
        (["221B Baker Street", "10 Downing St."], "an address"),
    ],
)
def test_sniffing_unused_columns(values, kind):
    found = looks_like(values)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize("values", [["1", "2", "3"], ["茶叶", "服装"], ["yes", "no"], [], ["", None]])
def test_ordinary_columns_are_not_flagged(values):
    assert looks_like(values) is None


def test_a_tab_separated_header_under_a_title_with_commas(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Exported by tool, version 2, all rows\n\nname\tphone\n李明\t13600136006\n", encoding="utf-8")
    export = open_export(path, layout=Layout(header_row=3))
    assert (export.headers, export.delimiter, export.header_end) == (["name", "phone"], "\t", 3)
    chunk = next(iter(export.chunks(10)))
    assert (chunk.numbers, chunk.rows) == ([4], [["李明", "13600136006"]])


def test_json_documents_find_their_records_or_say_which_key(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text('{"name": "g", "messages": [{"id": 1, "from": {"id": "u1", "name": "A"}}, 7]}', encoding="utf-8")
    export = open_export(path)
    assert export.headers == ["id", "from.id", "from.name"]
    chunk = next(iter(export.chunks(10)))
    assert chunk.rows == [[1, "u1", "A"]]
    assert [(n, reason) for n, reason, _ in chunk.broken] == [(2, "is not a JSON object")]
    two = tmp_path / "two.json"
    two.write_text('{"a": [{"x": 1}], "b": [{"y": 2}]}', encoding="utf-8")
    with pytest.raises(FileRejected, match="lists of objects: a, b.*records: <key>"):
        open_export(two)
    assert open_export(two, layout=Layout(records="b")).headers == ["y"]


def test_the_example_mappings_use_every_option():
    """docs/examples/ shows each option on a real layout (tests/integration/test_unseen_formats.py loads them)."""
    mappings = [load_mapping(p) for p in sorted((PROJECT_ROOT / "docs" / "examples").glob("*.yaml"))]
    assert len(mappings) >= 12
    used = {c.source.kind for m in mappings for c in m.columns.values() if c.source is not None}
    assert used == set(SOURCE_KEYS)
    assert any(m.layout.header_row and m.layout.header_rows > 1 for m in mappings)
    assert any(m.layout.header_row and m.layout.header_rows == 1 for m in mappings)
    assert any(m.layout.skip for m in mappings) and any(m.layout.records for m in mappings)
    assert any(m.layout.lines and m.layout.section for m in mappings)
    assert {m.dates.order for m in mappings if m.dates} >= {"day_first", "month_first"}
    assert any(m.dates and m.dates.zone_name for m in mappings)


def test_a_lone_minus_in_a_direction_column_is_a_sign_not_nothing():
    m = parse_mapping(
        {"name": "m", "columns": {"a": {"aliases": ["A"], "normaliser": "handle"}, "d": {"aliases": ["D"], "normaliser": "direction"}},
         "nodes": {"p": {"label": "Account", "key": "account_id", "value": "x:{a}"}}},
        Path("m.yaml"),
    )  # fmt: skip
    transformer = TableTransformer(m, m.match_headers(["A", "D"]), ["A", "D"], {}, "load")
    values, _keys, error = transformer.read_row(["-", "-"])
    assert error is None and values["a"] is None and values["d"] == "out"
    values, _keys, error = transformer.read_row(["x1", "/"])
    assert values["d"] is None
