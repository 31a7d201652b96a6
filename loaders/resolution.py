"""Entity resolution that never destroys evidence.

Persons with the same national ID number are already one node (their key is
`id:<number>`). Likely matches, the same name with a shared phone or address,
are linked by a SAME_AS candidate relationship with a score and the reason,
for the analyst to confirm or reject (`status`: candidate, confirmed, rejected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.db import Graph
from loaders import queries

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


def link_same_as(graph: Graph, load_id: str) -> int:
    """Link SAME_AS candidates among the persons this load touched; return how many links exist for them."""
    return graph.write_transaction(lambda tx: same_as_in(tx, load_id))


def same_as_in(tx: ManagedTransaction, load_id: str) -> int:
    """`link_same_as` inside a write transaction (the one that ends a load: loaders.run)."""
    rows = tx.run(queries.SAME_AS_CANDIDATES, {"load_id": load_id}).data()
    return int(rows[0]["candidates"]) if rows else 0
