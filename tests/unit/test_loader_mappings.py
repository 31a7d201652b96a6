"""Every mapping file parses; errors name the file and the key; headers pick the mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from explorer.exceptions import InvalidMapping
from loaders.mapping import BUILTIN_DIR, all_mappings, load_mapping

EXPECTED = {
    "cdr": ["caller", "callee", "start_time", "duration_s"],
    "messages": ["sender", "receiver", "sent_at", "app", "text"],
    "contacts": ["owner_phone", "contact_name", "contact_phone"],
    "bank_statement": ["account_no", "holder_name", "counterparty_account", "counterparty_name", "direction", "amount",
                       "at", "memo", "bank"],
    "payments": ["platform", "payer_account", "payer_name", "payee_account", "payee_name", "amount", "at", "memo",
                 "order_no"],
    "waybills": ["waybill", "courier", "sender_name", "sender_phone", "sender_address", "receiver_name",
                 "receiver_phone", "receiver_address", "item", "weight_kg", "sent_at", "delivered_at"],
    "posts": ["site", "site_kind", "post_id", "handle", "handle_platform", "posted_at", "text", "contact_phone",
              "payment_handle", "payment_platform"],
    "roster": ["case_id", "case_title", "name", "id_number", "phone", "address", "role", "account_platform",
               "account_handle", "birth_date", "birth_year"],
    "logins": ["platform", "handle", "ip", "imei", "at"],
    "edge_list": ["source", "target", "weight", "type"],
}  # fmt: skip


def test_builtin_mappings_have_the_agreed_columns():
    mappings = all_mappings()
    assert {"adjacency", "pole"} | set(EXPECTED) <= set(mappings)
    for name, columns in EXPECTED.items():
        assert list(mappings[name].columns) == columns, name


@pytest.mark.parametrize("path", sorted(BUILTIN_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_mapping_file_parses(path):
    assert load_mapping(path).name == path.stem


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((BUILTIN_DIR / "cdr.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda d: d["columns"]["caller"].update(normaliser="telephone"), "columns.caller.normaliser"),
        (lambda d: d["nodes"]["caller"].update(key="phone_no"), "nodes.caller.key"),
        (lambda d: d["nodes"]["caller"].update(label="Telephone"), "nodes.caller.label"),
        (lambda d: d["relationships"][0].update(type="RANG"), "relationships[0].type"),
        (lambda d: d["nodes"]["caller"].update(value="{calling}"), "nodes.caller.value"),
        (lambda d: d["relationships"][0].update({"from": "nobody"}), "relationships[0].from"),
        (lambda d: d["relationships"][0].update(type="CALLED; DROP"), "relationships[0].type"),
        (
            lambda d: d["columns"]["callee"]["aliases"].append("主叫号码"),
            "columns.caller.aliases",
        ),  # safe_dump sorts: callee is read first
        (lambda d: d.update(colums={}), "colums"),
    ],
)
def test_invalid_mapping_names_file_and_key(tmp_path, change, key):
    path = _broken(tmp_path, change)
    with pytest.raises(InvalidMapping) as e:
        load_mapping(path)
    assert str(path) in str(e.value) and key in str(e.value)
