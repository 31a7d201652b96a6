"""Replacement phones: the number that took over from one that went quiet, read from a seized call record.

The world, small enough to check by hand:
- the trader's old burner OLD calls five customers in January, then goes quiet; once it also called the
  number the first customer (Zhou) takes in February;
- NEW, the trader's next burner, calls the same five from 3 February, one of them (Zhou) on the new
  number Zhou took in February (the roster lists both of Zhou's numbers, so Zhou counts once);
- MATE, a ring-mate's new number from 4 February, calls two of the five and three people of its own,
  whom MATE_OLD, the ring-mate's January number, called too;
- PARALLEL calls four of the five all through January and February: a second phone, not a successor;
- every phone here calls HOTLINE, a courier's number that a hundred other phones call too: more links
  than the hub limit, so it never counts as a shared contact.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from explorer.catalog import load_catalog
from loaders.api import load

OLD, NEW, MATE, MATE_OLD, PARALLEL = (
    "+8613900000001",
    "+8613900000002",
    "+8613900000003",
    "+8613900000004",
    "+8613900000005",
)
HOTLINE = "+8613911112222"
CUSTOMERS = [f"+86137000000{i:02d}" for i in range(1, 6)]
ZHOU_NEW = "+8613700000099"  # the first customer's number from February
MATE_OWN = [f"+86136000000{i:02d}" for i in range(1, 4)]
HUB_LINKS = 80  # above any customer's links (48 at most), below the hotline's (over 100)


def _calls() -> list[tuple[str, str, str]]:
    calls = []
    calls.append((OLD, ZHOU_NEW, "2024-01-20 10:30:00"))  # Zhou's second number: Zhou still counts once
    for day in range(2, 28, 3):  # January
        calls += [(OLD, c, f"2024-01-{day:02d} 10:{i:02d}:00") for i, c in enumerate(CUSTOMERS)]
        calls += [(MATE_OLD, c, f"2024-01-{day:02d} 11:{i:02d}:00") for i, c in enumerate(MATE_OWN + CUSTOMERS[3:])]
    for day in range(3, 27, 3):  # February
        calls += [(NEW, c, f"2024-02-{day:02d} 10:{i:02d}:00") for i, c in enumerate([ZHOU_NEW, *CUSTOMERS[1:]])]
    for day in range(4, 27, 3):
        calls += [(MATE, c, f"2024-02-{day:02d} 11:{i:02d}:00") for i, c in enumerate(MATE_OWN + CUSTOMERS[3:])]
    for month, last in (("01", 28), ("02", 26)):
        for day in range(1, last, 4):
            calls += [(PARALLEL, c, f"2024-{month}-{day:02d} 12:{i:02d}:00") for i, c in enumerate(CUSTOMERS[:4])]
    for i, phone in enumerate([OLD, NEW, MATE, MATE_OLD, PARALLEL]):
        first_day = ("2024-01-02", "2024-02-03", "2024-02-04", "2024-01-02", "2024-01-01")[i]
        calls.append((phone, HOTLINE, f"{first_day} 09:00:00"))
    calls += [(f"+86135000001{i:02d}", HOTLINE, f"2024-01-{1 + i % 28:02d} 09:00:00") for i in range(100)]
    return calls


@pytest.fixture(scope="module")
def loaded(graph, tmp_path_factory) -> None:
    graph.clear()
    graph.apply_schema()
    folder: Path = tmp_path_factory.mktemp("replacement")
    with (folder / "话单.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["主叫号码", "被叫号码", "开始时间", "通话时长"])
        w.writerows([(a, b, at, 60) for a, b, at in _calls()])
    with (folder / "名单.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["姓名", "身份证号", "手机号"])
        w.writerow(["周强", "110105198001011234", CUSTOMERS[0]])
        w.writerow(["周强", "110105198001011234", ZHOU_NEW])
        w.writerow(["王伟", "110105197502023456", OLD])
        w.writerow(["王伟", "110105197502023456", NEW])  # the roster knows the swap
    rejects = folder / "rejects"
    assert load(graph, folder / "话单.csv", "cdr", rejects_dir=rejects).rows_rejected == 0
    assert load(graph, folder / "名单.csv", "roster", rejects_dir=rejects).rows_rejected == 0


def _run(graph, phone: str, **params):
    return load_catalog()["replacement_phones"].run(graph, phone=phone, **{"hub_links": HUB_LINKS, **params}).rows()


def test_the_next_burner_is_the_mutual_match_and_counts_a_contact_who_changed_numbers_once(graph, loaded):
    rows = _run(graph, OLD)
    first = rows[0]
    assert (first["direction"], first["number"], first["mutual"]) == ("newer", NEW, True)
    # Five customers, Zhou on two numbers held by one person (both called by OLD): five shared, all of
    # both phones' contacts.
    assert first["shared"] == 5 and first["similarity"] == 1.0
    assert first["listed_together"] is True  # one person holds both in the roster
    assert 7.5 <= first["gap_days"] <= 8.5  # 26 January 10:04 to 3 February 10:00
    assert first["old_last_use"] < first["new_first_use"]
    assert {c["number"] for c in first["contacts"]} == {*CUSTOMERS, ZHOU_NEW}  # drawn: each side's own
    assert {link.type for link in first["links"]} == {"CALLED"} and len(first["links"]) == 11  # each side to each


def test_a_ring_mates_new_number_is_a_candidate_but_not_a_mutual_match(graph, loaded):
    mate = next(r for r in _run(graph, OLD) if r["number"] == MATE)
    assert mate["direction"] == "newer" and mate["shared"] == 2
    assert mate["mutual"] is False  # MATE's best match looking back is MATE_OLD, with all five of its contacts
    assert mate["listed_together"] is False and mate["holders"] == []


def test_a_phone_used_alongside_is_no_replacement_and_a_hub_never_counts(graph, loaded):
    assert PARALLEL not in {r["number"] for r in _run(graph, OLD)}  # in use before and after OLD went quiet
    assert _run(graph, PARALLEL) == []
    # Counted, the hotline would be a sixth shared contact of every pair.
    with_hub = _run(graph, OLD, hub_links=1_000)
    assert [(r["number"], r["shared"]) for r in with_hub] == [(NEW, 6), (MATE, 3)]


def test_from_the_new_number_the_old_one_is_found_looking_back(graph, loaded):
    rows = _run(graph, NEW)
    assert (rows[0]["direction"], rows[0]["number"], rows[0]["mutual"]) == ("older", OLD, True)
    assert rows[0]["holders"] == ["王伟"]


def test_a_quiet_spell_longer_than_allowed_or_too_few_shared_contacts_give_no_candidate(graph, loaded):
    assert NEW not in {r["number"] for r in _run(graph, OLD, max_gap_days=3)}
    assert {r["number"] for r in _run(graph, OLD, min_shared=3)} == {NEW}
    assert _run(graph, "+8613800000000") == []  # a phone the graph does not hold
