"""Reasons kept as facts and said in the analyst's language (explorer.explain)."""

from __future__ import annotations

import re

import pandas as pd

from explorer import explain, human
from explorer.crackdown import explain as explain_plan
from explorer.crackdown import plan_crackdown
from explorer.i18n import catalogue
from tests.unit.test_crackdown_plan import barbell

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def english(sentence: str, *data: str) -> list[str]:
    """English words left in a sentence once the data in it (ids, names, layer names) is taken out."""
    for value in data:
        sentence = sentence.replace(value, " ")
    return WORD.findall(sentence)


BROKER = [
    explain.phrase("paths", share=0.38),
    explain.phrase(
        "bridges",
        bridged=[
            {"kind": "ring", "ring": "ring-aa", "own": True, "layers": {"CALLED": 12.0, "SHARED": 2.0}},
            {"kind": "group", "ring": "ring-bb", "own": False, "layers": {"TRANSFERRED": 3.5}},
        ],
    ),
]
RING = [
    explain.phrase(
        "trade",
        n=3,
        size=10,
        signals=[{"kind": "slang_adverts", "n": 1, "events": 4.0}, {"kind": "pass_through", "n": 2, "events": 7.0}],
    )
]


def test_english_sentences_read_as_the_analytics_always_wrote_them():
    assert explain.say([explain.phrase("paths", share=0.38)]) == "lies on 38% of shortest paths between others"
    assert explain.say([explain.phrase("paths", share=0.0004)]) == "lies on under 0.1% of shortest paths between others"
    assert explain.say([explain.phrase("no_paths")]) == "lies on no shortest path between others"
    assert explain.say([explain.phrase("organiser", n=4, others=6, kind="ring", strength=12.345)]) == (
        "tied directly to 4 of the 6 other members, the most tie weight inside the ring (12.3), "
        "without selling, shipping or moving money"
    )
    assert explain.say([explain.phrase("member", n=2, others=5)]) == (
        "tied to 2 of the 5 other members; no behaviour or position sets it apart"
    )
    assert explain.say(BROKER) == (
        "lies on 38% of shortest paths between others; bridges its own ring ring-aa (call 12, shared identifier 2) "
        "and group ring-bb (transfer 3.5)"
    )
    assert explain.say(RING) == (
        "3 of 10 members show trade behaviour; slang adverts: 1 member, 4 events; "
        "transfers passed through: 2 members, 7 events"
    )
    assert explain.say([explain.phrase("seller", n=1)]) == "posted 1 advert"
    assert explain.say([explain.phrase("seller", n=3)]) == "posted 3 adverts"
    same = explain.phrase("same_as", name="王强", phones=["+8613800138001"], addresses=["sz-1", "sz-2"])
    assert explain.say([same]) == "same name 王强, shared phone +8613800138001, shared address sz-1; sz-2"
    assert explain.say([explain.phrase("same_as", name="李明", phones=[], addresses=["a"])]) == (
        "same name 李明, shared address a"
    )


def test_chinese_sentences_carry_the_same_facts_in_chinese_words():
    broker = explain.say(BROKER, "zh")
    assert HAN.search(broker) and not english(broker, "ring-aa", "ring-bb"), broker
    assert "38%" in broker and "ring-aa" in broker and "3.5" in broker
    ring = explain.say(RING, "zh")
    assert not english(ring) and "10" in ring and "7" in ring, ring
    for p in (
        explain.phrase("organiser", n=4, others=6, kind="group", strength=3.0),
        explain.phrase("courier", n=3, received=1),
        explain.phrase("mule", n=5, made=2),
        explain.phrase("member", n=1, others=1),
        explain.phrase("broker", weight=2.5, kind="ring", bridged=BROKER[1]["bridged"]),
        explain.phrase("declared"),
        explain.phrase("group"),
        explain.phrase("same_as", name="王强", phones=["+8613800138001"], addresses=[]),
        explain.phrase("named_role", name="王强", role="organiser", reason=explain.dumps(RING)),
        explain.phrase("same_person", score=0.95, status="candidate", reason="kept as stored"),
    ):
        said = explain.say([p], "zh")
        assert HAN.search(said) and not english(said, "ring-aa", "ring-bb", "kept as stored"), said


