"""The analytics' reasons, read back from the real server, say in Chinese what they say in English.

On the planted world of tests/integration/world.py, analysed: every reason the saved investigations, the
Rings page's tables and the target package show is said from the facts stored beside it, and the English
said from those facts is the sentence stored.
"""

from __future__ import annotations

import re

import pytest

from explorer import browse, explain, human, table_files
from explorer.analytics import run_analytics
from explorer.catalog import load_catalog
from explorer.report import target_package
from tests.integration import world

pytestmark = pytest.mark.integration

HAN = re.compile(r"[\u4e00-\u9fff]")
DATA = re.compile(r"ring-[0-9a-f]+|[+\d][\d.%+]*")  # ring ids and numbers are data in either language


def english_words(sentence: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", DATA.sub(" ", sentence))


@pytest.fixture(scope="module")
def analysed(graph):
    graph.clear()
    graph.apply_schema()
    world.seed(graph)
    run_analytics(graph)
    return graph


def screened(graph, name, lang, **params):
    result = load_catalog(graph)[name].run(graph, **params)
    return table_files.raw_frame(result), human.screen(table_files.raw_frame(result), lang)


def test_the_graph_keeps_each_reason_with_its_facts_and_they_agree(analysed):
    rows = analysed.read(
        "MATCH (p)-[m:MEMBER_OF]->(r:Ring) RETURN m.reason AS reason, m.reason_facts AS facts, "
        "r.evidence AS evidence, r.evidence_facts AS evidence_facts, p.intermediary_reason AS rank_reason, "
        "p.intermediary_reason_facts AS rank_facts"
    ).rows()
    assert len(rows) >= 8
    for r in rows:
        assert explain.say(r["facts"]) == r["reason"], r
        assert explain.say(r["evidence_facts"]) == r["evidence"], r
        assert explain.say(r["rank_facts"]) == r["rank_reason"], r


@pytest.mark.parametrize(
    ("name", "columns"),
    [("rings", ["roles", "role_reasons", "trade_evidence"]), ("key_intermediaries", ["reason"])],
)
def test_investigation_reasons_are_chinese_in_chinese_and_stored_english_in_english(analysed, name, columns):
    raw, zh = screened(analysed, name, "zh")
    _, en = screened(analysed, name, "en")
    assert len(raw) >= 2
    for column in columns:
        heading_zh, heading_en = human.header(column, "zh"), human.header(column, "en")
        for said_zh, said_en, stored in zip(zh[heading_zh], en[heading_en], raw[column], strict=True):
            if not stored:
                continue
            assert HAN.search(said_zh) and not english_words(said_zh), (column, said_zh)
            stored_text = "; ".join(stored) if isinstance(stored, list) else stored
            assert said_en == stored_text, (column, said_en, stored_text)
    assert not [c for c in zh.columns if str(c).endswith("_facts")]


def test_ring_detail_and_the_rings_page_tables_say_roles_in_chinese(analysed):
    ring = analysed.read_value("MATCH (:Person {name: '王强'})-[:MEMBER_OF]->(r:Ring) RETURN r.ring_id")
    raw, zh = screened(analysed, "ring_detail", "zh", ring_id=ring)
    assert len(raw) == 4
    reasons = list(zh[human.header("role_reason", "zh")])
    assert all(HAN.search(r) and not english_words(r) for r in reasons), reasons
    members = human.screen(browse.ring_members(analysed, ring), "zh")
    assert all(HAN.search(r) for r in members[human.header("role_reason", "zh")]), members
    brokers = human.screen(browse.intermediaries(analysed), "zh")
    assert all(not english_words(r) for r in brokers[human.header("reason", "zh")] if r), brokers


def test_a_reason_stored_without_facts_reads_as_it_was_stored(analysed):
    """A graph analysed before reasons had facts: the stored sentence, unchanged, in either language."""
    ring = analysed.read_value("MATCH (:Person {name: '王强'})-[:MEMBER_OF]->(r:Ring) RETURN r.ring_id")
    analysed.write(
        "MATCH (p:Person {name: '王强'})-[m:MEMBER_OF]->() SET m.reason = 'an older sentence' REMOVE m.reason_facts"
    )
    _, zh = screened(analysed, "ring_detail", "zh", ring_id=ring)
    assert "an older sentence" in list(zh[human.header("role_reason", "zh")])
    run_analytics(analysed)  # and the next run gives it facts again
    assert analysed.read_value("MATCH (:Person {name: '王强'})-[m:MEMBER_OF]->() RETURN m.reason_facts")


def test_the_target_package_in_chinese_gives_the_reasons_in_chinese(analysed):
    ring = analysed.read_value("MATCH (:Person {name: '王强'})-[:MEMBER_OF]->(r:Ring) RETURN r.ring_id")
    facts = analysed.read(
        "MATCH (p:Person {name: '王强'})-[m:MEMBER_OF]->(r:Ring) RETURN m.reason AS reason, m.reason_facts AS facts, "
        "r.evidence AS evidence, r.evidence_facts AS evidence_facts"
    ).rows()[0]
    zh, en = target_package(analysed, ring, "zh"), target_package(analysed, ring, "en")
    assert explain.say(facts["facts"], "zh") in zh and facts["reason"] not in zh
    assert explain.say(facts["evidence_facts"], "zh") in zh and facts["evidence"] not in zh
    assert facts["reason"] in en and facts["evidence"] in en
