"""Screen values: model words in the interface language, rounded numbers, local times, captions."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from explorer import human


def test_model_words_numbers_and_times_read_in_chinese():
    raw = pd.DataFrame(
        [{"label": "Person", "role": "broker", "type": "CALLED", "score": 0.0153412, "started_at": datetime(2024, 6, 7, 23, 57, tzinfo=UTC), "note": "Person"}]
    )  # fmt: skip
    row = human.screen(raw, "zh").iloc[0].to_dict()
    assert row["类型"] == "人员" and row["角色"] == "中间人" and row["关系类型"] == "通话"
    assert row["得分"] == 0.0153
    assert row["开始时间"] == "2024-06-08 07:57 (+08:00)"
    assert row["note"] == "Person"  # other text stays as written


def test_unknown_columns_are_spaced_out_and_kept_when_two_share_a_caption():
    raw = pd.DataFrame([{"rows_read": 5, "rows_seen_twice": 1, "account": "a", "account_id": "b"}])
    shown = human.screen(raw, "en")
    assert list(shown.columns) == ["rows read", "rows seen twice", "account", "account_id"]
