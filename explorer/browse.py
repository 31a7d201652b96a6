"""What the app's pages read: search, neighbourhoods, profiles, rings, maps and timelines.

Pure Python over `Graph.read` with the named queries of `explorer.queries`;
the pages only lay out what these functions return.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from explorer import identifiers, queries
from explorer.config import load_settings, localise
from explorer.db import Graph
from explorer.subgraph import GraphNode, Subgraph, subgraph_from_records
from explorer.table_files import plain

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


# -- search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    id: str
    label: str
    caption: str
    score: float


def lucene_query(text: str) -> str:
    """A fulltext query matching each typed word as a prefix, special characters escaped."""
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w) for w in text.split() if w]
    return " AND ".join(f"{w}*" for w in words)


def search(graph: Graph, text: str, limit: int = 10) -> list[Match]:
    """Exact identifier hits first (any key, in any spelling the loaders accept), then fulltext suggestions."""
    text = text.strip()
    if not text:
        return []
    found: dict[str, Match] = {}
    params = {"values": identifiers.search_keys(text), "limit": limit}
    records = list(graph.read(queries.SEARCH_KEYS, params, checked=True).records)
    query = lucene_query(text)
    if query:
        records += list(graph.read(queries.SEARCH_FULLTEXT, {"query": query, "limit": limit}, checked=True).records)
    for record in records:
        node = GraphNode(record["node"].element_id, sorted(record["node"].labels), dict(record["node"].items()))
        found.setdefault(node.id, Match(node.id, node.label, node.caption, float(record["score"])))
    return list(found.values())[:limit]


# -- neighbourhoods ----------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What an expansion may add: kinds of link, labels, and a time window on events."""

    rel_types: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def params(self) -> dict[str, Any]:
        return {
            "types": list(self.rel_types) or None,
            "labels": list(self.labels) or None,
            "since": _start_of(self.since),
            "until": _start_of(self.until, next_day=True),
        }


def _start_of(day: date | None, next_day: bool = False) -> datetime | None:
    """Midnight of the day in the analyst's time zone (EXPLORER_TIMEZONE), not in UTC: a "day"
    on screen is a local day, so the next morning's events in +08:00 are not part of it."""
    if day is None:
        return None
    if next_day:
        day = day + timedelta(days=1)
    return localise(datetime.combine(day, time(0)))


def subgraph(graph: Graph, ids: Iterable[str]) -> Subgraph:
    """These nodes and every relationship among them."""
    ids = list(ids)
    if not ids:
        return Subgraph()
    return subgraph_from_records(graph.read(queries.SUBGRAPH, {"ids": ids}, checked=True).records)


def subgraph_grown(graph: Graph, known: Subgraph, ids: Iterable[str]) -> Subgraph:
    """Like `subgraph`, reading from Neo4j only the nodes `known` lacks and their relationships.

    A picture that shrank costs no query; one that grew reads only what came.
    """
    ids = list(dict.fromkeys(ids))
    wanted = set(ids)
    kept = Subgraph(
        {k: v for k, v in known.nodes.items() if k in wanted},
        {k: e for k, e in known.edges.items() if e.source in wanted and e.target in wanted},
    )
    new = [i for i in ids if i not in kept.nodes]
    if not new:
        return kept
    found = graph.read(queries.SUBGRAPH_ADDED, {"new": new, "ids": ids}, checked=True).records
    return subgraph_from_records(found, known=kept)


def neighbours(graph: Graph, ids: Iterable[str], filters: Filters | None = None) -> Subgraph:
    """The nodes one link away from `ids`: every kind of link, busy kinds sampled (see `neighbourhood`)."""
    return neighbourhood(graph, ids, filters).subgraph


# Links that say who owns or uses an identifier: always shown whole, whatever the filters.
OWNERSHIP_LINKS = ("HAS_PHONE", "HAS_ACCOUNT", "LIVES_AT", "USES_DEVICE")
PER_KIND = 25


@dataclass
class Neighbourhood:
    """The links of some nodes, every kind of them, busy kinds one page at a time.

    `more[node_id][kind]` counts the links of that kind not shown yet beyond this page;
    `next_offsets[node_id][kind]` is where the next page of that kind starts.
    """

    subgraph: Subgraph
    more: dict[str, dict[str, int]] = field(default_factory=dict)
    next_offsets: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, dict[str, int]] = field(default_factory=dict)


def neighbourhood(
    graph: Graph,
    ids: Iterable[str],
    filters: Filters | None = None,
    *,
    per_kind: int = PER_KIND,
    offsets: dict[str, int] | None = None,
) -> Neighbourhood:
    """Every kind of link of `ids`: ownership links whole, each other kind `per_kind` at a time.

    `offsets` (kind -> how many of that kind to skip) pages through a busy kind, so a phone with
    150 calls shows its owner and 25 calls, and says 125 more calls are there to page through.
    """
    ids = list(ids)
    if not ids:
        return Neighbourhood(Subgraph())
    params = {
        "ids": ids,
        "per_kind": per_kind,
        "always": list(OWNERSHIP_LINKS),
        "offsets": dict(offsets or {}),
        **(filters or Filters()).params(),
    }
    records = list(graph.read(queries.NEIGHBOURHOOD, params, checked=True).records)
    found = subgraph_from_records([[r["n"], r["shown"]] for r in records])
    result = Neighbourhood(found)
    for r in records:
        node_id, kind, total, start = r["n"].element_id, r["kind"], r["total"], r["start"]
        end = start + len(r["shown"])
        result.totals.setdefault(node_id, {})[kind] = total
        if total > end:
            result.more.setdefault(node_id, {})[kind] = total - end
            result.next_offsets.setdefault(node_id, {})[kind] = end
    return result


