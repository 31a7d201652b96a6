"""Rings are communities that carry trade behaviour; brokerage counts between such rings only.

A small graph built for the question, where the right answer is known by construction:
- ring RING_T (t1..t5): dense calls; t2 and t3 chat in drug slang; t4's account takes a
  buyer's payment and passes 95% of it to t1 within two hours;
- ring RING_U (u1..u4): dense calls; u1 and u2 chat in slang;
- an ordinary circle ORDINARY (o1..o5), as dense as the rings, chatting and sending family money
  without slang or pass-through;
- a broker k with strong ties (many calls) to two members of RING_T and two of RING_U;
- a neighbour n tied to one member of ORDINARY and one of RING_U by a few calls;
- a buyer b who chats with t2 in slang, pays t4 and receives t5's parcel: a customer.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import pytest

from explorer.analytics import Options, run_analytics

pytestmark = pytest.mark.integration

TZ = dt.timezone(dt.timedelta(hours=8))
RING_T = ["t1", "t2", "t3", "t4", "t5"]
RING_U = ["u1", "u2", "u3", "u4"]
ORDINARY = ["o1", "o2", "o3", "o4", "o5"]
PEOPLE = [*RING_T, *RING_U, *ORDINARY, "k", "n", "b"]


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 6, day, hour, 0, tzinfo=TZ)


def phone(p: str) -> str:
    return f"+86139{PEOPLE.index(p):08d}"


def account(p: str) -> str:
    return f"alipay:{p}"


def seed(graph) -> None:
    graph.write_batches(
        """
        UNWIND $rows AS row
        CREATE (p:Person {person_id: 'p:' + row.name, name: row.name})
        CREATE (p)-[:HAS_PHONE]->(:Phone {number: row.phone})
        CREATE (p)-[:HAS_ACCOUNT]->(:Account {account_id: row.account, platform: 'alipay', handle: row.name})
        """,
        [{"name": p, "phone": phone(p), "account": account(p)} for p in PEOPLE],
    )
    calls = []
    for group in (RING_T, RING_U, ORDINARY):
        for a, b in combinations(group, 2):
            calls += [(a, b, 4)]
    calls += [("k", "t1", 12), ("k", "t2", 10), ("k", "u1", 12), ("k", "u2", 10), ("n", "o1", 2), ("n", "u3", 2)]
    rows = [
        {"a": phone(a), "b": phone(b), "id": f"call-{a}-{b}-{i}", "at": at(1 + i % 20, 8 + i % 10)}
        for a, b, reps in calls
        for i in range(reps)
    ]
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (a:Phone {number: row.a}), (b:Phone {number: row.b})
        CREATE (a)-[:CALLED {event_id: row.id, at: row.at, duration_s: 60}]->(b)
        """,
        rows,
    )
    chats = [("t2", "t3", ["冰"]), ("t3", "t2", ["冰"]), ("u1", "u2", ["叶子"]), ("u2", "u1", ["叶子"]),
             ("b", "t2", ["冰"]), ("o1", "o2", []), ("o2", "o3", []), ("o3", "o1", [])]  # fmt: skip
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (a:Phone {number: row.a}), (b:Phone {number: row.b})
        CREATE (a)-[:MESSAGED {event_id: row.id, at: row.at, app: 'wechat', slang_terms: row.terms}]->(b)
        """,
        [{"a": phone(a), "b": phone(b), "terms": terms, "id": f"msg-{i}", "at": at(3, 20)}
         for i, (a, b, terms) in enumerate(chats)],
    )  # fmt: skip
    transfers = [
        ("b", "t4", at(5, 10), 1000.0),
        ("t4", "t1", at(5, 12), 950.0),  # passed on within two hours
        ("o1", "o2", at(6, 10), 500.0),
        ("o2", "o3", at(13, 10), 100.0),  # a week later, a fifth of it: ordinary
    ]
    graph.write_batches(
        """
        UNWIND $rows AS row
        MATCH (a:Account {account_id: row.a}), (b:Account {account_id: row.b})
        CREATE (a)-[:TRANSFERRED {event_id: row.id, at: row.at, amount: row.amount}]->(b)
        """,
        [{"a": account(a), "b": account(b), "at": t, "amount": m, "id": f"tx-{i}"}
         for i, (a, b, t, m) in enumerate(transfers)],
    )  # fmt: skip
    graph.write(
        """
        MATCH (s:Phone {number: $sender}), (r:Phone {number: $receiver})
        CREATE (s)-[:SENT {at: $at}]->(:Parcel {waybill: 'SF2000000001', sent_at: $at})-[:RECEIVED_BY]->(r)
        """,
        {"sender": phone("t5"), "receiver": phone("b"), "at": at(5, 18)},
    )


@pytest.fixture(scope="module")
def analysed(graph):
    graph.clear()
    graph.apply_schema()
    seed(graph)
    return graph, run_analytics(graph, Options())


def rings_by_name(analysis) -> dict[str, str | None]:
    return {u.name: u.ring_id for u in analysis.units}


def test_only_communities_with_trade_behaviour_are_rings(analysed):
    graph, analysis = analysed
    ring_of = rings_by_name(analysis)
    assert len(analysis.rings) == 2
    assert len({ring_of[p] for p in RING_T}) == 1 and ring_of["t1"] is not None
    assert len({ring_of[p] for p in RING_U}) == 1 and ring_of["u1"] is not None
    assert ring_of["t1"] != ring_of["u1"]
    # The ordinary circle is as dense as a ring but shows no trade behaviour.
    assert all(ring_of.get(p) is None for p in ORDINARY)
    # The buyer only buys: a customer of ring RING_T, not a member.
    assert ring_of["b"] is None
    # Each ring says why it is one, on the Ring node.
    rows = graph.read("MATCH (r:Ring) RETURN r.ring_id AS id, r.evidence AS evidence, r.signal_members AS n").rows()
    evidence = {r["id"]: (r["evidence"], r["n"]) for r in rows}
    t_evidence, t_members = evidence[ring_of["t1"]]
    assert "slang chats: 2 members" in t_evidence and "transfers passed through: 1 member" in t_evidence
    assert t_members == 3
    assert "slang chats: 2 members" in evidence[ring_of["u1"]][0]


def test_the_broker_between_the_two_rings_ranks_first_with_its_reason(analysed):
    _, analysis = analysed
    ring_of = rings_by_name(analysis)
    top = analysis.ranked("score", 1)[0]
    assert top.name == "k"
    assert top.brokerage == 2 and set(top.connects) == {ring_of["t1"], ring_of["u1"]}
    assert "(call " in top.reason and ring_of["t1"] in top.reason and ring_of["u1"] in top.reason
    # The neighbour between the ordinary circle and ring RING_U spans no two rings.
    neighbour = next(u for u in analysis.units if u.name == "n")
    assert neighbour.brokerage < 2 and neighbour.score < top.score


def test_without_signal_every_community_is_a_ring(analysed):
    graph, _ = analysed
    analysis = run_analytics(graph, Options(require_signal=False, write=False))
    ring_of = rings_by_name(analysis)
    assert all(ring_of[p] is not None for p in ORDINARY)
    assert len({ring_of[p] for p in ORDINARY}) == 1
