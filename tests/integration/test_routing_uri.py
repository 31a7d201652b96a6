"""A `neo4j://` routing URI (what a cluster is reached by) works for loads, reads and analytics' writes.

Against the one local server the routing table names that server in every role; the app's reads
still go out as read transactions (READ access mode), which a cluster would send to a reader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from explorer.db import Graph
from explorer.exceptions import ExplorerError
from loaders.api import load
from tests.conftest import DATA

pytestmark = pytest.mark.integration


@pytest.fixture
def routed(empty_graph: Graph) -> Iterator[Graph]:
    settings = dataclasses.replace(empty_graph.settings, uri=empty_graph.settings.uri.replace("bolt://", "neo4j://"))
    assert settings.uri.startswith("neo4j://")
    graph = Graph.connect(settings)
    yield graph
    graph.close()


def test_loads_reads_and_writes_through_a_routing_uri(routed: Graph) -> None:
    summary = load(routed, DATA / "samples" / "cdr_话单.csv")
    assert summary.rows_written > 0
    phones = routed.read("MATCH (p:Phone) RETURN count(p) AS n").records[0]["n"]
    assert phones > 0
    assert sum(1 for _ in routed.stream("MATCH (p:Phone) RETURN p.number")) == phones
    assert routed.counts()["nodes"] >= phones
    assert "5.26" in routed.server_version()
    routed.write("MATCH (p:Phone) SET p.routing_checked = true")
    assert routed.read_value("MATCH (p:Phone) WHERE p.routing_checked RETURN count(p)") == phones


def test_reads_go_out_in_read_mode(routed: Graph) -> None:
    """The server is told each read is a read: a write sent down the read path is refused by the server itself."""
    with pytest.raises(ExplorerError):
        list(routed.stream("CREATE (:RoutingProbe) RETURN 1"))
    assert routed.read_value("MATCH (n:RoutingProbe) RETURN count(n)") == 0
