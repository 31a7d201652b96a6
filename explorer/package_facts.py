"""What a ring's target package says, read from the graph: summary, flows, key members, timelines, sources.

The package is written for an investigator who did not run the analysis: who the key members are and
why, what moved between them (calls, money, parcels) and when, and the seized file and row behind every
statement. Everything here is a read; `explorer/report.py` turns it into pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from explorer import queries
from explorer.db import Graph
from explorer.exceptions import ExplorerError

# Key members: every organiser and broker, then the best-ranked others, at most this many in all, so
# that a large ring's package stays a briefing (one page each) rather than a listing.
KEY_ROLES = ("organiser", "broker")
OTHER_KEY_MEMBERS = 10
MAX_KEY_MEMBERS = 16
EVENTS_PER_MEMBER = 10

MEMBERS = """
MATCH (p)-[mo:MEMBER_OF]->(ring:Ring {ring_id: $ring})
RETURN coalesce(p.person_id, p.number, p.account_id) AS key, coalesce(p.name, p.number, p.account_id) AS name,
       labels(p)[0] AS label, coalesce(mo.role, p.role) AS role, coalesce(mo.reason, p.role_reason) AS reason,
       p.intermediary_rank AS rank, p.betweenness AS betweenness, p.intermediary_reason AS intermediary_reason,
       coalesce(mo.reason_facts, p.role_reason_facts) AS reason_facts,
       p.intermediary_reason_facts AS intermediary_reason_facts
ORDER BY coalesce(p.intermediary_rank, 2147483647), coalesce(p.betweenness, 0) DESC, key
"""

RING = """
MATCH (ring:Ring {ring_id: $ring})
RETURN ring.kind AS kind, ring.signal AS signal, ring.evidence AS evidence, ring.computed_at AS computed_at,
       ring.evidence_facts AS evidence_facts
"""

# In the queries below, a member's own identifiers (`id`) are the phones and accounts of a person, or
# the member itself when the analytics ranked a phone or an account with no known owner.

# Every event a member's identifier took part in, by kind and by whether the other end belongs to the
# ring (its owner is a member, or it is a member itself).
FLOWS = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
CALL (p) {
  MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT]->(id) RETURN id
  UNION
  WITH p WHERE NOT p:Person RETURN p AS id
}
MATCH (id)-[e:CALLED|MESSAGED|TRANSFERRED|SENT]->(x)
WITH DISTINCT e, x
WITH e, type(e) AS kind,
     CASE WHEN x:Parcel THEN 'parcel'
          WHEN EXISTS { (x)-[:MEMBER_OF]->(:Ring {ring_id: $ring}) }
            OR EXISTS { (x)<-[:HAS_PHONE|HAS_ACCOUNT]-(:Person)-[:MEMBER_OF]->(:Ring {ring_id: $ring}) } THEN 'inside'
          ELSE 'outside' END AS towards
RETURN kind, towards, count(*) AS events, sum(e.amount) AS amount, min(e.at) AS first, max(e.at) AS last
ORDER BY kind, towards
"""

# Incoming money and parcels matter too (a mule's fan-in, a drop receiving), but only as totals.
INCOMING = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
CALL (p) {
  MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT]->(id) RETURN id
  UNION
  WITH p WHERE NOT p:Person RETURN p AS id
}
MATCH (id)<-[e:TRANSFERRED|RECEIVED_BY]-(x)
WITH DISTINCT e
RETURN type(e) AS kind, count(*) AS events, sum(e.amount) AS amount, min(coalesce(e.at, e.sent_at)) AS first,
       max(coalesce(e.at, e.sent_at)) AS last
"""

TIMELINES = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
WHERE coalesce(p.person_id, p.number, p.account_id) IN $members
CALL (p) {
  MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT]->(id) RETURN id
  UNION
  WITH p WHERE NOT p:Person RETURN p AS id
}
MATCH (id)-[e:CALLED|MESSAGED|TRANSFERRED|SENT|RECEIVED_BY|LOGGED_IN]-(x)
WHERE e.at IS NOT NULL
WITH p, e, id, x ORDER BY e.at DESC
WITH p, collect({at: e.at, kind: type(e), outgoing: startNode(e) = id, mine: coalesce(id.number, id.account_id),
                 other: coalesce(x.name, x.number, x.account_id, x.waybill, x.text, x.ip, x.address_id),
                 amount: e.amount, duration_s: e.duration_s,
                 source: coalesce(head(e.sources), e.load_id + '#' + toString(e.row))}) AS events
RETURN coalesce(p.person_id, p.number, p.account_id) AS key, size(events) AS total, events[..$per_member] AS events
"""

