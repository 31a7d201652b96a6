"""A second wave of exports for early warning: one planted event per alert rule, among unplanted noise.

After the first wave is loaded and analysed, `generate_wave(graph, out)` reads the graph (rings and
roles as the analytics drew them, the links already there) and writes a folder of exports that a
`load_dir` reads like any other, with `wave_truth.json`: each planted event with the rule it must
raise and the evidence keys of that alert, the watches to add before the load (a hit and a miss),
and the noise: calls, payments, parcels and posts that repeat what the first wave already showed
(the same people, accounts and addresses at new times), which must raise nothing.

`python -m devtools.scenario wave --out DIR` is the command line; `score_wave` compares raised alerts
with the truth (precision and recall).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from devtools.scenario.world import COLUMNS
from explorer import identifiers
from explorer.db import Graph

WAVE_TRUTH = "wave_truth.json"
WAVE_DAY = "2024-07-15"  # the first wave covers the first half of 2024

RING_PEOPLE = """
MATCH (p:Person)-[:HAS_PHONE]->(ph:Phone)
WHERE p.ring_id IS NOT NULL AND NOT coalesce(p.role, 'member') IN ['organiser', 'broker']
WITH p, min(ph.number) AS phone
RETURN p.person_id AS person_id, p.ring_id AS ring_id, phone
ORDER BY person_id
"""
LEADERS = """
MATCH (p:Person)-[:HAS_PHONE]->(ph:Phone)
WHERE p.ring_id IS NOT NULL AND p.role IN ['organiser', 'broker']
WITH p, min(ph.number) AS phone
RETURN p.person_id AS person_id, p.ring_id AS ring_id, phone
ORDER BY person_id
"""
LINKED = """
MATCH (a:Person {person_id: $a}), (b:Person {person_id: $b})
RETURN EXISTS {
  MATCH (a)-[:HAS_PHONE|HAS_ACCOUNT]->()-[:CALLED|MESSAGED|TRANSFERRED|HAS_CONTACT]-()<-[:HAS_PHONE|HAS_ACCOUNT]-(b)
} AS linked
"""
CALL_PAIRS = """
MATCH (a:Phone)-[:CALLED]->(b:Phone)
RETURN DISTINCT a.number AS caller, b.number AS callee
ORDER BY caller, callee
"""
TRANSFER_PAIRS = """
MATCH (a:Account)-[:TRANSFERRED]->(b:Account)
WHERE a.platform = b.platform AND a.platform IN ['alipay', 'wechatpay'] AND a.handle IS NOT NULL AND b.handle IS NOT NULL
RETURN DISTINCT a.platform AS platform, a.handle AS payer, b.handle AS payee
ORDER BY platform, payer, payee
"""
PARCEL_ROUTES = """
MATCH (s:Phone)-[:SENT]->(p:Parcel)-[:DELIVERED_TO]->(a:Address), (p)-[:RECEIVED_BY]->(r:Phone)
RETURN DISTINCT s.number AS sender, r.number AS receiver, coalesce(a.text, a.address_id) AS address
ORDER BY sender, receiver, address
"""
POSTERS = """
MATCH (h:Account)-[:POSTED]->(:Post)-[:POSTED_ON]->(s:Site)
RETURN DISTINCT h.account_id AS account_id, h.handle AS handle, h.platform AS platform, s.name AS site,
       s.kind AS kind
