"""docs/mappings.md's worked example is a mapping that validates and reads the example row as the doc says."""

from __future__ import annotations

import re

import openpyxl

from explorer.config import PROJECT_ROOT
from loaders import api
from loaders.mapping import load_mapping

DOC = PROJECT_ROOT / "docs" / "mappings.md"


def test_worked_example_loads_as_documented(tmp_path, monkeypatch):
    text = DOC.read_text(encoding="utf-8")
    yaml_text = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    folder = tmp_path / "my-mappings"
    folder.mkdir()
    (folder / "jd_waybills.yaml").write_text(yaml_text, encoding="utf-8")
    assert load_mapping(folder / "jd_waybills.yaml").name == "jd_waybills"
    monkeypatch.setenv("EXPLORER_MAPPINGS", str(folder))
    wb = openpyxl.Workbook()
    wb.active.append(["快件单号", "寄方手机", "寄方地址", "收方手机", "收方姓名", "收方地址", "品名", "揽件日期"])
    wb.active.append(["JD0012345", "138 1234 5678", "广东省深圳市南山区科技园1号", "13600136006", "李明",
                      "云南省昆明市五华区青年路2号", "茶叶", "2024年3月5日 10时20分"])  # fmt: skip
    path = tmp_path / "快递明细.xlsx"
    wb.save(path)
    assert api.detect_mapping(path).name == "jd_waybills"
    row = api.preview(path).iloc[0]
    assert row["_row"] == 2 and row["_rejected"] == ""
    assert row["sender_phone"] == "+8613812345678" and row["receiver_phone"] == "+8613600136006"
    assert row["sent_at"].isoformat() == "2024-03-05T10:20:00+08:00"