def shortest_paths(graph: Graph, ids: Sequence[str], limit: int = 50) -> Subgraph:
    """The shortest paths (up to 6 links) between every pair of these nodes, as one picture."""
    ids = list(dict.fromkeys(ids))[:8]
    pairs = [[a, b] for i, a in enumerate(ids) for b in ids[i + 1 :]]
    if not pairs:
        return Subgraph()
    return subgraph_from_records(
        graph.read(queries.SHORTEST_PATHS, {"pairs": pairs, "limit": limit}, checked=True).records
    )


def degrees(graph: Graph, ids: Iterable[str]) -> dict[str, int]:
    rows = graph.read(queries.DEGREES, {"ids": list(ids)}, checked=True).records
    return {r["id"]: r["degree"] for r in rows}


def nodes(graph: Graph, ids: Iterable[str]) -> dict[str, GraphNode]:
    return subgraph_from_records(graph.read(queries.NODES_BY_ID, {"ids": list(ids)}, checked=True).records).nodes


# -- entity profile ----------------------------------------------------------------

IDENTIFIER_LINKS = {"HAS_PHONE", "HAS_ACCOUNT", "LIVES_AT", "USES_DEVICE", "HAS_CONTACT"}


def _caption(value: Any) -> str:
    if hasattr(value, "labels"):
        return GraphNode(value.element_id, sorted(value.labels), dict(value.items())).caption
    return "" if value is None else str(value)


def _label(value: Any) -> str:
    return GraphNode(value.element_id, sorted(value.labels), dict(value.items())).label


def split_sources(sources: Iterable[str] | None) -> list[tuple[str, int | None]]:
    """`"<load_id>#<row>"` strings as (load_id, row)."""
    out = []
    for source in [] if sources is None else sources:
        load_id, _, row = str(source).rpartition("#")
        out.append((load_id or str(source), int(row) if row.isdigit() else None))
    return out


@dataclass
class Profile:
    node: GraphNode
    identifiers: pd.DataFrame
    links: pd.DataFrame
    events: pd.DataFrame
    cases: pd.DataFrame
    same_as: pd.DataFrame
    sources: pd.DataFrame

    @property
    def aliases(self) -> list[str]:
        aliases = self.node.props.get("aliases") or []
        return [str(a) for a in (aliases if isinstance(aliases, list) else [aliases])]

    @property
    def scores(self) -> dict[str, Any]:
        keys = ("ring_id", "role", "betweenness", "brokerage")
        return {k: self.node.props[k] for k in keys if self.node.props.get(k) is not None}


