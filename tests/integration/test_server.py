"""The suite runs against a real Neo4j 5.26 server, and the schema is idempotent."""

import gc
import sys

import pytest

from explorer.exceptions import NotReadOnly
from explorer.queries import schema_statements

pytestmark = pytest.mark.integration


def test_real_neo4j_5_26_community(graph):
    version = graph.server_version()
    assert "5.26." in version
    assert "community" in version.lower()


def test_schema_applies_twice_without_change(empty_graph):
    empty_graph.apply_schema()
    first = empty_graph.read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", checked=True).rows()
    empty_graph.apply_schema()
    second = empty_graph.read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", checked=True).rows()
    assert first == second
    assert len(first) == sum(1 for s in schema_statements() if "CONSTRAINT" in s)


def test_reads_refuse_writes_and_leave_graph_unchanged(empty_graph):
    empty_graph.write("CREATE (:Person {person_id: 'p1', name: 'Kay'})")
    with pytest.raises(NotReadOnly):
        empty_graph.read("MATCH (p:Person) SET p.name = 'changed'")
    assert empty_graph.read("MATCH (p:Person) RETURN p.name AS name").rows() == [{"name": "Kay"}]
    assert empty_graph.counts() == {"nodes": 1, "relationships": 0}


def test_a_written_batch_leaves_no_reference_to_its_rows_behind(empty_graph):
    """The driver keeps each statement's parameters in a reference cycle that only the garbage collector
    frees, and a load keeps the collector off: the rows of a written batch must not stay alive through it.
    The caller's own lists are left whole (a retry sends them again)."""
    gc.collect()
    row = ["a-key", "a value"]
    rows = [row]
    held_before = sys.getrefcount(row)
    gc.disable()
    try:
        empty_graph.write_together(
            [("UNWIND $batch.rows AS row CREATE (:Probe {key: row[0], value: row[1]})", {"batch": {"rows": rows}})]
        )
        assert sys.getrefcount(row) == held_before, "the driver still holds the row"
    finally:
        gc.enable()
    assert rows == [["a-key", "a value"]]
    assert empty_graph.read_value("MATCH (p:Probe) RETURN p.value") == "a value"


def test_a_property_the_store_does_not_hold_yet_logs_no_warning(empty_graph, caplog):
    """A first load or a new case names properties no node has yet: the server's notes on that are not
    printed to the analyst's console (make demo printed hundreds of them on a fresh clone)."""
    caplog.set_level("INFO", logger="neo4j")
    rows = empty_graph.read("MATCH (p:Person) WHERE p.no_such_property_yet = 1 RETURN p.other_missing AS x").rows()
    assert rows == []
    assert not [r for r in caplog.records if r.name.startswith("neo4j.notifications")], caplog.text
