"""Cypher the loaders run, as named templates.

Only names (labels, keys, relationship types, property names) are filled in,
each quoted by `loaders.cypher_text.quote_name` (one of the load's allowed
names, shaped like an identifier); every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any

from loaders.cypher_text import quote_name

# The write statements start with `CYPHER replan=skip`. The server otherwise plans a statement again
# whenever the label and index counts it was planned with have drifted (by default after 10 s and a
# 75% change), and a load changes them all the time, so the server kept planning the same statements
# again (docs/benchmarks.md counts the plans). Each of these statements finds its
# nodes through a unique key's index and its events through the event_id constraint's index, whatever
# the counts; the plans made on an empty store and on a loaded one differ only in where a property is
# cached.
#
# Rows travel as lists, not maps: the server decodes no key names per row (NODE_COLUMNS and
# REL_COLUMNS name the leading positions; the properties follow, in the order set_props was given).
#
# A statement's rows (and a relationship statement's ends) travel inside one map parameter, `$batch`
# (`batch_parameters`). The server caches a plan per text and parameter types, and it counts a list
# parameter by its size's order of magnitude (0, 1, 2-10, 11-100, ... items) but a map by its type
# alone. Sent as lists, a text was planned again for every size class its batches met: 61 plans for the
# 33 write texts of the `small` benchmark folder, each a few hundred milliseconds of the server's CPU
# while the writer waits. Inside a map, each text is planned once per load (docs/benchmarks.md).

# Nodes: MERGE on the unique key, and the load joins the node's `loads` list once.
# `{props}` is SET_PROPS per property the batch carries: the last non-empty
# value wins and an empty one never blanks an earlier load's. Named properties
# rather than `SET n += map` keep Neo4j from planning an Eager (whole-batch
# materialisation) step.
NODE_COLUMNS = ("key",)
MERGE_NODES = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MERGE (n:{label} {{{key}: row[0]}})
ON CREATE SET n.loads = [$load_id]
ON MATCH SET n.loads = CASE WHEN $load_id IN n.loads THEN n.loads ELSE coalesce(n.loads, []) + $load_id END
{props}
"""

# Relationship rows carry their ends twice: as keys (`source`, `target`) and as positions (`from`, `to`) in the
# statement's lists of distinct ends, `$batch.froms` and `$batch.tos`. A big statement finds each distinct end
# by its key once (ENDS_ONCE), not once per row: a call record's chunk names a few thousand phones in ten
# thousand calls. A small one looks up each row's ends (ENDS_PER_ROW): the server plans that text in about half
# the time, and a folder of small exports meets a few dozen texts for the first time (docs/benchmarks.md).
# Either way a row whose ends are not in the graph writes nothing, as a MATCH would, and a row can only ever
# join the nodes it names: ENDS_ONCE checks the key each position stands for.
# `sources` lists the rows' tags, `<load_id>#<row>`. In a big statement it is null when the relationship
# comes from its own row alone (nearly always): the statement then writes that tag itself, rather than
# receiving the same load id in every row of the batch. A small statement receives every row's sources:
# the server plans its text, without that choice, in some 10 ms less (docs/benchmarks.md), which a folder
# of small exports pays for a few dozen texts, and its few rows make the extra text cheap to send.
REL_COLUMNS = ("id", "source", "target", "row", "sources", "from", "to")

# Rows from which a relationship statement finds each distinct end once (loaders.plan), in an export of at
# least ENDS_ONCE_MIN_EXPORT_BYTES. The server plans ENDS_ONCE in about twice the time of ENDS_PER_ROW, and
# runs it some 15-20% faster: on the benchmark server, 5,683 call records took 94 ms against 111 ms once
# planned, but the first run 280 ms against 187 ms. The plan pays back after some 60,000 rows through the
# same text, so an export smaller than about that (4 MiB of call records) looks each row's ends up.
ENDS_ONCE_MIN_ROWS = 5_000
ENDS_ONCE_MIN_EXPORT_BYTES = 4 * 1024 * 1024

ENDS_ONCE = """
CYPHER replan=skip
CALL () {{ UNWIND $batch.froms AS k OPTIONAL MATCH (a:{from_label} {{{from_key}: k}}) RETURN collect([k, a]) AS froms }}
CALL () {{ UNWIND $batch.tos AS k OPTIONAL MATCH (b:{to_label} {{{to_key}: k}}) RETURN collect([k, b]) AS tos }}
UNWIND $batch.rows AS row
WITH row, froms[row[5]] AS a, tos[row[6]] AS b
WHERE a[0] = row[1] AND b[0] = row[2] AND a[1] IS NOT NULL AND b[1] IS NOT NULL
WITH row, a[1] AS a, b[1] AS b, coalesce(row[4], [$load_id + '#' + toString(row[3])]) AS sources
"""

