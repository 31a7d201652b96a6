"""Screen values: model words in the interface language, rounded numbers, local times, captions."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from explorer import human


def test_model_words_numbers_and_times_read_in_chinese():
    raw = pd.DataFrame(
        [{"label": "Person", "role": "broker", "type": "CALLED", "score": 0.0153412, "started_at": datetime(2024, 6, 7, 23, 57, tzinfo=UTC), "memo": "Person"}]
    )  # fmt: skip
    row = human.screen(raw, "zh").iloc[0].to_dict()
    assert row["类型"] == "人员" and row["角色"] == "中间人" and row["关系类型"] == "通话"
    assert row["得分"] == 0.0153
    assert row["开始时间"] == "2024-06-08 07:57 (+08:00)"
    assert row["memo"] == "Person"  # other text stays as written


def test_unknown_columns_are_spaced_out_and_kept_when_two_share_a_caption():
    raw = pd.DataFrame([{"rows_read": 5, "rows_seen_twice": 1, "address": "a", "address_id": "b"}])
    shown = human.screen(raw, "en")
    assert list(shown.columns) == ["rows read", "rows seen twice", "address", "address_id"]


def test_fixed_values_and_label_lists_read_in_chinese_and_data_stays_as_written():
    sha = "ab" * 32 + ":cdr"
    raw = pd.DataFrame([
        {"kind": "ring", "status": "candidate", "source": "message", "direction": "out", "event": "TRANSFERRED",
         "leg": "received by a payer", "kinds": ["Account", "Phone"], "reason": "same name 王强"},
        {"kind": "Phone", "status": "confirmed", "source": f"{sha}#7", "direction": "in", "event": "CALLED",
         "leg": "sent by the advertiser", "kinds": ["Account", "a name"], "reason": "candidate"},
    ])  # fmt: skip
    first, second = (r.to_dict() for _, r in human.screen(raw, "zh", lambda ids: {sha: ("calls.csv", None)}).iterrows())
    assert (first["类别"], first["状态"], first["来源"]) == ("团伙", "待核实", "聊天消息")
    assert (first["方向"], first["事件"], second["方向"], second["事件"]) == ("发出", "转账", "收到", "通话")
    assert first["包裹的发现途径"] == "由付款人收件" and first["类型"] == "账户; 电话"
    assert first["原因"] == "same name 王强"  # a sentence from the data stays as written
    assert (second["类别"], second["状态"]) == ("电话", "已确认")
    assert second["来源"] == human.text("table.source", "zh", file="calls.csv", row=7)  # a load#row, not a word
    assert second["类型"] == "Account; a name"  # one item is data: the list stays as written
    assert second["原因"] == "candidate"  # a word of another column is not translated here
    english = human.screen(raw, "en").iloc[0].to_dict()
    assert english["status"] == "candidate" and english["source"] == "chat message"


def test_load_statuses_and_kinds_of_watched_identifier_read_in_chinese():
    raw = pd.DataFrame([{"kind": "phone", "status": "complete"}, {"kind": "parcel", "status": "running"}])
    first, second = (r.to_dict() for _, r in human.screen(raw, "zh").iterrows())
    assert (first["类别"], first["状态"]) == (human.text("watch.kind.phone", "zh"), "已完成")
    assert (second["类别"], second["状态"]) == (human.text("watch.kind.parcel", "zh"), "进行中或已中断")


def test_a_source_that_is_a_whole_load_reads_as_its_file_and_other_ids_stay():
    load = "cd" * 32 + ":waybills"
    files = {load: ("waybills.csv", None), "ab" * 32 + ":cdr": ("calls.csv", None)}
    raw = pd.DataFrame([{"sources": [load, "ab" * 32 + ":cdr#3"], "load_id": load}])
    shown = human.screen(raw, "en", lambda ids: files).iloc[0].to_dict()
    assert shown["sources"] == "waybills.csv (the whole load); calls.csv, row 3"
    assert shown[human.header("load_id", "en")] == load  # a load id elsewhere stays as it is, to unload by


def test_a_table_with_its_own_sha256_keeps_it_beside_its_sources_hashes():
    load = "ab" * 32 + ":cdr"
    raw = pd.DataFrame([{"file": "calls.csv", "sha256": "ef" * 32, "source": f"{load}#3"}])
    for lang in ("en", "zh"):
        shown = human.screen(raw, lang, lambda ids: {load: ("calls.csv", "ab" * 32)}).iloc[0].to_dict()
        assert shown[human.header("sha256", lang)] == "ef" * 32  # the table's own value, not overwritten
        assert "ab" * 32 in shown.values() and len(shown) == 4


def test_a_places_precision_reads_in_chinese():
    raw = pd.DataFrame([{"precision": "district"}, {"precision": "province"}, {"precision": None}])
    shown = human.screen(raw, "zh")
    assert list(shown.iloc[:, 0])[:2] == ["区县", "省份"]
