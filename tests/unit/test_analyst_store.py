"""The analysts' alert store: identity by rule and evidence, state, assignment, comments, filters."""

from __future__ import annotations

import pytest

from explorer.analyst_store import (
    Alert,
    AlertNotFound,
    AnalystStore,
    InvalidAlertAction,
    Source,
    alert_id,
)


def make(rule: str, evidence: list[str], rings: list[str] | None = None, at: str = "2024-07-15T10:00:00+00:00"):
    return Alert(rule=rule, title=rule.title(), evidence=evidence, rings=rings or [], summary=f"{rule} {evidence}",
                 sources=[Source("sha:cdr", "calls.csv", 7)], load_id="sha:cdr", raised_at=at)  # fmt: skip


@pytest.fixture
def store(tmp_path) -> AnalystStore:
    return AnalystStore(tmp_path / "analyst.sqlite3")


def test_identity_is_rule_and_evidence(store):
    assert alert_id("ring_link", ["a", "b"]) == alert_id("ring_link", ["a", "b"])
    assert alert_id("ring_link", ["a", "b"]) != alert_id("leader_contact", ["a", "b"])
    assert alert_id("ring_link", ["a", "b"]) != alert_id("ring_link", ["a", "c"])
    first = store.add([make("ring_link", ["a", "b"]), make("drop_address", ["x"])])
    assert len(first) == 2
    again = store.add([make("ring_link", ["a", "b"], at="2024-08-01T00:00:00+00:00"), make("drop_address", ["y"])])
    assert [a.evidence for a in again] == [["y"]]
    assert len(store.alerts()) == 3


def test_state_assignee_and_comments_survive_reopening(store, tmp_path):
    (a,) = store.add([make("mule_account", ["alipay:m"])])
    store.acknowledge(a.alert_id, "li")
    store.assign(a.alert_id, "wang")
    store.comment(a.alert_id, "li", "Known account, under watch")
    reopened = AnalystStore(tmp_path / "analyst.sqlite3")
    got = reopened.get(a.alert_id)
    assert (got.state, got.acknowledged_by, got.assignee) == ("acknowledged", "li", "wang")
    assert [(c.author, c.text) for c in reopened.comments(a.alert_id)] == [("li", "Known account, under watch")]
    assert got.sources == [Source("sha:cdr", "calls.csv", 7)]
    reopened.mark_unread(a.alert_id)
    reopened.assign(a.alert_id, "")
    got = reopened.get(a.alert_id)
    assert (got.state, got.assignee) == ("unread", None)


def test_unread_first_then_newest_and_filters(store):
    store.add([make("ring_link", ["a", "b"], ["r1", "r2"], "2024-07-01T00:00:00+00:00"),
               make("drop_address", ["x"], ["r3"], "2024-07-02T00:00:00+00:00"),
               make("slang_burst", ["h", "2024-07-03"], [], "2024-07-03T00:00:00+00:00")])  # fmt: skip
    newest = store.alerts()[0]
    store.acknowledge(newest.alert_id, "li")
    assert [a.rule for a in store.alerts()] == ["drop_address", "ring_link", "slang_burst"]
    assert store.unread_count() == 2
    assert [a.rule for a in store.alerts(ring="r2")] == ["ring_link"]
    assert [a.rule for a in store.alerts(rules=["drop_address", "slang_burst"])] == ["drop_address", "slang_burst"]
    assert store.alerts(rules=[]) == []
    assert [a.rule for a in store.alerts(since="2024-07-02", until="2024-07-03")] == ["drop_address"]
    assert [a.rule for a in store.alerts(state="acknowledged")] == ["slang_burst"]
    assert store.rings() == ["r1", "r2", "r3"]
    assert store.count_since("2024-07-02") == 2 and store.count_since(None) == 3


def test_evaluated_loads_are_remembered(store):
    assert store.evaluated("sha:cdr") == set()
    store.mark_evaluated("sha:cdr", ["ring_link", "drop_address"])
    store.mark_evaluated("sha:cdr", ["ring_link"])
    assert store.evaluated("sha:cdr") == {"ring_link", "drop_address"}


def test_bad_actions_are_refused_with_a_reason(store):
    with pytest.raises(AlertNotFound, match="No alert 'nope'"):
        store.acknowledge("nope", "li")
    (a,) = store.add([make("drop_address", ["x"])])
    with pytest.raises(InvalidAlertAction, match="who"):
        store.acknowledge(a.alert_id, " ")
    with pytest.raises(InvalidAlertAction, match="empty"):
        store.comment(a.alert_id, "li", "  ")
    assert store.comments(a.alert_id) == []


def test_a_store_from_before_facts_opens_with_its_alerts_whole(tmp_path):
    import sqlite3

    path = tmp_path / "analyst.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE alerts (alert_id TEXT PRIMARY KEY, rule TEXT NOT NULL, title TEXT NOT NULL,"
        " evidence TEXT NOT NULL, rings TEXT NOT NULL, summary TEXT NOT NULL, sources TEXT NOT NULL,"
        " load_id TEXT NOT NULL, raised_at TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'unread', assignee TEXT,"
        " acknowledged_by TEXT, acknowledged_at TEXT);"
        "INSERT INTO alerts VALUES ('a1', 'ring_link', 'New link', '[\"x\"]', '[]', 'New link between ring a and b',"
        " '[]', 'sha:cdr', '2024-07-15T10:00:00+00:00', 'acknowledged', 'wang', 'li', '2024-07-15T11:00:00+00:00');"
    )
    old.commit()
    old.close()
    store = AnalystStore(path)
    (a,) = store.alerts()
    assert (a.summary, a.state, a.assignee, a.facts) == ("New link between ring a and b", "acknowledged", "wang", {})
    facts = {"account": "alipay:m", "payers": 3, "share": 90, "payees": 2}
    added = make("mule_account", ["alipay:m"])
    added.facts = facts
    store.add([added])
    assert AnalystStore(path).get(added.alert_id).facts == facts
