"""The `money_flows` investigation: every transfer between two accounts added up, per currency, largest
first; narrowed to one account, a period or a minimum. (Its answer on ICIJ's FinCEN Files is checked by
`make accuracy`: tests/integration/test_accuracy_small.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from explorer.catalog import load_catalog

pytestmark = pytest.mark.integration

TZ = dt.timezone(dt.timedelta(hours=8))
# (payer, payee, day of March 2024, amount, currency, transactions the line stands for)
TRANSFERS = [
    ("alipay:buyer1", "alipay:mule", 1, 500.0, "CNY", None),
    ("alipay:buyer1", "alipay:mule", 2, 700.0, "CNY", None),
    ("alipay:buyer2", "alipay:mule", 3, 300.0, "CNY", None),
    ("alipay:mule", "bank:6222021234567890123", 4, 1400.0, "CNY", None),
    ("bank:6222021234567890123", "crypto:TXabc", 5, 190.0, "USD", 3),
    ("bank:6222021234567890123", "crypto:TXabc", 6, 1000.0, "CNY", None),
]


@pytest.fixture(scope="module")
def flows(graph):
    graph.clear()
    graph.apply_schema()
    accounts = sorted({a for t in TRANSFERS for a in t[:2]})
    graph.write(
        "UNWIND $ids AS id CREATE (:Account {account_id: id, holder_name: 'holder of ' + id})", {"ids": accounts}
    )
    graph.write(
        """
        UNWIND $rows AS row
        MATCH (a:Account {account_id: row.a}), (b:Account {account_id: row.b})
        CREATE (a)-[:TRANSFERRED {event_id: row.id, at: row.at, amount: row.amount, currency: row.currency,
                                  transactions: row.n}]->(b)
        """,
        {"rows": [{"a": a, "b": b, "at": dt.datetime(2024, 3, day, 12, tzinfo=TZ), "amount": amount,
                   "currency": currency, "n": n, "id": f"t{i}"}
                  for i, (a, b, day, amount, currency, n) in enumerate(TRANSFERS)]},
    )  # fmt: skip
    return graph, load_catalog(graph)["money_flows"]


def pairs(rows):
    return [(r["payer"]["account_id"], r["payee"]["account_id"], r["total"], r["currency"]) for r in rows]


def test_transfers_between_two_accounts_add_up_per_currency_largest_first(flows):
    graph, money_flows = flows
    rows = money_flows.run(graph).rows()
    assert pairs(rows) == [
        ("alipay:mule", "bank:6222021234567890123", 1400.0, "CNY"),
        ("alipay:buyer1", "alipay:mule", 1200.0, "CNY"),
        ("bank:6222021234567890123", "crypto:TXabc", 1000.0, "CNY"),
        ("alipay:buyer2", "alipay:mule", 300.0, "CNY"),
        ("bank:6222021234567890123", "crypto:TXabc", 190.0, "USD"),  # never added to the CNY
    ]
    buyer1 = rows[1]
    assert (buyer1["transfers"], buyer1["transactions"]) == (2, 2)
    assert (buyer1["first_at"].day, buyer1["last_at"].day) == (1, 2)
    assert len(buyer1["transfer_links"]) == 2
    assert buyer1["from_account"] == "holder of alipay:buyer1 (alipay:buyer1)"
    assert rows[4]["transactions"] == 3  # a line that stands for three transactions


def test_narrowed_to_an_account_a_period_or_a_minimum(flows):
    graph, money_flows = flows
    into_and_out = pairs(money_flows.run(graph, account="alipay:mule").rows())
    assert [(a, b) for a, b, _, _ in into_and_out] == [
        ("alipay:mule", "bank:6222021234567890123"), ("alipay:buyer1", "alipay:mule"), ("alipay:buyer2", "alipay:mule")
    ]  # fmt: skip
    march_2 = money_flows.run(graph, since=dt.datetime(2024, 3, 2, tzinfo=TZ), until=dt.datetime(2024, 3, 4, tzinfo=TZ))
    assert pairs(march_2.rows()) == [
        ("alipay:buyer1", "alipay:mule", 700.0, "CNY"),
        ("alipay:buyer2", "alipay:mule", 300.0, "CNY"),
    ]
    assert [r["total"] for r in money_flows.run(graph, min_amount=1000).rows()] == [1400.0, 1200.0, 1000.0]
    assert money_flows.run(graph, account="alipay:nobody").rows() == []
