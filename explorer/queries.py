"""App-internal Cypher, as named constants. User-facing Cypher lives in cypher/."""

from __future__ import annotations

from explorer import model

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
    """Every constraint and index of the model (cypher/schema.cypher is generated from the same)."""
    return model.schema_statements()


# -- the app's pages (explorer.browse, explorer.watchlist) ----------------------

SEARCH_FULLTEXT = """
CALL db.index.fulltext.queryNodes('identifier_search', $query) YIELD node, score
RETURN node, score
ORDER BY score DESC LIMIT $limit
"""

SEARCH_KEYS = """
UNWIND $values AS value
CALL (value) {
  MATCH (n:Person {person_id: value}) RETURN n
  UNION MATCH (n:Person {id_number: value}) RETURN n
  UNION MATCH (n:Phone {number: value}) RETURN n
  UNION MATCH (n:Account {account_id: value}) RETURN n
  UNION MATCH (n:Account {handle: value}) RETURN n
  UNION MATCH (n:Parcel {waybill: value}) RETURN n
  UNION MATCH (n:Device {imei: value}) RETURN n
  UNION MATCH (n:IPAddress {ip: value}) RETURN n
  UNION MATCH (n:Case {case_id: value}) RETURN n
  UNION MATCH (n:Site {site_id: value}) RETURN n
  UNION MATCH (n:Address {address_id: value}) RETURN n
  UNION MATCH (n:Person {name: value}) RETURN n
}
RETURN DISTINCT n AS node, 1.0e6 AS score
LIMIT $limit
"""

NODES_BY_ID = "MATCH (n) WHERE elementId(n) IN $ids RETURN n"

# Every node of $ids and the relationships among them.
SUBGRAPH = """
MATCH (n) WHERE elementId(n) IN $ids
OPTIONAL MATCH (n)-[r]->(m) WHERE elementId(m) IN $ids
RETURN n, collect(r) AS rels
"""

# The nodes $new (added to a picture of $ids) and their relationships with every node of $ids.
SUBGRAPH_ADDED = """
MATCH (n) WHERE elementId(n) IN $new
OPTIONAL MATCH (n)-[r]-(m) WHERE elementId(m) IN $ids
RETURN n, collect(r) AS rels
"""

# Every kind of link of each of $ids, counted, with one page of each kind: ownership links ($always)
# whole and regardless of the filters, busy kinds (calls, payments) $per_kind at a time from $offsets[kind].
NEIGHBOURHOOD = """
MATCH (n) WHERE elementId(n) IN $ids
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE type(r) IN $always OR (
    ($types IS NULL OR type(r) IN $types)
    AND ($labels IS NULL OR any(l IN labels(m) WHERE l IN $labels))
    AND ($since IS NULL OR r.at IS NULL OR r.at >= $since)
    AND ($until IS NULL OR r.at IS NULL OR r.at < $until))
  WITH type(r) AS kind, r, m ORDER BY r.at DESC, elementId(r)
  WITH kind, collect({r: r, m: m}) AS links
  WITH kind, links, CASE WHEN kind IN $always THEN 0 ELSE coalesce($offsets[kind], 0) END AS start
  RETURN kind, size(links) AS total, start,
    CASE WHEN kind IN $always THEN links ELSE links[start..start + $per_kind] END AS shown
}
RETURN n, kind, total, start, shown
"""

# The shortest paths (up to 6 links, at most $limit in all) between each pair of the nodes $ids.
SHORTEST_PATHS = """
UNWIND $pairs AS pair
MATCH (a), (b) WHERE elementId(a) = pair[0] AND elementId(b) = pair[1]
MATCH p = allShortestPaths((a)-[*..6]-(b))
WITH pair, p LIMIT $limit
RETURN p
"""

DEGREES = """
MATCH (n) WHERE elementId(n) IN $ids
RETURN elementId(n) AS id, COUNT { (n)--() } AS degree
"""

LINKS_OF = """
MATCH (n) WHERE elementId(n) = $id
MATCH (n)-[r]-(m)
RETURN type(r) AS type, startNode(r) = n AS outgoing, m AS other, r AS rel
ORDER BY r.at DESC
LIMIT $limit
"""

