"""Workspaces: canvases kept in the analyst store per user, with sharing, roles, undo and redo."""

from __future__ import annotations

from datetime import UTC

import pytest

from explorer.analyst_store import AUTOSAVE, AnalystStore, InvalidAlertAction, WorkspaceNotFound
from explorer.canvas import Canvas


@pytest.fixture
def store(tmp_path) -> AnalystStore:
    return AnalystStore(tmp_path / "analyst.sqlite3")


def drawn() -> Canvas:
    canvas = Canvas()
    canvas.show(["a", "b"])
    canvas.add(["c"])
    canvas.pin(["a"])
    canvas.place({"a": (10, 20), "b": (-5.5, 3), "c": (0, 0)})
    canvas.note("b", "  met the courier in Shenzhen ")
    canvas.filters = {"labels": ["Person"], "since": "2024-06-01"}
    canvas.window = ["2024-06-08", "2024-06-09"]
    return canvas


def test_a_canvas_comes_back_exactly_from_the_store(store):
    saved = store.save_workspace("li", "ring 7 couriers", drawn().as_dict())
    assert saved.link == "li/ring 7 couriers"
    back = Canvas.from_dict(store.workspace("li", "ring 7 couriers").canvas)
    assert back.visible == ["a", "b", "c"]
    assert back.pinned == ["a"]
    assert back.positions == {"a": [10.0, 20.0], "b": [-5.5, 3.0], "c": [0.0, 0.0]}
    assert back.notes == {"b": "met the courier in Shenzhen"}
    assert back.filters == {"labels": ["Person"], "since": "2024-06-01"}
    assert back.window == ["2024-06-08", "2024-06-09"]


def test_saving_again_replaces_and_the_list_hides_the_autosave(store):
    store.save_workspace("li", "draft", {"visible": ["a"]})
    store.save_workspace("li", "draft", {"visible": ["a", "b"]})
    store.save_workspace("li", AUTOSAVE, {"visible": ["z"]})
    listed = store.workspaces("li")
    assert [(w.name, w.canvas["visible"]) for w in listed] == [("draft", ["a", "b"])]
    assert store.workspace("li", AUTOSAVE).canvas == {"visible": ["z"]}


def test_others_open_only_shared_workspaces_and_admins_any(store):
    store.save_workspace("li", "private", {"visible": ["a"]})
    store.save_workspace("li", "team", {"visible": ["b"]}, shared=True)
    with pytest.raises(WorkspaceNotFound):
        store.workspace("li", "private", reader="zhang")
    assert store.workspace("li", "team", reader="zhang").canvas == {"visible": ["b"]}
    assert store.workspace("li", "private", reader="chief", admin=True).owner == "li"
    assert [w.name for w in store.workspaces("zhang")] == ["team"]
    assert sorted(w.name for w in store.workspaces("chief", admin=True)) == ["private", "team"]
    with pytest.raises(WorkspaceNotFound):
        store.workspace("li", "missing")


@pytest.mark.parametrize("name", ["", "   ", "a/b", "x" * 81])
def test_a_workspace_name_is_checked(store, name):
    with pytest.raises(InvalidAlertAction):
        store.save_workspace("li", name, {})


def test_delete(store):
    store.save_workspace("li", "old", {})
    assert store.delete_workspace("li", "old")
    assert not store.delete_workspace("li", "old")
    assert store.workspaces("li") == []


def test_undo_and_redo_walk_the_canvas_history():
    canvas = Canvas()
    canvas.show(["a"])
    canvas.add(["b", "c"])
    canvas.hide(["c"])
    assert canvas.visible == ["a", "b"] and canvas.hidden == ["c"]
    assert canvas.undo()
    assert canvas.visible == ["a", "b", "c"] and canvas.hidden == []
    assert canvas.undo()
    assert canvas.visible == ["a"]
    assert canvas.redo() and canvas.redo()
    assert canvas.visible == ["a", "b"]
    assert not canvas.redo()
    canvas.undo()
    canvas.add(["d"])  # a new step forgets what could be redone
    assert not canvas.redo_stack


def test_hidden_nodes_stay_hidden_on_expand_but_a_path_reveals_them():
    canvas = Canvas()
    canvas.show(["a", "b"])
    canvas.pin(["b"])
    canvas.hide(["b"])
    assert canvas.pinned == []
    assert canvas.add(["b", "c"]) == 1
    assert canvas.reveal(["b"]) == 1
    assert canvas.visible == ["a", "c", "b"] and canvas.hidden == []


def test_the_time_window_cuts_links_by_their_local_day(monkeypatch):
    from datetime import date, datetime, timedelta

    from explorer.canvas import days_on_screen, within_window
    from explorer.subgraph import GraphEdge, GraphNode, Subgraph

    monkeypatch.setenv("EXPLORER_TIMEZONE", "Asia/Shanghai")
    g = Subgraph()
    for n in "abc":
        g.add_node(GraphNode(n, ["Phone"], {"number": n}))
    utc = UTC
    # 2024-06-08 23:57 UTC is 07:57 on 9 June in Shanghai
    g.add_edge(GraphEdge("late", "a", "b", "CALLED", {"at": datetime(2024, 6, 8, 23, 57, tzinfo=utc)}))
    g.add_edge(GraphEdge("early", "a", "c", "CALLED", {"at": datetime(2024, 6, 8, 2, 0, tzinfo=utc)}))
    g.add_edge(GraphEdge("owner", "b", "c", "HAS_PHONE", {}))
    assert days_on_screen(g) == (date(2024, 6, 8), date(2024, 6, 9))
    june8 = within_window(g, date(2024, 6, 8), date(2024, 6, 8))
    assert sorted(june8.edges) == ["early", "owner"]
    assert len(june8) == 3  # nodes stay; only links are filtered
    assert sorted(within_window(g, date(2024, 6, 9), date(2024, 6, 9) + timedelta(days=1)).edges) == ["late", "owner"]
