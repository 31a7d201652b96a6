"""Cypher of the network analytics (explorer.analytics), as named constants.

Projection pulls return element ids and are aggregated on the server, one
query per relationship kind, so the client streams one row per linked pair.
"""

from __future__ import annotations

# -- projection ------------------------------------------------------------------

PERSONS = "MATCH (p:Person) RETURN elementId(p) AS id, p.person_id AS key, p.name AS name"

# Who holds which phone or account: identifiers collapse onto their holders.
OWNERSHIP = """
MATCH (p:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x)
RETURN elementId(x) AS id, elementId(p) AS owner
"""

# Identifiers seen in a kind's links get a key and caption when they have no holder.
IDENTIFIER_KEYS = """
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
RETURN id, labels(x)[0] AS label, coalesce(x.number, x.account_id, x.person_id, elementId(x)) AS key,
       coalesce(x.name, x.number, x.account_id) AS name
"""

# One query per relationship kind: (from, to, number of links).
KIND_QUERIES: dict[str, str] = {
    "CALLED": "MATCH (a)-[r:CALLED]->(b) RETURN elementId(a), elementId(b), count(r)",
    "MESSAGED": "MATCH (a)-[r:MESSAGED]->(b) RETURN elementId(a), elementId(b), count(r)",
    "TRANSFERRED": "MATCH (a)-[r:TRANSFERRED]->(b) RETURN elementId(a), elementId(b), count(r)",
    "PARCEL": "MATCH (a)-[:SENT]->(:Parcel)-[:RECEIVED_BY]->(b) RETURN elementId(a), elementId(b), count(*)",
    "HAS_CONTACT": "MATCH (a)-[r:HAS_CONTACT]->(b) RETURN elementId(a), elementId(b), count(r)",
    "KNOWS": "MATCH (a)-[r:KNOWS]->(b) RETURN elementId(a), elementId(b), count(r)",
    # Generic edges from edge lists and adjacency matrices: any non-zero weight is one tie.
    "CONTACT": "MATCH (a)-[r:CONTACT]->(b) WHERE coalesce(r.weight, 1) <> 0 RETURN elementId(a), elementId(b), count(r)",
}

# -- behaviour of ring members (for roles) ----------------------------------------

MEMBER_BEHAVIOUR = """
UNWIND $ids AS id
MATCH (u) WHERE elementId(u) = id
CALL (u) {
  MATCH (u:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x) RETURN x
  UNION
  WITH u AS x WHERE NOT x:Person RETURN x
}
RETURN id,
  sum(COUNT { (x)-[:POSTED]->() } + COUNT { (x)-[:ADVERTISES_ON]->() }) AS posts,
  sum(COUNT { (x)-[:SENT]->(:Parcel) }) AS parcels_sent,
  sum(COUNT { (x)<-[:RECEIVED_BY]-(:Parcel) }) AS parcels_received,
  sum(COUNT { (x)<-[:TRANSFERRED]-() }) AS transfers_in,
  sum(COUNT { (x)-[:TRANSFERRED]->() }) AS transfers_out
"""

# -- write-back -------------------------------------------------------------------

MERGE_RINGS = """
UNWIND $rows AS row
MERGE (r:Ring {ring_id: row.ring_id})
SET r.size = row.size, r.internal_links = row.internal_links, r.roles = row.roles,
    r.computed_at = $at, r.run_id = $run_id
"""

DELETE_STALE_RINGS = "MATCH (r:Ring) WHERE r.run_id IS NULL OR r.run_id <> $run_id DETACH DELETE r"

DELETE_MEMBERSHIPS = """
UNWIND $rows AS row
MATCH (:Ring {ring_id: row.ring_id})<-[m:MEMBER_OF]-()
DELETE m
"""

WRITE_UNITS = """
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.id
SET n.ring_id = row.ring_id, n.role = row.role, n.betweenness = row.betweenness, n.brokerage = row.brokerage,
    n.brokerage_weight = row.brokerage_weight, n.intermediary_score = row.score, n.connects = row.connects,
    n.intermediary_reason = row.reason, n.analytics_run = $run_id
WITH n, row WHERE row.ring_id IS NOT NULL
MATCH (r:Ring {ring_id: row.ring_id})
MERGE (n)-[m:MEMBER_OF]->(r)
SET m.role = row.role, m.reason = row.role_reason
"""

# Results of earlier runs on nodes this run did not score (their unit left a ring or the top list).
CLEAR_STALE_UNITS = {
    label: f"""
MATCH (n:{label}) WHERE n.intermediary_score IS NOT NULL AND n.analytics_run <> $run_id
REMOVE n.ring_id, n.role, n.betweenness, n.brokerage, n.brokerage_weight, n.intermediary_score, n.connects,
       n.intermediary_reason, n.analytics_run
"""
    for label in ("Person", "Phone", "Account")
}

CREATE_RUN = """
CREATE (run:AnalyticsRun {run_id: $run_id})
SET run += $props
"""
