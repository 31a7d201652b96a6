"""Hostile and careless queries through Graph.read: every one refused, the graph unchanged.

The graph, its schema and the server's users are snapshotted before and after;
the snapshots must be identical. Each gate is also proven on its own: the
EXPLAIN verdict catches writes the text rules never saw, and a READ
transaction refuses a write even with both checks skipped.
"""

import json

import pytest
from neo4j import READ_ACCESS

from explorer.exceptions import NotReadOnly, QueryError
from explorer.security import ensure_read_only_plan, ensure_read_only_text

pytestmark = pytest.mark.integration

SEED = """
CREATE (a:Person {person_id: 'p1', name: 'Zhang Wei', aliases: ['Old Zhang']})
CREATE (b:Person {person_id: 'p2', name: '<script>window.__pwned=1</script>'})
CREATE (pa:Phone {number: '+8613800000001'}), (pb:Phone {number: '+8613800000002'})
CREATE (a)-[:HAS_PHONE]->(pa), (b)-[:HAS_PHONE]->(pb)
CREATE (pa)-[:CALLED {event_id: 'e1', at: datetime('2024-03-01T10:00:00Z'), duration_s: 42}]->(pb)
"""

HOSTILE = [
    # plain writes, each kind, upper and lower case
    "CREATE (:Person {person_id: 'x'})",
    "create (:Person {person_id: 'x'})",
    "MERGE (p:Person {person_id: 'p1'}) SET p.name = 'changed'",
    "merge (p:Person {person_id: 'new'})",
    "MATCH (p:Person) SET p.name = 'changed'",
    "match (p:Person) set p:Suspect",
    "MATCH (p:Person) REMOVE p.aliases",
    "MATCH (p:Person) DELETE p",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH (p:Person) FOREACH (x IN [1] | SET p.x = x)",
    "MATCH (p:Person) WITH p LIMIT 1 CREATE (p)-[:KNOWS]->(p)",
    # schema
    "CREATE INDEX person_name FOR (p:Person) ON (p.name)",
    "DROP CONSTRAINT person_id IF EXISTS",
    "create constraint x for (n:Thing) require n.k is unique",
    "DROP INDEX person_name IF EXISTS",
    # files and batches
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'https://example.invalid/x.csv' as r return r",
    "LOAD /* hidden */ CSV FROM 'file:///x' AS r RETURN r",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "MATCH (n) CALL { WITH n SET n.touched = true } IN CONCURRENT TRANSACTIONS",
    "USING PERIODIC COMMIT 10 LOAD CSV FROM 'file:///x' AS r CREATE (:X)",
    "CALL { MATCH (n) RETURN n } IN 2 CONCURRENT TRANSACTIONS RETURN n",
    # subqueries hiding writes
    "MATCH (n) CALL (n) { SET n.flag = 1 } RETURN count(*)",
    "CALL { MATCH (n) DETACH DELETE n } RETURN 1",
    "MATCH (p:Person) RETURN COUNT { MATCH (p)-->() } AS c UNION CALL { CREATE (x:X) RETURN x } RETURN 1 AS c",
    # several statements
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
    "RETURN 1;CREATE (:X)",
    "RETURN 1 ; // innocent\n DROP INDEX person_name",
    # comments and strings hiding the keyword from a naive reader
    "MATCH (n) /* just reading */ SET n.x = 1",
    "MATCH (n) // comment\nSET n.x = 1",
    "MATCH (n) WHERE n.url = 'http://example.org' SET n.x = 1",
    'MATCH (n) WHERE n.name = "it\'s" DELETE n',
    "MATCH (n)/**/DETACH/**/DELETE/**/n",
    # unicode and escape tricks
    "MATCH (n) \\u0053ET n.x = 1",
    "MATCH (n) WHERE n.name = 'a\\u0027 SET n.x = 1 //' RETURN n",
    "MATCH (n)\u00a0DETACH\u00a0DELETE n",
    "MATCH (n)\u2003SET n.x = 1",
    "MATCH (n) \\uu0053ET n.x = 1",
    "MATCH (n) RETURN n /* never closed",
    "MATCH (n) WHERE n.name = 'never closed RETURN n",
    # backtick-quoted names and procedures by alias or case
    "CALL `dbms`.`listConfig`()",
    "CALL `dbms.listConfig`()",
    "CaLl DbMs.listConfig()",
    "CALL dbms . listConfig() YIELD name RETURN name",
    "CALL dbms.components()",
    "CALL dbms.listConnections()",
    "CALL dbms.killConnections(['bolt-1'])",
    "CALL db.createLabel('Injected')",
    "CALL db.clearQueryCaches()",
    "CALL db.stats.collect('QUERIES')",
    "CALL apoc.load.json('https://example.invalid/x.json')",
    "CALL apoc.export.csv.all('/tmp/graph.csv', {})",
    "CALL apoc.cypher.doIt('MATCH (n) DETACH DELETE n', {})",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "RETURN apoc.cypher.runFirstColumnSingle('MATCH (n) RETURN count(n)', {}) AS x",
    "RETURN `apoc.static.get`('x') AS x",
    "CALL gds.graph.drop('g')",
    "CALL db.labels() YIELD label CALL apoc.create.node([label], {}) YIELD node RETURN node",
    # administration
    "USE system SHOW USERS",
    "use system match (n) return n",
    "SHOW USERS",
    "show current user",
    "SHOW DATABASES",
    "SHOW SETTINGS YIELD name, value RETURN name, value",
    "SHOW TRANSACTIONS",
    "SHOW PRIVILEGES",
    "CREATE USER mallory SET PASSWORD 'a-long-password' CHANGE NOT REQUIRED",
    "ALTER CURRENT USER SET PASSWORD FROM 'old-password-guess' TO 'owned-password'",
    "ALTER USER neo4j SET PASSWORD 'owned-password'",
    "DROP USER neo4j",
    "GRANT ROLE admin TO mallory",
    "TERMINATE TRANSACTION 'neo4j-transaction-1'",
    "STOP DATABASE neo4j",
    "CREATE DATABASE other",
    # prefixes
    "EXPLAIN MATCH (n) DELETE n",
    "PROFILE MATCH (n) RETURN n",
    "CYPHER runtime=slotted MATCH (n) DETACH DELETE n",
    # careless
    "",
    "   // only a comment",
    ";",
]

