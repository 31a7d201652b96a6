"""Chat exports between accounts, and the exact count of duplicate rows in a load summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from loaders import api
from tests.loader_helpers import counts

pytestmark = pytest.mark.integration
SAMPLES = PROJECT_ROOT / "tests" / "data" / "samples"


def test_chat_export_links_accounts_and_groups(empty_graph, tmp_path):
    summary = api.load(empty_graph, SAMPLES / "chat_messages.csv", rejects_dir=tmp_path)
    assert summary.mapping == "chat_messages"
    messages = empty_graph.read(
        "MATCH (a:Account)-[m:MESSAGED]->(b:Account) "
        "RETURN a.account_id AS a, b.account_id AS b, m.app AS app, toString(m.at) AS at, m.message_id AS id, "
        "m.slang_terms AS slang, m.row AS row, size(m.sources) AS seen ORDER BY row",
        checked=True,
    ).rows()
    assert [(m["a"], m["b"], m["id"], m["at"], m["row"], m["seen"]) for m in messages] == [
        ("wechat:wxid_a1b2c3", "wechat:wxid_x9y8z7", "M001", "2024-03-05T10:20:00+08:00", 2, 2),
        ("wechat:wxid_x9y8z7", "wechat:wxid_a1b2c3", "M002", "2024-03-05T10:21:30+08:00", 3, 1),
        ("qq:10001234", "qq:20005678", "Q1", "2024-03-05T11:00:00+08:00", 4, 1),
        ("telegram:dealer_01", "telegram:Buyer_77", "T1", "2024-03-05T12:00:00+08:00", 5, 1),
        ("telegram:dealer_01", "telegram:buyer_77b", "T2", "2024-03-06T09:00:00+08:00", 11, 1),
    ]
    assert messages[0]["slang"] == ["冰毒"]
    assert {m["app"] for m in messages} == {"wechat", "qq", "telegram"}
    group = empty_graph.read(
        "MATCH (a:Account)-[m:MESSAGED_IN]->(g:Site) "
        "RETURN a.account_id AS a, g.site_id AS g, g.kind AS kind, m.text AS text, m.slang_terms AS slang",
        checked=True,
    ).rows()
    assert group == [
        {"a": "wechat:wxid_a1b2c3", "g": "group:城中村兄弟群", "kind": "group", "text": "今晚 现货", "slang": ["现货"]}
    ]
    nick = empty_graph.read_value("MATCH (a:Account {account_id: 'wechat:wxid_x9y8z7'}) RETURN a.nickname")
    assert nick == "小李"
    with summary.rejects_path.open(encoding="utf-8-sig") as f:
        reasons = [line.split(",")[2] for line in f.read().splitlines()[1:]]
    assert reasons == [
        "receiver_account and group are both empty",
        "not a date and time: '昨天'",
        "unknown account platform: '抖音'",
    ]


def test_chat_messages_meet_the_group_of_a_scrape(empty_graph, tmp_path):
    scrape = tmp_path / "scrape.tsv"
    scrape.write_text(
        "site\tsite_kind\tpost_id\thandle\thandle_platform\tposted_at\ttext\n"
        "城中村兄弟群\t微信群\t\twxid_a1b2c3\twechat\t2024-03-04 20:00\t有货\n",
        encoding="utf-8",
    )
    api.load(empty_graph, scrape, rejects_dir=tmp_path)
    api.load(empty_graph, SAMPLES / "chat_messages.csv", rejects_dir=tmp_path)
    # One group Site and one account for wxid_a1b2c3, reached from both exports.
    assert empty_graph.read_value("MATCH (s:Site {site_id: 'group:城中村兄弟群'}) RETURN size(s.loads)") == 2
    assert empty_graph.read_value("MATCH (a:Account {account_id: 'wechat:wxid_a1b2c3'}) RETURN size(a.loads)") == 2


def test_chat_mapping_without_receiver_or_group_column_is_refused(empty_graph, tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text("聊天平台,发送者账号,消息时间\n微信,wxid_a,2024-03-05 10:00\n", encoding="utf-8")
    with pytest.raises(Exception, match="receiver_account or group"):
        api.load(empty_graph, path, "chat_messages", rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


# -- duplicates_merged is exact ------------------------------------------------

HEADER = "caller,callee,start_time,duration_s\n"
CALL = {
    "a": "13800138001,13800138002,2024-03-01 10:00:00,60\n",
    "b": "13800138002,13800138003,2024-03-01 11:00:00,30\n",
    "c": "13800138003,13800138001,2024-03-01 12:00:00,45\n",
    "d": "13800138001,13800138003,2024-03-01 13:00:00,15\n",
    "e": "13800138004,13800138001,2024-03-01 14:00:00,5\n",
}


def _calls(path: Path, keys: str) -> Path:
    path.write_text(HEADER + "".join(CALL[k] for k in keys), encoding="utf-8")
    return path


@pytest.mark.parametrize("batch_size", [2, 3, 100])
def test_duplicates_merged_counts_repeated_rows_exactly(empty_graph, tmp_path, batch_size):
    # Rows: a b a c a b  -> 3 calls; rows 4, 6, 7 repeat earlier rows (within a chunk or across chunks).
    first = api.load(empty_graph, _calls(tmp_path / "first.csv", "abacab"), "cdr", rejects_dir=tmp_path,
                     batch_size=batch_size)  # fmt: skip
    assert (first.rows_written, first.duplicates_merged, first.relationships_created) == (6, 3, 3)
    # A second export sharing calls b and c with the first: 2 of its 4 rows met existing calls.
    second = api.load(empty_graph, _calls(tmp_path / "second.csv", "bcde"), "cdr", rejects_dir=tmp_path,
                      batch_size=batch_size)  # fmt: skip
    assert (second.duplicates_merged, second.relationships_created) == (2, 2)
    # Loading the first file again: every row's call exists.
    again = api.load(empty_graph, tmp_path / "first.csv", "cdr", rejects_dir=tmp_path, batch_size=batch_size)
    assert (again.duplicates_merged, again.relationships_created) == (6, 0)
    assert counts(empty_graph) == (4, 5)


def test_rejected_rows_are_not_duplicates(empty_graph, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + CALL["a"] + CALL["a"].replace("13800138002", "123") + CALL["a"], encoding="utf-8")
    summary = api.load(empty_graph, path, "cdr", rejects_dir=tmp_path, batch_size=2)
    assert (summary.rows_read, summary.rows_rejected, summary.rows_written, summary.duplicates_merged) == (3, 1, 2, 1)


# -- the command line ------------------------------------------------------------


def test_cli_lists_checks_and_loads(empty_graph, tmp_path, capsys):
    from loaders.__main__ import main

    assert main(["mappings"]) == 0
    listed = capsys.readouterr().out
    assert "chat_messages" in listed and "needs: platform, sender_account, sent_at" in listed
    sample = str(SAMPLES / "chat_messages.csv")
    assert main(["load", sample, "--dry-run", "--rejects-dir", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "Checked (dry run, nothing written) chat_messages.csv with mapping chat_messages" in out.out
    assert "rows read 10, written 7, rejected 3, duplicates merged 1" in out.out
    assert "rows/s" in out.err and "3 rejects" in out.err  # the progress bar
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}
    assert main(["load", sample, "--rejects-dir", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "Loaded chat_messages.csv with mapping chat_messages" in out.out
    # 7 accounts and a group, and the 6 distinct messages as Message nodes; 6 MESSAGED(_IN) events, and
    # per message WROTE plus ADDRESSED_TO or IN_GROUP.
    assert "nodes created 14, relationships created 18" in out.out
    assert f"rejected rows (row, column, reason): {tmp_path / 'chat_messages.chat_messages.rejects.csv'}" in out.out
    assert main(["load", str(tmp_path / "missing.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
