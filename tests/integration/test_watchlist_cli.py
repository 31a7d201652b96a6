"""`python -m explorer.watchlist list|adopt`: an earlier version's Watch nodes move into the analyst store."""

from __future__ import annotations

import pytest

from explorer import audit
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.watchlist import main

pytestmark = pytest.mark.integration

EARLIER = """
CREATE (:Phone {number: '+8613800138000', loads: ['0000:cdr']})
CREATE (:Watch {watch_id: 'phone:+8613800138000', kind: 'phone', value: '+8613800138000', reason: 'tip-off',
                added_by: 'li', added_at: datetime('2023-05-01T08:00:00Z')})
CREATE (:Watch {watch_id: 'parcel:SF1234567890', value: 'SF1234567890', reason: 'drop', added_by: 'wang'})
"""


def test_adopt_moves_the_graphs_watches_into_the_store_once(empty_graph, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EXPLORER_USER", "maintainer")
    empty_graph.write(EARLIER)
    assert main(["adopt"]) == 0
    assert "Moved 2 watches" in capsys.readouterr().out
    assert empty_graph.read_value("MATCH (w:Watch) RETURN count(w)") == 0
    assert empty_graph.read_value("MATCH (p:Phone) RETURN count(p)") == 1, "evidence stays"
    store = AnalystStore(tmp_path / STORE_FILE)
    watches = {w["watch_id"]: w for w in store.watches()}
    assert set(watches) == {"phone:+8613800138000", "parcel:SF1234567890"}
    assert watches["parcel:SF1234567890"]["kind"] == "parcel"  # from the id, where the node had no kind
    assert watches["phone:+8613800138000"]["added_at"].startswith("2023-05-01T08:00:00")
    assert main(["adopt"]) == 0 and "Moved 0 watches" in capsys.readouterr().out
    assert main(["list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[0] for line in listed) == sorted(watches)
    recorded = audit.query(action="watch")
    assert sorted(e.rows for e in recorded) == [0, 2] and {e.user for e in recorded} == {"maintainer"}
