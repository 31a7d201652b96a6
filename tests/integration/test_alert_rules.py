"""Alert rules are checked at start like investigations; a load's alerts reach a webhook; the CLI runs them."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from explorer import watchlist
from explorer.alerts import RULE_COLUMNS, load_rules, parse_rule
from explorer.alerts.__main__ import main as alerts_main
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.db import Graph
from explorer.exceptions import InvalidInvestigation
from loaders.api import load

pytestmark = pytest.mark.integration

CALLS = "caller,callee,start_time,duration_s\n+8613900000001,+8613900000002,2024-07-01 10:00:00,30\n"


def test_every_rule_is_read_only_and_returns_the_alert_columns(graph):
    rules = load_rules(graph)  # EXPLAIN on the server: read-only, the declared columns
    assert len(rules) == 6
    for rule in rules.values():
        assert rule.investigation.checked and rule.investigation.columns == RULE_COLUMNS
        assert rule.investigation.category == "Alerts"


def test_a_rule_of_the_wrong_shape_is_refused_naming_the_file(tmp_path, graph):
    header = "// title: T\n// category: Alerts\n// description: D\n"
    no_load = tmp_path / "no_load.cypher"
    no_load.write_text(header + "// columns: [evidence, rings, summary, sources]\n"
                       "RETURN [] AS evidence, [] AS rings, '' AS summary, [] AS sources\n")  # fmt: skip
    with pytest.raises(InvalidInvestigation, match=r"no_load.cypher:1: .*\$load_id"):
        parse_rule(no_load)
    columns = tmp_path / "columns.cypher"
    columns.write_text(header + '// params:\n//   - {name: load_id, type: string, example: "x"}\n'
                       "// columns: [evidence]\nRETURN [$load_id] AS evidence\n")  # fmt: skip
    with pytest.raises(InvalidInvestigation, match=r"columns.cypher:1: an alert rule returns the columns"):
        parse_rule(columns)
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "writer.cypher").write_text(
        header + '// params:\n//   - {name: load_id, type: string, example: "x"}\n'
        "// columns: [evidence, rings, summary, sources]\n"
        "CREATE (n:Load {load_id: $load_id})\n"
        "RETURN [n.load_id] AS evidence, [] AS rings, '' AS summary, [] AS sources\n"
    )
    assert list(load_rules(None, folder)) == ["writer"]  # the header alone is well formed
    with pytest.raises(InvalidInvestigation, match=r"writer.cypher:\d+: "):
        load_rules(graph, folder)  # EXPLAIN: it writes


class Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Receiver.received = []
    yield f"http://127.0.0.1:{server.server_port}/alerts"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_load_posts_its_new_alerts_to_the_webhook_once(empty_graph, tmp_path, webhook, capsys):
    settings = dataclasses.replace(empty_graph.settings, var_dir=tmp_path, alert_webhook=webhook)
    g = Graph.connect(settings)
    try:
        watchlist.add(watchlist.store_of(g), "phone", "13900000001", "informant tip", "li")
        (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
        summary = load(g, tmp_path / "calls.csv")
        assert summary.alerts_raised == 1
        assert len(Receiver.received) == 1
        (sent,) = Receiver.received[0]["alerts"]
        assert sent["rule"] == "watched_identifier"
        assert sent["evidence"] == ["phone:+8613900000001", "Phone:+8613900000001"]
        assert sent["sources"] == [{"load_id": summary.load_id, "file": "calls.csv", "row": 2}]
        assert sent["summary"] == "Watched phone +8613900000001 appears in calls.csv (watched because: informant tip)"
        assert sent["facts"] == {"kind": "phone", "value": "+8613900000001", "file": "calls.csv",
                                 "reason": "informant tip"}  # fmt: skip
        # The same file again: nothing new, nothing posted.
        assert load(g, tmp_path / "calls.csv").alerts_raised == 0
        assert len(Receiver.received) == 1
        store = AnalystStore(tmp_path / STORE_FILE)
        assert [a.alert_id for a in store.alerts()] == [sent["alert_id"]]
    finally:
        g.close()


def test_cli_run_and_list(empty_graph, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EXPLORER_ALERTS", "off")
    watchlist.add(AnalystStore(tmp_path / STORE_FILE), "phone", "13900000002", "seen at the border", "li")
    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    off = dataclasses.replace(empty_graph.settings, var_dir=tmp_path, alerts=False)
    with Graph.connect(off) as g:
        assert load(g, tmp_path / "calls.csv").alerts_raised is None
    assert alerts_main(["run", "--format", "json"]) == 0
    ran = json.loads(capsys.readouterr().out)
    assert [a["rule"] for a in ran["raised"]] == ["watched_identifier"]
    assert alerts_main(["run"]) == 0
    assert "0 new alerts" in capsys.readouterr().out
    assert alerts_main(["list", "--format", "json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["state"] == "unread" and "+8613900000002" in listed["summary"]
    assert alerts_main(["ack", listed["alert_id"], "--user", "li", "--comment", "checked"]) == 0
    assert alerts_main(["list", "--state", "unread"]) == 0
    assert "No alerts." in capsys.readouterr().out


def _operators(plan: dict) -> list[tuple[str, str]]:
    found = [(plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", "")))]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


def test_rules_start_from_what_the_load_created(graph):
    """Each rule seeks the load's own relationships by index; none scans a whole label or type."""
    graph.apply_schema()
    with graph.driver.session(database=graph.database) as session:
        for rule in load_rules().values():
            params = rule.investigation.bind({"load_id": "0000:cdr"})
            plan = session.run("EXPLAIN " + rule.investigation.cypher, params).consume().plan
            operators = _operators(plan)
            scans = [(op, d) for op, d in operators if "Scan" in op]
            assert scans == [], (rule.name, scans)
            if rule.name != "watched_identifier":
                assert any("RelationshipIndexSeek" in op for op, _ in operators), rule.name