IDENTITY = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
WHERE coalesce(p.person_id, p.number, p.account_id) IN $members
OPTIONAL MATCH (p)-[has:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]->(id)
WITH p, collect({kind: labels(id)[0], value: coalesce(id.number, id.account_id, id.text, id.address_id, id.imei)})
       AS identifiers
CALL (p) {
  MATCH (c:Case)-[:INVOLVES]->(p) RETURN c
  UNION
  MATCH (c:Case)-[:INVOLVES]->()<-[:HAS_PHONE|HAS_ACCOUNT|LIVES_AT|USES_DEVICE]-(p) RETURN c
}
WITH p, identifiers, collect(DISTINCT c.case_id) AS cases
RETURN coalesce(p.person_id, p.number, p.account_id) AS key, p.id_number AS id_number, p.aliases AS aliases,
       [i IN identifiers WHERE i.value IS NOT NULL] AS identifiers, [c IN cases WHERE c IS NOT NULL] AS cases
"""

# The source rows behind each member's links, once each.
SOURCES = """
MATCH (p)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
MATCH (p)-[r]-()
WHERE r.sources IS NOT NULL OR r.load_id IS NOT NULL
UNWIND coalesce(r.sources, [coalesce(r.load_id + '#' + toString(r.row), r.load_id)]) AS source
RETURN coalesce(p.person_id, p.number, p.account_id) AS key, collect(DISTINCT source) AS sources
"""

# Ties between two members, through any call, message, transfer or declared tie of their identifiers.
TIES = """
MATCH (a)-[:MEMBER_OF]->(:Ring {ring_id: $ring})
WITH a, a AS p
CALL (p) {
  MATCH (p)-[:HAS_PHONE|HAS_ACCOUNT]->(id) RETURN id
  UNION
  WITH p WHERE NOT p:Person RETURN p AS id
}
MATCH (id)-[e:CALLED|MESSAGED|TRANSFERRED|KNOWS|CONTACT]-(x)
CALL (x) {
  MATCH (x)<-[:HAS_PHONE|HAS_ACCOUNT]-(b:Person) RETURN b
  UNION
  WITH x WHERE x:Person OR x:Phone OR x:Account RETURN x AS b
}
WITH a, b, e WHERE a <> b AND EXISTS { (b)-[:MEMBER_OF]->(:Ring {ring_id: $ring}) }
WITH coalesce(a.person_id, a.number, a.account_id) AS a, coalesce(b.person_id, b.number, b.account_id) AS b, e
WHERE a < b
RETURN a, b, count(DISTINCT e) AS events
"""


class NoSuchRing(ExplorerError):
    """The ring asked for is not in the graph."""


@dataclass
class Member:
    key: str
    name: str
    label: str
    role: str | None
    reason: str | None
    rank: int | None
    betweenness: float | None
    intermediary_reason: str | None
    reason_facts: str | None = None  # the reasons' facts (explorer.explain), to say them in the package's language
    intermediary_reason_facts: str | None = None
    id_number: str | None = None
    aliases: list[str] = field(default_factory=list)
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    events_total: int = 0
    sources: list[str] = field(default_factory=list)


@dataclass
class PackageFacts:
    ring_id: str
    ring: dict[str, Any]
    members: list[Member]
    key_members: list[Member]
    flows: pd.DataFrame
    incoming: pd.DataFrame
    ties: list[tuple[str, str, int]]
    files: dict[str, tuple[str | None, str | None]]  # load id -> (file name, sha256)

    @property
    def period(self) -> tuple[Any, Any]:
        firsts = [v for v in list(self.flows.get("first", [])) + list(self.incoming.get("first", [])) if v is not None]
        lasts = [v for v in list(self.flows.get("last", [])) + list(self.incoming.get("last", [])) if v is not None]
        return (min(firsts) if firsts else None, max(lasts) if lasts else None)

    def where(self, source: str) -> tuple[str, int | None, str | None]:
        """A `load#row` source as (file name, row, file SHA-256)."""
        load_id, _, row = str(source).rpartition("#")
        load_id = load_id or str(source)
        file, sha256 = self.files.get(load_id, (None, None))
        return (file or load_id, int(row) if row.isdigit() else None, sha256)


def key_members(members: Sequence[Member]) -> list[Member]:
    """Organisers and brokers first, then the ten best-ranked others; at most MAX_KEY_MEMBERS."""
    leading = [m for m in members if (m.role or "").lower() in KEY_ROLES]
    others = [m for m in members if m not in leading][:OTHER_KEY_MEMBERS]
    return (leading + others)[:MAX_KEY_MEMBERS]


def _rows(graph: Graph, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return graph.read(cypher, params, checked=True).rows()


def read_facts(graph: Graph, ring_id: Any) -> PackageFacts:
    ring = str(ring_id)
    params: dict[str, Any] = {"ring": ring_id}
    members = [Member(**row) for row in _rows(graph, MEMBERS, params)]
    ring_rows = _rows(graph, RING, params)
    if not members and not ring_rows:
        raise NoSuchRing(f"There is no ring {ring} in the graph: the Rings page and `rings` list them.")
    chosen = key_members(members)
    keys = [m.key for m in chosen]
    by_key = {m.key: m for m in members}
    for row in _rows(graph, IDENTITY, {**params, "members": keys}):
        m = by_key[row["key"]]
        m.id_number, m.aliases = row["id_number"], list(row["aliases"] or [])
        m.identifiers, m.cases = row["identifiers"], sorted(row["cases"])
    per_member = {**params, "members": keys, "per_member": EVENTS_PER_MEMBER}
    for row in _rows(graph, TIMELINES, per_member):
        by_key[row["key"]].events, by_key[row["key"]].events_total = row["events"], row["total"]
    for row in _rows(graph, SOURCES, params):
        if row["key"] in by_key:
            by_key[row["key"]].sources = row["sources"]
    for m in members:  # the events a key member's page lists are evidence too
        m.sources = sorted(set(m.sources) | {e["source"] for e in m.events if e.get("source")})
    load_ids = sorted({_load_of(s) for m in members for s in m.sources} | _event_loads(chosen))
    files = {r["load_id"]: (r["file"], r["sha256"]) for r in _rows(graph, queries.LOADS_BY_ID, {"ids": load_ids})}
    return PackageFacts(
        ring_id=ring,
        ring=ring_rows[0] if ring_rows else {},
        members=members,
        key_members=chosen,
        flows=pd.DataFrame(
            _rows(graph, FLOWS, params), columns=["kind", "towards", "events", "amount", "first", "last"]
        ),
        incoming=pd.DataFrame(_rows(graph, INCOMING, params), columns=["kind", "events", "amount", "first", "last"]),
        ties=[(r["a"], r["b"], r["events"]) for r in _rows(graph, TIES, params)],
        files=files,
    )


def _load_of(source: str) -> str:
    load_id, _, _ = str(source).rpartition("#")
    return load_id or str(source)


def _event_loads(members: Iterable[Member]) -> set[str]:
    return {_load_of(e["source"]) for m in members for e in m.events if e.get("source")}


def rows_by_file(facts: PackageFacts, sources: Iterable[str]) -> list[tuple[str, str | None, list[int]]]:
    """Sources grouped by seized file: (file name, SHA-256, sorted row numbers), each row once."""
    grouped: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    for source in sources:
        file, row, sha256 = facts.where(source)
        rows = grouped[(file, sha256)]
        if row is not None:
            rows.add(row)
    return [(file, sha256, sorted(rows)) for (file, sha256), rows in sorted(grouped.items())]


def row_ranges(rows: Sequence[int]) -> str:
    """Row numbers written compactly: 3-5, 9, 12-14."""
    parts: list[str] = []
    start = prev = None
    for row in rows:
        if start is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = prev = row
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}-{prev}")
    return ", ".join(parts)
