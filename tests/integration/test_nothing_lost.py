"""Nothing is lost without a word: unused columns listed and evidence-like ones warned about, a load whose
every row is rejected exits 3 (load and load-dir), and the no-fit message names the closest mappings."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j._sync.work.transaction import TransactionBase
from neo4j.exceptions import SessionExpired

from explorer.exceptions import FileRejected
from loaders import api, queries
from loaders.__main__ import ALL_REJECTED, main

pytestmark = pytest.mark.integration

# A courier's waybills: the built-in `waybills` mapping fits, but 收货人详细地址 is no alias of it.
WAYBILLS = (
    "运单号,寄件人电话,收件人,收件人电话,收货人详细地址,寄件时间\n"
    "SF2001,13812345678,李明,13600136006,云南省昆明市五华区青年路2号,2024-03-05 10:20\n"
    "SF2002,13812345678,赵六,15012345678,云南省昆明市盘龙区北京路9号,2024-03-06 15:00\n"
)
# A WeChat export under SMS headers: `messages` fits the headers, and every wxid is "not a phone number".
CHATS = "发送方,接收方,发送时间,内容\nwxid_seller88,wxid_buyer01,2024-03-05 10:20,在吗\nwxid_buyer01,wxid_seller88,2024-03-05 10:21,到付\n"
CALLS = "主叫号码,被叫号码,开始时间,通话时长\n13812345678,13600136006,2024-03-05 10:00,60\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_names_an_unused_address_column(tmp_path, capsys):
    path = _write(tmp_path / "waybills.csv", WAYBILLS)
    assert main(["load", str(path), "--dry-run", "--rejects-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "with mapping waybills" in out
    assert "columns no mapping column reads (not loaded): 收货人详细地址" in out
    assert "WARNING: column '收货人详细地址' looks like an address" in out


def test_load_summary_carries_unused_columns_and_warnings(empty_graph, tmp_path):
    path = _write(tmp_path / "waybills.csv", WAYBILLS)
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert summary.rows_written == 2
    assert summary.unused_columns == ["收货人详细地址"]
    assert [w.split(" looks like ")[1].split(" (")[0] for w in summary.warnings] == ["an address"]
    # The warning is about real loss: no parcel got a delivery address.
    assert empty_graph.read_value("MATCH (:Parcel)-[r:DELIVERED_TO]->() RETURN count(r)") == 0


def test_every_row_rejected_exits_3(empty_graph, tmp_path, capsys):
    path = _write(tmp_path / "wechat.csv", CHATS)
    assert main(["load", str(path), "--dry-run", "--rejects-dir", str(tmp_path)]) == ALL_REJECTED == 3
    assert main(["load", str(path), "--rejects-dir", str(tmp_path)]) == ALL_REJECTED
    err = capsys.readouterr().err
    assert "every row was rejected in wechat.csv" in err
    assert empty_graph.read_value("MATCH ()-[r:MESSAGED]->() RETURN count(r)") == 0
    # Nothing was written, yet the load is on record, complete, with its file and counts.
    load = empty_graph.read("MATCH (l:Load) RETURN l {.*} AS l").rows()[0]["l"]
    assert (load["file"], load["status"], load["rows_read"], load["rows_rejected"]) == ("wechat.csv", "complete", 2, 2)
    assert load["started_at"] <= load["finished_at"]
    rejects = (tmp_path / "wechat.messages.rejects.csv").read_text(encoding="utf-8-sig")
    assert rejects.count("not a valid phone number") == 2


def test_load_dir_loads_the_rest_and_exits_3_naming_the_file(empty_graph, tmp_path, capsys):
    folder = tmp_path / "case"
    folder.mkdir()
    _write(folder / "calls.csv", CALLS)
    _write(folder / "wechat.csv", CHATS)
    assert main(["load-dir", str(folder), "--rejects-dir", str(tmp_path / "rejects")]) == ALL_REJECTED
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert errors == ["error: every row was rejected in wechat.csv; see the rejects files."]
    assert empty_graph.read_value("MATCH ()-[r:CALLED]->() RETURN count(r)") == 1


def test_a_load_with_some_good_rows_exits_0(empty_graph, tmp_path):
    path = _write(tmp_path / "calls.csv", CALLS + "not-a-phone,13600136006,2024-03-05 11:00,10\n")
    assert main(["load", str(path), "--rejects-dir", str(tmp_path)]) == 0
    assert empty_graph.read_value("MATCH ()-[r:CALLED]->() RETURN count(r)") == 1


def test_no_fit_names_closest_mappings_matched_and_missing_columns(tmp_path):
    path = _write(
        tmp_path / "parcels.csv", "单号,寄件人,收件人,收件地址\nZT1,王强(13812345678),李明(13600136006),昆明\n"
    )
    with pytest.raises(FileRejected) as e:
        api.detect_mapping(path)
    message = str(e.value)
    assert "Closest: waybills (matched waybill=单号, sender_name=寄件人, receiver_name=收件人, " in message
    assert "missing sender_phone, receiver_phone)" in message


def test_a_file_with_every_row_rejected_keeps_its_load_after_a_transient_error(tmp_path, empty_graph, monkeypatch):
    """Nothing written: the Load's start goes with its finish, and a second run of that transaction sends it
    again (taken out of the writer once, not on each run)."""
    chats = tmp_path / "wechat.csv"
    chats.write_text(
        "发送方,接收方,发送时间,内容\nwxid_seller88,wxid_buyer01,2024-03-05 10:20,在吗\n", encoding="utf-8"
    )
    finish, runs = queries.LOAD_FINISH, []

    def first_run_fails(self, cypher, *args, **kwargs):
        if cypher == finish:
            runs.append(1)
            if len(runs) == 1:
                raise SessionExpired("the connection was lost before the commit")
        return run_statement(self, cypher, *args, **kwargs)

    run_statement = TransactionBase.run
    monkeypatch.setattr(TransactionBase, "run", first_run_fails)
    summary = api.load(empty_graph, chats, rejects_dir=tmp_path)
    monkeypatch.undo()
    assert summary.rows_rejected == 1 and len(runs) == 2
    load = empty_graph.read("MATCH (l:Load) RETURN l.file AS file, l.status AS status").rows()
    assert load == [{"file": "wechat.csv", "status": "complete"}]