def test_rules_planned_before_any_ring_still_start_from_the_load(empty_graph):
    """The first loads plan the rules while no ring is drawn; those cached plans serve once the analytics
    have drawn thousands of ring members, so none may start from the people of a ring (or any label)."""
    # People, phones and calls of four loads (the one checked among them), before the analytics: no ring_id anywhere.
    empty_graph.write(
        "UNWIND range(1, 2000) AS i "
        "CREATE (:Person {person_id: 'p' + i})-[:HAS_PHONE]->(ph:Phone {number: '+86139' + i}) "
        "WITH ph, i WHERE i > 1 MATCH (prev:Phone {number: '+86139' + (i - 1)}) "
        "CREATE (prev)-[:CALLED {load_id: '000' + (i % 4) + ':cdr', row: i}]->(ph)"
    )
    with empty_graph.driver.session(database=empty_graph.database) as session:
        for rule in load_rules().values():
            params = rule.investigation.bind({"load_id": "0000:cdr"})
            # Planned on these statistics, not taken from the plan cache of an earlier test.
            plan = session.run("CYPHER replan=force EXPLAIN " + rule.investigation.cypher, params).consume().plan
            scans = [(op, d) for op, d in _operators(plan) if "Scan" in op]
            assert scans == [], (rule.name, scans)


def _calls(tmp_path, name: str, caller: str, callee: str) -> str:
    (tmp_path / name).write_text(f"caller,callee,start_time,duration_s\n{caller},{callee},2024-07-01 10:00:00,30\n",
                                 encoding="utf-8")  # fmt: skip
    return name


def test_ring_link_sees_a_link_made_before_through_another_phone(empty_graph, tmp_path):
    """Linked before is checked between every phone of both holders, whichever phone the new call uses."""
    first = load(empty_graph, tmp_path / _calls(tmp_path, "first.csv", "+8613900000011", "+8613900000021"),
                 alerts=False)  # fmt: skip
    second = load(empty_graph, tmp_path / _calls(tmp_path, "second.csv", "+8613900000012", "+8613900000021"),
                  alerts=False)  # fmt: skip
    empty_graph.write(
        "UNWIND $people AS p CREATE (h:Person {person_id: p.id, ring_id: p.ring, role: 'organiser'}) "
        "WITH h, p UNWIND p.phones AS number MATCH (ph:Phone {number: number}) CREATE (h)-[:HAS_PHONE]->(ph)",
        {"people": [{"id": "a", "ring": "ring-a", "phones": ["+8613900000011", "+8613900000012"]},
                    {"id": "b", "ring": "ring-b", "phones": ["+8613900000021"]}]},
    )  # fmt: skip
    rule = load_rules(empty_graph)["ring_link"]
    assert [r["evidence"] for r in rule.run(empty_graph, first.load_id).rows()] == [
        ["+8613900000011", "+8613900000021"]
    ]
    assert rule.run(empty_graph, second.load_id).rows() == []  # linked before, through a's other phone