LEGIT = [
    ("MATCH (p:Person) RETURN p.name AS name ORDER BY name", 2),
    ("MATCH (p:Person) WHERE p.name = 'CREATE (x) SET y DELETE z' RETURN p", 0),
    ("// SET and DELETE in a comment\nMATCH (p:Person) RETURN p.person_id AS id", 2),
    ("/* LOAD CSV */ MATCH (p:Phone) RETURN p.number AS number", 2),
    ("MATCH (p:Person) RETURN p.name CONTAINS 'script' AS odd, {set: 1, delete: 2} AS m", 2),
    ("MATCH (a)-[c:CALLED]->(b) RETURN a.number, b.number, c.duration_s, date.truncate('day', c.at) AS day", 1),
    ("MATCH p = (:Person)-[:HAS_PHONE]->(:Phone)-[:CALLED]->(:Phone) RETURN p", 1),
    ("CALL db.labels() YIELD label RETURN label ORDER BY label", None),
    ("CALL () { MATCH (n:Person) RETURN count(n) AS c } RETURN c", 1),
    ("MATCH (p:Person) RETURN COUNT { (p)-->() } AS degree", 2),
    ("SHOW INDEXES YIELD name RETURN count(*) AS n", 1),
    ("MATCH (n:Person {person_id: $id}) RETURN n.name AS name", 1),
    ("WITH {x: 1} AS `weird name` RETURN 'a\\\\u0027' AS text, `weird name`.x AS y", 1),
    ("MATCH (p:Person) WHERE p.name STARTS WITH 'Zh' RETURN p.name;", 1),
]


def snapshot(graph) -> str:
    """Nodes, relationships, properties, schema and users as canonical text."""
    drv, db = graph.driver, graph.database
    nodes, _, _ = drv.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY elementId(n)", database_=db
    )
    rels, _, _ = drv.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, properties(r) AS props "
        "ORDER BY elementId(r)",
        database_=db,
    )
    schema, _, _ = drv.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
        "RETURN name, type, labelsOrTypes, properties, owningConstraint ORDER BY name",
        database_=db,
    )
    users, _, _ = drv.execute_query("SHOW USERS YIELD user, roles RETURN user, roles ORDER BY user", database_="system")
    dbs, _, _ = drv.execute_query(
        "SHOW DATABASES YIELD name, currentStatus RETURN name, currentStatus ORDER BY name", database_="system"
    )
    data = {
        "nodes": [r.data() for r in nodes],
        "rels": [r.data() for r in rels],
        "schema": [r.data() for r in schema],
        "users": [r.data() for r in users],
        "databases": [r.data() for r in dbs],
    }
    return json.dumps(data, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def seeded(graph):
    graph.clear()
    graph.apply_schema()
    graph.write(SEED)
    before = snapshot(graph)
    yield graph, before
    assert snapshot(graph) == before


def test_at_least_forty_hostile_queries():
    assert len(HOSTILE) >= 40 and len(set(HOSTILE)) == len(HOSTILE)


def test_text_gate_alone_refuses_every_hostile_query():
    """First gate on its own: the text rules already refuse every query of the corpus, with a sentence."""
    passed = []
    for query in HOSTILE:
        try:
            ensure_read_only_text(query)
        except NotReadOnly as e:
            assert str(e).endswith(".") and len(str(e)) < 300
        else:
            passed.append(query)
    assert passed == []


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_refused_graph_unchanged(seeded, query):
    graph, before = seeded
    with pytest.raises((NotReadOnly, QueryError)) as refusal:
        graph.read(query, {"id": "p1"})
    if isinstance(refusal.value, NotReadOnly):
        assert str(refusal.value).endswith(".")
    assert snapshot(graph) == before


@pytest.mark.parametrize(("query", "rows"), LEGIT)
def test_legit_reads_pass(seeded, query, rows):
    graph, _ = seeded
    result = graph.read(query, {"id": "p1"})
    if rows is not None:
        assert len(result) == rows


def test_explain_gate_alone_catches_writes(seeded):
    """Second gate on its own: Neo4j's EXPLAIN verdict refuses a write the text rules never saw."""
    graph, _ = seeded
    for query in ("MATCH (n) SET n.x = 1", "CREATE INDEX i FOR (n:X) ON (n.k)", "MERGE (:X {k: 1})"):
        with graph.driver.session(database=graph.database) as session:
            summary = session.run("EXPLAIN " + query).consume()
        with pytest.raises(NotReadOnly):
            ensure_read_only_plan(summary)


def test_read_transaction_alone_refuses_writes(seeded):
    """Third gate on its own: the server refuses a write inside a READ transaction."""
    graph, before = seeded
    with (
        graph.driver.session(database=graph.database, default_access_mode=READ_ACCESS) as session,
        pytest.raises(Exception, match="(?i)read"),
    ):
        session.execute_read(lambda tx: tx.run("MATCH (n:Person) SET n.name = 'x'").consume())
    assert snapshot(graph) == before
