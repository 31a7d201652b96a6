"""Cypher of the network analytics (explorer.analytics), as named constants.

Projection pulls return element ids and are aggregated on the server, one
query per relationship kind, answered as columns (one record of lists).
"""

from __future__ import annotations

# -- projection ------------------------------------------------------------------

# Bulk pulls answer in one record of parallel lists (columns): the driver decodes a few long lists many
# times faster than a million small records. Lists of values that may be null are lists of lists (collect
# drops nulls).
PERSONS = "MATCH (p:Person) RETURN collect([elementId(p), p.person_id, p.name]) AS persons"

# Who holds which phone or account: identifiers collapse onto their holders.
OWNERSHIP = """
MATCH (p:Person)-[:HAS_PHONE|HAS_ACCOUNT]->(x)
RETURN collect(elementId(x)) AS id, collect(elementId(p)) AS owner
"""

# Identifiers seen in a kind's links get a key and caption when they have no holder.
IDENTIFIER_KEYS = """
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
RETURN collect([id, labels(x)[0], coalesce(x.number, x.account_id, x.person_id, elementId(x)),
                coalesce(x.name, x.number, x.account_id)]) AS identifiers
"""

# One query per relationship kind: columns from, to, summed strength of their links (one entry per pair).
# A link's strength (docs/analytics.md, "Tie strength"): a declared weight (a count of calls or meetings, a
# tie-type code) as it is; a transfer 1 + ln(1 + amount / 1000); a call 1 + minutes talked / 10; else 1.
_PAIR_COLUMNS = """
WITH a, b, sum(coalesce(abs(toFloatOrNull(r.weight)),
                        1.0 + log(1.0 + abs(toFloatOrNull(r.amount)) / 1000.0),
                        1.0 + abs(toFloatOrNull(r.duration_s)) / 600.0,
                        1.0)) AS n
WHERE n > 0
RETURN collect(elementId(a)) AS a, collect(elementId(b)) AS b, collect(n) AS n
"""
_KIND_MATCHES: dict[str, str] = {
    "CALLED": "MATCH (a)-[r:CALLED]->(b)",
    "MESSAGED": "MATCH (a)-[r:MESSAGED]->(b)",
    "TRANSFERRED": "MATCH (a)-[r:TRANSFERRED]->(b)",
    # A parcel is one link (its own properties are no tie strength).
    "PARCEL": "MATCH (a)-[:SENT]->(:Parcel)-[:RECEIVED_BY]->(b) WITH a, b, {} AS r",
    "HAS_CONTACT": "MATCH (a)-[r:HAS_CONTACT]->(b)",
    "KNOWS": "MATCH (a)-[r:KNOWS]->(b)",
    # Generic edges from edge lists and adjacency matrices: the weight is the count or tie type declared.
    "CONTACT": "MATCH (a)-[r:CONTACT]->(b)",
}
KIND_QUERIES: dict[str, str] = {kind: f"{match} {_PAIR_COLUMNS}" for kind, match in _KIND_MATCHES.items()}

# Two-mode data projected to people, on request (layer `co_attendance`): two people who attended the same
# gatherings (summits, meetings: the columns of a two-mode matrix) are tied by the number they shared.
CO_ATTENDANCE = "co_attendance"
KIND_QUERIES[CO_ATTENDANCE] = """
MATCH (a:Person)-[:ATTENDED]->(g:Gathering)<-[:ATTENDED]-(b:Person)
WHERE elementId(a) < elementId(b)
WITH a, b, count(DISTINCT g) AS n
RETURN collect(elementId(a)) AS a, collect(elementId(b)) AS b, collect(toFloat(n)) AS n
"""

# Any other layer: the relationships of that type, or whose `layer` property (the network file they came
# from, such as `meetings`) names it. No index serves this: it reads every relationship once per layer.
_LAYER_MATCH = "MATCH (a)-[r]->(b) WHERE r.layer = $layer OR type(r) = $layer"
LAYER_QUERY = f"{_LAYER_MATCH} {_PAIR_COLUMNS}"

