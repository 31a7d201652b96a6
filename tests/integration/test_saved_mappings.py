"""A mapping of the analyst's own, added from the Load page (loaders.saved_mappings): checked as every
mapping is, kept under its name, found by detection and loads next time; a refused one writes nothing."""

from __future__ import annotations

import pytest

from explorer import audit, auth
from explorer.auth import PermissionDenied
from explorer.exceptions import InvalidMapping
from loaders import api, saved_mappings
from loaders.mapping import BUILTIN_DIR
from tests.conftest import DATA, PROJECT_ROOT

pytestmark = pytest.mark.integration

BILL = DATA / "unseen" / "wechatpay_bill.csv"
EXAMPLE = PROJECT_ROOT / "docs" / "examples" / "wechatpay_bill.yaml"


@pytest.fixture
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def test_a_saved_mapping_is_detected_and_loads_the_export(empty_graph, var, tmp_path):
    with pytest.raises(Exception, match="header looks to be on row 16"):
        api.detect_mapping(BILL)  # no mapping reads the bill yet
    mapping, sha = saved_mappings.save(EXAMPLE.read_bytes(), "my bill mapping.yaml")
    assert mapping.name == "wechatpay_bill" and len(sha) == 64
    assert mapping.path == var / "mappings" / "wechatpay_bill.yaml"
    assert mapping.path.read_bytes() == EXAMPLE.read_bytes()
    (recorded,) = audit.query(action="mapping")
    assert (recorded.what, recorded.params) == ("wechatpay_bill", {"file": "my bill mapping.yaml", "sha256": sha})
    assert "wechatpay_bill" in {m.name for m in api.list_mappings()}
    assert api.detect_mapping(BILL).name == "wechatpay_bill"  # the next bill is recognised
    summary = api.load(empty_graph, BILL, rejects_dir=tmp_path)
    assert summary.mapping == "wechatpay_bill" and summary.rows_written == 4 and summary.rows_rejected == 1
    assert empty_graph.read_value("MATCH ()-[t:TRANSFERRED]->() RETURN count(t)") == 4


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"name: calls\ncolumns: [", "is not valid YAML"),
        (b"name: cdr\n" + EXAMPLE.read_bytes().split(b"\n", 11)[-1], "is the name of a built-in mapping"),
        (EXAMPLE.read_bytes().replace(b"label: Account", b"label: Acount", 1), "Acount"),
        ("name: 话单\n".encode("gbk"), "is not UTF-8 text"),
        (b"#" * (saved_mappings.MAX_BYTES + 1), "a mapping file has at most"),
    ],
    ids=["yaml", "built-in name", "unknown label", "not utf-8", "too long"],
)
def test_a_refused_mapping_names_the_file_and_the_reason_and_keeps_nothing(var, data, reason):
    with pytest.raises(InvalidMapping, match=reason) as refused:
        saved_mappings.save(data, "upload/mine.yaml")
    assert "mine.yaml" in str(refused.value)
    assert not (var / "mappings").exists() or not any((var / "mappings").iterdir())
    assert {m.name for m in api.list_mappings()} == {p.stem for p in BUILTIN_DIR.glob("*.yaml")}


def test_a_saved_mapping_can_be_forgotten_and_a_built_in_one_cannot(var):
    saved_mappings.save(EXAMPLE.read_bytes(), "wechatpay_bill.yaml")
    assert [m.name for m in saved_mappings.saved()] == ["wechatpay_bill"]
    assert not saved_mappings.remove("cdr") and (BUILTIN_DIR / "cdr.yaml").is_file()
    assert saved_mappings.remove("wechatpay_bill")
    assert saved_mappings.saved() == [] and "wechatpay_bill" not in {m.name for m in api.list_mappings()}


def test_only_a_loader_saves_or_forgets_a_mapping(var, monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user("zhou", "analyst", "a long enough password")
    analyst = auth.get_user("zhou")
    with pytest.raises(PermissionDenied):
        saved_mappings.save(EXAMPLE.read_bytes(), "wechatpay_bill.yaml", user=analyst)
    assert saved_mappings.saved() == []
    saved_mappings.save(EXAMPLE.read_bytes(), "wechatpay_bill.yaml")  # the command line: a local administrator
    with pytest.raises(PermissionDenied):
        saved_mappings.remove("wechatpay_bill", user=analyst)
    assert [m.name for m in saved_mappings.saved()] == ["wechatpay_bill"]