def profile(graph: Graph, node_id: str, limit: int = 500) -> Profile | None:
    """Everything known about one entity, each fact with the file and row behind it."""
    found = nodes(graph, [node_id])
    if node_id not in found:
        return None
    node = found[node_id]
    links = graph.read(queries.LINKS_OF, {"id": node_id, "limit": limit}, checked=True).records
    link_rows, identifier_rows, source_keys = [], [], []
    for r in links:
        rel = r["rel"]
        sources = split_sources(rel.get("sources")) or (
            [(rel.get("load_id"), rel.get("row"))] if rel.get("load_id") else []
        )
        source_keys += [s for s in sources if s[0]]
        row = {
            "link": r["type"],
            "direction": "→" if r["outgoing"] else "←",
            "label": _label(r["other"]),
            "other": _caption(r["other"]),
            "other_id": r["other"].element_id,
            "at": plain(rel.get("at")),
            # Each source a `load#row` of its own, so the screen reads every one as its file and row.
            "sources": [f"{load}#{row}" if row is not None else str(load) for load, row in sources],
        }
        link_rows.append(row)
        if r["type"] in IDENTIFIER_LINKS:
            identifier_rows.append(
                {"kind": row["label"], "identifier": row["other"], "via": r["type"], "sources": row["sources"]}
            )
    events = graph.read(queries.EVENTS_OF, {"id": node_id, "limit": limit}, checked=True).records
    event_rows = []
    for r in events:
        rel = r["rel"]
        event_rows.append(
            {
                "at": plain(r["at"]),
                "type": r["type"],
                "from": _caption(r["source"]),
                "to": _caption(r["target"]),
                "amount": rel.get("amount"),
                "duration_s": rel.get("duration_s"),
                "sources": [str(s) for s in rel.get("sources") or []],
            }
        )
        source_keys += [s for s in split_sources(rel.get("sources")) if s[0]]
    cases = graph.read(queries.CASES_OF, {"id": node_id}, checked=True).rows()
    same_as = [
        {
            "other": _caption(r["other"]),
            "other_key": r["other_key"],
            "score": r["score"],
            "reason": r["reason"],
            "status": r["status"],
            "reason_facts": r["reason_facts"],
        }
        for r in graph.read(queries.SAME_AS_OF, {"id": node_id}, checked=True).records
    ]
    load_ids = sorted({k for k, _ in source_keys} | set(node.props.get("loads") or []))
    loads = {r["load_id"]: r for r in graph.read(queries.LOADS_BY_ID, {"ids": load_ids}, checked=True).rows()}
    source_rows = []
    for load_id, row in dict.fromkeys(source_keys):
        load = loads.get(load_id, {})
        source_rows.append(
            {
                "file": load.get("file"),
                "row": row,
                "mapping": load.get("mapping"),
                "sha256": load.get("sha256"),
                "load_id": load_id,
            }
        )
    for load_id in node.props.get("loads") or []:
        if not any(s["load_id"] == load_id for s in source_rows):
            load = loads.get(load_id, {})
            source_rows.append(
                {
                    "file": load.get("file"),
                    "row": None,
                    "mapping": load.get("mapping"),
                    "sha256": load.get("sha256"),
                    "load_id": load_id,
                }
            )
    return Profile(
        node=node,
        identifiers=pd.DataFrame(identifier_rows, columns=["kind", "identifier", "via", "sources"]),
        links=pd.DataFrame(link_rows, columns=["link", "direction", "label", "other", "other_id", "at", "sources"]),
        events=pd.DataFrame(event_rows, columns=["at", "type", "from", "to", "amount", "duration_s", "sources"]),
        cases=pd.DataFrame(cases, columns=["case_id", "title", "agency", "opened_at", "role"]).map(plain),
        same_as=pd.DataFrame(same_as, columns=["other", "score", "reason", "status", "other_key", "reason_facts"]),
        sources=pd.DataFrame(source_rows, columns=["file", "row", "mapping", "sha256", "load_id"]),
    )


# -- overview, rings, intermediaries, map, timeline -------------------------------


def frame(graph: Graph, cypher: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """An internal query's rows as a DataFrame of plain values (temporal values as ISO text)."""
    result = graph.read(cypher, params or {}, checked=True)
    return pd.DataFrame([{k: plain(v) for k, v in row.items()} for row in result.rows()], columns=result.columns)


def latest_loads(graph: Graph, limit: int = 10) -> pd.DataFrame:
    return frame(graph, queries.LATEST_LOADS, {"limit": limit})


def rings(graph: Graph, limit: int = 500) -> pd.DataFrame:
    return frame(graph, queries.RINGS, {"limit": limit})


def ring_subgraph(graph: Graph, ring_id: Any) -> Subgraph:
    ids = graph.read_value(queries.RING_NODES, {"ring": ring_id}) or []
    return subgraph(graph, ids)


def ring_members(graph: Graph, ring_id: Any) -> pd.DataFrame:
    return frame(graph, queries.RING_MEMBERS, {"ring": ring_id})


def ring_sources(graph: Graph, ring_id: Any, limit: int = 5000) -> pd.DataFrame:
    table = frame(graph, queries.RING_SOURCES, {"ring": ring_id, "limit": limit})
    if table.empty:
        return pd.DataFrame(columns=["member", "link", "other", "file", "row", "sha256"])
    pairs = split_sources(list(table["source"]))
    table["load_id"] = [p[0] for p in pairs]
    table["row"] = [p[1] for p in pairs]
    loads = frame(graph, queries.LOADS_BY_ID, {"ids": sorted(set(table["load_id"]))})
    table = table.merge(loads, on="load_id", how="left") if not loads.empty else table.assign(file=None, sha256=None)
    return table[["member", "link", "other", "file", "row", "sha256"]]


def intermediaries(graph: Graph, limit: int = 25) -> pd.DataFrame:
    """People (and holder-less phones or accounts) ranked by intermediary score, with the analytics' reason."""
    table = frame(graph, queries.INTERMEDIARIES, {"limit": limit})
    if table.empty:
        return table
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def last_analytics_run(graph: Graph) -> dict[str, Any] | None:
    """When the rings and scores were last computed (None if never)."""
    table = frame(graph, queries.LAST_ANALYTICS_RUN)
    return None if table.empty else table.iloc[0].to_dict()


def address_points(graph: Graph, limit: int = 5000) -> pd.DataFrame:
    return frame(graph, queries.ADDRESS_POINTS, {"limit": limit})


def events_per_day(graph: Graph, since: date | None = None, until: date | None = None) -> pd.DataFrame:
    params = {**Filters(since=since, until=until).params(), "tz": load_settings().timezone}
    return frame(graph, queries.EVENTS_PER_DAY, params)


def events(
    graph: Graph, since: date | None = None, until: date | None = None, types: Sequence[str] = (), limit: int = 1000
) -> pd.DataFrame:
    params = {**Filters(since=since, until=until).params(), "types": list(types) or None, "limit": limit}
    params.pop("labels")
    return frame(graph, queries.EVENTS_LIST, params)
