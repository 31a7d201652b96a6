"""A neighbourhood shows every kind of link of a node: its owner always, busy kinds a page at a time."""

from __future__ import annotations

import pytest

from explorer import browse

pytestmark = pytest.mark.integration


@pytest.fixture
def busy_phone(empty_graph):
    empty_graph.write(
        """
        CREATE (owner:Person {name: 'Wang Wei'})-[:HAS_PHONE]->(p:Phone {number: '+8613800000001'})
        CREATE (p)-[:USES_DEVICE]->(:Device {imei: '356938035643809'})
        WITH p
        UNWIND range(1, 150) AS i
        CREATE (p)-[:CALLED {at: datetime('2024-06-08T08:00:00+08:00') + duration({minutes: i})}]->
               (:Phone {number: '+86139' + right('0000000' + toString(i), 8)})
        """
    )
    phone = empty_graph.read_value("MATCH (p:Phone {number: '+8613800000001'}) RETURN elementId(p)")
    return empty_graph, phone


def captions(found, label):
    return sorted(n.caption for n in found.subgraph.nodes.values() if n.label == label)


def test_a_busy_phone_shows_its_owner_and_a_page_of_calls(busy_phone):
    graph, phone = busy_phone
    found = browse.neighbourhood(graph, [phone])
    assert captions(found, "Person") == ["Wang Wei"]
    assert captions(found, "Device") == ["356938035643809"]
    calls = [e for e in found.subgraph.edges.values() if e.type == "CALLED"]
    assert len(calls) == 25
    assert found.more == {phone: {"CALLED": 125}}
    assert found.totals[phone] == {"CALLED": 150, "HAS_PHONE": 1, "USES_DEVICE": 1}


def test_paging_through_the_calls_reaches_every_one_once(busy_phone):
    graph, phone = busy_phone
    seen: set[str] = set()
    offsets: dict[str, int] = {}
    pages = 0
    while True:
        found = browse.neighbourhood(graph, [phone], offsets=offsets)
        pages += 1
        seen |= {e.id for e in found.subgraph.edges.values() if e.type == "CALLED"}
        if phone not in found.next_offsets:
            break
        offsets = found.next_offsets[phone]
    assert pages == 6
    assert len(seen) == 150
    assert captions(found, "Person") == ["Wang Wei"]  # the owner on every page


def test_filters_never_drop_the_owner(busy_phone):
    graph, phone = busy_phone
    found = browse.neighbourhood(graph, [phone], browse.Filters(rel_types=("SENT",)))
    assert captions(found, "Person") == ["Wang Wei"]
    assert not [e for e in found.subgraph.edges.values() if e.type == "CALLED"]
