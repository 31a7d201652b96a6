"""Busy legitimate places that look like the trade's (docs/scenario.md, decoy hubs) are told apart.

A collection point (驿站) receives many parcels from unrelated senders for many names, as a drop
does, but hands most of them over instead of sending them on; a shop takes many payments and sweeps
each day's takings to the owner in one transfer, where a mule passes each payment on as it came.
"""

from __future__ import annotations

import datetime as dt

import pytest

from explorer import analytics_queries as q
from explorer.catalog import load_catalog

pytestmark = pytest.mark.integration

TZ = dt.timezone(dt.timedelta(hours=8))
DEPOT = "昆明市五华区青年路8号菜鸟驿站"
DROP = "昆明市五华区青年路9号3栋501室(出租屋)"
SHOP = "alipay:fruit_shop"
MULE = "alipay:mule_card"


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, 6, day, hour, 0, tzinfo=TZ)


def parcels() -> list[dict]:
    rows = []
    # The depot: 60 parcels from 60 senders for 60 people collecting them; 6 returns sent from it.
    for i in range(60):
        rows.append({"w": f"YT{i:04d}", "s": f"+86135000{i:05d}", "r": f"+86136000{i:05d}", "name": f"顾客{i}",
                     "to": DEPOT, "from": None, "day": 1 + i % 20})  # fmt: skip
    for i in range(6):
        rows.append({"w": f"YR{i:04d}", "s": f"+86136000{i:05d}", "r": f"+86137000{i:05d}", "name": f"商家{i}",
                     "to": None, "from": DEPOT, "day": 22})  # fmt: skip
    # The drop: bulk from three suppliers' phones for two aliases, then retail parcels to 12 buyers.
    for i in range(4):
        rows.append({"w": f"SF{i:04d}", "s": f"+86138000000{i % 3}", "r": "+8613900000001",
                     "name": ["阿军", "军哥"][i % 2], "to": DROP, "from": None, "day": 2 + i})  # fmt: skip
    for i in range(12):
        rows.append({"w": f"SR{i:04d}", "s": "+8613900000001", "r": f"+86134000{i:05d}", "name": f"买家{i}",
                     "to": None, "from": DROP, "day": 3 + i})  # fmt: skip
    return rows


def transfers() -> list[dict]:
    rows = []
    # The shop: 40 customers over 10 days, the day's takings swept to the owner after midnight.
    for i in range(40):
        rows.append({"a": f"alipay:customer{i}", "b": SHOP, "at": at(1 + i % 10, 9 + i % 8), "amount": 50.0 + i})
    for day in range(1, 11):
        total = sum(50.0 + i for i in range(40) if 1 + i % 10 == day)
        rows.append({"a": SHOP, "b": "alipay:owner", "at": at(day + 1, 0), "amount": round(total * 0.994, 2)})
    # The mule: four buyers' payments, each passed on within hours, less a cut.
    for i in range(4):
        rows.append({"a": f"alipay:buyer{i}", "b": MULE, "at": at(3 + i, 10), "amount": 1000.0 + 100 * i})
        rows.append({"a": MULE, "b": "alipay:boss", "at": at(3 + i, 14), "amount": round((1000.0 + 100 * i) * 0.97, 2)})
    return rows


