"""A centre's linkage index: keyed hashes of its identifiers, cases and names, and nothing else.

The file is JSON Lines. The first line is a header (format, version, the centre's name and role,
the key's fingerprint, the encoding's parameters, counts); then one line per identifier
(`{"t": "i", "h": hash, "c": [case refs], "n": relationships}`), per person
(`{"t": "p", "e": CLK, "y": birth year, "d": keyed hash of the birth date, "c": [case refs]}`) and per case (`{"t": "c", "h": case ref,
"n": persons}`). No identifier, name or case number is written, in any form but a keyed one.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer import identifiers, model
from explorer.centres import queries
from explorer.centres.config import Centre, CentresError
from explorer.centres.linkage import (
    CLK_BITS,
    CLK_HASHES,
    LinkageKey,
    birth_date,
    birth_year,
    case_ref,
    clk_bytes,
    clk_text,
    date_hash,
    encode_name,
    identifier_hash,
)
from explorer.db import Graph

FORMAT = "explorer-linkage-index"
VERSION = 1


@dataclass(frozen=True)
class Identifier:
    """One identifier of the centre's graph, as the centre itself knows it (raw value kept in memory only)."""

    kind: str
    value: str
    hash: str
    cases: tuple[str, ...]
    links: int


@dataclass(frozen=True)
class Person:
    name: str
    year: int | None
    born: str | None  # keyed hash of the birth date
    clk: int
    cases: tuple[str, ...]


def normalised(kind: str, value: Any) -> str:
    """The identifier keyed as the loaders key it; a stored value they would refuse is kept as folded."""
    try:
        return identifiers.NORMALISERS[model.IDENTIFIERS[kind].normaliser](value)
    except ValueError:
        return identifiers.fold(value)


IdentifierRow = tuple[str, Any, list[str], int]  # kind, stored value, case ids, relationships
PersonRow = tuple[Any, Any, Any, Any, list[str]]  # name, birth year, birth date, ID number, case ids


@dataclass(frozen=True)
class Source:
    """What an index is made of, as rows: a centre's graph (`Source.of`), or rows from elsewhere (the benchmark)."""

    identifiers: Iterable[IdentifierRow]
    persons: Iterable[PersonRow]
    cases: Iterable[tuple[str, int]]

    @classmethod
    def of(cls, graph: Graph) -> Source:
        return cls(identifier_rows(graph), graph.stream(queries.PERSONS), graph.stream(queries.CASES))


def identifier_rows(graph: Graph) -> Iterator[IdentifierRow]:
    for kind, cypher in queries.IDENTIFIERS.items():
        for value, cases, links in graph.stream(cypher):
            yield kind, value, cases, links


def scan_identifiers(rows: Iterable[IdentifierRow], key: LinkageKey) -> Iterator[Identifier]:
    """Every identifier with its keyed hash and the cases of the persons holding it."""
    for kind, value, cases, links in rows:
        clean = normalised(kind, value)
        if clean:
            yield Identifier(kind, clean, identifier_hash(key, kind, clean), tuple(sorted(set(cases))), links)


def scan_persons(rows: Iterable[PersonRow], key: LinkageKey) -> Iterator[Person]:
    for name, year, date, id_number, cases in rows:
        clean = identifiers.name(name)
        if clean:
            born = date_hash(key, birth_date(date, id_number))
            yield Person(
                clean, birth_year(year, date, id_number), born, encode_name(key, clean), tuple(sorted(set(cases)))
            )


@dataclass
class IndexSummary:
    centre: str
    path: Path
    identifiers: int = 0
    persons: int = 0
    cases: int = 0
    seconds: float = 0.0

    def sentence(self) -> str:
        return (
            f"Wrote the linkage index of centre {self.centre} to {self.path}: {self.identifiers:,} identifiers, "
            f"{self.persons:,} persons, {self.cases:,} cases in {self.seconds:.1f} s."
        )


def write_index(graph: Graph, centre: Centre, key: LinkageKey, out: str | os.PathLike[str]) -> IndexSummary:
    """Read the centre's graph (read transactions only) and write its index to `out`."""
    return write_rows(Source.of(graph), centre, key, out)