ORDER BY account_id, site
"""
ALL_PHONES = "MATCH (ph:Phone) RETURN ph.number AS number"
UNUSED_PHONES = """
MATCH (ph:Phone) WHERE NOT ph.number IN $used
RETURN ph.number AS number ORDER BY number LIMIT 1
"""

SLANG_TEXTS = ["果子到货,量大从优,同城闪送", "冰糖现货,老客户优先,加飞机详聊", "奶茶到货,懂的来", "叶子上新,走快递"]


def _fresh_phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = f"+86199{rng.randrange(10**7, 10**8)}"
        if number not in taken:
            taken.add(number)
            return number


def _time(hour: int, minute: int = 0, day: str = WAVE_DAY) -> str:
    return f"{day} {hour:02d}:{minute:02d}:00"


def _write(out: Path, name: str, kind: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    path = out / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS[kind])
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS[kind]})
    return {"file": name, "kind": kind, "rows": len(rows)}


def _pick_ring_pair(graph: Graph, rng: random.Random) -> tuple[dict, dict]:
    people = graph.read(RING_PEOPLE).rows()
    rng.shuffle(people)
    for a in people:
        for b in people:
            if a["ring_id"] == b["ring_id"] or a["phone"] == b["phone"]:
                continue
            if not graph.read(LINKED, {"a": a["person_id"], "b": b["person_id"]}).records[0]["linked"]:
                return a, b
    raise ValueError("The graph has no two unlinked members of different rings: load and analyse a first wave.")


def generate_wave(graph: Graph, out: str | Path, seed: int = 11, noise: int = 20) -> dict[str, Any]:
    """Write the second wave's exports and `wave_truth.json` into `out`; return the truth."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    taken = {r["number"] for r in graph.read(ALL_PHONES).rows()}
    planted: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    parcels: list[dict[str, Any]] = []
    posts: list[dict[str, Any]] = []

    # A new link between two rings: two members who never spoke call each other.
    a, b = _pick_ring_pair(graph, rng)
    calls.append({"caller": a["phone"], "callee": b["phone"], "start_time": _time(9, 5), "duration_s": 184})
    planted.append({"rule": "ring_link", "evidence": sorted([a["phone"], b["phone"]])})

    # A new person near the top: an unknown phone calls an organiser or broker.
    leaders = graph.read(LEADERS).rows()
    if not leaders:
        raise ValueError("The analytics found no organiser or broker: load and analyse a first wave.")
    leader = rng.choice(leaders)
    stranger = _fresh_phone(rng, taken)
    calls.append({"caller": stranger, "callee": leader["phone"], "start_time": _time(10, 40), "duration_s": 61})
    planted.append({"rule": "leader_contact", "evidence": [leader["phone"], stranger]})

    # An address turning into a drop: three phones never seen before send parcels to a new address.
    drop = f"广东省东莞市南城区新丰路{rng.randrange(100, 999)}号鸿福公寓{rng.randrange(1, 30)}栋{rng.randrange(101, 2999)}室"
    receiver = _fresh_phone(rng, taken)
    for i in range(3):
        parcels.append({"waybill": f"SFW2{seed:03d}{i:06d}", "courier": "顺丰", "sender_name": f"寄件人{i}",
                        "sender_phone": _fresh_phone(rng, taken), "receiver_name": "陈先生",
                        "receiver_phone": receiver, "receiver_address": drop, "item": "日用品", "weight_kg": 0.5,
                        "sent_at": _time(8 + i), "delivered_at": _time(20 + i // 2)})  # fmt: skip
    planted.append({"rule": "drop_address", "evidence": [identifiers.normalise("address", drop)]})

    # A mule starting: a new account takes from three payers and passes the money on to two payees.
    mule = f"w2mule{seed}"
    for i in range(3):
        payments.append({"platform": "alipay", "payer_account": f"w2payer{seed}x{i}", "payee_account": mule,
                         "amount": 1000 + i, "at": _time(11, 10 * i), "order_no": f"W2IN{seed}{i}"})  # fmt: skip
    for i in range(2):
        payments.append({"platform": "alipay", "payer_account": mule, "payee_account": f"w2payee{seed}x{i}",
                         "amount": 1400, "at": _time(13, 10 * i), "order_no": f"W2OUT{seed}{i}"})  # fmt: skip
    planted.append({"rule": "mule_account", "evidence": [f"alipay:{identifiers.handle(mule)}"]})

    # A burst of slang posts: one account posts four adverts within two hours.
    posters = graph.read(POSTERS).rows()
    burst_by = rng.choice(posters) if posters else None
    handle = burst_by["handle"] if burst_by else f"w2seller{seed}"
    platform = burst_by["platform"] if burst_by else "telegram"
    site = (burst_by["site"], burst_by["kind"]) if burst_by else ("暗语交易群", "group")
    for i in range(4):
        posts.append({"site": site[0], "site_kind": site[1], "post_id": f"W2-{seed}-{i}", "handle": handle,
                      "handle_platform": platform, "posted_at": _time(15 + i // 2, 30 * (i % 2)), "text": SLANG_TEXTS[i]})  # fmt: skip
    planted.append({"rule": "slang_burst", "evidence": [f"{platform}:{handle}", WAVE_DAY]})

    # Noise: what the first wave already showed, again, at new times.
    pairs = graph.read(CALL_PAIRS).rows()
    repeated = rng.sample(pairs, min(noise, len(pairs)))
    for i, pair in enumerate(repeated):
        calls.append({"caller": pair["caller"], "callee": pair["callee"], "start_time": _time(12 + i % 10, i),
                      "duration_s": 30 + i})  # fmt: skip
    transfers = graph.read(TRANSFER_PAIRS).rows()
    for i, pair in enumerate(rng.sample(transfers, min(noise, len(transfers)))):
        payments.append({"platform": pair["platform"], "payer_account": pair["payer"], "payee_account": pair["payee"],
                         "amount": 200 + i, "at": _time(16, i), "order_no": f"W2N{seed}{i:04d}"})  # fmt: skip
    routes = graph.read(PARCEL_ROUTES).rows()
    for i, route in enumerate(rng.sample(routes, min(noise, len(routes)))):
        parcels.append({"waybill": f"SFW2N{seed:03d}{i:06d}", "courier": "顺丰", "sender_phone": route["sender"],
                        "receiver_phone": route["receiver"], "receiver_address": route["address"], "item": "衣物",
                        "sent_at": _time(9, i)})  # fmt: skip
    others = [p for p in posters if p["account_id"] != (burst_by or {}).get("account_id")]
    for i, poster in enumerate(rng.sample(others, min(5, len(others)))):
        # One advert each, days apart: an account's ordinary pace, not a burst.
        posts.append({"site": poster["site"], "site_kind": poster["kind"], "post_id": f"W2N-{seed}-{i}",
                      "handle": poster["handle"], "handle_platform": poster["platform"],
                      "posted_at": _time(10, 0, day=f"2024-07-{16 + i:02d}"), "text": SLANG_TEXTS[i % 4]})  # fmt: skip

    # Watches: one on a phone the noise calls touch (a hit), one on a phone the wave leaves alone (no hit).
    hit = repeated[0]["caller"] if repeated else a["phone"]
    used = sorted({c["caller"] for c in calls} | {c["callee"] for c in calls}
                  | {p["sender_phone"] for p in parcels} | {p["receiver_phone"] for p in parcels})  # fmt: skip
    quiet = graph.read(UNUSED_PHONES, {"used": used}).records
    watches = [{"kind": "phone", "value": hit, "reason": "wave test: appears in the second wave"}]
    if quiet:
        watches.append({"kind": "phone", "value": quiet[0]["number"], "reason": "wave test: absent from the wave"})
    planted.append({"rule": "watched_identifier", "evidence": [f"phone:{hit}", f"Phone:{hit}"]})

    files = [
        _write(out, "wave2_cdr.csv", "cdr", calls),
        _write(out, "wave2_payments.csv", "payments", payments),
        _write(out, "wave2_waybills.csv", "waybills", parcels),
        _write(out, "wave2_posts.csv", "posts", posts),
    ]
    truth = {"seed": seed, "planted": planted, "watches": watches, "files": files,
             "noise_rows": sum(f["rows"] for f in files) - (2 + 3 + 5 + 4)}  # fmt: skip
    (out / WAVE_TRUTH).write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def load_wave_truth(directory: str | Path) -> dict[str, Any]:
    return json.loads((Path(directory) / WAVE_TRUTH).read_text(encoding="utf-8"))


def score_wave(truth: dict[str, Any], raised: Iterable[tuple[str, list[str]]]) -> dict[str, Any]:
    """Precision and recall of raised alerts (rule, evidence) against the planted events."""
    expected = {(p["rule"], tuple(p["evidence"])) for p in truth["planted"]}
    got = [(rule, tuple(evidence)) for rule, evidence in raised]
    hits = [g for g in got if g in expected]
    return {
        "planted": len(expected),
        "raised": len(got),
        "precision": len(hits) / len(got) if got else 1.0,
        "recall": len(set(hits)) / len(expected) if expected else 1.0,
        "missed": sorted(expected - set(got)),
        "unplanted": sorted(set(got) - expected),
    }
