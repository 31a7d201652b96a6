"""Reading an export in chunks: every reader says which chunk ends the file, so that the writer can send
the end of the load with that chunk's rows, in one commit (loaders.readahead.ReadAhead.with_ends)."""

from __future__ import annotations

import json

import openpyxl

from loaders.readers import open_export


def test_every_reader_marks_only_its_last_chunk_final(tmp_path):
    """CSV, XLSX, JSON Lines and JSON: the chunk a reader ends the file with says so, no other does; a
    file that ends exactly on a full chunk has no chunk saying so (the writer then learns the end from
    the reader, as before)."""
    rows = [["a", "b"]] + [[f"x{i}", str(i)] for i in range(5)]
    (tmp_path / "t.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text(
        "\n".join(json.dumps(dict(zip(rows[0], r, strict=True))) for r in rows[1:]) + "\n", encoding="utf-8"
    )
    (tmp_path / "t.json").write_text(json.dumps([dict(zip(rows[0], r, strict=True)) for r in rows[1:]]),
                                     encoding="utf-8")  # fmt: skip
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(tmp_path / "t.xlsx")
    for name in ("t.csv", "t.jsonl", "t.json", "t.xlsx"):
        export = open_export(tmp_path / name)
        assert [c.final for c in export.chunks(2)] == [False, False, True], name
        assert [len(c.rows) for c in export.chunks(5)] == [5], name
        assert [c.final for c in export.chunks(5)] == [False], name


def test_json_lines_that_are_no_object_are_broken_rows_with_their_line(tmp_path):
    """A line that is not JSON, or JSON but not an object, is a broken row numbered by its line and kept
    as written (for the rejects file); a blank line is no row at all."""
    path = tmp_path / "chat.jsonl"
    path.write_text('{"a": "x", "b": 1}\n{"a": broken\n\n[1, 2]\n{"a": "y", "b": true}\n', encoding="utf-8")
    chunks = list(open_export(path).chunks(10))
    assert [(c.numbers, c.rows, c.final) for c in chunks] == [([1, 5], [["x", 1], ["y", "true"]], True)]
    assert chunks[0].broken == [(2, "is not a JSON object", ['{"a": broken']), (4, "is not a JSON object", ["[1, 2]"])]