def write_rows(source: Source, centre: Centre, key: LinkageKey, out: str | os.PathLike[str]) -> IndexSummary:
    """Write the index of these rows to `out` (whole, or not at all: it is renamed into place at the end)."""
    started = time.perf_counter()
    out = Path(out)
    summary = IndexSummary(centre.name, out)
    partial = out.with_name(out.name + ".partial")
    out.parent.mkdir(parents=True, exist_ok=True)

    refs: dict[str, str] = {}  # a case is referred to by many identifiers: hash each case number once

    def ref(case_id: str) -> str:
        found = refs.get(case_id)
        if found is None:
            found = refs[case_id] = case_ref(key, centre.name, str(case_id))
        return found

    def listed(case_ids: Iterable[str]) -> str:
        # Hex strings need no escaping: the line is written directly, as json.dumps would write it.
        return ", ".join(f'"{ref(c)}"' for c in case_ids)

    header = {
        "format": FORMAT,
        "version": VERSION,
        "centre": centre.name,
        "role": centre.role,
        "key_id": key.key_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "clk": {"bits": CLK_BITS, "hashes": CLK_HASHES, "features": "bigrams of the romanised name"},
    }
    with partial.open("w", encoding="utf-8") as f:
        f.write(json.dumps(header, sort_keys=True) + "\n")
        seen: set[str] = set()
        for item in scan_identifiers(source.identifiers, key):
            if item.hash in seen:  # one key stored twice (a property written two ways) counts once
                continue
            seen.add(item.hash)
            f.write(f'{{"t": "i", "h": "{item.hash}", "c": [{listed(item.cases)}], "n": {int(item.links)}}}\n')
            summary.identifiers += 1
        for person in scan_persons(source.persons, key):
            record = {"t": "p", "e": clk_text(person.clk), "y": person.year, "d": person.born}
            record["c"] = [ref(c) for c in person.cases]
            f.write(json.dumps(record) + "\n")
            summary.persons += 1
        for case_id, persons in source.cases:
            f.write(json.dumps({"t": "c", "h": ref(case_id), "n": persons}) + "\n")
            summary.cases += 1
    partial.replace(out)
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class LinkageIndex:
    """An index as read back: identifiers by hash, persons by birth year, cases by reference."""

    path: str
    centre: str
    role: str
    key_id: str
    created_at: str
    identifiers: dict[str, tuple[tuple[str, ...], int]] = field(default_factory=dict)
    persons: dict[int | None, list[tuple[int, str | None, tuple[str, ...]]]] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)

    @property
    def person_count(self) -> int:
        return sum(len(v) for v in self.persons.values())


def read_index(path: str | os.PathLike[str]) -> LinkageIndex:
    """Read an index file; a malformed line is reported with file, line and reason."""
    path = Path(path)
    try:
        f = path.open(encoding="utf-8")
    except OSError as e:
        raise CentresError(f"{path}: the index cannot be read: {e.strerror or e}.") from e
    with f:
        try:
            header = json.loads(f.readline() or "null")
        except json.JSONDecodeError as e:
            raise CentresError(f"{path}: line 1: not a linkage index header ({e.msg}).") from e
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CentresError(f"{path}: line 1: not a linkage index (no `{FORMAT}` header).")
        if header.get("version") != VERSION:
            raise CentresError(f"{path}: line 1: index version {header.get('version')!r}, this app reads {VERSION}.")
        index = LinkageIndex(
            str(path), str(header["centre"]), str(header["role"]), str(header["key_id"]), str(header["created_at"])
        )
        for number, line in enumerate(f, start=2):
            try:
                _add(index, json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise CentresError(f"{path}: line {number}: not an index record ({e}).") from e
    return index


def _add(index: LinkageIndex, record: dict[str, Any]) -> None:
    kind = record["t"]
    if kind == "i":
        index.identifiers[str(record["h"])] = (tuple(record["c"]), int(record["n"]))
    elif kind == "p":
        year = record["y"]
        clk = int.from_bytes(clk_bytes(record["e"]), "big")
        born = record.get("d")
        entry = (clk, None if born is None else str(born), tuple(record["c"]))
        index.persons.setdefault(None if year is None else int(year), []).append(entry)
    elif kind == "c":
        index.cases[str(record["h"])] = int(record["n"])
    else:
        raise ValueError(f"unknown record type {kind!r}")
