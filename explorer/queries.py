"""App-internal Cypher, as named constants. User-facing Cypher lives in cypher/."""

from __future__ import annotations

from explorer.config import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"

SERVER_VERSION = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"

TOTAL_COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
"""

LABEL_COUNTS = """
CALL db.labels() YIELD label
CALL (label) { MATCH (n:$(label)) RETURN count(n) AS count }
RETURN label, count ORDER BY count DESC
"""

REL_TYPE_COUNTS = """
CALL db.relationshipTypes() YIELD relationshipType AS type
CALL (type) { MATCH ()-[r:$(type)]->() RETURN count(r) AS count }
RETURN type, count ORDER BY count DESC
"""

CLEAR_GRAPH = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def schema_statements() -> list[str]:
    """Statements of cypher/schema.cypher, split on ';' outside comments."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("//")]
    body = "\n".join(lines)
    return [s.strip() for s in body.split(";") if s.strip()]