def test_facts_survive_the_json_the_graph_stores_and_bad_facts_fall_back():
    stored = explain.dumps(BROKER)
    assert isinstance(stored, str) and explain.say(stored, "zh") == explain.say(BROKER, "zh")
    assert explain.loads({"say": "no_paths"}) == [{"say": "no_paths"}]  # a map from Cypher is one phrase
    for bad in (None, "", "not json", "[]", "[1, 2]", '{"no": "say"}', 7):
        assert explain.loads(bad) is None and explain.say(bad) == ""
        assert explain.said("the stored sentence", bad, "zh") == "the stored sentence"
    # A phrase this version does not know, or one missing a fact, lists its facts rather than failing.
    assert explain.say([{"say": "from_a_newer_version", "n": 3}]) == "n 3"
    assert explain.say([{"say": "organiser", "n": 3}]) == "n 3"


def test_every_phrase_key_has_a_chinese_text():
    keys = [k for k in catalogue("en") if k.startswith("why.")]
    assert len(keys) > 30
    assert not [k for k in keys if k not in catalogue("zh")]


def test_a_table_with_facts_beside_a_column_is_said_from_them():
    raw = pd.DataFrame(
        {
            "name": ["王强", "李娜"],
            "reason": ["lies on 38% of shortest paths between others", "an old sentence"],
            "reason_facts": [explain.dumps(BROKER[:1]), None],  # the second written before there were facts
        }
    )
    zh = human.screen(raw, "zh")
    assert list(zh.columns) == ["姓名", "原因"]  # the facts column is not shown
    assert zh.iloc[0, 1] == explain.say(BROKER[:1], "zh") and HAN.search(zh.iloc[0, 1])
    assert zh.iloc[1, 1] == "an old sentence"
    en = human.screen(raw, "en")
    assert en.iloc[0, 1] == raw["reason"][0]


def test_the_crackdown_plan_gives_its_reasons_in_the_language_asked():
    result = plan_crackdown(barbell(), 2)
    en, zh = explain_plan(result), explain_plan(result, lang="zh")
    assert en[1].reason.startswith("after those above, ") and en[0].facts == zh[0].facts
    for a in zh:
        assert HAN.search(a.reason) and not english(a.reason), a.reason
    cut = zh[0].facts[0]
    assert zh[0].reason.startswith(
        f"使 {cut['people']} 人与其所在的 {cut['size']} 人群体分离（群体分成 {cut['parts']} 部分"
    )
    assert en[0].reason.startswith(f"separates {cut['people']} people from their group of {cut['size']}")


def test_a_tooltip_says_a_reason_from_its_facts_and_hides_them():
    from explorer.picture import tooltip

    props = {
        "name": "陈博",
        "intermediary_reason": explain.say(BROKER),
        "intermediary_reason_facts": explain.dumps(BROKER),
    }
    zh = tooltip("人员", props, "zh")
    assert "facts" not in zh and "say" not in zh
    assert "位于他人之间 38% 的最短路径上" in zh
    assert "lies on 38%" in tooltip("Person", props)  # without a language, as stored


def test_a_list_of_roles_reads_in_the_interface_language():
    shown = human.screen(pd.DataFrame({"ring_id": ["ring-aa"], "roles": [["organiser", "broker"]]}), "zh")
    assert shown.iloc[0, 1] == "组织者; 中间人"


def test_properties_with_facts_are_said_and_the_facts_left_out():
    props = {"role_reason": explain.say(RING), "role_reason_facts": explain.dumps(RING), "other_facts": "kept"}
    zh = human.spoken_props(props, "zh")
    assert zh == {"role_reason": explain.say(RING, "zh"), "other_facts": "kept"}  # facts without a sibling stay
    assert human.spoken_props(props, None) == {"role_reason": props["role_reason"], "other_facts": "kept"}
