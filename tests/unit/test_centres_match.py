"""Hit / no-hit matching on indexes built in memory: what links cases, what does not, and the order."""

from __future__ import annotations

import pytest

from explorer.centres.config import CentresError
from explorer.centres.index import LinkageIndex
from explorer.centres.linkage import LinkageKey, date_hash, encode_name, identifier_hash
from explorer.centres.match import cross_links, match, table

KEY = LinkageKey.from_secret("a shared secret of the centres")


def index(centre: str, identifiers=(), persons=(), key_id: str | None = None) -> LinkageIndex:
    ix = LinkageIndex(f"{centre}.index", centre, "provincial", key_id or KEY.key_id, "2026-01-01")
    for value, cases in identifiers:
        ix.identifiers[identifier_hash(KEY, "phone", value)] = (tuple(cases), 1)
    for name, year, date, cases in persons:
        born = date_hash(KEY, date)
        ix.persons.setdefault(year, []).append((encode_name(KEY, name), born, tuple(cases)))
    return ix


def test_shared_identifiers_link_cases_ranked_by_how_many() -> None:
    a = index("gd", [("+861", ["c1"]), ("+862", ["c1"]), ("+863", ["c2"]), ("+869", ["c3"])])
    b = index("yn", [("+861", ["k1"]), ("+862", ["k1"]), ("+863", ["k2"]), ("+868", ["k3"])])
    result = match([a, b])
    assert [(link.a, link.b, link.strength) for link in result.links] == [
        (("gd", "c1"), ("yn", "k1"), 2),
        (("gd", "c2"), ("yn", "k2"), 1),
    ]
    assert len(result.identifiers) == 3
    assert "Cross-centre case links: 2" in table(result)


def test_a_hub_is_reported_but_joins_no_cases() -> None:
    a = index("gd", [("+86depot", [f"c{i}" for i in range(60)])])
    b = index("yn", [("+86depot", ["k1"])])
    result = match([a, b], max_cases=50)
    assert result.hubs == 1 and not result.links and len(result.identifiers) == 1


def test_names_match_within_a_birth_year_and_date() -> None:
    a = index("gd", persons=[("汤丹涵", 1980, "19800102", ["c1"]), ("李子亮", 1975, "19750304", ["c2"])])
    b = index(
        "yn",
        persons=[
            ("汤涵丹", 1980, "19800102", ["k1"]),  # swapped characters, same date
            ("李子", 1975, "19750304", ["k2"]),  # dropped character, same date
            ("Li Ziliang", 1975, "19751111", ["k3"]),  # same name, another known date: never
            ("李子亮", 1976, None, ["k4"]),  # same name, another year: never compared
        ],
    )
    result = match([a, b])
    assert cross_links(result) == {frozenset({("gd", "c1"), ("yn", "k1")}), frozenset({("gd", "c2"), ("yn", "k2")})}
    assert all(hit["same_birth_date"] for hit in result.persons)
    assert result.compared_pairs == 2 < result.all_pairs


def test_without_a_date_the_name_must_be_closer() -> None:
    a = index("gd", persons=[("李子亮", 1975, None, ["c1"]), ("王伟", 1975, "19750101", ["c2"])])
    b = index("yn", persons=[("李子", 1975, "19750304", ["k1"]), ("Wang Wei", 1975, None, ["k2"])])
    result = match([a, b])
    assert cross_links(result) == {frozenset({("gd", "c2"), ("yn", "k2")})}


def test_mismatched_inputs_are_refused() -> None:
    a = index("gd")
    with pytest.raises(CentresError, match="at least two centres"):
        match([a])
    with pytest.raises(CentresError, match="same centre"):
        match([a, index("gd")])
    with pytest.raises(CentresError, match="different linkage keys"):
        match([a, index("yn", key_id="0000000000000000")])
    with pytest.raises(CentresError, match="threshold"):
        match([a, index("yn")], threshold=1.5)