# -- criminal signal ----------------------------------------------------------------
# What marks a community as a trafficking ring rather than an ordinary neighbourhood: behaviour that
# drug trade shows and ordinary life rarely does. Each query returns (identifier or person element id,
# number of events); the analytics adds them up per unit. Hubs are left out by degree so no query
# expands a platform's or a depot's thousands of links.
SIGNAL_QUERIES: dict[str, str] = {
    # Adverts flagged by the slang lexicon, posted by the account or naming its phone or payment account.
    "slang_adverts": """
MATCH (p:Post {slang: true})
MATCH (p)<-[:POSTED]-(x)
RETURN elementId(x), count(DISTINCT p)
UNION ALL
MATCH (p:Post {slang: true})-[:MENTIONS]->(x)
RETURN elementId(x), count(DISTINCT p)
""",
    # Chats using drug slang, on either side.
    "slang_chats": """
MATCH (a)-[m:MESSAGED]->(b) WHERE size(coalesce(m.slang_terms, [])) > 0
UNWIND [a, b] AS x
RETURN elementId(x), count(*)
""",
    # Money passed through: an incoming payment followed within the window by a transfer out to someone
    # else of at least 80% of it (one payment forwarded, or several gathered and sent on together).
    "pass_through": """
MATCH (x:Account)
WHERE COUNT { (x)<-[:TRANSFERRED]-() } >= 1 AND COUNT { (x)-[:TRANSFERRED]->() } >= 1
  AND COUNT { (x)-[:TRANSFERRED]-() } <= $max_links
MATCH (payer)-[i:TRANSFERRED]->(x)-[o:TRANSFERRED]->(payee)
WHERE payer <> payee AND o.at > i.at AND o.at <= i.at + duration({hours: $window_hours})
  AND o.amount >= 0.8 * i.amount
RETURN elementId(x), count(DISTINCT i)
""",
    # Parcels sent from or delivered to an address used under several names and receiving from several
    # sending phones (a drop address): both the phones that ship there and those that ship from there.
    # A busy collection point (many parcels delivered, few sent on) is no drop, as in the saved
    # investigation `drop_addresses`: its customers show no trade behaviour by collecting there.
    "drop_parcels": """
MATCH (a:Address)
WITH a, COUNT { (a)<-[:DELIVERED_TO]-() } AS inbound, COUNT { (a)<-[:SENT_FROM]-() } AS outbound
WHERE COUNT { (a)<-[:LIVES_AT]-() } >= $drop_names AND inbound + outbound <= $max_links AND inbound >= 2
  AND NOT (inbound >= $collection_parcels AND outbound < $min_out_share * (inbound + outbound))
MATCH (a)<-[:DELIVERED_TO|SENT_FROM]-(p:Parcel)-[:SENT|RECEIVED_BY]-(x)
RETURN elementId(x), count(DISTINCT p)
""",
}

# Customers: identifiers that buy (pay out, receive parcels) and those that do the trade's work (receive
# money, send parcels, post). A unit that only buys is a ring's customer, an associate rather than a member.
BUYING = """
CALL () {
  MATCH (x)-[:TRANSFERRED]->() RETURN x
  UNION
  MATCH (:Parcel)-[:RECEIVED_BY]->(x) RETURN x
}
RETURN collect(elementId(x)) AS ids
"""
WORKING = """
CALL () {
  MATCH ()-[:TRANSFERRED]->(x) RETURN x
  UNION
  MATCH (x)-[:SENT]->(:Parcel) RETURN x
  UNION
  MATCH (x)-[:POSTED|ADVERTISES_ON]->() RETURN x
}
RETURN collect(elementId(x)) AS ids
"""

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
SET r.kind = row.kind, r.size = row.size, r.internal_links = row.internal_links, r.roles = row.roles,
    r.roles_facts = row.roles_facts,
    r.signal = row.signal,
    r.signal_members = row.signal_members, r.evidence = row.evidence, r.evidence_facts = row.evidence_facts,
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
SET n.ring_id = row.ring_id, n.ring_kind = row.ring_kind, n.role = row.role, n.role_reason = row.role_reason,
    n.role_reason_facts = row.role_reason_facts,
    n.betweenness = row.betweenness, n.betweenness_weighted = row.betweenness_weighted, n.brokerage = row.brokerage,
    n.brokerage_weight = row.brokerage_weight, n.intermediary_score = row.score, n.intermediary_rank = row.rank,
    n.connects = row.connects, n.intermediary_reason = row.reason, n.intermediary_reason_facts = row.reason_facts,
    n.analytics_run = $run_id
WITH n, row WHERE row.ring_id IS NOT NULL
MATCH (r:Ring {ring_id: row.ring_id})
MERGE (n)-[m:MEMBER_OF]->(r)
SET m.role = row.role, m.reason = row.role_reason, m.reason_facts = row.role_reason_facts
"""

# Results of earlier runs on nodes this run did not score (their unit left a ring or the top list).
CLEAR_STALE_UNITS = {
    label: f"""
MATCH (n:{label}) WHERE n.intermediary_score IS NOT NULL AND n.analytics_run <> $run_id
REMOVE n.ring_id, n.ring_kind, n.role, n.role_reason, n.role_reason_facts, n.betweenness, n.betweenness_weighted,
       n.brokerage, n.brokerage_weight, n.intermediary_score, n.intermediary_rank, n.connects, n.intermediary_reason,
       n.intermediary_reason_facts,
       n.analytics_run
"""
    for label in ("Person", "Phone", "Account")
}

CREATE_RUN = """
CREATE (run:AnalyticsRun {run_id: $run_id})
SET run += $props
"""
