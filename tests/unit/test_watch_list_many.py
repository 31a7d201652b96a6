"""Adding a list of identifiers to watch: each line read as the loaders read it, refusals named by line."""

from __future__ import annotations

import pytest

from explorer import watchlist
from explorer.analyst_store import AnalystStore

LIST = """138 0013 8000
(+86)139-0000-0001

13800138000
138****5678
not a phone
"""


def test_a_list_is_watched_line_by_line_and_refusals_say_which_line_and_why(tmp_path):
    store = AnalystStore(tmp_path / "analyst.sqlite3")
    added, refused = watchlist.add_many(store, "phone", LIST, "list from the border unit", "li")
    assert added == ["phone:+8613800138000", "phone:+8613900000001"]  # line 4 is line 1 again: once
    assert [(r["row"], r["value"]) for r in refused] == [(5, "138****5678"), (6, "not a phone")]
    assert all("cannot be watched as a phone" in r["reason"] for r in refused)
    assert {w["watch_id"] for w in store.watches()} == set(added)
    # The corrected list again: nothing doubled, the reason kept current.
    again, none = watchlist.add_many(store, "phone", "13800138000\n13900000001", "checked again", "li")
    assert none == [] and again == added and len(store.watches()) == 2
    assert {w["reason"] for w in store.watches()} == {"checked again"}


def test_a_list_without_a_reason_adds_nothing(tmp_path):
    store = AnalystStore(tmp_path / "analyst.sqlite3")
    with pytest.raises(watchlist.InvalidWatch, match="reason is required"):
        watchlist.add_many(store, "phone", LIST, " ", "li")
    assert store.watches() == []


def test_a_watched_node_is_drawn_with_a_red_border_and_its_reason_escaped():
    from explorer.picture import WATCHED_BORDER, node_style
    from explorer.subgraph import GraphNode

    phone = GraphNode("4:x:1", ["Phone"], {"number": "+8613800138000"})
    other = GraphNode("4:x:2", ["Phone"], {"number": "+8613900000001"})
    person = GraphNode("4:x:3", ["Person"], {"person_id": "+8613800138000", "name": "Li"})  # same text, other kind
    watches = [{"watch_id": "phone:+8613800138000", "kind": "phone", "value": "+8613800138000",
                "reason": "<b>tip</b> from the border unit"}]  # fmt: skip
    watched = watchlist.watched_nodes([phone, other, person], watches)
    assert watched == {"4:x:1": "<b>tip</b> from the border unit"}
    style = node_style(phone, watched=watched["4:x:1"], lang="zh")
    assert style["color"]["border"] == WATCHED_BORDER and style["borderWidth"] == 3
    assert style["title"].startswith("<b>布控对象：&lt;b&gt;tip&lt;/b&gt; from the border unit</b><br>")
    assert isinstance(node_style(other)["color"], str)  # not watched: drawn as before
