import pytest

from explorer.exceptions import NotReadOnly
from explorer.security import ensure_read_only_text


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) RETURN n LIMIT 5",
        "MATCH (n:Person) WHERE n.name = 'CREATE something' RETURN n",
        "// SET in a comment\nMATCH (n) RETURN n.set",
        "CALL db.labels() YIELD label RETURN label",
    ],
)
def test_reads_pass(query):
    ensure_read_only_text(query)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n) SET n.x = 1",
        "match (n) detach delete n",
        "MATCH (n) RETURN n; MATCH (m) DELETE m",
        "LOAD CSV FROM 'file:///x' AS r RETURN r",
        "CALL dbms.listConfig()",
        "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS",
    ],
)
def test_writes_refused(query):
    with pytest.raises(NotReadOnly):
        ensure_read_only_text(query)