ENDS_PER_ROW = """
CYPHER replan=skip
UNWIND $batch.rows AS row
MATCH (a:{from_label} {{{from_key}: row[1]}})
MATCH (b:{to_label} {{{to_key}: row[2]}})
"""

# Events: MERGE on the deterministic event_id, so a reloaded row meets its first copy. `SOURCES` stands for
# the rows' sources: ENDS_ONCE's `sources`, ENDS_PER_ROW's `row[4]`.
EVENT_MERGE = """MERGE (a)-[r:{type} {{event_id: row[0]}}]->(b)
ON CREATE SET r.load_id = $load_id, r.row = row[3], r.sources = SOURCES
ON MATCH SET r.sources = coalesce(r.sources, []) + [s IN SOURCES WHERE NOT s IN coalesce(r.sources, [])]
{props}
"""

# Links without their own identity: one relationship per pair of ends and type.
LINK_MERGE = EVENT_MERGE.replace(" {{event_id: row[0]}}", "")

# Links of a network layer (an edge list's or a matrix's file, such as `meetings` or `calls`): one
# relationship per pair of ends, type and layer, so that one layer's weight never overwrites another's.
# `{layer_at}` is the position of the `layer` property in each row (it is also among `{props}`).
LAYER_LINK_MERGE = EVENT_MERGE.replace("{{event_id: row[0]}}", "{{layer: row[{layer_at}]}}")

# The relationship statements, by (kind, whether the statement finds each distinct end once).
_SOURCES = {True: "sources", False: "row[4]"}  # by whether the statement finds each distinct end once
MERGE_RELATIONSHIPS = {
    (kind, once): (ENDS_ONCE if once else ENDS_PER_ROW) + merge.replace("SOURCES", _SOURCES[once])
    for kind, merge in (("event", EVENT_MERGE), ("link", LINK_MERGE), ("layer", LAYER_LINK_MERGE))
    for once in (True, False)
}

# Duplicates: a batch of rows' main relationships is written on its own, and the rows that met an
# existing relationship are the batch's rows less the relationships it created. After an interrupted
# run of the same load, the relationships that run wrote from the very same rows are not duplicates:
# these reads, made just before the batch is written, count them.
RESUMED_EVENTS = """
UNWIND $rows AS row
MATCH ()-[r:{type} {{event_id: row[0]}}]->()
WHERE r.load_id = $load_id AND r.row = row[3]
RETURN count(r) AS resumed
"""

RESUMED_LINKS = """
UNWIND $rows AS row
MATCH (:{from_label} {{{from_key}: row[1]}})-[r:{type}]->(:{to_label} {{{to_key}: row[2]}})
WHERE r.load_id = $load_id AND r.row = row[3]
RETURN count(r) AS resumed
"""


def batch_parameters(params: dict[str, Any], load_id: str) -> dict[str, Any]:
    """A write template's parameters as sent: its rows (and ends) as `$batch`, one map, and the load's id."""
    return {"batch": params, "load_id": load_id}


SET_PROP = "{var}.{name} = coalesce(row[{at}], {var}.{name})"
# Times travel as ISO 8601 text (the driver's datetime encoding is slow) and become a DATETIME here.
SET_TEMPORAL_PROP = "{var}.{name} = coalesce(datetime(row[{at}]), {var}.{name})"


def set_props(var: str, names: list[str], allowed: Container[str], temporal: Iterable[str] = (), first: int = 0) -> str:
    """`SET n.`a` = coalesce(row[first], n.`a`), ...`: the named properties (each one of `allowed`,
    quoted by `quote_name`) from positions `first`, `first + 1`, ... of each row.

    Names in `temporal` carry ISO text and are stored with `datetime()`.
    """
    if not names:
        return ""
    temporal = set(temporal)
    return "SET " + ", ".join(
        (SET_TEMPORAL_PROP if n in temporal else SET_PROP).format(var=var, name=quote_name(n, allowed), at=first + i)
        for i, n in enumerate(names)
    )


UNIQUE_KEY = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"

INDEX_NAMES = "SHOW INDEXES YIELD name RETURN name"

# Each constraint's name, and the label and key of a node's single-property unique key (else nulls).
CONSTRAINTS = """
SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties
RETURN name, CASE WHEN type = 'UNIQUENESS' AND entityType = 'NODE' AND size(properties) = 1
                  THEN [labelsOrTypes[0], properties[0]] END AS unique_key
"""

