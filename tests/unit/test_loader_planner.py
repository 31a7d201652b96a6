"""The planner sends each node once per load, and again only when it has something new to say."""

from __future__ import annotations

from loaders.engine import Batch, Planner


def _batch(*nodes: tuple[str, dict]) -> Batch:
    batch = Batch()
    for key, props in nodes:
        batch.add_node("Account", "account_id", key, dict(props))
    return batch


def _sent(planner: Planner, *nodes: tuple[str, dict]) -> list[list]:
    batch = planner.plan(_batch(*nodes))
    return [row for _, params in batch.statements or [] for row in params["rows"]]


def test_a_node_is_sent_again_only_when_its_properties_change():
    planner = Planner()
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
    planner = Planner()
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == [["bank:1", ["a", "b"]]]
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == []
    assert _sent(planner, ("bank:1", {"aliases": ["a"]})) == [["bank:1", ["a"]]]


def test_each_planner_is_one_load():
    first, second = Planner(), Planner()
    assert _sent(first, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
    assert _sent(second, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
