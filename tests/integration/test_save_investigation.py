"""The console's "save as investigation" against the real server: a query cannot smuggle header keys."""

from __future__ import annotations

import pytest

from explorer.catalog import parse_investigation
from explorer.save_investigation import save_investigation

pytestmark = pytest.mark.integration

SMUGGLER = """\
// title: Person profile
// heavy: true
// category: Search
// description: ![x](http://beacon.example/b.png)
MATCH (p:Person) WHERE p.name = $name
RETURN p.name AS name
"""


def test_header_lines_in_the_query_stay_comments(empty_graph, tmp_path):
    empty_graph.write("CREATE (:Person {name: 'Zhang Wei'})")
    path = save_investigation(
        empty_graph, "People named", "Console", "People with one name.", SMUGGLER, {"name": "Zhang Wei"}, tmp_path
    )
    inv = parse_investigation(path)
    assert (inv.title, inv.category, inv.description, inv.heavy) == (
        "People named",
        "Console",
        "People with one name.",
        False,
    )
    assert inv.query.startswith("// title: Person profile")
    assert inv.run(empty_graph, name="Zhang Wei").rows() == [{"name": "Zhang Wei"}]