# The status each Load had before this run (none: new; 'running': an interrupted run; 'complete': a reload),
# read before its first write: for one export, or for a folder's exports in one read before the first.
LOAD_STATUSES = "MATCH (l:Load) WHERE l.load_id IN $load_ids RETURN l.load_id AS load_id, l.status AS status"

# Written with the load's first transaction (loaders.write.Writer), so that it costs no commit of its own.
LOAD_START = """
CYPHER replan=skip
MERGE (l:Load {load_id: $load_id})
SET l.file = $file, l.sha256 = $sha256, l.mapping = $mapping, l.sheet = $sheet,
    l.started_at = $started_at, l.finished_at = null, l.status = 'running'
"""

LOAD_FINISH = """
CYPHER replan=skip
MATCH (l:Load {load_id: $load_id})
SET l.rows_read = $rows_read, l.rows_written = $rows_written, l.rows_rejected = $rows_rejected,
    l.finished_at = datetime(), l.status = 'complete'
"""

# Entity resolution that never merges: same name and a shared phone or address
# is a SAME_AS candidate for the analyst, with its reason in English and the phones and addresses shared
# (from which explorer.explain says the reason in the analyst's language). Only persons this load touched are
# considered, and each pair is linked once, from the smaller key to the larger. The pairs are found
# through the shared phones and addresses (a few holders each), not through the name: a common name is
# held by thousands of persons in a big case, and every pair of them would be compared. So the holders
# are reached only by walking from p, and compared after: a predicate on q inside the walk would let
# the planner, misled by index statistics sampled while the store was nearly empty, start from an index
# instead (one such plan scanned every person for each person of the load; docs/benchmarks.md).
SAME_AS_CANDIDATES = """
MATCH (p:Person) WHERE $load_id IN p.loads AND p.name IS NOT NULL
CALL (p) {
  MATCH (p)-[:HAS_PHONE]->(:Phone)<-[:HAS_PHONE]-(q)
  RETURN q
  UNION
  MATCH (p)-[:LIVES_AT]->(:Address)<-[:LIVES_AT]-(q)
  RETURN q
}
WITH p, q WHERE q:Person AND q.name = p.name AND q.person_id <> p.person_id
WITH p, q,
     COLLECT { MATCH (p)-[:HAS_PHONE]->(ph:Phone)<-[:HAS_PHONE]-(q) RETURN DISTINCT ph.number AS x ORDER BY x } AS phones,
     COLLECT { MATCH (p)-[:LIVES_AT]->(ad:Address)<-[:LIVES_AT]-(q) RETURN DISTINCT ad.address_id AS x ORDER BY x } AS addresses
WHERE size(phones) > 0 OR size(addresses) > 0
WITH CASE WHEN p.person_id < q.person_id THEN p ELSE q END AS a,
     CASE WHEN p.person_id < q.person_id THEN q ELSE p END AS b, phones, addresses
WITH DISTINCT a, b, phones, addresses
MERGE (a)-[s:SAME_AS]->(b)
ON CREATE SET s.status = 'candidate', s.load_id = $load_id
SET s.score = CASE WHEN size(phones) > 0 AND size(addresses) > 0 THEN 0.95
                   WHEN size(phones) > 0 THEN 0.9 ELSE 0.7 END,
    s.shared_phones = phones, s.shared_addresses = addresses,
    s.reason = 'same name ' + a.name
        + CASE WHEN size(phones) > 0 THEN ', shared phone ' + reduce(t = '', x IN phones | t + CASE t WHEN '' THEN '' ELSE ' ' END + x) ELSE '' END
        + CASE WHEN size(addresses) > 0 THEN ', shared address ' + reduce(t = '', x IN addresses | t + CASE t WHEN '' THEN '' ELSE '; ' END + x) ELSE '' END
RETURN count(s) AS candidates
"""

# Datasets (loaders.datasets): the nodes a load keyed by local id (`<dataset>:<id>`), and how many of them
# another load also wrote (their `loads` list names more than this one).
LOCAL_ID_OVERLAP = """
MATCH (n:{label}) WHERE $load_id IN n.loads AND n.{key} STARTS WITH $prefix
WITH n, [x IN n.loads WHERE x <> $load_id] AS others
RETURN count(n) AS ids, count(CASE WHEN size(others) > 0 THEN 1 END) AS shared,
       reduce(acc = [], o IN collect(others) | acc + [x IN o WHERE NOT x IN acc]) AS others
"""

LOAD_FILES = "MATCH (l:Load) WHERE l.load_id IN $load_ids RETURN l.load_id AS load_id, l.file + coalesce(' › ' + l.sheet, '') AS file"

