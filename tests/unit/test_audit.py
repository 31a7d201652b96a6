"""The audit trail records who did what, and cannot be rewritten."""

import ast
import inspect
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from explorer import audit, db
from explorer.exceptions import NotReadOnly, QueryError


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EXPLORER_USER", "cli-user")
    audit.set_user(None)
    return tmp_path


def test_record_then_query(var_dir):
    entry = audit.record("investigation", "brokers", {"min_degree": 3}, rows=12, duration_ms=4.5, user="kay")
    assert entry.id and entry.at.endswith("+00:00")
    [back] = audit.query()
    assert (back.user, back.action, back.what, back.params, back.rows, back.outcome) == (
        "kay",
        "investigation",
        "brokers",
        {"min_degree": 3},
        12,
        "ok",
    )
    assert (var_dir / "audit.sqlite3").is_file()


def test_user_from_login_then_environment():
    assert audit.record("console", "MATCH (n) RETURN n").user == "cli-user"
    audit.set_user("analyst1")
    try:
        assert audit.record("console", "MATCH (n) RETURN n").user == "analyst1"
    finally:
        audit.set_user(None)


def test_trail_is_append_only(var_dir):
    audit.record("export", "ring 3", rows=5)
    conn = sqlite3.connect(var_dir / "audit.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET user = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    conn.close()
    assert [e.user for e in audit.query()] == ["cli-user"]
    assert not [name for name in dir(audit) if name.startswith(("delete", "update", "clear", "purge"))]


def test_timed_records_rows_duration_and_outcomes():
    with audit.timed("investigation", "ring members", {"ring": 1}) as entry:
        entry.rows = 7
    with pytest.raises(NotReadOnly), audit.timed("console", "MATCH (n) DELETE n"):
        raise NotReadOnly("The query uses DELETE.")
    with pytest.raises(QueryError), audit.timed("console", "MATCH (n RETURN n"):
        raise QueryError("Neo4j rejected the query: invalid syntax.")
    error, refused, ok = audit.query()
    assert (ok.outcome, ok.rows, ok.params) == ("ok", 7, {"ring": 1}) and ok.duration_ms >= 0
    assert refused.outcome == "refused" and "DELETE" in refused.detail
    assert error.outcome == "error" and "invalid syntax" in error.detail


def test_filters_by_user_action_and_time():
    audit.record("load", "calls.csv", user="a")
    audit.record("export", "ring 1", user="b")
    audit.record("load", "bank.xlsx", user="b")
    assert [e.what for e in audit.query(user="b")] == ["bank.xlsx", "ring 1"]
    assert [e.what for e in audit.query(action="load")] == ["bank.xlsx", "calls.csv"]
    now = datetime.now(UTC)
    assert len(audit.query(since=now - timedelta(minutes=1), until=now + timedelta(minutes=1))) == 3
    assert audit.query(since=now + timedelta(minutes=1)) == []
    assert audit.users() == ["a", "b"]


def test_padded_query_is_recorded_whole():
    # 20,000 spaces in a comment used to push the query past the stored text.
    query = "// " + " " * 20_000 + "\nMATCH (p:Person {name: 'Zhang Wei'}) RETURN p"
    audit.record("console", query)
    [entry] = audit.query()
    assert entry.what == query
    assert entry.what.endswith("RETURN p")


def test_value_never_masked_by_parameter_name():
    audit.record("console", "MATCH (p:Person {name: $password}) RETURN p", {"password": "Zhang Wei", "token": 7})
    [entry] = audit.query()
    assert entry.params == {"password": "Zhang Wei", "token": 7}


def test_neo4j_password_is_no_oracle(var_dir, monkeypatch):
    """A query holding the Neo4j password is recorded like one holding any other string."""
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-neo4j-pw")
    template = "MATCH (p:Person) WHERE p.name = '{}' RETURN p"
    for guess in ("s3cret-neo4j-pw", "wrong-guess-pw1"):
        audit.record("console", template.format(guess), {"value": guess}, detail=f"no match for {guess}")
    wrong, right = audit.query()
    for entry, guess in ((right, "s3cret-neo4j-pw"), (wrong, "wrong-guess-pw1")):
        assert entry.what == template.format(guess)
        assert entry.params == {"value": guess}
        assert entry.detail == f"no match for {guess}"


def test_neo4j_password_only_reaches_the_driver():
    """Nothing to scrub: the product reads `settings.password` only to hand it to the driver."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "app.py", *root.glob("explorer/**/*.py"), *root.glob("loaders/**/*.py"), *root.glob("pages/*.py")]
    readers = []
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "password":
                readers.append((source.relative_to(root).as_posix(), node.lineno))
    assert [name for name, _ in readers] == ["explorer/db.py"]
    create_driver = inspect.getsource(db.create_driver)
    assert "settings.password" in create_driver


def test_records_written_behind_reach_the_trail_in_order_when_the_block_ends():
    writer_busy = threading.Event()
    with audit.written_behind():
        audit.behind_pool().submit(writer_busy.wait, 60)  # the writing thread is busy: records wait their turn
        first = audit.record("load", "a.csv", rows=1)
        second = audit.record("load", "b.csv", rows=2)
        assert first.id is None and audit.query() == []  # the caller went on without waiting for the disk
        writer_busy.set()
    assert [(e.what, e.rows) for e in reversed(audit.query())] == [("a.csv", 1), ("b.csv", 2)]
    assert first.id is not None and second.id is not None and first.id < second.id
    # Outside the block, a record is on disk when it returns.
    assert audit.record("load", "c.csv").id == audit.query()[0].id


def test_a_record_that_cannot_be_written_behind_fails_the_block(tmp_path, monkeypatch, caplog):
    not_a_folder = tmp_path / "var"
    not_a_folder.write_text("")
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(not_a_folder))
    with pytest.raises(audit.AuditError, match="cannot be opened"), audit.written_behind():
        audit.record("load", "a.csv")
    # The block's own error is the one raised; the record's failure is logged, not lost.
    with pytest.raises(ValueError, match="row 3"), audit.written_behind():
        audit.record("load", "b.csv")
        raise ValueError("row 3")
    assert "cannot be opened" in caplog.text
