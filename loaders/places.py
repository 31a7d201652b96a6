"""After a load: approximate coordinates for the addresses it touched that have none (see loaders.gazetteer)."""

from __future__ import annotations

from explorer.db import Graph
from loaders.gazetteer import SOURCE, locate_many

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


def place_addresses(graph: Graph, load_id: str) -> int:
    """Give the addresses of load `load_id` without coordinates the seat of the division they name; return how
    many were placed. Coordinates already in the graph (from a file) are never replaced."""
    # A constant of this module, read-only as written: no EXPLAIN check per load.
    addresses = graph.read(UNPLACED_ADDRESSES, {"load_id": load_id}, timeout_s=None, checked=True).rows()
    rows = []
    for address, place in zip(addresses, locate_many([a["text"] or "" for a in addresses]), strict=True):
        if place is not None:
            rows.append({"id": address["id"], "lat": place.lat, "lon": place.lon,
                         "precision": place.precision, "place": place.name})  # fmt: skip
    if rows:
        graph.write_batches(PLACE_ADDRESSES, rows, batch_size=2000, extra={"source": SOURCE})
    return len(rows)
