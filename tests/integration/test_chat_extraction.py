"""Chats as evidence: identifiers written in message text become MENTIONS links, and the investigations follow them.

The chat export (tests/data/chats/wechat_export.jsonl) is loaded by the real loader into the planted
world of tests/integration/world.py: the seller's WeChat account there (wechat:lina_shop) offers 冰 in a
private chat naming the buyer's phone as the Alipay account to pay, which is the phone that receives
parcels at the drop address.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from loaders import api, extract
from loaders.lexicon import default_lexicon
from tests.integration import world

pytestmark = pytest.mark.integration

CHAT = PROJECT_ROOT / "tests" / "data" / "chats" / "wechat_export.jsonl"
BUYER_PHONE = "+8613700137000"
CARD = "bank:6222020200001234567"

MENTIONS = """
MATCH (m:Message)-[r:MENTIONS]->(x)
RETURN m.message_id AS message, m.text AS text, r.kind AS kind, r.start AS start, r.end AS end, r.matched AS matched,
       r.load_id AS load_id, r.row AS row, r.sources AS sources,
       coalesce(x.number, x.account_id, x.waybill, x.address_id) AS key, labels(x)[0] AS label
ORDER BY message, start, kind
"""


@pytest.fixture(scope="module")
def chat_world(graph, tmp_path_factory):
    graph.clear()
    graph.apply_schema()
    world.seed(graph)
    summary = api.load(graph, CHAT, "chat_messages", rejects_dir=tmp_path_factory.mktemp("rejects"))
    return graph, summary


@pytest.fixture(scope="module")
def catalog(chat_world):
    return load_catalog(chat_world[0])


def key(node):
    for prop in ("number", "account_id", "waybill", "address_id", "message_id", "post_id", "site_id"):
        if node is not None and node.get(prop) is not None:
            return node[prop]
    return None


def test_identifiers_in_messages_are_mentions_with_spans_and_provenance(chat_world):
    graph, summary = chat_world
    assert (summary.rows_read, summary.rows_written, summary.rows_rejected, summary.mentions) == (5, 5, 0, 6)
    rows = graph.read(MENTIONS, checked=True).rows()
    assert [(r["message"], r["kind"], r["label"], r["key"], r["matched"]) for r in rows] == [
        ("wechat:G1", "address", "Address", world.DROP, world.DROP),
        ("wechat:W1", "alipay", "Account", "alipay:13700137000", "13700137000"),
        ("wechat:W1", "phone", "Phone", BUYER_PHONE, "13700137000"),
        ("wechat:W1", "card", "Account", CARD, "6222 0202 0000 1234 567"),
        ("wechat:W2", "waybill", "Parcel", "SF1000000002", "SF1000000002"),
        ("wechat:W2", "wechat", "Account", "wechat:wxid_backup01", "wxid_backup01"),
    ]
    for r in rows:
        # The span is where the stored text says what was read, and the link names the file's row.
        assert r["text"][r["start"] : r["end"]] == r["matched"]
        assert r["load_id"] == summary.load_id and r["sources"] == [f"{summary.load_id}#{r['row']}"]
    assert {r["message"]: r["row"] for r in rows} == {"wechat:W1": 1, "wechat:W2": 2, "wechat:G1": 4}
    load = graph.read("MATCH (l:Load {load_id: $id}) RETURN l.file AS file, l.sha256 AS sha", {"id": summary.load_id})
    assert load.rows() == [{"file": CHAT.name, "sha": hashlib.sha256(CHAT.read_bytes()).hexdigest()}]
    # The phone and the waybill named in the chat are the world's own nodes, not copies.
    assert graph.read_value("MATCH (p:Phone {number: $n}) RETURN count(p)", {"n": BUYER_PHONE}) == 1
    assert graph.read_value("MATCH (p:Parcel {waybill: 'SF1000000002'})<-[:SENT]-() RETURN count(p)") == 1
    # Order numbers, amounts, dates and a transaction number name nothing.
    assert graph.read_value("MATCH (:Message {message_id: 'wechat:W4'})-[r:MENTIONS]->() RETURN count(r)") == 0


def test_messages_keep_their_ends_and_events(chat_world):
    graph, _ = chat_world
    ends = graph.read(
        "MATCH (s)-[:WROTE]->(m:Message) OPTIONAL MATCH (m)-[:ADDRESSED_TO]->(r) OPTIONAL MATCH (m)-[:IN_GROUP]->(g) "
        "RETURN m.message_id AS m, s.account_id AS s, r.account_id AS r, g.site_id AS g ORDER BY m",
        checked=True,
    ).rows()
    assert [(e["m"], e["s"], e["r"], e["g"]) for e in ends] == [
        ("wechat:G1", "wechat:lina_shop", None, "group:叶子交流群"),
        ("wechat:W1", "wechat:lina_shop", "wechat:wxid_buyer01", None),
        ("wechat:W2", "wechat:lina_shop", "wechat:wxid_buyer01", None),
        ("wechat:W3", "wechat:wxid_buyer01", "wechat:lina_shop", None),
        ("wechat:W4", "wechat:wxid_buyer01", "wechat:lina_shop", None),
    ]
    events = graph.read_value("MATCH (:Account)-[e:MESSAGED|MESSAGED_IN]->() WHERE e.message_id IS NOT NULL "
                              "RETURN count(e)")  # fmt: skip
    assert events == 5


def test_ambiguous_terms_need_trade_words_nearby(chat_world):
    graph, _ = chat_world
    flags = graph.read(
        "MATCH (m:Message) RETURN m.message_id AS m, m.slang AS slang, m.slang_terms AS terms, "
        "m.slang_context AS context, m.slang_lexicon AS version ORDER BY m",
        checked=True,
    ).rows()
    version = default_lexicon().version
    assert [(f["m"], f["slang"], f["terms"], f["context"], f["version"]) for f in flags] == [
        ("wechat:G1", True, ["叶子"], ["到付"], version),  # 叶子 beside 到付
        ("wechat:W1", True, ["冰"], ["克 私聊"], version),  # 冰 beside 克 and 私聊
        ("wechat:W2", False, None, None, None),
        ("wechat:W3", False, None, None, None),  # 冰可乐: no trade word near 冰
        ("wechat:W4", False, None, None, None),
    ]


def test_online_to_offline_follows_a_phone_named_in_a_chat(chat_world, catalog):
    graph, _ = chat_world
    rows = catalog["online_to_offline"].run(graph).rows()
    from_chat = sorted(
        (
            key(r["post"]),
            key(r["handle"]),
            key(r["payment"]),
            r["leg"],
            key(r["phone"]),
            key(r["parcel"]),
            key(r["address"]),
        )  # fmt: skip
        for r in rows
        if "Message" in r["post"].labels
    )
    chain = ("wechat:W1", "wechat:lina_shop", "alipay:13700137000", "received on the phone named", BUYER_PHONE)
    assert from_chat == [(*chain, f"SF100000000{n}", world.DROP) for n in (2, 3, 4, 5)]
    # The forum advert's chains are still there, unchanged.
    assert len([r for r in rows if "Post" in r["post"].labels]) == 3


def test_slang_lists_chat_messages_beside_posts(chat_world, catalog):
    graph, _ = chat_world
    rows = catalog["slang_posts"].run(graph).rows()
    assert [(key(r["post"]), r["source"], r["handle_id"], r["site_name"], r["terms"], r["context"]) for r in rows] == [
        ("wechat:G1", "message", "wechat:lina_shop", "叶子交流群", ["叶子"], ["到付"]),
        ("wechat:W1", "message", "wechat:lina_shop", None, ["冰"], ["克 私聊"]),
        ("forum:leaf#1", "post", "wechat:lina_shop", "叶子论坛", ["冰"], None),
    ]
    assert sorted(rows[0]["contacts"]) == [world.DROP]
    assert sorted(rows[1]["contacts"]) == [BUYER_PHONE, "alipay:13700137000", CARD]
    # Stored as the text normaliser folds it (full-width punctuation to half-width); spans index this text.
    assert [r["text"] for r in catalog["slang_posts"].run(graph, term="叶子").rows()] == [
        "叶子 到付,寄到广州市天河区体育西路1号"
    ]


def test_payment_then_parcel_shows_the_chats_that_name_the_parcel(chat_world, catalog):
    graph, _ = chat_world
    rows = catalog["payment_then_parcel"].run(graph, hours=48).rows()
    assert [(key(r["parcel"]), sorted(key(c) for c in r["chats"])) for r in rows] == [
        ("SF1000000002", ["forum:leaf#1", "wechat:W2"]),  # the advert names the payee, the chat the waybill
        ("SF1000000003", ["forum:leaf#1"]),
    ]


def test_post_texts_are_read_too(empty_graph, tmp_path):
    scrape = tmp_path / "scrape.tsv"
    scrape.write_text(
        "site\tsite_kind\tpost_id\thandle\thandle_platform\tposted_at\ttext\tcontact_phone\n"
        "叶子论坛\tforum\t7\tleaf_man\tvendor\t2024-05-01 20:00\t叶子 走顺丰 SF1000000009 电话 139-1234-5678\t13912345678\n",
        encoding="utf-8",
    )
    summary = api.load(empty_graph, scrape, "posts", rejects_dir=tmp_path)
    rows = empty_graph.read(
        "MATCH (p:Post)-[r:MENTIONS]->(x) RETURN r.kind AS kind, r.matched AS matched, r.row AS row, "
        "r.sources AS sources, coalesce(x.number, x.waybill) AS key, p.slang_terms AS terms, p.slang_context AS ctx "
        "ORDER BY r.start",
        checked=True,
    ).rows()
    # The contact phone column's link and the phone written in the text are one link, which gains the span.
    assert [(r["kind"], r["matched"], r["key"], r["row"]) for r in rows] == [
        ("waybill", "SF1000000009", "SF1000000009", 2),
        ("phone", "139-1234-5678", "+8613912345678", 2),
    ]
    assert rows[0]["sources"] == [f"{summary.load_id}#2"]
    assert (rows[0]["terms"], rows[0]["ctx"]) == (["叶子"], ["走"])


def test_extraction_can_be_turned_off(empty_graph, tmp_path, capsys):
    from loaders.__main__ import main

    assert main(["load", str(CHAT), "--mapping", "chat_messages", "--dry-run", "--rejects-dir", str(tmp_path)]) == 0
    assert "identifiers read from texts (MENTIONS, docs/extraction.md) 6" in capsys.readouterr().out
    assert main(["load", str(CHAT), "--mapping", "chat_messages", "--no-extract", "--rejects-dir", str(tmp_path)]) == 0
    assert "identifiers read" not in capsys.readouterr().out
    assert empty_graph.read_value("MATCH (m:Message) RETURN count(m)") == 5
    assert empty_graph.read_value("MATCH ()-[r:MENTIONS]->() RETURN count(r)") == 0
    assert extract.EXTRACT_ENV not in os.environ  # the switch holds for that command only