# Events of an entity and, for a person, of the phones, accounts and devices it holds.
EVENTS_OF = """
MATCH (n) WHERE elementId(n) = $id
CALL (n) {
  MATCH (n)-[r]-() WHERE r.at IS NOT NULL RETURN r
  UNION
  MATCH (n)-[:HAS_PHONE|HAS_ACCOUNT|USES_DEVICE]->()-[r]-() WHERE r.at IS NOT NULL RETURN r
}
RETURN r.at AS at, type(r) AS type, startNode(r) AS source, endNode(r) AS target, r AS rel
ORDER BY at DESC
LIMIT $limit
"""

CASES_OF = """
MATCH (n) WHERE elementId(n) = $id
CALL (n) {
  MATCH (c:Case)-[i:INVOLVES]->(n) RETURN c, i.role AS role
  UNION
  MATCH (c:Case)-[i:INVOLVES]->()<-[:HAS_PHONE|HAS_ACCOUNT|USES_DEVICE|LIVES_AT]-(n) RETURN c, i.role AS role
}
RETURN c.case_id AS case_id, c.title AS title, c.agency AS agency, c.opened_at AS opened_at, role
"""

SAME_AS_OF = """
MATCH (n) WHERE elementId(n) = $id
MATCH (n)-[s:SAME_AS]-(m)
RETURN m AS other, m.person_id AS other_key, s.score AS score, s.reason AS reason, s.status AS status,
       CASE WHEN s.shared_phones IS NOT NULL
         THEN {say: 'same_as', name: n.name, phones: s.shared_phones, addresses: s.shared_addresses} END AS reason_facts
"""

# How many same-person candidates there are (from the count store) and how many of `$reviews`, the analysts'
# decisions in the analyst store, name a candidate still in the graph.
SAME_AS_DECIDED = """
CALL () { MATCH ()-[s:SAME_AS]->() RETURN count(s) AS candidates }
CALL () {
  UNWIND $reviews AS r
  MATCH (:Person {person_id: r.first})-[:SAME_AS]-(:Person {person_id: r.second})
  RETURN count(*) AS decided
}
RETURN candidates, decided
"""

LOADS_BY_ID = """
MATCH (l:Load) WHERE l.load_id IN $ids
RETURN l.load_id AS load_id, l.file + coalesce(' › ' + l.sheet, '') AS file, l.sha256 AS sha256, l.mapping AS mapping
"""

LATEST_LOADS = """
MATCH (l:Load)
RETURN l.file + coalesce(' › ' + l.sheet, '') AS file, l.mapping AS mapping, l.finished_at AS finished_at, l.rows_read AS rows_read,
       l.rows_written AS rows_written, l.rows_rejected AS rows_rejected, l.status AS status
ORDER BY coalesce(l.finished_at, l.started_at) DESC
LIMIT $limit
"""

RINGS = """
MATCH (r:Ring)
OPTIONAL MATCH (m)-[:MEMBER_OF]->(r)
WITH r, m ORDER BY coalesce(m.intermediary_rank, 2147483647), m.name
WITH r, count(m) AS members,
     collect(coalesce(m.name, m.number, m.account_id))[..5] AS leading_members,
     [role IN collect(DISTINCT m.role) WHERE role IS NOT NULL] AS roles
RETURN r.ring_id AS ring_id, coalesce(r.kind, 'ring') AS kind, coalesce(r.size, members) AS size, leading_members,
       roles, r.evidence AS evidence,
       r.computed_at AS computed_at, r.evidence_facts AS evidence_facts
ORDER BY size DESC, ring_id
LIMIT $limit
"""

