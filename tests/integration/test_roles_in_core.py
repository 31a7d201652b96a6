"""Roles hold in the core functions themselves, whichever page or script calls them (issue 22, rows 1, 4, 10).

Analytics, loads, saved investigations and every export take the acting user and refuse, with a
sentence and a "denied" audit record, a role that may not; nothing is written, built or saved then.
The command line acts as a local administrator recorded under the operating-system user's name.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from explorer import audit, auth, downloads
from explorer.analytics import Options, run_analytics
from explorer.auth import PermissionDenied, User
from explorer.save_investigation import save_investigation
from loaders import api

pytestmark = pytest.mark.integration

VIEWER, ANALYST, LOADER, ADMIN = (User(n, r) for n, r in [("vic", "viewer"), ("ana", "analyst"),
                                                          ("lou", "loader"), ("root", "admin")])  # fmt: skip


@pytest.fixture(autouse=True)
def trail(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("EXPLORER_USER", "os-account")
    return tmp_path


@pytest.fixture
def calls(tmp_path):
    path = tmp_path / "calls.csv"
    rows = ["主叫号码,被叫号码,开始时间,通话时长"]
    rows += [f"1380000{a:04d},1380000{(a + 1) % 12:04d},2024-05-01 10:{a:02d}:00,60" for a in range(12)]
    path.write_text("\n".join(rows) + "\nbad,13800000001,2024-05-01 10:00:00,5\n", encoding="utf-8")
    return path


def _denied(user: str) -> list[audit.Entry]:
    return [e for e in audit.query() if e.outcome == audit.DENIED and e.user == user]


@pytest.mark.parametrize("user", [VIEWER, ANALYST], ids=lambda u: u.role)
def test_analytics_refused_below_loader_and_nothing_written(empty_graph, user):
    with pytest.raises(PermissionDenied, match=f"{user.name} is signed in as {user.role} and may not run analytics"):
        run_analytics(empty_graph, Options(), user=user)
    assert empty_graph.read_value("MATCH (n) WHERE n:AnalyticsRun OR n:Ring RETURN count(n)") == 0
    assert audit.query(action="analytics", user=user.name)[0].outcome == audit.DENIED


def test_analytics_run_by_a_loader_is_recorded_once_under_their_name(empty_graph):
    run_analytics(empty_graph, Options(), user=LOADER)
    runs = audit.query(action="analytics")
    assert [(r.user, r.outcome) for r in runs] == [("lou", "ok")]
    assert empty_graph.read_value("MATCH (r:AnalyticsRun) RETURN count(r)") == 1


@pytest.mark.parametrize("user", [VIEWER, ANALYST], ids=lambda u: u.role)
def test_loads_refused_below_loader_and_nothing_written(empty_graph, calls, user):
    with pytest.raises(PermissionDenied, match="may not load data: that needs the loader role"):
        api.load(empty_graph, calls, user=user)
    with pytest.raises(PermissionDenied):
        api.load_dir(empty_graph, calls.parent, user=user)
    assert empty_graph.read_value("MATCH (n) RETURN count(n)") == 0
    assert [e.action for e in _denied(user.name)] == ["load", "load"]


def test_a_load_is_recorded_once_under_the_loader(empty_graph, calls, trail):
    summary = api.load(empty_graph, calls, rejects_dir=trail, user=LOADER)
    [record] = audit.query(action="load")
    assert (record.user, record.outcome, record.rows) == ("lou", "ok", summary.rows_written)


def test_command_line_is_a_local_administrator_under_the_os_name(empty_graph, calls, trail):
    user = auth.command_line_user()
    assert (user.name, user.role, user.demo) == ("os-account", "admin", False)
    api.load(empty_graph, calls, rejects_dir=trail)  # no user: the command line
    assert [e.user for e in audit.query(action="load")] == ["os-account"]


def test_saving_an_investigation_needs_an_analyst(empty_graph, tmp_path):
    empty_graph.write("CREATE (:Person {name: 'Zhang Wei'})")
    query = "MATCH (p:Person) RETURN p.name AS name"
    with pytest.raises(PermissionDenied, match="may not save investigations"):
        save_investigation(empty_graph, "People", "Console", "Everyone.", query, {}, tmp_path, user=VIEWER)
    assert list(tmp_path.glob("*.cypher")) == []
    path = save_investigation(empty_graph, "People", "Console", "Everyone.", query, {}, tmp_path, user=ANALYST)
    assert path.is_file()
    saved = audit.query(action="investigation", user="ana")
    assert [e.what for e in saved] == ["saved people.cypher"]


ROWS = [{"name": '=HYPERLINK("http://x")', "note": "@SUM(1)", "bell": "a\x01b", "hidden": "\x01=cmd|' /C calc'!A0"}]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_table_exports_need_an_analyst_and_record_the_real_user(fmt):
    with pytest.raises(PermissionDenied, match="vic is signed in as viewer and may not export data"):
        downloads.table(VIEWER, ROWS, "people", fmt)
    made = downloads.table(ANALYST, ROWS, "people", fmt)
    assert made.file_name == f"people.{fmt}" and made.data
    [done, denied] = audit.query()  # newest first
    assert (denied.user, denied.outcome) == ("vic", audit.DENIED)
    assert (done.user, done.what, done.params, done.rows, done.outcome) == ("ana", "people", {"format": fmt}, 1, "ok")


def test_xlsx_export_survives_control_characters_and_stays_inert():
    made = downloads.table(ANALYST, ROWS, "people", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(made.data)).active
    header, row = ([c.value for c in r] for r in sheet.iter_rows())
    assert header == ["name", "note", "bell", "hidden"]
    assert row == ['\'=HYPERLINK("http://x")', "'@SUM(1)", "ab", "'=cmd|' /C calc'!A0"]
    assert all(c.data_type == "s" for r in sheet.iter_rows() for c in r)


def test_csv_export_neutralises_and_json_keeps_values():
    text = downloads.table(ANALYST, ROWS, "people", "csv").data.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text and "'@SUM(1)" in text
    assert json.loads(downloads.table(ANALYST, ROWS, "people", "json").data) == ROWS


def test_audit_export_needs_an_admin():
    rows = audit.as_rows(audit.query())
    with pytest.raises(PermissionDenied, match="may not export the audit trail"):
        downloads.table(ANALYST, rows, "audit", "csv", permission="audit_export")
    assert downloads.table(ADMIN, rows, "audit", "xlsx", permission="audit_export").data


def test_pages_and_rejects_follow_roles(tmp_path):
    with pytest.raises(PermissionDenied):
        downloads.page(VIEWER, "<html></html>", "graph-explore")
    made = downloads.page(ANALYST, "<html>ring</html>", "target-package-ring-3", {"ring": 3})
    assert (made.file_name, made.mime, made.data) == ("target-package-ring-3.html", "text/html", b"<html>ring</html>")
    rejects = tmp_path / "calls.rejects.csv"
    rejects.write_text("row,column,reason\n14,主叫号码,not a phone\n", encoding="utf-8")
    with pytest.raises(PermissionDenied, match="may not load data"):
        downloads.rejects(ANALYST, rejects)
    assert downloads.rejects(LOADER, rejects).data == rejects.read_bytes()
    recorded = [(e.user, e.what, e.outcome) for e in reversed(audit.query())]
    assert recorded == [
        ("vic", "graph-explore as html", "denied"),
        ("ana", "target-package-ring-3", "ok"),
        ("ana", "rejects file calls.rejects.csv", "denied"),
        ("lou", "calls.rejects.csv", "ok"),
    ]