@pytest.fixture(scope="module")
def hubs(graph):
    graph.clear()
    graph.apply_schema()
    graph.write_batches(
        """
        UNWIND $rows AS row
        MERGE (s:Phone {number: row.s}) MERGE (r:Phone {number: row.r})
        CREATE (p:Parcel {waybill: row.w, receiver_name: row.name, sent_at: datetime({year: 2024, month: 6,
                          day: row.day, timezone: '+08:00'})})
        CREATE (s)-[:SENT]->(p) CREATE (p)-[:RECEIVED_BY]->(r)
        MERGE (holder:Person {person_id: 'name:' + row.name + '|' + row.r}) SET holder.name = row.name
        MERGE (holder)-[:HAS_PHONE]->(r)
        FOREACH (a IN CASE WHEN row.to IS NULL THEN [] ELSE [row.to] END |
          MERGE (addr:Address {address_id: a}) ON CREATE SET addr.text = a CREATE (p)-[:DELIVERED_TO]->(addr))
        FOREACH (a IN CASE WHEN row.from IS NULL THEN [] ELSE [row.from] END |
          MERGE (addr:Address {address_id: a}) ON CREATE SET addr.text = a CREATE (p)-[:SENT_FROM]->(addr))
        """,
        parcels(),
    )
    graph.write_batches(
        """
        UNWIND $rows AS row
        MERGE (a:Account {account_id: row.a}) MERGE (b:Account {account_id: row.b})
        CREATE (a)-[:TRANSFERRED {at: row.at, amount: row.amount, currency: 'CNY'}]->(b)
        """,
        transfers(),
    )
    return graph, load_catalog(graph)


def test_a_busy_collection_point_is_not_a_drop(hubs):
    graph, catalog = hubs
    rows = catalog["drop_addresses"].run(graph).rows()
    assert [r["text"] for r in rows] == [DROP]
    assert rows[0]["parcels"] == 4 and rows[0]["receivers_out"] == 12
    # The depot looks like a drop on every other count: it is left out only because it keeps its parcels.
    every = catalog["drop_addresses"].run(graph, collection_parcels=1000).rows()
    assert [r["text"] for r in every] == [DEPOT, DROP]
    assert every[0]["senders"] == 60 and every[0]["names_used"] == 60


def test_a_shop_sweeping_its_takings_is_not_a_mule(hubs):
    graph, catalog = hubs
    rows = catalog["mule_accounts"].run(graph).rows()
    assert [r["account_id"] for r in rows] == [MULE]
    assert rows[0]["sources"] == 4 and rows[0]["share"] == pytest.approx(0.97)
    # Pooled transfers count on request: then the shop, with ten times the payers, ranks first.
    pooled = catalog["mule_accounts"].run(graph, pooled=True).rows()
    assert [r["account_id"] for r in pooled] == [SHOP, MULE]


def test_collecting_parcels_at_a_collection_point_is_no_trade_signal(hubs):
    graph, _ = hubs
    params = {"max_links": 500, "window_hours": 48, "drop_names": 0, "min_out_share": 0.25}
    signalled = "MATCH (x) WHERE elementId(x) IN $ids RETURN collect(x.number) AS numbers"

    def phones(collection_parcels: int) -> set[str]:
        query = q.SIGNAL_QUERIES["drop_parcels"]
        ids = [eid for eid, _ in graph.stream(query, {**params, "collection_parcels": collection_parcels})]
        return set(graph.read(signalled, {"ids": ids}).rows()[0]["numbers"])

    customers = {f"+86136000{i:05d}" for i in range(60)}
    found = phones(50)
    assert "+8613900000001" in found and {f"+86138000000{i}" for i in range(3)} <= found
    assert not found & customers
    # The depot's customers would show the signal if it were read as a drop.
    assert customers <= phones(1000)


def test_a_phone_held_under_two_spellings_is_one_sender(hubs):
    graph, catalog = hubs
    spellings = ["name:供货甲|+861380000000", "name:Gonghuo Jia|+861380000000"]
    graph.write(
        "UNWIND $keys AS key MATCH (x:Phone {number: '+861380000000'}) "
        "MERGE (p:Person {person_id: key}) MERGE (p)-[:HAS_PHONE]->(x)",
        {"keys": spellings},
    )
    try:
        row = next(r for r in catalog["drop_addresses"].run(graph).rows() if r["text"] == DROP)
        assert row["senders"] == 3 and row["sender_rings"] == 3
    finally:
        graph.write("MATCH (p:Person) WHERE p.person_id IN $keys DETACH DELETE p", {"keys": spellings})
