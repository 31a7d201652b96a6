"""The test suite and the accuracy run empty their database again and again: never one that holds data.

`make test` and `make accuracy` run them on a server of their own (Bolt 7688, HTTP 7475, its home
under `.neo4j/server-7688`), never on the one `.env` names, which may hold the demo or a real case.
They say so by setting `EXPLORER_TESTS_MAY_CLEAR` to that server's URI. Run any other way (`pytest`,
`python -m devtools.accuracy`), they refuse to start on a database that holds any node.
"""

from __future__ import annotations

import os

from explorer.db import Graph

MAY_CLEAR = "EXPLORER_TESTS_MAY_CLEAR"
TEST_BOLT_PORT = 7688  # the Makefile's TEST_BOLT_PORT


def refusal(graph: Graph) -> str | None:
    """Why the tests must not empty this database, or None when they may."""
    uri = graph.settings.uri
    if os.environ.get(MAY_CLEAR) == uri:
        return None
    nodes = graph.read_value("MATCH (n) RETURN count(n)") or 0
    if not nodes:
        return None
    held = f"{nodes:,} node{'' if nodes == 1 else 's'}"
    return (
        f"The database at {uri} holds {held}, and the tests and the accuracy run empty their database. "
        f"Run them with `make test` or `make accuracy`, which start a server of their own "
        f"(Bolt {TEST_BOLT_PORT}), or set {MAY_CLEAR}={uri} to let them empty this one."
    )
