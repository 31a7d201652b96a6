"""Read-only by construction: what a query offered for reading may not do.

Two independent gates, both must pass:
1. text rules on the query with comments and string literals blanked out
   (write clauses, LOAD CSV, CALL ... IN TRANSACTIONS, several statements,
   any procedure outside a short read-only allowlist);
2. Neo4j's own verdict from EXPLAIN: `summary.query_type` must be "r".
Then the query runs in a READ transaction, which the server also enforces.
"""

from __future__ import annotations

import re

from neo4j import ResultSummary

from explorer.exceptions import NotReadOnly

_WRITE_CLAUSES = {
    "CREATE": "it creates data or schema",
    "MERGE": "it creates data",
    "DELETE": "it deletes data",
    "DETACH": "it deletes data",
    "SET": "it changes properties or labels",
    "REMOVE": "it removes properties or labels",
    "DROP": "it drops schema or databases",
    "FOREACH": "FOREACH is only used to write",
    "ALTER": "it changes users or databases",
    "GRANT": "it changes privileges",
    "DENY": "it changes privileges",
    "REVOKE": "it changes privileges",
    "RENAME": "it renames users or roles",
    "START": "it starts databases",
    "STOP": "it stops databases",
    "TERMINATE": "it stops transactions",
    "INSERT": "it creates data",
}
# Procedures that only read the graph or its schema.
READ_ONLY_PROCEDURES = {
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes",
    "db.index.fulltext.queryrelationships",
    "apoc.path.expand",
    "apoc.path.expandconfig",
    "apoc.path.subgraphall",
    "apoc.path.subgraphnodes",
    "apoc.path.spanningtree",
}

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
_BACKTICK = re.compile(r"`(?:[^`]|``)*`")
_WORD = re.compile(r"(?<![.\w$])([A-Za-z_]+)(?![\w])")
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*(?=[({]|\s|$)", re.I)


def blank_literals(cypher: str) -> str:
    """The query with comments, strings and quoted names replaced by spaces."""
    text = _COMMENT.sub(" ", cypher)
    text = _STRING.sub("''", text)
    return _BACKTICK.sub("``", text)


def ensure_read_only_text(cypher: str) -> None:
    text = blank_literals(cypher)
    if not text.strip():
        raise NotReadOnly("The query is empty.")
    if ";" in text.strip().rstrip(";"):
        raise NotReadOnly("Only one statement can run at a time: remove the ';' between statements.")
    upper = text.upper()
    if re.search(r"\bLOAD\s+CSV\b", upper):
        raise NotReadOnly("LOAD CSV is refused here: files are loaded through the Load data page or `python -m loaders`.")
    if re.search(r"\bIN\s+(CONCURRENT\s+)?TRANSACTIONS\b", upper):
        raise NotReadOnly("CALL ... IN TRANSACTIONS is refused: it is only used to write in batches.")
    if re.search(r"\bUSE\b", upper):
        raise NotReadOnly("USE is refused: investigations run against the configured database only.")
    for match in _WORD.finditer(upper):
        word = match.group(1)
        if word in _WRITE_CLAUSES:
            raise NotReadOnly(f"The query uses {word}, which is refused because {_WRITE_CLAUSES[word]}; investigations only read.")
    for match in _CALL.finditer(text):
        name = match.group(1).lower()
        if name not in READ_ONLY_PROCEDURES:
            raise NotReadOnly(f"The procedure {match.group(1)} is not on the read-only list, so it is refused.")
    if re.search(r"\bSHOW\b", upper) and re.search(r"\b(USERS?|ROLES?|PRIVILEGES|DATABASES?|SERVERS?|TRANSACTIONS|SETTINGS)\b", upper):
        raise NotReadOnly("Administrative SHOW commands are refused here.")


def ensure_read_only_plan(summary: ResultSummary) -> None:
    if summary.query_type != "r":
        kinds = {"w": "writes data", "rw": "reads and writes data", "s": "changes the schema"}
        raise NotReadOnly(f"Neo4j reports that this query {kinds.get(summary.query_type or '', 'is not a plain read')}; it is refused.")
