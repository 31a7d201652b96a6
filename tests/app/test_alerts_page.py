"""The Alerts page: unread first, filters, acknowledge, assign, comment; the sidebar count; roles."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from explorer.analyst_store import STORE_FILE, Alert, AnalystStore, Source
from explorer.config import PROJECT_ROOT
from explorer.i18n import text

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")


def alert(rule: str, evidence: list[str], rings: list[str], at: str, summary: str) -> Alert:
    return Alert(rule=rule, title=rule, evidence=evidence, rings=rings, summary=summary,
                 sources=[Source("sha:cdr", "calls.csv", 12)], load_id="sha:cdr", raised_at=at)  # fmt: skip


@pytest.fixture
def store(empty_graph, tmp_path, monkeypatch) -> AnalystStore:
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    s = AnalystStore(tmp_path / STORE_FILE)
    s.add([
        alert("ring_link", ["+8613900000001", "+8613900000002"], ["ring-a", "ring-b"], "2024-07-15T09:00:00+00:00",
              "New link between ring ring-a and ring ring-b"),
        alert("drop_address", ["东莞市新丰路1号"], ["ring-a"], "2024-07-15T10:00:00+00:00",
              "Address 东莞市新丰路1号 now receives parcels from 3 sending phones"),
        alert("mule_account", ["alipay:m1"], [], "2024-07-15T11:00:00+00:00", "Account alipay:m1 now takes money"),
    ])  # fmt: skip
    s.acknowledge(s.alerts(rules=["mule_account"])[0].alert_id, "li")
    return s


def open_alerts(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page("pages/alerts.py")
    return at.run()


def no_trouble(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def summaries(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value[text("alerts.summary")])


def test_unread_first_with_a_count_in_the_sidebar(store):
    at = open_alerts()
    no_trouble(at)
    assert at.title[0].value == text("page.alerts")
    assert summaries(at)[:2] == [
        "Address 东莞市新丰路1号 now receives parcels from 3 sending phones",
        "New link between ring ring-a and ring ring-b",
    ]
    assert summaries(at)[2] == "Account alipay:m1 now takes money"
    assert any(c.value == text("sidebar.alerts", count=2) for c in at.sidebar.caption)


def test_filter_by_rule_ring_and_state(store):
    at = open_alerts()
    at.multiselect(key="alerts_rules").set_value(["ring_link", "mule_account"]).run()
    assert sorted(summaries(at)) == [
        "Account alipay:m1 now takes money",
        "New link between ring ring-a and ring ring-b",
    ]
    at.selectbox(key="alerts_ring").set_value("ring-b").run()
    assert summaries(at) == ["New link between ring ring-a and ring ring-b"]
    at.multiselect(key="alerts_rules").set_value([]).run()
    at.selectbox(key="alerts_ring").set_value("").run()
    at.selectbox(key="alerts_state").set_value("acknowledged").run()
    assert summaries(at) == ["Account alipay:m1 now takes money"]
    at.selectbox(key="alerts_state").set_value("").run()
    at.date_input(key="alerts_period").set_value((dt.date(2024, 7, 15), dt.date(2024, 7, 15))).run()
    assert len(summaries(at)) == 3
    at.date_input(key="alerts_period").set_value((dt.date(2024, 7, 16), dt.date(2024, 7, 20))).run()
    assert not at.dataframe and at.info[0].value == text("alerts.empty")
    no_trouble(at)


def test_days_are_the_analysts_days_and_times_read_locally(store):
    # 17:30 UTC on 15 July is 01:30 on 16 July in Asia/Shanghai (EXPLORER_TIMEZONE): the 16th's alert.
    store.add([alert("slang_burst", ["wechat:late"], [], "2024-07-15T17:30:00+00:00", "Slang burst after midnight")])
    at = open_alerts()
    at.date_input(key="alerts_period").set_value((dt.date(2024, 7, 16), dt.date(2024, 7, 16))).run()
    no_trouble(at)
    assert summaries(at) == ["Slang burst after midnight"]
    assert "2024-07-16 01:30 (+08:00)" in at.dataframe[0].value.to_string()
    at.date_input(key="alerts_period").set_value((dt.date(2024, 7, 15), dt.date(2024, 7, 15))).run()
    assert "Slang burst after midnight" not in summaries(at) and len(summaries(at)) == 3


def test_acknowledge_assign_and_comment(store):
    at = open_alerts()
    first = store.alerts()[0]
    assert at.selectbox(key="alerts_chosen").value == first.alert_id
    at.button(key="alerts_ack").click().run()
    no_trouble(at)
    assert store.get(first.alert_id).state == "acknowledged"
    at.selectbox(key="alerts_chosen").set_value(first.alert_id).run()
    at.text_input(key="alerts_assignee").set_value("wang")
    at.button[[b.label for b in at.button].index(text("alerts.assign"))].click().run()
    assert store.get(first.alert_id).assignee == "wang"
    at.selectbox(key="alerts_chosen").set_value(first.alert_id).run()
    at.text_area(key="alerts_comment").set_value("Drop seen by the local station")
    at.button[[b.label for b in at.button].index(text("alerts.add_comment"))].click().run()
    no_trouble(at)
    assert [c.text for c in store.comments(first.alert_id)] == ["Drop seen by the local station"]


def test_viewers_read_but_do_not_act(store, tmp_path, monkeypatch):
    from explorer import auth

    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user("zhao", "viewer", "a long enough password")
    at = open_alerts(auth_user="zhao")
    no_trouble(at)
    assert len(summaries(at)) == 3
    assert not [b for b in at.button if b.key in {"alerts_ack", "alerts_unread"}]
    assert any(i.value == text("alerts.viewer") for i in at.info)


def test_analyst_assigns_to_one_of_the_users(store, monkeypatch):
    from explorer import auth

    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user("lin", "analyst", "a long enough password")
    auth.add_user("wang", "viewer", "a long enough password")
    at = open_alerts(auth_user="lin")
    no_trouble(at)
    first = store.alerts()[0]
    assert at.selectbox(key="alerts_assignee_user").options == [text("alerts.nobody"), "lin", "wang"]
    at.selectbox(key="alerts_assignee_user").set_value("wang")
    at.button[[b.label for b in at.button].index(text("alerts.assign"))].click().run()
    no_trouble(at)
    assert store.get(first.alert_id).assignee == "wang"
    at.selectbox(key="alerts_chosen").set_value(first.alert_id).run()
    at.button(key="alerts_ack").click().run()
    assert store.get(first.alert_id).acknowledged_by == "lin"


def test_in_chinese_the_alerts_speak_chinese(empty_graph, tmp_path, monkeypatch):
    """Rule titles, sentences raised with facts and the files behind them, in the interface language."""
    from explorer.alerts.summary import sentence
    from tests.app.test_chinese_everywhere import english_words, page_texts

    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    facts = {"account": "alipay:m1", "payers": 3, "share": 90, "payees": 2}
    raised = Alert(rule="mule_account", title="Account starts to act as a mule", evidence=["alipay:m1"], rings=[],
                   summary=sentence("mule_account", facts), sources=[Source("sha:pay", "支付宝.csv", 7)],
                   load_id="sha:pay", facts=facts)  # fmt: skip
    AnalystStore(tmp_path / STORE_FILE).add([raised])
    at = open_alerts(lang="zh")
    no_trouble(at)
    row = at.dataframe[0].value.iloc[0]
    assert row[text("alerts.summary", "zh")] == "账户 alipay:m1 现从 3 个付款方收款，并将其中 90% 转给 2 个收款方"
    assert row[text("alerts.rule", "zh")] == "账户开始充当过账账户"
    assert row[text("alerts.sources", "zh")] == "支付宝.csv 第 7 行"
    shown = page_texts(at) + [("text", str(e.value)) for e in at.text]
    assert not [(kind, w) for kind, s in shown for w in english_words(s)]
    # The English interface reads the same facts as the sentence the store keeps.
    at = open_alerts(lang="en")
    assert at.dataframe[0].value.iloc[0][text("alerts.summary")] == raised.summary
    assert raised.summary == "Account alipay:m1 now takes money from 3 payers and passes 90% on to 2 payees"
