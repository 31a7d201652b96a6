"""What the Centres page shows: the exchanged indexes compared, with this centre's own cases named.

The app knows which centre it is (`EXPLORER_CENTRE`) and where the indexes exchanged with the other
centres are kept (`EXPLORER_CENTRE_INDEXES`, default `<var>/centres`, one `*.index` file per
centre). Another centre's cases stay keyed references: only that centre can name them, through a
detail request (explorer.centres.service).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explorer.centres.config import CentresError
from explorer.centres.index import LinkageIndex, read_index
from explorer.centres.linkage import LinkageKey, case_ref
from explorer.centres.match import MatchResult, match
from explorer.config import load_settings
from explorer.db import Graph

OWN_CASES = "MATCH (c:Case) RETURN c.case_id AS case_id"


def own_centre() -> str:
    """The name of the centre this app serves (`EXPLORER_CENTRE`)."""
    name = os.environ.get("EXPLORER_CENTRE", "").strip()
    if not name:
        raise CentresError("Set EXPLORER_CENTRE to the name of this app's centre (an entry of the centres file).")
    return name


def index_folder() -> Path:
    return Path(os.environ.get("EXPLORER_CENTRE_INDEXES") or load_settings().var_dir / "centres")


def read_folder(folder: Path) -> list[LinkageIndex]:
    paths = sorted(folder.glob("*.index"))
    if len(paths) < 2:
        raise CentresError(
            f"{folder} holds {len(paths)} index file(s): put the exchanged `*.index` files of two or more centres there."
        )
    return [read_index(p) for p in paths]


@dataclass
class Matches:
    result: MatchResult
    links: pd.DataFrame  # one row per cross-centre case link, strongest first


def matches(graph: Graph, indexes: list[LinkageIndex], own: str, key: LinkageKey) -> Matches:
    """Match the indexes; name this centre's own cases (its graph and the key turn references back into ids)."""
    result = match(indexes)
    names = {case_ref(key, own, row["case_id"]): row["case_id"] for row in graph.read(OWN_CASES, checked=True).rows()}

    def shown(centre: str, ref: str) -> str:
        return names.get(ref, ref) if centre == own else ref

    rows = [
        {
            "rank": rank,
            "centre_a": link.a[0],
            "case_a": shown(*link.a),
            "centre_b": link.b[0],
            "case_b": shown(*link.b),
            "identifiers": len(link.identifiers),
            "persons": link.persons,
            "strength": link.strength,
            "hashes": sorted(link.identifiers),
        }
        for rank, link in enumerate(result.links, start=1)
    ]
    columns = ["rank", "centre_a", "case_a", "centre_b", "case_b", "identifiers", "persons", "strength", "hashes"]
    return Matches(result, pd.DataFrame(rows, columns=columns))


def owner_of(row: pd.Series, own: str) -> str:
    """The other centre of a link: the one to ask for details."""
    return str(row["centre_b"] if row["centre_a"] == own else row["centre_a"])
