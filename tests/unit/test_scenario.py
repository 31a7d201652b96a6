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


def _all_text(root: Path, truth: dict) -> str:
    parts = []
    for entry in truth["files"]:
        if entry["format"] == "csv":
            parts.append((root / entry["file"]).read_bytes().decode(entry["encoding"]))
        else:
            parts.append(_read(root, entry).to_csv(index=False))
    return "\n".join(parts)


def test_knobs_are_on_by_default_and_recorded(small):
    truth = load_truth(small)
    knobs = truth["knobs"]
    assert knobs["params"] == Params.for_scale(SMALL).knobs()
    assert knobs["params"]["missing_share"] > 0 and knobs["params"]["alias_share"] > 0
    assert knobs["params"]["burner_weeks"] > 0
    assert knobs["decoys"]["addresses"] and knobs["decoys"]["accounts"]


def test_burners_rotate_and_only_some_are_listed(small):
    truth = load_truth(small)
    burners = truth["knobs"]["burners"]
    assert burners and all(len(b) > 1 for b in burners.values())
    later = [b for bs in burners.values() for b in bs[1:]]
    listed = sum(b["listed"] for b in later)
    assert 0 < listed < len(later)
    text = re.sub(r"[\s-]", "", _all_text(small, truth))
    used = sum(1 for b in later if b["phone"][-11:] in text)
    assert used > 0.8 * len(later), "calls continue from the new numbers"
    for key, bs in burners.items():
        assert [b["phone"] for b in bs] == truth["people"][key]["phones"][1:]
        assert [b["from_day"] for b in bs] == sorted(b["from_day"] for b in bs)


def test_missing_rows_are_dropped_at_the_share_asked(small, tmp_path):
    truth = load_truth(small)
    dropped = sum(v["dropped"] for v in truth["knobs"]["missing"].values())
    written = sum(v["written"] for v in truth["knobs"]["missing"].values())
    share = dropped / (dropped + written)
    assert 0.06 < share < 0.12  # rosters and address books are not thinned
    heavy = generate(SMALL, 11, tmp_path, missing_share=0.3)
    heavy_dropped = sum(v["dropped"] for v in heavy["knobs"]["missing"].values())
    assert heavy_dropped > 2.5 * dropped


def test_aliases_are_written_one_way_per_export(small):
    truth = load_truth(small)
    aliases = truth["knobs"]["aliases"]
    assert aliases
    pinyin = 0
    for file, names in aliases.items():
        entry = next(f for f in truth["files"] if f["file"] == file)
        text = _read(small, entry).to_csv(index=False)
        for name, written in names.items():
            assert written != name
            assert written in text, (file, name, written)
            pinyin += written.isascii()
    assert pinyin > 0


def test_decoys_are_busy_and_are_not_drops_or_mules(small):
    truth = load_truth(small)
    decoys = truth["knobs"]["decoys"]
    assert not set(decoys["addresses"]) & set(truth["drop_addresses"])
    assert not set(decoys["accounts"]) & set(truth["mule_accounts"])
    text = _all_text(small, truth)
    for address in decoys["addresses"]:
        assert text.count(address) > 100
    for account in decoys["accounts"]:
        assert text.count(account.split(":", 1)[1]) > 100


def test_plain_turns_every_knob_off(tmp_path):
    truth = generate(SMALL, 11, tmp_path, **Params.PLAIN)
    assert not any(v["dropped"] for v in truth["knobs"]["missing"].values())
    assert not truth["knobs"]["aliases"]
    assert all(len(b) == 1 for b in truth["knobs"]["burners"].values())
    assert truth["knobs"]["decoys"] == {"addresses": [], "accounts": []}
