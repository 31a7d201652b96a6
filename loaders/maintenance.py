"""Emptying the evidence graph and removing one load: `python -m loaders clear --yes`, `unload LOAD_ID`.

Both are recorded in the audit trail with the counts removed. Neither touches the schema (constraints
and indexes) nor the analysts' own state (the watch list); the record of analytics runs is kept and
marked stale, since the evidence it was computed on changed.

Unloading removes what only that load wrote. A node or relationship another load also wrote stays,
with the unloaded load taken out of its provenance (`loads` of a node, `sources` of a relationship);
its properties keep the values last written, whichever load wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer import audit
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from loaders import queries


class NoSuchLoad(ExplorerError):
    """Unload was given a load id the graph does not hold."""


@dataclass
class Removal:
    """What a clear or an unload removed (and, for an unload, what it kept because other loads share it)."""

    what: str
    nodes: dict[str, int] = field(default_factory=dict)  # label -> nodes removed
    relationships: int = 0
    nodes_kept: int = 0
    relationships_kept: int = 0
    stale_runs: int = 0

    @property
    def nodes_removed(self) -> int:
        return sum(self.nodes.values())

    def sentence(self) -> str:
        labels = ", ".join(f"{label} {n:,}" for label, n in sorted(self.nodes.items(), key=lambda kv: -kv[1]))
        text = f"{self.what}: removed {self.nodes_removed:,} nodes ({labels or 'none'}) and {self.relationships:,} relationships"
        if self.nodes_kept or self.relationships_kept:
            text += (
                f"; kept {self.nodes_kept:,} nodes and {self.relationships_kept:,} relationships that other loads "
                "also wrote, without this load in their provenance"
            )
        if self.stale_runs:
            text += f"; {self.stale_runs} analytics run(s) marked stale: run the analytics again"
        return text + "."


def evidence_counts(graph: Graph) -> Removal:
    """What `clear` would remove: the evidence graph's nodes by label and its relationships."""
    counts = Removal("evidence graph")
    for r in graph.read(queries.EVIDENCE_COUNTS, checked=True).records:
        counts.nodes[r["label"] or "(no label)"] = int(r["nodes"])
        counts.relationships += int(r["relationships"])
    return counts


def _mark_stale(graph: Graph, reason: str) -> int:
    found = graph.write(queries.MARK_ANALYTICS_STALE, {"reason": reason})
    return int(found[0]["runs"]) if found else 0


def clear(graph: Graph) -> Removal:
    """Empty the evidence graph (every load, its nodes and relationships, rings); audited."""
    with audit.timed("clear", "evidence graph") as entry:
        removal = evidence_counts(graph)
        graph.write_in_transactions(queries.CLEAR_RELATIONSHIPS)
        graph.write_in_transactions(queries.CLEAR_EVIDENCE)
        removal.stale_runs = _mark_stale(graph, "the evidence graph was cleared")
        entry.rows = removal.nodes_removed
        entry.detail = removal.sentence()
    return removal


def unload(graph: Graph, load_id: str) -> Removal:
    """Remove what only load `load_id` wrote and take it out of the provenance of what it shares; audited."""
    load_id = load_id.strip()
    found = graph.read(queries.LOAD_INFO, {"load_id": load_id}, checked=True).records
    if not found:
        raise NoSuchLoad(f"No load has the id {load_id!r}; `python -m loaders loads` lists the loads and their ids.")
    info = found[0]
    with audit.timed("unload", load_id, {"file": info["file"], "mapping": info["mapping"]}) as entry:
        removal = Removal(f"unloaded {info['file']} ({load_id})")
        params = {"load_id": load_id, "prefix": f"{load_id}#"}
        before = graph.read_value(queries.RELATIONSHIP_COUNT)
        graph.write_in_transactions(queries.DELETE_LOAD_SAME_AS, params)
        graph.write_in_transactions(queries.DELETE_LOAD_RELATIONSHIPS, params)
        removal.relationships_kept = graph.read_value(queries.SHARED_LOAD_RELATIONSHIPS, params) or 0
        graph.write_in_transactions(queries.UNTAG_LOAD_RELATIONSHIPS, params)
        only = graph.read(queries.LOAD_ONLY_NODES, params, checked=True).records
        removal.nodes = {r["label"]: int(r["n"]) for r in only}
        graph.write_in_transactions(queries.DELETE_LOAD_NODES, params)
        removal.nodes_kept = graph.write_in_transactions(queries.UNTAG_LOAD_NODES, params).properties_set
        if graph.write(queries.DELETE_LOAD, params)[0]["removed"]:
            removal.nodes["Load"] = removal.nodes.get("Load", 0) + 1
        removal.relationships = before - graph.read_value(queries.RELATIONSHIP_COUNT)
        removal.stale_runs = _mark_stale(graph, f"load {load_id} ({info['file']}) was unloaded")
        entry.rows = removal.nodes_removed
        entry.detail = removal.sentence()
    return removal


def loads(graph: Graph) -> list[dict]:
    """The loads in the graph, oldest first: id, file, mapping, status, rows written, dataset, layer."""
    return [dict(r) for r in graph.read(queries.LOADS, checked=True).records]
