"""Hit / no-hit matching of linkage indexes: what two or more centres hold in common.

An identifier hash found in two centres' indexes is a hit. A person matches another centre's
person when both were born in the same year (the block: only persons in one block are ever
compared) and their name encodings are similar enough. When both centres know the birth date and
it is the same (its keyed hash), the overlap coefficient |a and b| / min(|a|, |b|) must reach
`date_threshold`: a name with a character dropped is still contained in the full one. When one of
them does not know the date, the stricter Dice coefficient 2 |a and b| / (|a| + |b|) must reach
`threshold`. Two different known birth dates never match and are never compared, so
within a year persons with known dates form smaller blocks still. Every hit joins the
cases that refer to it at each centre; a cross-centre case link is ranked by how many independent
identifiers and persons it rests on.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from explorer.centres.config import CentresError
from explorer.centres.index import LinkageIndex
from explorer.centres.linkage import CLK_BITS

DEFAULT_THRESHOLD = 0.8  # Dice, without a shared birth date
# Overlap, with the same birth date. Measured on generated names and their variants (pinyin,
# homophones, dropped and swapped characters): 0.75 keeps 98% of variants and matches 0.3% of
# pairs of different names born on the same day; Dice at 0.55 would keep all and match 2%.
DEFAULT_DATE_THRESHOLD = 0.75
# An identifier that a centre's graph ties to more cases than this is a hub (a depot's phone, a
# platform's settlement account): it is reported, but joins no cases, or it would join them all.
DEFAULT_MAX_CASES = 50
_PAIR_CHUNK = 2_000_000  # person pairs compared at once (memory bound of the vectorised comparison)

CaseKey = tuple[str, str]  # (centre, case ref)


@dataclass
class CaseLink:
    a: CaseKey
    b: CaseKey
    identifiers: set[str] = field(default_factory=set)
    persons: int = 0

    @property
    def strength(self) -> int:
        return len(self.identifiers) + self.persons

    def as_dict(self) -> dict[str, Any]:
        return {
            "centres": [self.a[0], self.b[0]],
            "cases": [self.a[1], self.b[1]],
            "identifiers": len(self.identifiers),
            "persons": self.persons,
            "strength": self.strength,
            "hashes": sorted(self.identifiers),
        }


@dataclass
class MatchResult:
    centres: list[str]
    identifiers: list[dict[str, Any]]
    persons: list[dict[str, Any]]
    links: list[CaseLink]
    hubs: int = 0
    compared_pairs: int = 0
    all_pairs: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "centres": self.centres,
            "identifier_hits": self.identifiers,
            "person_hits": self.persons,
            "case_links": [link.as_dict() for link in self.links],
            "hubs": self.hubs,
            "person_pairs_compared": self.compared_pairs,
            "person_pairs_without_blocking": self.all_pairs,
        }


def match(
    indexes: Sequence[LinkageIndex],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    date_threshold: float = DEFAULT_DATE_THRESHOLD,
    max_cases: int = DEFAULT_MAX_CASES,
) -> MatchResult:
    """Compare the indexes of two or more centres made with one key."""
    if len(indexes) < 2:
        raise CentresError("Matching needs the indexes of at least two centres.")
    names = [ix.centre for ix in indexes]
    if len(set(names)) != len(names):
        raise CentresError(f"Two indexes are of the same centre ({', '.join(names)}): give one per centre.")
    keys = {ix.key_id for ix in indexes}
    if len(keys) != 1:
        raise CentresError(
            "The indexes were made with different linkage keys: ask every centre to index again with the current key."
        )
    for limit in (threshold, date_threshold):
        if not 0 < limit <= 1:
            raise CentresError(f"The name threshold {limit} must be above 0 and at most 1.")
    links: dict[tuple[CaseKey, CaseKey], CaseLink] = {}
    identifier_hits, hubs = _identifier_hits(indexes, max_cases, links)
    person_hits, compared = _person_hits(indexes, threshold, date_threshold, links)
    every = sum(ix.person_count for ix in indexes)
    all_pairs = (every * every - sum(ix.person_count**2 for ix in indexes)) // 2
    ranked = sorted(links.values(), key=lambda k: (-k.strength, -len(k.identifiers), k.a, k.b))
    return MatchResult(names, identifier_hits, person_hits, ranked, hubs, compared, all_pairs)


def _join(links: dict[tuple[CaseKey, CaseKey], CaseLink], left: list[CaseKey], right: list[CaseKey]) -> list[CaseLink]:
    joined = []
    for a, b in itertools.product(left, right):
        pair = (a, b) if a <= b else (b, a)
        link = links.get(pair)
        if link is None:
            link = links[pair] = CaseLink(*pair)
        joined.append(link)
    return joined


def _identifier_hits(
    indexes: Sequence[LinkageIndex], max_cases: int, links: dict[tuple[CaseKey, CaseKey], CaseLink]
) -> tuple[list[dict[str, Any]], int]:
    smallest = min(indexes, key=lambda ix: len(ix.identifiers))
    hits = []
    hubs = 0
    for h in smallest.identifiers:
        found = [(ix.centre, ix.identifiers[h]) for ix in indexes if h in ix.identifiers]
        if len(found) < 2:
            continue
        hits.append(
            {"hash": h, "centres": {c: list(cases) for c, (cases, _) in found}, "links": {c: n for c, (_, n) in found}}
        )
        if any(len(cases) > max_cases for _, (cases, _) in found):
            hubs += 1
            continue
        for (ca, (cases_a, _)), (cb, (cases_b, _)) in itertools.combinations(found, 2):
            for link in _join(links, [(ca, c) for c in cases_a], [(cb, c) for c in cases_b]):
                link.identifiers.add(h)
    hits.sort(key=lambda hit: (-len(hit["centres"]), hit["hash"]))
    return hits, hubs


def _as_words(clks: list[int]) -> np.ndarray:
    raw = b"".join(clk.to_bytes(CLK_BITS // 8, "big") for clk in clks)
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(len(clks), CLK_BITS // 64)


def _similar(a: list[int], b: list[int], threshold: float, overlap: bool = False) -> list[tuple[int, int, float]]:
    """Index pairs (i, j) whose Dice (or overlap) coefficient reaches threshold, in vectorised chunks."""
    wa, wb = _as_words(a), _as_words(b)
    ca = np.bitwise_count(wa).sum(axis=1).astype(np.float64)
    cb = np.bitwise_count(wb).sum(axis=1).astype(np.float64)
    rows = max(1, _PAIR_CHUNK // max(1, len(b)))
    found = []
    for start in range(0, len(a), rows):
        block = wa[start : start + rows]
        common = np.bitwise_count(block[:, None, :] & wb[None, :, :]).sum(axis=2)
        if overlap:
            score = common / np.maximum(np.minimum(ca[start : start + rows, None], cb[None, :]), 1)
        else:
            score = 2 * common / np.maximum(ca[start : start + rows, None] + cb[None, :], 1)
        for i, j in zip(*np.nonzero(score >= threshold), strict=True):
            found.append((start + int(i), int(j), float(score[i, j])))
    return found


Person = tuple[int, str | None, tuple[str, ...]]  # (CLK, keyed birth-date hash or None, case refs)


def _comparisons(a: list[Person], b: list[Person], threshold: float, date_threshold: float):
    """The groups of one year's block worth comparing, each with the score it needs and whether it is an overlap.

    Persons with a known birth date meet only persons of the same date, or of an unknown one: two
    different known dates never match, so they are never compared either.
    """
    by_date_a: dict[str | None, list[int]] = defaultdict(list)
    by_date_b: dict[str | None, list[int]] = defaultdict(list)
    for i, person in enumerate(a):
        by_date_a[person[1]].append(i)
    for j, person in enumerate(b):
        by_date_b[person[1]].append(j)
    for date, left in by_date_a.items():
        if date is not None and date in by_date_b:
            yield left, by_date_b[date], date_threshold, True
    if None in by_date_a:
        yield by_date_a[None], list(range(len(b))), threshold, False
    if None in by_date_b:
        dated = [i for i, person in enumerate(a) if person[1] is not None]
        if dated:
            yield dated, by_date_b[None], threshold, False


def _person_hits(
    indexes: Sequence[LinkageIndex],
    threshold: float,
    date_threshold: float,
    links: dict[tuple[CaseKey, CaseKey], CaseLink],
) -> tuple[list[dict[str, Any]], int]:
    hits = []
    compared = 0
    years = sorted({y for ix in indexes for y in ix.persons}, key=lambda y: (y is None, y or 0))
    for year in years:
        for left, right in itertools.combinations(indexes, 2):
            a, b = left.persons.get(year, []), right.persons.get(year, [])
            if not a or not b:
                continue
            for rows, cols, needed, overlap in _comparisons(a, b, threshold, date_threshold):
                compared += len(rows) * len(cols)
                for i, j, score in _similar([a[i][0] for i in rows], [b[j][0] for j in cols], needed, overlap):
                    (_, born_a, cases_a), (_, born_b, cases_b) = a[rows[i]], b[cols[j]]
                    hits.append(
                        {
                            "centres": [left.centre, right.centre],
                            "year": year,
                            "score": round(score, 3),
                            "same_birth_date": born_a is not None and born_a == born_b,
                            "cases": {left.centre: list(cases_a), right.centre: list(cases_b)},
                        }
                    )
                    joined = _join(links, [(left.centre, c) for c in cases_a], [(right.centre, c) for c in cases_b])
                    for link in {id(link): link for link in joined}.values():
                        link.persons += 1
    hits.sort(key=lambda hit: (-hit["score"], hit["centres"]))
    return hits, compared


def cross_links(result: MatchResult) -> set[frozenset[CaseKey]]:
    """The case links as unordered pairs, for scoring against a ground truth."""
    return {frozenset((link.a, link.b)) for link in result.links}


def table(result: MatchResult, limit: int = 50) -> str:
    """The ranked case links and the hit counts, as text for the terminal."""
    lines = [
        f"Centres: {', '.join(result.centres)}",
        f"Identifiers found in two or more centres: {len(result.identifiers):,} ({result.hubs:,} hubs joining no cases)",
        f"Persons matched by name and birth year: {len(result.persons):,} "
        f"({result.compared_pairs:,} pairs compared of {result.all_pairs:,} without blocking)",
        f"Cross-centre case links: {len(result.links):,}",
        "",
        f"{'rank':>4}  {'centre':<12} {'case':<32} {'centre':<12} {'case':<32} {'ids':>4} {'persons':>7}",
    ]
    for rank, link in enumerate(result.links[:limit], start=1):
        lines.append(
            f"{rank:>4}  {link.a[0]:<12} {link.a[1]:<32} {link.b[0]:<12} {link.b[1]:<32} "
            f"{len(link.identifiers):>4} {link.persons:>7}"
        )
    if len(result.links) > limit:
        lines.append(f"... {len(result.links) - limit:,} more (--limit, or --format json for all)")
    return "\n".join(lines)


def by_centre(result: MatchResult) -> dict[str, int]:
    """How many case links touch each centre."""
    counts: dict[str, int] = defaultdict(int)
    for link in result.links:
        counts[link.a[0]] += 1
        counts[link.b[0]] += 1
    return dict(counts)
