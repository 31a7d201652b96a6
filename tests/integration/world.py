"""A small planted trafficking world for the saved-investigation tests, written with Graph.write.

Two rings of four (A: 王强 organiser, 李娜 seller, 赵军 courier, 钱明 mule;
B: 孙丽, 周杰, 吴刚, 郑爽), a broker 陈博 who calls into both, a buyer known
under two names (冯买, 冯麦) on one phone, an upstream supplier, a drop address
receiving parcels from three senders, a mule account with fan-in then fan-out
and a money cycle, three cases two pairs of which share an identifier, a
slang advert, a slang chat inside ring B, two loads, and a watch list (`WATCHES`, analyst state that
lives in the analyst store, handed to the queries that take it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from explorer.db import Graph

TZ = dt.timezone(dt.timedelta(hours=8))
L1 = "0000:cdr"
L2 = "2222:waybills"
# The watch list as the analyst store gives it: one phone in the world, one that is not.
WATCHES = [
    {"watch_id": "phone:+8613800138000", "kind": "phone", "value": "+8613800138000", "reason": "tip-off",
     "added_by": "analyst", "added_at": "2024-05-01T00:00:00+00:00"},
    {"watch_id": "phone:+8613111111111", "kind": "phone", "value": "+8613111111111", "reason": "old lead",
     "added_by": "analyst", "added_at": "2024-05-01T00:00:00+00:00"},
]  # fmt: skip


def t(day: int, hour: int = 12, month: int = 5) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, 0, tzinfo=TZ)


PEOPLE = {
    # person_id: (name, phone, [accounts], loads)
    "p:a1": ("王强", "+8613800000001", ["alipay:wangqiang"], [L1]),
    "p:a2": ("李娜", "+8613800138000", ["alipay:lina", "wechat:lina_shop"], [L1, L2]),
    "p:a3": ("赵军", "+8613800000003", ["alipay:zhaojun"], [L1, L2]),
    "p:a4": ("钱明", "+8613800000004", ["alipay:mule01"], [L1]),
    "p:b1": ("孙丽", "+8613900000001", ["alipay:sunli"], [L1]),
    "p:b2": ("周杰", "+8613900139000", [], [L1]),
    "p:b3": ("吴刚", "+8613900000003", [], [L1, L2]),
    "p:b4": ("郑爽", "+8613900000004", [], [L1]),
    "p:k": ("陈博", "+8613600000001", [], [L1]),
    "name:冯买|+8613700137000": ("冯买", "+8613700137000", ["alipay:fengmai"], [L1]),
    "name:冯麦|+8613700137000": ("冯麦", "+8613700137000", [], [L1]),
    "p:s": ("上游", "+8613500000001", [], [L1]),
}
RING_A = ["p:a1", "p:a2", "p:a3", "p:a4"]
RING_B = ["p:b1", "p:b2", "p:b3", "p:b4"]
BROKER = "p:k"
DROP = "广州市天河区体育西路1号"
ORPHAN_PAYERS = ["alipay:x1", "alipay:x2", "alipay:x3"]


def phone(pid: str) -> str:
    return PEOPLE[pid][1]


def _calls() -> list[dict[str, Any]]:
    calls = []
    for ring, day in ((RING_A, 1), (RING_B, 2)):
        for i, a in enumerate(ring):
            for b in ring[i + 1 :]:
                for k in range(6):
                    calls.append({"a": phone(a), "b": phone(b), "at": t(day, 8 + k), "d": 60 + k})
    for other, n in (("p:a1", 3), ("p:a2", 2), ("p:b1", 3), ("p:b2", 2)):
        for k in range(n):
            calls.append({"a": phone(BROKER), "b": phone(other), "at": t(6, 9 + k), "d": 30})
    calls.append({"a": "+8613700137000", "b": phone("p:a2"), "at": t(1, 9), "d": 20})
    for i, c in enumerate(calls):
        c["id"] = f"call-{i}"
        c["src"] = f"{L1}#{i + 1}"
    return calls


TRANSFERS = [
    # (from, to, at, amount)
    ("alipay:fengmai", "alipay:lina", t(1, 10), 500.0),
    ("alipay:x1", "alipay:mule01", t(3, 9), 1000.0),
    ("alipay:x2", "alipay:mule01", t(3, 10), 1000.0),
    ("alipay:x3", "alipay:mule01", t(3, 11), 1000.0),
    ("alipay:mule01", "alipay:wangqiang", t(3, 15), 2800.0),
    ("alipay:wangqiang", "alipay:zhaojun", t(4, 12), 1000.0),
    ("alipay:zhaojun", "alipay:mule01", t(5, 12), 900.0),
]

PARCELS = [
    # (waybill, sender phone, receiver phone, sent_at, delivery address or None, load)
    ("SF1000000001", phone("p:s"), phone("p:a2"), t(28, 9, month=4), None, L1),
    ("SF1000000002", phone("p:a2"), "+8613700137000", t(1, 20), DROP, L2),
    ("SF1000000003", phone("p:a3"), "+8613700137000", t(2, 20), DROP, L2),
    ("SF1000000004", phone("p:b3"), "+8613700137000", t(3, 20), DROP, L2),
    ("SF1000000005", phone("p:a3"), "+8613700137000", t(4, 20), DROP, L2),
]


def seed(graph: Graph) -> None:
    """Write the world into an emptied graph (schema applied by the caller's fixture)."""
    graph.write_batches(
        "UNWIND $rows AS row CREATE (:Load {load_id: row.id, started_at: row.at, file: row.file})",
        [{"id": L1, "at": t(10), "file": "cdr.csv"}, {"id": L2, "at": t(11), "file": "waybills.csv"}],
    )
    graph.write_batches(
        """
        UNWIND $rows AS row
        MERGE (p:Person {person_id: row.id}) SET p.name = row.name, p.loads = row.loads
        MERGE (ph:Phone {number: row.phone}) ON CREATE SET ph.loads = row.phone_loads
        MERGE (p)-[h:HAS_PHONE]->(ph) SET h.load_id = row.loads[0], h.row = 1, h.sources = [row.loads[0] + '#1']
        FOREACH (acc IN row.accounts |
          MERGE (a:Account {account_id: acc})
            ON CREATE SET a.platform = split(acc, ':')[0], a.handle = split(acc, ':')[1], a.loads = [row.loads[0]]
          MERGE (p)-[ha:HAS_ACCOUNT]->(a) SET ha.load_id = row.loads[0], ha.row = 2, ha.sources = [row.loads[0] + '#2'])
        """,
        [
            {
                "id": pid,
                "name": name,
                "phone": number,
                "accounts": accounts,
                "loads": loads,
                "phone_loads": loads,
            }
            for pid, (name, number, accounts, loads) in PEOPLE.items()
        ],
    )
    graph.write_batches(
        "UNWIND $rows AS row MERGE (a:Account {account_id: row}) SET a.platform = 'alipay', a.loads = [$load]",
        ORPHAN_PAYERS,
        extra={"load": L1},
    )
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (a:Phone {number: row.a}), (b:Phone {number: row.b})
        CREATE (a)-[:CALLED {event_id: row.id, at: row.at, duration_s: row.d, load_id: $load, row: 1,
                             sources: [row.src]}]->(b)
        """,
        _calls(),
        extra={"load": L1},
    )
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (a:Account {account_id: row.a}), (b:Account {account_id: row.b})
        CREATE (a)-[:TRANSFERRED {event_id: row.id, at: row.at, amount: row.amount, currency: 'CNY',
                                  load_id: $load, row: row.n, sources: [$load + '#' + toString(row.n)]}]->(b)
        """,
        [
            {"a": a, "b": b, "at": at, "amount": amount, "id": f"tx-{i}", "n": i + 1}
            for i, (a, b, at, amount) in enumerate(TRANSFERS)
        ],
        extra={"load": L1},
    )
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (s:Phone {number: row.sender}), (r:Phone {number: row.receiver})
        CREATE (p:Parcel {waybill: row.waybill, courier: 'SF', sent_at: row.at, loads: [row.load]})
        CREATE (s)-[:SENT {at: row.at, load_id: row.load, row: row.n, sources: [row.load + '#' + toString(row.n)]}]->(p)
        CREATE (p)-[:RECEIVED_BY {load_id: row.load, row: row.n, sources: [row.load + '#' + toString(row.n)]}]->(r)
        FOREACH (addr IN CASE WHEN row.address IS NULL THEN [] ELSE [row.address] END |
          MERGE (a:Address {address_id: addr}) ON CREATE SET a.text = addr, a.loads = [row.load]
          CREATE (p)-[:DELIVERED_TO {at: row.at + duration({hours: 30}), load_id: row.load, row: row.n}]->(a))
        """,
        [
            {"waybill": w, "sender": s, "receiver": r, "at": at, "address": addr, "load": load, "n": i + 1}
            for i, (w, s, r, at, addr, load) in enumerate(PARCELS)
        ],
    )
    graph.write(
        """
        MATCH (ph:Phone {number: '+8613800138000'}), (a3:Phone {number: '+8613800000003'}),
              (b3:Phone {number: '+8613900000003'})
        SET ph.loads = [$l1, $l2], a3.loads = [$l1, $l2], b3.loads = [$l1, $l2]
        WITH ph
        MATCH (seller:Account {account_id: 'wechat:lina_shop'}), (pay:Account {account_id: 'alipay:lina'}),
              (b1:Person {person_id: 'p:b1'}), (sunli:Account {account_id: 'alipay:sunli'}),
              (u1:Person {person_id: 'name:冯买|+8613700137000'}), (u2:Person {person_id: 'name:冯麦|+8613700137000'})
        CREATE (site:Site {site_id: 'forum:leaf', name: '叶子论坛', kind: 'forum'})
        CREATE (post:Post {post_id: 'forum:leaf#1', text: '冰 货到付款 加微信', slang: true, slang_terms: ['冰'],
                           posted_at: datetime('2024-04-30T20:00:00+08:00')})
        CREATE (quiet:Post {post_id: 'forum:leaf#2', text: '今天天气不错', slang: false,
                            posted_at: datetime('2024-04-30T21:00:00+08:00')})
        CREATE (seller)-[:POSTED {at: post.posted_at}]->(post)-[:POSTED_ON]->(site)
        CREATE (seller)-[:POSTED {at: quiet.posted_at}]->(quiet)-[:POSTED_ON]->(site)
        CREATE (post)-[:MENTIONS]->(pay), (post)-[:MENTIONS]->(ph)
        WITH seller, pay, ph, b1, sunli, u1, u2, site, post, quiet
        MATCH (b2:Phone {number: '+8613900139000'}), (b3p:Phone {number: '+8613900000003'})
        CREATE (b2)-[:MESSAGED {event_id: 'msg-1', at: datetime('2024-05-02T21:00:00+08:00'), app: 'wechat',
                                text: '冰到了吗', slang_terms: ['冰']}]->(b3p)
        CREATE (b3p)-[:MESSAGED {event_id: 'msg-2', at: datetime('2024-05-02T21:05:00+08:00'), app: 'wechat',
                                 text: '到了，冰放老地方', slang_terms: ['冰']}]->(b2)
        CREATE (c1:Case {case_id: 'C-2024-001', title: 'Seizure at Tianhe'})
        CREATE (c2:Case {case_id: 'C-2024-002', title: 'Street sale'})
        CREATE (c3:Case {case_id: 'C-2024-003', title: 'Payment tip-off'})
        CREATE (c1)-[:INVOLVES {role: 'seller phone'}]->(ph)
        CREATE (c2)-[:INVOLVES {role: 'contact'}]->(ph)
        CREATE (c2)-[:INVOLVES {role: 'suspect'}]->(b1)
        CREATE (c3)-[:INVOLVES {role: 'payee'}]->(sunli)
        CREATE (u1)-[:SAME_AS {score: 0.9, reason: 'same phone, similar name', status: 'candidate'}]->(u2)
        """,
        {"l1": L1, "l2": L2},
    )
