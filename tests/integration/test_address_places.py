"""Loads give addresses without coordinates approximate ones from the gazetteer, marked as such."""

from __future__ import annotations

import pytest
from neo4j.exceptions import SessionExpired

from explorer.config import PROJECT_ROOT
from loaders import api, places, run

ROSTER = PROJECT_ROOT / "tests" / "data" / "samples" / "roster.csv"

PLACES = """
MATCH (a:Address)
RETURN a.text AS text, a.lat AS lat, a.lon AS lon, a.geo_precision AS precision, a.geo_source AS source,
       a.geo_place AS place
ORDER BY text
"""


def test_roster_addresses_get_approximate_district_coordinates(empty_graph, tmp_path):
    summary = api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    rows = empty_graph.read(PLACES).rows()
    assert summary.addresses_placed == len(rows) == 2
    by_place = {r["place"]: r for r in rows}
    assert set(by_place) == {"南山区", "五华区"}
    assert all(r["precision"] == "district" and r["source"] == "gazetteer" for r in rows)
    assert 22 < by_place["南山区"]["lat"] < 23 and 113 < by_place["南山区"]["lon"] < 115
    assert 24 < by_place["五华区"]["lat"] < 26 and 102 < by_place["五华区"]["lon"] < 103


def test_coordinates_from_a_file_are_kept(empty_graph, tmp_path):
    empty_graph.write("MERGE (a:Address {address_id: '广东省深圳市南山区科技园1号'}) SET a.lat = 1.5, a.lon = 2.5")
    api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    kept = empty_graph.read("MATCH (a:Address) WHERE a.lat = 1.5 RETURN a.lon AS lon, a.geo_source AS source").rows()
    assert kept == [{"lon": 2.5, "source": None}]
    # The load met that very node (same key), and placed only the other address.
    assert empty_graph.read_value("MATCH (a:Address) RETURN count(a)") == 2
    assert empty_graph.read_value("MATCH (a:Address) WHERE a.geo_source = 'gazetteer' RETURN count(a)") == 1


def test_a_load_with_more_addresses_than_its_last_transaction_takes_places_them_all(empty_graph, tmp_path, monkeypatch):
    """The end of a load places its addresses in its last transaction, up to PLACE_IN_ONE of them; past that,
    in transactions of their own: the same coordinates either way, none lost."""
    monkeypatch.setattr(places, "PLACE_IN_ONE", 1)  # the roster's two addresses are too many
    summary = api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    rows = empty_graph.read(PLACES).rows()
    assert summary.addresses_placed == len(rows) == 2
    assert {r["place"] for r in rows} == {"南山区", "五华区"}
    assert empty_graph.read_value("MATCH (l:Load) RETURN l.status") == "complete"


def test_the_load_completes_with_its_candidates_and_places_in_one_transaction(empty_graph, tmp_path, monkeypatch):
    """The Load's completion, its SAME_AS candidates and its coordinates commit together: a failure in the
    last of them leaves the Load to be loaded again, not complete without its coordinates. When the end
    went with the export's last rows, nothing of the load stays; when it went alone, the Load is running."""

    def failing(*_args, **_kwargs):
        raise RuntimeError("the gazetteer failed")

    monkeypatch.setattr(places, "locate_many", failing)
    with pytest.raises(RuntimeError, match="gazetteer"):
        api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    assert empty_graph.read_value("MATCH (l:Load) RETURN l.status") in (None, "running")
    assert empty_graph.read_value("MATCH (a:Address) WHERE a.lat IS NOT NULL RETURN count(a)") == 0
    monkeypatch.undo()
    summary = api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    assert summary.addresses_placed == 2
    assert empty_graph.read_value("MATCH (l:Load) RETURN l.status") == "complete"


def test_the_end_of_a_load_run_again_after_a_transient_error_still_completes_it(empty_graph, tmp_path, monkeypatch):
    """The driver runs the last transaction again after a transient error: the second run writes the
    Load node's completion too (the roster's rows went in one transaction with the Load's start)."""
    attempts = []

    def flaky(tx, load_id):
        attempts.append(load_id)
        if len(attempts) == 1:
            raise SessionExpired("the connection was lost before the commit")
        return places.place_in(tx, load_id)

    monkeypatch.setattr(run, "place_in", flaky)
    summary = api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    assert len(attempts) == 2 and summary.addresses_placed == 2
    load = empty_graph.read("MATCH (l:Load) RETURN l.status AS status, l.rows_read AS rows").rows()
    assert load == [{"status": "complete", "rows": summary.rows_read}]
