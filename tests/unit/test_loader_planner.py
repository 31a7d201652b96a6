"""The planner sends each node once per load, and again only when it has something new to say."""

from __future__ import annotations

from loaders.cypher_text import AllowedNames, NameSet
from loaders.plan import Batch, Planner

NAMES = AllowedNames(NameSet({"Account", "Person", "Phone"}), NameSet({"HAS_PHONE"}),
                     NameSet({"account_id", "person_id", "number", "holder_name", "aliases"}))  # fmt: skip


def _batch(*nodes: tuple[str, dict]) -> Batch:
    batch = Batch()
    for key, props in nodes:
        batch.add_node("Account", "account_id", key, dict(props))
    return batch


def _sent(planner: Planner, *nodes: tuple[str, dict]) -> list[list]:
    batch = planner.plan(_batch(*nodes))
    return [row for _, params in batch.statements or [] for row in params["rows"]]


def test_a_node_is_sent_again_only_when_its_properties_change():
    planner = Planner(NAMES)
    assert _sent(planner, ("bank:1", {"holder_name": "Li"}), ("bank:2", {})) == [["bank:1", "Li"], ["bank:2", None]]
    # The same properties again, or none: the MERGE would change nothing.
    assert _sent(planner, ("bank:1", {"holder_name": "Li"}), ("bank:2", {})) == []
    assert _sent(planner, ("bank:1", {"holder_name": "Wang"})) == [["bank:1", "Wang"]]
    # Back to the first value: it must be sent, or the graph would keep "Wang".
    assert _sent(planner, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
    # Properties where there were none, and fewer properties than last time, are both sent.
    assert _sent(planner, ("bank:2", {"holder_name": "Zhao"})) == [["bank:2", "Zhao"]]
    assert _sent(planner, ("bank:1", {})) == [["bank:1"]]


def test_list_values_are_compared_too():
    planner = Planner(NAMES)
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == [["bank:1", ["a", "b"]]]
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == []
    assert _sent(planner, ("bank:1", {"aliases": ["a"]})) == [["bank:1", ["a"]]]


def test_each_planner_is_one_load():
    first, second = Planner(NAMES), Planner(NAMES)
    assert _sent(first, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
    assert _sent(second, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]


def _rel_rows(planner: Planner, *rels: tuple[str, int, str]) -> list[list]:
    """Plan HAS_PHONE links (source, row, tag) and return the rows sent."""
    batch = Batch()
    group = ("HAS_PHONE", "Person", "person_id", "Phone", "number", False)
    for source, row, tag in rels:
        batch.add_rel(group, (source, "+8613800000000"), source, "+8613800000000", row, tag, {})
    planner.plan(batch)
    return [row for _, params in batch.statements or [] for row in params["rows"]]


def test_a_relationship_from_its_own_row_leaves_its_tag_to_the_statement():
    sent = _rel_rows(
        Planner(NAMES, "L1"), ("p1", 7, "L1#7"), ("p2", 8, "L1#8"), ("p2", 9, "L1#9"), ("p3", 4, "other#4")
    )
    sources = {row[1]: row[4] for row in sent}  # REL_COLUMNS: source at 1, sources at 4
    # p1's tag is the statement's to write; p2 folds two rows, p3's tag is not this load's own form.
    assert sources == {"p1": None, "p2": ["L1#8", "L1#9"], "p3": ["other#4"]}
    # A planner that does not know its load sends every tag.
    assert [row[4] for row in _rel_rows(Planner(NAMES), ("p1", 7, "L1#7"))] == [["L1#7"]]
