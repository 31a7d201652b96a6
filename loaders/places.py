"""After a load: approximate coordinates for the addresses it touched that have none (see loaders.gazetteer)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from explorer.db import Graph
from loaders.gazetteer import SOURCE, locate_many

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

UNPLACED_ADDRESSES = """
MATCH (a:Address) WHERE $load_id IN a.loads AND (a.lat IS NULL OR a.lon IS NULL)
RETURN elementId(a) AS id, coalesce(a.text, a.address_id) AS text
"""

PLACE_ADDRESSES = """
UNWIND $rows AS row
MATCH (a:Address) WHERE elementId(a) = row.id AND (a.lat IS NULL OR a.lon IS NULL)
SET a.lat = row.lat, a.lon = row.lon, a.geo_precision = row.precision, a.geo_source = $source,
    a.geo_place = row.place
"""


# At most this many addresses are placed in the transaction that ends a load (loaders.run); a load with
# more places them in transactions of their own, afterwards.
PLACE_IN_ONE = 10_000


def place_addresses(graph: Graph, load_id: str) -> int:
    """Give the addresses of load `load_id` without coordinates the seat of the division they name; return how
    many were placed. Coordinates already in the graph (from a file) are never replaced."""
    # A constant of this module, read-only as written: no EXPLAIN check per load.
    addresses = graph.read(UNPLACED_ADDRESSES, {"load_id": load_id}, timeout_s=None, checked=True).rows()
    rows = _placements(addresses)
    if rows:
        graph.write_batches(PLACE_ADDRESSES, rows, batch_size=2000, extra={"source": SOURCE})
    return len(rows)


def place_in(tx: ManagedTransaction, load_id: str) -> int | None:
    """`place_addresses` inside the write transaction that ends a load, when the load has at most PLACE_IN_ONE
    addresses without coordinates: how many were placed; None (and nothing written) when it has more."""
    limit = PLACE_IN_ONE
    result = tx.run(UNPLACED_ADDRESSES, {"load_id": load_id})
    addresses = [record.data() for record in itertools.islice(result, limit + 1)]
    result.consume()  # the rest, if any, is not fetched
    if len(addresses) > limit:
        return None
    rows = _placements(addresses)
    if rows:
        tx.run(PLACE_ADDRESSES, {"rows": rows, "source": SOURCE}).consume()
    return len(rows)


def _placements(addresses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The coordinates to set: one row per address (`id`, `text`) that the gazetteer places."""
    rows = []
    for address, place in zip(addresses, locate_many([a["text"] or "" for a in addresses]), strict=True):
        if place is not None:
            rows.append({"id": address["id"], "lat": place.lat, "lon": place.lon,
                         "precision": place.precision, "place": place.name})  # fmt: skip
    return rows
