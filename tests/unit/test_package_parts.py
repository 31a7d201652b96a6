"""The target package's parts that need no database: times, numbers, row ranges, key members, the figure."""

from __future__ import annotations

from datetime import UTC, datetime

from explorer import display, figure
from explorer.package_facts import MAX_KEY_MEMBERS, Member, key_members, row_ranges


def member(i: int, role: str) -> Member:
    return Member(f"p:{i}", f"n{i}", "Person", role, None, i, None, None)


def test_times_read_in_the_analysts_zone_with_the_offset():
    assert display.when(datetime(2024, 6, 7, 23, 57, tzinfo=UTC)) == "2024-06-08 07:57 (+08:00)"
    assert display.when("2024-06-07T23:57:00+00:00") == "2024-06-08 07:57 (+08:00)"
    assert display.when(None) == ""


def test_numbers_are_rounded_for_reading():
    assert display.number(0.123456789) == "0.123"
    assert display.number(1234567.0) == "1,234,567"
    assert display.number(float("nan")) == ""
    assert display.money(1234.5) == "1,234.50"


def test_row_ranges_are_compact_and_keep_every_row_once():
    assert row_ranges([1, 2, 3, 5, 8, 9]) == "1-3, 5, 8-9"
    assert row_ranges([7]) == "7"
    assert row_ranges([]) == ""


def test_key_members_are_organisers_and_brokers_then_ten_others_capped():
    members = [member(i, "member") for i in range(30)] + [member(100, "broker"), member(101, "organiser")]
    chosen = key_members(members)
    assert [m.role for m in chosen[:2]] == ["broker", "organiser"]
    assert [m.key for m in chosen[2:]] == [f"p:{i}" for i in range(10)]
    many_brokers = [member(i, "broker") for i in range(40)]
    assert len(key_members(many_brokers)) == MAX_KEY_MEMBERS


def test_figure_escapes_captions_and_is_the_same_each_time():
    keys = ["a", "b", "c"]
    captions = {"a": "<script>x</script>", "b": "B", "c": "C"}
    args = (keys, captions, {"a": "broker"}, [("a", "b", 3), ("b", "c", 1)], ["a"], {"broker": "broker"})
    svg = figure.ring_svg(*args)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<circle") == 3 + 1  # three members and one legend entry
    assert svg.count("<line") == 2
    assert figure.ring_svg(*args) == svg
