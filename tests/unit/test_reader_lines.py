"""Plain-text exports whose records span lines (loaders.lines, a mapping's `lines` layout), without a database."""

from __future__ import annotations

import re

import pytest

from explorer.exceptions import FileRejected
from loaders.readers import open_export, relayout
from loaders.specs import Layout

QQ = Layout(
    lines=re.compile(r"(?P<sent_at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (?P<sender>.*?)\((?P<qq>\d+)\)"),
    continued_in="text",
)
# A WhatsApp-style line carries the message's first line itself: later lines are added to it.
INLINE = Layout(lines=re.compile(r"\[(?P<at>[^\]]+)\] (?P<sender>[^:]+): (?P<text>.*)"), continued_in="text")

QQ_TEXT = (
    "消息记录（此消息记录为文本格式，不支持重新导入）\n"  # 1
    "\n"
    "消息对象:冰糖群\n"  # 3
    "\n"
    "2024-03-05 21:14:02 老K(1234567890)\n"  # 5
    "新到一批\n"
    "\n"
    "2024-03-05 21:16:05 老K(1234567890)\n"  # 8
    "\n"
    "一克三百\n"
    "\n"
    "加微信 wxid_laok888\n"
    "\n"
    "\n"
    "2024-03-05 21:20:11 小美(2233445566)\n"  # 15
)


def _rows(export):
    return [(n, row) for chunk in export.chunks(2) for n, row in zip(chunk.numbers, chunk.rows, strict=True)]


@pytest.mark.parametrize(("encoding", "newline"), [("utf-8-sig", "\r\n"), ("gb18030", "\n"), ("utf-8", "\r\n")])
def test_records_start_on_their_line_and_take_the_lines_below(tmp_path, encoding, newline):
    path = tmp_path / "chat.txt"
    path.write_bytes(QQ_TEXT.replace("\n", newline).encode(encoding))
    export = open_export(path, layout=QQ)
    assert export.kind == "lines"
    assert export.headers == ["sent_at", "sender", "qq", "text"]
    assert export.title == [["消息记录（此消息记录为文本格式，不支持重新导入）"], ["消息对象:冰糖群"]]
    assert _rows(export) == [
        (5, ["2024-03-05 21:14:02", "老K", "1234567890", "新到一批"]),
        # Blank lines at either end of a message are left out; those inside it are kept.
        (8, ["2024-03-05 21:16:05", "老K", "1234567890", "一克三百\n\n加微信 wxid_laok888"]),
        (15, ["2024-03-05 21:20:11", "小美", "2233445566", ""]),
    ]


def test_a_field_of_the_first_line_is_continued_by_the_lines_below(tmp_path):
    path = tmp_path / "whatsapp.txt"
    path.write_text(
        "[05/03/2024, 21:14:02] Lao K: new batch\nask me\n[05/03/2024, 21:15:40] Ah Qiang: price?\n", encoding="utf-8"
    )
    export = relayout(open_export(path), INLINE)
    assert _rows(export) == [
        (1, ["05/03/2024, 21:14:02", "Lao K", "new batch\nask me"]),
        (3, ["05/03/2024, 21:15:40", "Ah Qiang", "price?"]),
    ]
    assert export.title == []


def test_each_section_heading_goes_to_the_records_below_it_and_to_no_message(tmp_path):
    path = tmp_path / "chats.txt"
    rule = "=" * 64
    path.write_text(
        f"消息记录\n{rule}\n消息对象:冰糖群\n{rule}\n\n"  # 1-5
        "2024-03-05 21:14:02 老K(1234567890)\n新到一批\n\n"  # 6-8
        f"{rule}\n消息分组:我的QQ群\n\n{rule}\n消息对象:代收群\n{rule}\n"  # 9-14
        "2024-03-07 10:00:00 阿强(5550001)\n到了\n",  # 15-16
        encoding="utf-8",
    )
    layout = Layout(lines=QQ.lines, continued_in="text", section=re.compile("={8,}"), section_in="chat")
    export = open_export(path, layout=layout)
    assert export.headers == ["sent_at", "sender", "qq", "text", "chat"]
    assert _rows(export) == [
        (6, ["2024-03-05 21:14:02", "老K", "1234567890", "新到一批", f"{rule}\n消息对象:冰糖群\n{rule}"]),
        (
            15,
            [
                "2024-03-07 10:00:00",
                "阿强",
                "5550001",
                "到了",
                f"{rule}\n消息分组:我的QQ群\n{rule}\n消息对象:代收群\n{rule}",
            ],
        ),
    ]
    # Without `section`, the second heading would be read as the end of the message before it.
    assert _rows(open_export(path, layout=QQ))[0][1][3].endswith("消息对象:代收群\n" + rule)


def test_skip_rows_apply_to_whole_records(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text(QQ_TEXT + "2024-03-06 09:02:30 系统消息(10000)\n小美 退出了本群\n", encoding="utf-8")
    export = open_export(path, layout=Layout(lines=QQ.lines, continued_in="text", skip=(re.compile("^系统消息$"),)))
    chunks = list(export.chunks(100))
    assert [n for c in chunks for n in c.numbers] == [5, 8, 15]
    assert [n for c in chunks for n in c.skipped] == [16]
    assert chunks[-1].final


def test_a_file_where_no_record_starts_is_refused_naming_the_pattern(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(FileRejected, match=r"notes.txt: no line in the first 1,000 starts a record .*sent_at"):
        open_export(path, layout=QQ)


def test_a_workbook_is_not_read_as_lines(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["2024-03-05 21:14:02 老K(1234567890)"])
    wb.save(tmp_path / "chat.xlsx")
    with pytest.raises(FileRejected, match="reads plain-text lines"):
        open_export(tmp_path / "chat.xlsx", layout=QQ)


def test_a_kept_lines_mapping_recognises_its_files_and_no_others(tmp_path, monkeypatch):
    """Saved on the Load page or kept in an EXPLORER_MAPPINGS folder, a `lines` mapping is detected as any
    mapping is: on the QQ export it fits, and a CSV export is still read by its own built-in mapping."""
    from explorer.config import PROJECT_ROOT
    from loaders import api

    kept = tmp_path / "mappings"
    kept.mkdir()
    (kept / "qq_group_chat.yaml").write_bytes((PROJECT_ROOT / "docs/examples/qq_group_chat.yaml").read_bytes())
    monkeypatch.setenv("EXPLORER_MAPPINGS", str(kept))
    assert api.detect_mapping(PROJECT_ROOT / "tests/data/unseen/qq_group_chat.txt").name == "qq_group_chat"
    calls = tmp_path / "calls.csv"
    calls.write_text("主叫号码,被叫号码,通话时间,通话时长\n13812345678,13600136006,2024-03-05 10:20:00,62\n")
    assert api.detect_mapping(calls).name == "cdr"