LOAD_DATASET = "MATCH (l:Load {load_id: $load_id}) SET l.dataset = $dataset, l.layer = $layer"

# -- clear and unload (loaders.maintenance) -------------------------------------------------
# The evidence graph is every node but the record of analytics runs (AnalyticsRun, marked stale instead)
# and any Watch an earlier version wrote there (the analysts' own state, to be moved to the analyst store
# by `python -m explorer.watchlist adopt`, not lost). Deletes run as `CALL ... IN TRANSACTIONS`: one pass, a batch per
# transaction, relationships before nodes (deleting a hub with its thousands of relationships in one
# transaction would overrun the server's transaction memory).
EVIDENCE_COUNTS = """
MATCH (n) WHERE NOT n:Watch AND NOT n:AnalyticsRun
RETURN labels(n)[0] AS label, count(n) AS nodes, sum(COUNT { (n)-[]->() }) AS relationships
"""

CLEAR_RELATIONSHIPS = "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"

CLEAR_EVIDENCE = """
MATCH (n) WHERE NOT n:Watch AND NOT n:AnalyticsRun
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

LOAD_INFO = "MATCH (l:Load {load_id: $load_id}) RETURN l.file + coalesce(' › ' + l.sheet, '') AS file, l.mapping AS mapping, l.status AS status"

LOADS = """
MATCH (l:Load)
RETURN l.load_id AS load_id, l.file + coalesce(' › ' + l.sheet, '') AS file, l.mapping AS mapping, l.status AS status, l.rows_written AS rows,
       l.dataset AS dataset, l.layer AS layer, l.finished_at AS finished_at
ORDER BY l.started_at
"""

# A relationship the load wrote names it in `load_id` (the load that created it) or in its `sources`
# tags (`<load id>#<row>`); both its ends are nodes the load wrote. Only this load's: deleted.
DELETE_LOAD_RELATIONSHIPS = """
MATCH (a) WHERE $load_id IN a.loads
MATCH (a)-[r]->()
WHERE (r.load_id = $load_id OR any(s IN coalesce(r.sources, []) WHERE s STARTS WITH $prefix))
  AND all(s IN coalesce(r.sources, []) WHERE s STARTS WITH $prefix)
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
"""

# SAME_AS candidates the load's entity resolution proposed (either end may be another load's person).
DELETE_LOAD_SAME_AS = "MATCH ()-[s:SAME_AS {load_id: $load_id}]->() CALL (s) { DELETE s } IN TRANSACTIONS OF 10000 ROWS"

# Also written by other loads: kept, with this load's tags taken out (and its creator the next load).
SHARED_LOAD_RELATIONSHIPS = """
MATCH (a) WHERE $load_id IN a.loads
MATCH (a)-[r]->() WHERE any(s IN coalesce(r.sources, []) WHERE s STARTS WITH $prefix)
RETURN count(r) AS n
"""

UNTAG_LOAD_RELATIONSHIPS = """
MATCH (a) WHERE $load_id IN a.loads
MATCH (a)-[r]->() WHERE any(s IN coalesce(r.sources, []) WHERE s STARTS WITH $prefix)
WITH r, [s IN r.sources WHERE NOT s STARTS WITH $prefix] AS rest, r.load_id = $load_id AS created
CALL (r, rest, created) {
  SET r.sources = rest,
      r.load_id = CASE WHEN created THEN split(rest[0], '#')[0] ELSE r.load_id END,
      r.row = CASE WHEN created THEN toIntegerOrNull(split(rest[0], '#')[1]) ELSE r.row END
} IN TRANSACTIONS OF 10000 ROWS
"""

LOAD_ONLY_NODES = """
MATCH (n) WHERE n.loads = [$load_id]
RETURN coalesce(labels(n)[0], '(no label)') AS label, count(n) AS n
"""

DELETE_LOAD_NODES = """
MATCH (n) WHERE n.loads = [$load_id]
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""

UNTAG_LOAD_NODES = """
MATCH (n) WHERE $load_id IN n.loads
CALL (n) { SET n.loads = [x IN n.loads WHERE x <> $load_id] } IN TRANSACTIONS OF 10000 ROWS
"""

DELETE_LOAD = "MATCH (l:Load {load_id: $load_id}) DETACH DELETE l RETURN count(*) AS removed"

# Analytics results computed on evidence that changed.
MARK_ANALYTICS_STALE = """
MATCH (run:AnalyticsRun) WHERE run.stale IS NULL OR NOT run.stale
SET run.stale = true, run.stale_since = datetime(), run.stale_reason = $reason
RETURN count(run) AS runs
"""

RELATIONSHIP_COUNT = "MATCH ()-[r]->() RETURN count(r) AS n"
