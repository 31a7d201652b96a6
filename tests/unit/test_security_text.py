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


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("LOAD /* x */ CSV FROM 'file:///x' AS r RETURN r", "LOAD CSV is refused"),
        ("CALL `dbms`.`listConfig`()", "dbms procedures administer the server"),
        ("CaLl DbMs.listConfig()", "dbms procedures administer the server"),
        ("CALL apoc.load.json('http://x')", "can write, or reach files or the network"),
        ("MATCH (n) \\u0053ET n.x = 1", "uses SET"),
        ("MATCH (n) WHERE n.x = 'a\\u0027 DELETE n //' RETURN n", "uses DELETE"),
        ("USE system SHOW USERS", "USE is refused"),
        ("SHOW CURRENT USER", "administration command"),
        ("TERMINATE TRANSACTION 'x'", "TERMINATE"),
        ("PROFILE MATCH (n) RETURN n", "PROFILE is refused"),
        ("RETURN apoc.cypher.runFirstColumnSingle('RETURN 1', {})", "function apoc.cypher.runFirstColumnSingle"),
        ("MATCH (n) RETURN n; ", None),
    ],
)
def test_refusals_say_why(query, why):
    if why is None:
        ensure_read_only_text(query)  # a trailing ';' is one statement
        return
    with pytest.raises(NotReadOnly, match=why):
        ensure_read_only_text(query)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n:Merge)-[:DELETED]->(m) RETURN n.set, m.create",
        "RETURN {set: 1, delete: 2} AS m",
        "RETURN 'LOAD CSV; DROP' AS s",
        "RETURN \"// not a comment\" AS s, 'a\\\\u0027' AS t",
        "RETURN date.truncate('day', datetime()) AS d, point.distance(point({x: 0, y: 0}), point({x: 3, y: 4})) AS p",
        "SHOW ALL INDEXES",
        "SHOW USER DEFINED FUNCTIONS",
        "MATCH (load:Load {load_id: $id}) CALL (load) { MATCH (n) WHERE n.loads[0] = load.load_id RETURN n } RETURN n",
        "MATCH (set:Person)-[:KNOWS]->(create:Person) RETURN set.name, create.name",
    ],
)
def test_keywords_in_names_and_strings_pass(query):
    ensure_read_only_text(query)
