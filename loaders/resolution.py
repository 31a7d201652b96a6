"""Entity resolution that never destroys evidence.

Persons with the same national ID number are already one node (their key is
`id:<number>`). Likely matches, the same name with a shared phone or address,
are linked by a SAME_AS candidate relationship with a score and the reason,
for the analyst to confirm or reject (`status`: candidate, confirmed, rejected).
"""

from __future__ import annotations

from explorer.db import Graph
from loaders import queries


def link_same_as(graph: Graph, load_id: str) -> int:
    """Link SAME_AS candidates among the persons this load touched; return how many links exist for them."""
    rows = graph.write(queries.SAME_AS_CANDIDATES, {"load_id": load_id})
    return int(rows[0]["candidates"]) if rows else 0
