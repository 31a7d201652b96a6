"""A console query cannot take the server's memory or the app's: per-query memory limit and row cap."""

from __future__ import annotations

import logging

import pytest

from explorer import audit, console, db
from explorer.exceptions import QueryError

pytestmark = pytest.mark.integration

DOUBLING = 'RETURN size(reduce(s = "x", i IN range(1, 40) | s + s)) AS n'
BIG_SORT = "UNWIND range(1, 30000000) AS i WITH i ORDER BY i DESC RETURN collect(toString(i))[0] AS n"


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    return tmp_path


def test_server_limits_each_transaction_memory(graph):
    records, _, _ = graph.driver.execute_query(
        "CALL dbms.listConfig('db.memory.transaction') YIELD name, value RETURN name, value",
        database_=graph.database,
        routing_="r",
    )
    settings = {r["name"]: r["value"] for r in records}
    assert settings["db.memory.transaction.max"] not in {"0", "0B", "0.00KiB"}
    assert settings["db.memory.transaction.total.max"] not in {"0", "0B", "0.00KiB"}


def test_query_over_the_memory_limit_fails_with_a_sentence_and_is_not_retried(graph, caplog):
    caplog.set_level(logging.INFO, logger="neo4j")
    with pytest.raises(QueryError) as refused:
        graph.read(BIG_SORT)
    assert str(refused.value) == (
        "The query needs more memory than one query may use on this server (db.memory.transaction.max); "
        "return fewer rows or smaller values."
    )
    assert not [r for r in caplog.records if "will be retried" in r.getMessage()]
    assert graph.read("RETURN 1 AS one").rows() == [{"one": 1}]


def test_string_doubling_fails_with_a_sentence_and_the_server_answers_after(graph, caplog):
    caplog.set_level(logging.INFO, logger="neo4j")
    with pytest.raises(QueryError) as refused:
        console.run_query(graph, DOUBLING)
    # Neo4j does not count a string being built against the transaction's limit, so this one runs
    # into the heap itself, or, with a heap large enough, into Java's 2^31 limit on one string; either
    # way it ends in one sentence, once, and the server keeps answering.
    assert str(refused.value) in {
        db.TOO_LARGE,
        "Neo4j ran out of memory running this query; return fewer rows or smaller values.",
        "The query needs more memory than one query may use on this server (db.memory.transaction.max); "
        "return fewer rows or smaller values.",
    }
    assert not [r for r in caplog.records if "will be retried" in r.getMessage()]
    assert graph.read("RETURN 1 AS one").rows() == [{"one": 1}]
    [entry] = audit.query(action="console")
    assert (entry.what, entry.outcome, entry.detail) == (DOUBLING, "error", str(refused.value))


def test_console_keeps_the_first_rows_and_counts_the_rest(empty_graph):
    result = console.run_query(empty_graph, "UNWIND range(1, $n) AS i RETURN i", {"n": 25}, max_rows=10)
    assert [r["i"] for r in result.records] == list(range(1, 11))
    assert result.more == 15
    [entry] = audit.query(action="console")
    assert entry.rows == 25


def test_console_default_cap(empty_graph):
    n = console.CONSOLE_MAX_ROWS + 7
    result = console.run_query(empty_graph, "UNWIND range(1, $n) AS i RETURN i", {"n": n})
    assert (len(result), result.more) == (console.CONSOLE_MAX_ROWS, 7)
