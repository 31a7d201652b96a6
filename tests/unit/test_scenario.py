"""The scenario generator: deterministic, truthful about what it wrote, and honest about its bad rows."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from devtools.scenario import Params, generate, load_truth
from devtools.scenario.exports import SOURCES

SMALL = 600


def _read(root: Path, entry: dict) -> pd.DataFrame:
    path = root / entry["file"]
    if entry["format"] == "xlsx":
        return pd.read_excel(path, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=entry["encoding"])


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scenario") / "a"
    generate(SMALL, 11, out)
    return out


def test_same_seed_gives_byte_identical_exports(small, tmp_path):
    generate(SMALL, 11, tmp_path)
    assert _digests(small) == _digests(tmp_path)


def test_another_seed_gives_another_world(small, tmp_path):
    generate(SMALL, 12, tmp_path)
    a, b = _digests(small), _digests(tmp_path)
    assert a["ground_truth.json"] != b["ground_truth.json"]


def test_every_kind_and_format_is_written(small):
    truth = load_truth(small)
    kinds = {f["kind"] for f in truth["files"]}
    assert kinds == {
        "cdr",
        "messages",
        "contacts",
        "bank_statement",
        "payments",
        "waybills",
        "posts",
        "roster",
        "logins",
    }
    assert {f["format"] for f in truth["files"]} == {"csv", "xlsx"}
    assert {"gbk", "utf-8", "utf-8-sig"} <= {f["encoding"] for f in truth["files"]}
    assert {f["headers"] for f in truth["files"]} == {"zh", "en"}
    assert sum(f["duplicated_rows"] for f in truth["files"]) > 0


def test_gbk_files_are_really_gbk(small):
    truth = load_truth(small)
    gbk = [f for f in truth["files"] if f["encoding"] == "gbk"]
    assert gbk
    for entry in gbk:
        raw = (small / entry["file"]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.decode("gbk").count("\n") == entry["rows"] + 1


def test_every_planted_member_appears_in_an_export(small):
    truth = load_truth(small)
    seen: set[str] = set()
    for entry in truth["files"]:
        text = (small / entry["file"]).read_bytes() if entry["format"] == "csv" else None
        frame = _read(small, entry) if text is None else None
        blob = text.decode(entry["encoding"]) if text is not None else frame.to_csv(index=False)
        seen.update(re.findall(r"\d{17}[\dX]", blob))
        seen.update("+86" + d[-11:] for d in re.findall(r"1\d{10}", re.sub(r"[\s-]", "", blob)))
    for ring in truth["rings"]:
        for key in ring["members"] + ring["brokers"]:
            person = truth["people"][key]
            assert person["id_number"] in seen or set(person["phones"]) & seen, key


def test_planted_bad_rows_are_exactly_the_recorded_ones(small):
    truth = load_truth(small)
    bad = truth["bad_rows"]
    assert len(bad) == 2 * len({b["file"] for b in bad}) >= len(SOURCES) - 2
    by_file: dict[str, list[dict]] = {}
    for b in bad:
        by_file.setdefault(b["file"], []).append(b)
    for entry in truth["files"]:
        frame = _read(small, entry)
        assert len(frame) == entry["rows"]
        for b in by_file.get(entry["file"], []):
            value = frame.iloc[b["row"] - 2][b["column"]]  # row 1 is the header
            if "empty" in b["reason"]:
                assert value == "", b
            else:
                assert value in b["reason"], b


def test_ground_truth_is_consistent(small):
    truth = load_truth(small)
    assert len(truth["rings"]) == Params.for_scale(SMALL).rings
    members = [k for r in truth["rings"] for k in r["members"]]
    assert len(members) == len(set(members)), "a ring member belongs to one ring"
    for key in truth["brokers"]:
        assert len(truth["people"][key]["rings"]) >= 2
        assert truth["people"][key]["role"] == "broker"
    for ring in truth["rings"]:
        roles = set(ring["roles"].values())
        assert {"organiser", "seller", "courier", "mule"} <= roles
        assert ring["drop_addresses"] and ring["mule_accounts"]
    assert truth["shared_identifiers"], "brokers listed in two rings' cases link those cases"


@pytest.mark.parametrize("scale", ["nonsense", "10"])
def test_bad_scales_are_refused_with_a_sentence(scale):
    with pytest.raises(ValueError, match="scale|Scale"):
        Params.for_scale(scale)


def test_demo_and_bench_scales_are_what_the_issue_asks():
    demo, bench = Params.for_scale("demo"), Params.for_scale("bench")
    assert 2_000 <= demo.people <= 6_000
    assert bench.people > 100 * demo.rings
