"""The schema check before each load: a label set of known keys costs no round trip, a new key is made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.db import Graph, Result
from loaders import write
from loaders.write import ensure_schema


class CountingGraph(Graph):
    """The real graph, counting the reads sent to it."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.settings)
        self.reads = 0

    def read(self, cypher: str, params: Mapping[str, Any] | None = None, **options: Any) -> Result:
        self.reads += 1
        return super().read(cypher, params, **options)


def test_known_keys_are_not_checked_again_and_a_new_key_is_made(empty_graph):
    graph = CountingGraph(empty_graph)
    ensure_schema(graph, [("Phone", "number"), ("Person", "person_id")])
    before = graph.reads
    ensure_schema(graph, [("Phone", "number"), ("Account", "account_id")])  # a new set of known keys
    assert graph.reads == before
    try:
        ensure_schema(graph, [("Phone", "number"), ("SchemaProbe", "probe_id")])  # a key the server lacks
        assert graph.reads > before
        names = {r["name"] for r in empty_graph.read("SHOW CONSTRAINTS YIELD name RETURN name", checked=True).records}
        assert "schemaprobe_probe_id_key" in names
    finally:
        empty_graph.apply_schema(["DROP CONSTRAINT schemaprobe_probe_id_key IF EXISTS"])


def test_a_dropped_constraint_of_the_schema_is_made_again_and_its_key_known(empty_graph, monkeypatch):
    """The constraints are read once for their names and their keys: one made again counts as a key."""
    monkeypatch.setattr(write, "_SCHEMA_APPLIED", set())
    monkeypatch.setattr(write, "_UNIQUE_KEYS_SEEN", {})
    empty_graph.apply_schema(["DROP CONSTRAINT phone_number IF EXISTS"])
    try:
        graph = CountingGraph(empty_graph)
        ensure_schema(graph, [("Phone", "number")])
        names = {r["name"] for r in empty_graph.read("SHOW CONSTRAINTS YIELD name RETURN name", checked=True).records}
        assert "phone_number" in names and "phone_number_key" not in names
        before = graph.reads
        ensure_schema(graph, [("Phone", "number"), ("Person", "person_id")])
        assert graph.reads == before
    finally:
        empty_graph.apply_schema()
