"""The Cypher console: an analyst's own read-only query, run, capped and recorded.

    result = console.run_query(graph, "MATCH (p:Person) RETURN p LIMIT $n", {"n": 50})
    result.records  # at most CONSOLE_MAX_ROWS rows
    result.more     # how many more the query returned

Only the first CONSOLE_MAX_ROWS rows are kept, drawn and offered for export; the
rest are counted, so the analyst sees "first N rows, M more" and can narrow the
query. The audit records the query whole and the number of rows it returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer import audit
from explorer.db import Graph, Result

# Enough for any table an analyst reads; past it the answer is a narrower query, not a longer table.
CONSOLE_MAX_ROWS = 10_000


def run_query(
    graph: Graph, cypher: str, params: Mapping[str, Any] | None = None, *, max_rows: int = CONSOLE_MAX_ROWS
) -> Result:
    """Run a console query read-only, keep its first `max_rows` rows, and record it."""
    with audit.timed("console", cypher, params) as entry:
        result = graph.read(cypher, params, max_rows=max_rows)
        entry.rows = len(result) + result.more
    return result
