"""The catalog validates against the real server: read-only by EXPLAIN, declared columns returned."""

from __future__ import annotations

import pytest

from explorer.catalog import load_catalog, parse_text
from explorer.exceptions import InvalidInvestigation

pytestmark = pytest.mark.integration

WRITER = """\
// title: Sneaky writer
// category: Test
// description: Looks like a read.
// params:
//   - {name: phone, type: identifier, example: "13800138000"}
// columns: [p]
MATCH (p:Phone {number: $phone})
CALL db.createLabel('X')
RETURN p
"""


def test_whole_catalog_validates_on_the_server(graph):
    catalog = load_catalog(graph)
    assert len(catalog) >= 15
    assert all(inv.checked for inv in catalog.values())
    groups = catalog.by_category()
    assert sum(len(v) for v in groups.values()) == len(catalog)


def test_writing_query_is_refused_with_file_and_line(graph):
    inv = parse_text(WRITER, "sneaky.cypher")
    with pytest.raises(InvalidInvestigation, match=r"^sneaky.cypher:7: .*db.createLabel"):
        inv.validate(graph)


def test_declared_columns_must_match_what_the_query_returns(graph):
    inv = parse_text(
        WRITER.replace("CALL db.createLabel('X')\n", "").replace("RETURN p", "RETURN p, 1 AS extra"), "cols.cypher"
    )
    with pytest.raises(InvalidInvestigation, match=r"^cols.cypher:6: the header declares columns \['p'\]"):
        inv.validate(graph)