# A ring's members and the phones, accounts, addresses and devices they hold.
RING_NODES = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
OPTIONAL MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(x)
WITH collect(DISTINCT elementId(p)) AS members, collect(DISTINCT elementId(x)) AS held
RETURN members + held AS ids
"""

RING_MEMBERS = """
MATCH (p)-[mo:MEMBER_OF]->(:Ring {ring_id: $ring})
OPTIONAL MATCH (p)-[:HAS_PHONE]->(ph:Phone)
OPTIONAL MATCH (p)-[:HAS_ACCOUNT]->(ac:Account)
OPTIONAL MATCH (p)-[:LIVES_AT]->(ad:Address)
OPTIONAL MATCH (p)-[:USES_DEVICE]->(dv:Device)
OPTIONAL MATCH (c:Case)-[:INVOLVES]->(p)
WITH p, mo, ph, ac, ad, dv, c
RETURN coalesce(p.person_id, p.number, p.account_id) AS person_id, coalesce(p.name, p.number, p.account_id) AS name,
       p.aliases AS aliases, coalesce(mo.role, p.role) AS role, mo.reason AS role_reason,
       mo.reason_facts AS role_reason_facts,
       p.betweenness AS betweenness, p.brokerage AS brokerage,
       collect(DISTINCT coalesce(ph.number, p.number)) AS phones, collect(DISTINCT coalesce(ac.account_id, p.account_id)) AS accounts,
       collect(DISTINCT coalesce(ad.text, ad.address_id)) AS addresses, collect(DISTINCT dv.imei) AS devices,
       collect(DISTINCT c.case_id) AS cases
ORDER BY coalesce(p.betweenness, 0) DESC, name
"""

# The source rows behind every link held by a ring's members.
RING_SOURCES = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
MATCH (p)-[r]-(x)
WHERE r.sources IS NOT NULL OR r.load_id IS NOT NULL
UNWIND coalesce(r.sources, [coalesce(r.load_id + '#' + toString(r.row), r.load_id)]) AS source
RETURN coalesce(p.name, p.number, p.account_id) AS member, type(r) AS link,
       coalesce(x.name, x.number, x.account_id, x.text, x.waybill, x.imei, x.case_id, x.ring_id) AS other,
       source
ORDER BY member, link
LIMIT $limit
"""

# Ranked by the analytics' intermediary score (betweenness and brokerage between rings), with its reason.
INTERMEDIARIES = """
MATCH (p)
WHERE (p:Person OR p:Phone OR p:Account) AND (p.intermediary_rank IS NOT NULL OR p.betweenness IS NOT NULL)
// The analytics' ranking; nodes scored without one (by an earlier version) after it, by betweenness.
WITH p ORDER BY coalesce(p.intermediary_rank, 2147483647), coalesce(p.betweenness, 0) DESC LIMIT $limit
RETURN elementId(p) AS id, coalesce(p.name, p.number, p.account_id) AS name, labels(p)[0] AS label,
       p.ring_id AS ring_id, p.role AS role, p.intermediary_score AS score, p.betweenness AS betweenness,
       p.betweenness_weighted AS betweenness_weighted, p.brokerage AS brokerage, p.connects AS connects,
       p.intermediary_reason AS reason, p.intermediary_reason_facts AS reason_facts
"""

LAST_ANALYTICS_RUN = """
MATCH (run:AnalyticsRun)
RETURN run.finished_at AS finished_at, run.rings AS rings, run.units AS units, run.algorithm AS algorithm,
       coalesce(run.stale, false) AS stale, run.stale_reason AS stale_reason
ORDER BY run.finished_at DESC LIMIT 1
"""

ADDRESS_POINTS = """
MATCH (a:Address) WHERE a.lat IS NOT NULL AND a.lon IS NOT NULL
RETURN a.address_id AS address_id, a.text AS text, a.city AS city, toFloat(a.lat) AS lat, toFloat(a.lon) AS lon,
       a.geo_precision AS precision, a.geo_place AS place, COUNT { (a)--() } AS links
LIMIT $limit
"""

EVENTS_PER_DAY = """
MATCH ()-[r]->()
WHERE r.at IS NOT NULL AND ($since IS NULL OR r.at >= $since) AND ($until IS NULL OR r.at < $until)
RETURN date(datetime({datetime: r.at, timezone: $tz})) AS day, type(r) AS type, count(*) AS events
ORDER BY day
"""

