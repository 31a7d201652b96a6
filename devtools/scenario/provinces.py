"""The world split over provinces: each ring's cases sit in several centres, linked only by what they share.

`generate(..., provinces=3)` writes one folder per province (`p1`, `p2`, `p3`), each holding the
suspect roster of the cases that province investigates, and `provinces.json` with the ground truth
of every cross-centre link. Each ring is split in three parts: its source (organisers) in one
province, its sellers in the next, its couriers and mules in the third, one case per part. A case
learns of a person of another part (the upstream organiser a seller names, the seller a courier
delivers for) and lists them too, in one of three ways:

- `exact`: with the registered name, ID number and phone, as the other province lists them;
- `phone`: without an ID number, with another spelling of the name (pinyin, a homophone, a dropped
  or swapped character), the birth date and the same phone;
- `name`: as `phone`, but with a local number nobody else has: only the name and birth date link it.

About one pair in five of a ring's neighbouring parts lists no one of the other (no link). The
truth lists every pair of cases in two provinces that share a person or an identifier value.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from devtools.scenario import names as V
from devtools.scenario.exports import name_variant
from devtools.scenario.truth import e164
from devtools.scenario.world import COURIER, MULE, ORGANISER, SELLER, World

TRUTH_FILE = "provinces.json"
ROSTER_FILE = "roster.csv"
COLUMNS = ["case_id", "case_title", "name", "id_number", "phone", "address", "role", "account_platform",
           "account_handle", "birth_date"]  # fmt: skip
PARTS = ((ORGANISER,), (SELLER,), (COURIER, MULE))
PART_TITLES = ("源头", "贩卖", "运送")
MODES = ("exact", "phone", "name")
UNLINKED_SHARE = 0.2


def province_names(count: int) -> list[str]:
    return [f"p{i + 1}" for i in range(count)]


def write_provinces(world: World, out: Path, count: int) -> dict[str, Any]:
    """Write the provinces' rosters under `out` and return (and write) the ground truth."""
    if count < 2:
        raise ValueError(f"provinces={count}: a split needs at least two provinces.")
    rng = np.random.default_rng([world.seed, 700])  # a stream of its own: the world does not move
    names = province_names(count)
    rows: dict[str, list[dict[str, str]]] = {p: [] for p in names}
    # (province, case) -> the world persons and identifier values it lists
    listed: dict[tuple[str, str], set[str]] = defaultdict(set)
    planted: list[dict[str, Any]] = []
    taken = {int(n) for n in world.phone_number.tolist()}
    fresh = iter(n for n in V.phone_numbers(np.arange(10**6), 7_001).tolist() if int(n) not in taken)

    def add(province: str, case: tuple[str, str], values: dict[str, Any]) -> None:
        row = dict.fromkeys(COLUMNS, "")
        row.update({"case_id": case[0], "case_title": case[1]})
        row.update({k: str(v) for k, v in values.items() if v not in (None, "")})
        rows[province].append(row)
        key = (province, case[0])
        if row["id_number"]:
            listed[key].add(f"id:{row['id_number']}")
        if row["phone"]:
            listed[key].add(e164(int(row["phone"])))
        if row["account_handle"]:
            listed[key].add(f"{row['account_platform']}:{row['account_handle']}")
        if row["address"]:
            listed[key].add(f"address:{row['address']}")

    for r in range(world.params.rings):
        members = world.members_of(r)
        city_name, _, code = V.CITIES[(r * 7 + world.seed) % len(V.CITIES)]
        cases = []
        for k, roles in enumerate(PARTS):
            province = names[(r + k) % count]
            case = (f"A{code}2024{r:05d}{'SPC'[k]}", f"{city_name[-3:-1]}{PART_TITLES[k]}贩毒案")
            part = [int(x) for x in members.tolist() if world.role[x] in roles]
            cases.append((province, case, part))
            for x in part:
                _list_fully(world, x, lambda values, p=province, c=case: add(p, c, values))
                listed[(province, case[0])].add(f"person:{x}")
        for (pa, _, part_a), (pb, case_b, _) in itertools.pairwise(cases):
            if pa == pb or rng.random() < UNLINKED_SHARE:
                continue
            x = part_a[int(rng.integers(0, len(part_a)))]
            mode = MODES[int(rng.integers(0, len(MODES)))]
            idn = world.id_number(np.array([x]))[0]
            if mode == "exact":
                values = {"name": world.names[x], "id_number": idn, "phone": world.listed_phones(x)[0]}
            else:
                phone = world.listed_phones(x)[0] if mode == "phone" else next(fresh)
                values = {"name": name_variant(world.names[x], int(rng.integers(0, 1000))), "phone": phone,
                          "birth_date": f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}"}  # fmt: skip
            values["role"] = "上线"
            add(pb, case_b, values)
            listed[(pb, case_b[0])].add(f"person:{x}")
            planted.append({"person": f"id:{idn}", "mode": mode, "from": pa, "to": pb, "case": case_b[0],
                            "written_as": values["name"]})  # fmt: skip
    for province, province_rows in rows.items():
        folder = out / province
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ROSTER_FILE).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS)
            writer.writeheader()
            writer.writerows(province_rows)
    links = []
    for (ka, va), (kb, vb) in itertools.combinations(sorted(listed.items()), 2):
        if ka[0] != kb[0] and (shared := va & vb):
            links.append({"a": list(ka), "b": list(kb), "shared": len(shared)})
    truth = {
        "seed": world.seed,
        "provinces": names,
        "cases": {p: sorted({row["case_id"] for row in rows[p]}) for p in names},
        "rows": {p: len(rows[p]) for p in names},
        "planted": planted,
        "links": links,
    }
    (out / TRUTH_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return truth


def _list_fully(world: World, x: int, add: Any) -> None:
    """Person x as their own province lists them: one row per phone or account, registered name and ID."""
    idn = world.id_number(np.array([x]))[0]
    phones = world.listed_phones(x)
    accounts = [("wechat", str(world.wechat([x])[0])), ("alipay", str(world.alipay([x])[0]))]
    accounts += [("bank", str(world.bank_card([x], k)[0])) for k in range(world.mule_cards(x))]
    for j in range(max(len(phones), len(accounts))):
        platform, handle = accounts[j] if j < len(accounts) else ("", "")
        add({"name": world.names[x], "id_number": idn, "phone": phones[j] if j < len(phones) else "",
             "address": world.homes[x] if j == 0 else "", "role": "成员", "account_platform": platform,
             "account_handle": handle})  # fmt: skip


def score(truth: dict[str, Any], found: set[frozenset[tuple[str, str]]], refer: Any) -> dict[str, Any]:
    """Precision and recall of cross-centre case links against the truth.

    `found` holds links as pairs of (centre, case reference) and `refer(province, case_id)` gives the
    (centre, case reference) a province's case has in the indexes (the centre's name and its keyed hash).
    """
    expected = {frozenset(refer(*side) for side in (link["a"], link["b"])) for link in truth["links"]}
    hits = len(found & expected)
    return {
        "expected": len(expected),
        "found": len(found),
        "true_positives": hits,
        "precision": hits / len(found) if found else 0.0,
        "recall": hits / len(expected) if expected else 1.0,
    }
