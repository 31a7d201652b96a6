"""The evidence graph is written only by the loaders and the analytics write-back: no other product code
calls a write on a graph. The analysts' own state (watch list, alerts, workspaces) goes to the analyst store."""

from __future__ import annotations

import ast
from pathlib import Path

from explorer.config import PROJECT_ROOT

WRITES = {"write", "write_together", "execute_write"}
# Where a graph write is the job: the analytics write-back; and the one-off move of an earlier version's
# `Watch` nodes out of the graph (explorer.watchlist.adopt), which deletes analyst state, never evidence.
ALLOWED = {"explorer/analytics/run.py", "explorer/watchlist.py", "explorer/db.py"}


def _graph_writes(path: Path) -> list[int]:
    """Lines calling `<something graph-like>.write(...)`: a receiver named graph or g, or ending in graph."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            receiver = node.func.value
            name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
            if name in {"g", "graph", "session", "tx"} or name.endswith("graph"):
                found.append(node.lineno)
    return found


def test_only_the_analytics_write_the_graph_outside_the_loaders():
    files = [
        PROJECT_ROOT / "app.py",
        *(PROJECT_ROOT / "explorer").rglob("*.py"),
        *(PROJECT_ROOT / "pages").rglob("*.py"),
    ]
    writers = {
        f"{p.relative_to(PROJECT_ROOT)}:{line}" for p in files for line in _graph_writes(p)
        if str(p.relative_to(PROJECT_ROOT)) not in ALLOWED
    }  # fmt: skip
    assert writers == set(), "product code outside the loaders and the analytics writes the graph"
    # The check sees the writes it allows, so it would see others.
    assert _graph_writes(PROJECT_ROOT / "explorer" / "analytics" / "run.py")
    assert _graph_writes(PROJECT_ROOT / "explorer" / "watchlist.py")


def test_the_watch_list_is_written_to_the_analyst_store_only(tmp_path):
    from explorer import watchlist
    from explorer.analyst_store import AnalystStore

    store = AnalystStore(tmp_path / "analyst.sqlite3")
    key = watchlist.add(store, "phone", "(+86)138-0013-8000", "tip-off", "li")
    assert key == "phone:+8613800138000"
    assert watchlist.add(store, "phone", "13800138000", "confirmed", "wang") == key  # again: updated, not doubled
    (entry,) = store.watches()
    assert (entry["reason"], entry["added_by"]) == ("confirmed", "wang")
    assert watchlist.remove(store, key) and store.watches() == []