EVENTS_LIST = """
MATCH (a)-[r]->(b)
WHERE r.at IS NOT NULL AND ($since IS NULL OR r.at >= $since) AND ($until IS NULL OR r.at < $until)
  AND ($types IS NULL OR type(r) IN $types)
RETURN r.at AS at, type(r) AS type,
       coalesce(a.name, a.number, a.account_id, a.text, a.waybill) AS source,
       coalesce(b.name, b.number, b.account_id, b.text, b.waybill) AS target,
       r.amount AS amount, r.duration_s AS duration_s
ORDER BY at DESC
LIMIT $limit
"""

# `Watch` nodes an earlier version wrote in the graph (the watch list now lives in the analyst store).
LEGACY_WATCHES = """
MATCH (w:Watch)
RETURN w.watch_id AS watch_id, coalesce(w.kind, split(w.watch_id, ':')[0]) AS kind, w.value AS value,
       w.reason AS reason, w.added_by AS added_by, w.added_at AS added_at
ORDER BY w.watch_id
"""

LEGACY_WATCHES_DELETE = "MATCH (w:Watch) WHERE w.watch_id IN $watch_ids DELETE w"

# Which watched identifiers are in the graph, and the latest load that touched each. `$watches` is the
# analyst store's watch list (maps of watch_id, kind, value, reason).
WATCH_HITS = """
UNWIND $watches AS w
CALL (w) {
  MATCH (n:Phone {number: w.value}) WHERE w.kind = 'phone' RETURN n
  UNION MATCH (n:Account {account_id: w.value}) WHERE w.kind = 'account' RETURN n
  UNION MATCH (n:Parcel {waybill: w.value}) WHERE w.kind = 'parcel' RETURN n
  UNION MATCH (n:Device {imei: w.value}) WHERE w.kind = 'device' RETURN n
  UNION MATCH (n:IPAddress {ip: w.value}) WHERE w.kind = 'ip' RETURN n
  UNION MATCH (n:Person {person_id: w.value}) WHERE w.kind = 'person' RETURN n
  UNION MATCH (n:Person {name: w.value}) WHERE w.kind = 'name' RETURN n
  UNION MATCH (n:Address {address_id: w.value}) WHERE w.kind = 'address' RETURN n
  UNION MATCH (n:Case {case_id: w.value}) WHERE w.kind = 'case' RETURN n
}
OPTIONAL MATCH (l:Load) WHERE l.load_id IN coalesce(n.loads, [])
WITH w, n, l ORDER BY l.finished_at DESC
WITH w, n, collect(l)[0] AS last
RETURN w.watch_id AS watch_id, w.kind AS kind, w.value AS value, w.reason AS reason, elementId(n) AS node_id,
       COUNT { (n)--() } AS links, last.file AS last_file, last.finished_at AS last_load_at
ORDER BY last_load_at DESC
"""


# -- crackdown planning (explorer.crackdown): who is in scope, roles, links on chosen layers ----------
CRACKDOWN_RING_UNITS = "MATCH (u)-[:MEMBER_OF]->(:Ring {ring_id: $ring}) RETURN collect(elementId(u)) AS ids"
# A case's people: those it involves, and the holders of the phones and accounts it involves.
CRACKDOWN_CASE_UNITS = "MATCH (:Case {case_id: $case})-[:INVOLVES]->(n) RETURN collect(DISTINCT elementId(n)) AS ids"
CRACKDOWN_PERSON_UNITS = "MATCH (p:Person) WHERE p.person_id IN $keys RETURN collect(elementId(p)) AS ids"
CRACKDOWN_ROLES = """
CALL () {
  MATCH (n)-[m:MEMBER_OF]->(:Ring) RETURN elementId(n) AS id, coalesce(m.role, n.role) AS role
  UNION
  MATCH (n:Person) WHERE n.role IS NOT NULL RETURN elementId(n) AS id, n.role AS role
}
RETURN collect([id, role]) AS roles
"""
# Layers that are not one of the analytics' kinds: a relationship type, or a value of a `layer` property.
CRACKDOWN_LAYER_LINKS = """
MATCH (a)-[r]->(b) WHERE type(r) IN $layers OR r.layer IN $layers
RETURN collect(elementId(a)) AS a, collect(elementId(b)) AS b
"""
