"""The bad-input corpus (tests/data/bad/): each file gives its documented message; file-level errors write nothing.

The 10 MB field is generated here rather than kept in the repository.
"""

from __future__ import annotations

import pytest

from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from loaders import api

pytestmark = pytest.mark.integration
BAD = PROJECT_ROOT / "tests" / "data" / "bad"
HEADER = "主叫号码,被叫号码,开始时间,通话时长"

# file -> the sentence the loader gives (docs/security.md lists the same)
FILE_LEVEL = {
    "empty.csv": "empty.csv is empty.",
    "binary.csv": "binary.csv: cannot read the text encoding (tried utf-8, gb18030); save it as UTF-8 or GBK.",
    "truncated.xlsx": "truncated.xlsx is not a complete XLSX workbook (truncated or damaged)",
    "mixed_encodings.csv": "mixed_encodings.csv: mixed text encodings: the lines before line 3 are UTF-8 but line 3 is "
    "not (GBK or another encoding)",
}
# file -> (rows written, rows rejected)
ROW_LEVEL = {
    "header_only.csv": (0, 0),
    "wrong_delimiter.csv": (2, 0),  # '|' is recognised, not misread as one column
    "invalid_dates_phones.csv": (2, 3),
    "only_rejects.csv": (0, 2),
}


def _total(graph) -> tuple[int, int]:
    c = graph.counts()
    return c["nodes"], c["relationships"]


def test_corpus_is_complete():
    assert sorted(p.name for p in BAD.iterdir() if p.suffix in {".csv", ".xlsx"}) == sorted({*FILE_LEVEL, *ROW_LEVEL})


@pytest.mark.parametrize("name", sorted(FILE_LEVEL))
def test_file_level_errors_write_nothing(empty_graph, tmp_path, name):
    with pytest.raises(FileRejected) as refused:
        api.load(empty_graph, BAD / name, rejects_dir=tmp_path)
    assert FILE_LEVEL[name] in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _total(empty_graph) == (0, 0)


@pytest.mark.parametrize("name", sorted(ROW_LEVEL))
def test_row_level_problems_are_rejected_rows(empty_graph, tmp_path, name):
    summary = api.load(empty_graph, BAD / name, rejects_dir=tmp_path)
    assert (summary.rows_written, summary.rows_rejected) == ROW_LEVEL[name]
    if summary.rows_rejected:
        assert summary.rejects_path and summary.rejects_path.is_file()
    events = empty_graph.read_value("MATCH ()-[r:CALLED]->() RETURN count(r)")
    assert events == summary.rows_written


def test_ten_megabyte_field(empty_graph, tmp_path):
    path = tmp_path / "huge_field.csv"
    huge = "A" * 10_000_000
    path.write_text(
        f"{HEADER}\n13800138001,{huge},2024-03-01 10:00:00,5\n13800138001,13800138003,2024-03-01 10:00:00,5\n",
        encoding="utf-8",
    )
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.rows_written, summary.rows_rejected) == (1, 1)
    longest = empty_graph.read_value(
        "MATCH (n) UNWIND keys(n) AS k WITH n[k] AS v WHERE v IS :: STRING RETURN max(size(v))"
    )
    assert longest < 1000  # the 10 MB value went to the rejects file, not into the graph
