"""The suite runs against a real Neo4j 5.26 server, and the schema is idempotent."""

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
