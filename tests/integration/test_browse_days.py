"""A day on the Map and Explore filters is a day in the analyst's time zone, not in UTC."""

from __future__ import annotations

from datetime import date

import pytest

from explorer import browse

pytestmark = pytest.mark.integration


@pytest.fixture
def two_evenings(empty_graph):
    # 23:30 on 8 June and 07:57 on 9 June in Shanghai; the second is still 8 June in UTC.
    empty_graph.write(
        """
        CREATE (a:Phone {number: '+8613800000001'}), (b:Phone {number: '+8613800000002'})
        CREATE (a)-[:CALLED {at: datetime('2024-06-08T23:30:00+08:00')}]->(b)
        CREATE (a)-[:CALLED {at: datetime('2024-06-09T07:57:00+08:00')}]->(b)
        """
    )
    return empty_graph


def test_until_a_day_stops_at_local_midnight(two_evenings, monkeypatch):
    monkeypatch.setenv("EXPLORER_TIMEZONE", "Asia/Shanghai")
    found = browse.events(two_evenings, since=date(2024, 6, 8), until=date(2024, 6, 8))
    assert [at[11:16] for at in found["at"]] == ["23:30"]  # not the next morning's 07:57
    next_day = browse.events(two_evenings, since=date(2024, 6, 9), until=date(2024, 6, 9))
    assert [at[11:16] for at in next_day["at"]] == ["07:57"]


def test_events_are_counted_on_their_local_day(two_evenings, monkeypatch):
    monkeypatch.setenv("EXPLORER_TIMEZONE", "Asia/Shanghai")
    per_day = browse.events_per_day(two_evenings)
    assert sorted((str(d), n) for d, n in zip(per_day["day"], per_day["events"], strict=True)) == [
        ("2024-06-08", 1),
        ("2024-06-09", 1),
    ]
