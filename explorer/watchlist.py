"""The watchlist: identifiers to watch, kept in the analyst store (`explorer.analyst_store`).

A watch names a kind (phone, account, parcel, ...) and a normalised value,
the reason and who added it. A hit is a watched identifier present in the
graph; the Overview and the Load page show hits with the latest load that
touched them.

Watches are the analysts' own state, not evidence: they are never written to the
graph. Queries that need them (the hits, the `watchlist_hits` investigation, the
`watched_identifier` alert rule) receive the list as a `$watches` parameter. A
graph written by an earlier version may still hold `Watch` nodes: `adopt` moves
them into the store (`python -m explorer.watchlist adopt`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from explorer import audit, identifiers, model, queries
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.browse import frame
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from explorer.subgraph import GraphNode

# kind -> (label, key property) it is looked up by: the model's watchable identifier kinds.
KINDS: dict[str, tuple[str, str]] = {
    kind: (model.IDENTIFIERS[kind].label, model.IDENTIFIERS[kind].property) for kind in model.WATCH_KINDS
}


class InvalidWatch(ExplorerError):
    """A watch cannot be added as given (unknown kind, empty value, bad phone)."""


def normalise(kind: str, value: str) -> str:
    """The value as the loaders store it (explorer.identifiers), so a watch meets the node it names."""
    if kind not in KINDS:
        raise InvalidWatch(f"Unknown watch kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if not identifiers.fold(value or ""):
        raise InvalidWatch("The identifier to watch is empty.")
    try:
        return identifiers.normalise(kind, value)
    except ValueError as e:
        raise InvalidWatch(f"{value.strip()!r} cannot be watched as a {kind}: {e}.") from e


def watch_id(kind: str, value: str) -> str:
    return f"{kind}:{normalise(kind, value)}"


def store_of(graph: Graph) -> AnalystStore:
    """The analyst store of the app that `graph`'s settings describe."""
    return AnalystStore(graph.settings.var_dir / STORE_FILE)


def add(store: AnalystStore, kind: str, value: str, reason: str, added_by: str) -> str:
    """Watch an identifier (adding it again updates the reason and who); return its watch id."""
    if not (reason or "").strip():
        raise InvalidWatch("Say why this identifier is watched: the reason is required.")
    if not (added_by or "").strip():
        raise InvalidWatch("Say who adds this watch: the name is required.")
    return store.watch(kind, normalise(kind, value), reason.strip(), added_by.strip())


def add_many(store: AnalystStore, kind: str, text: str, reason: str, added_by: str) -> tuple[list[str], list[dict]]:
    """Watch every identifier of `text`, one per line (a list from another unit, a column pasted from a
    sheet), with one reason. Returns the watch ids added (each once, in order) and the lines refused, each
    with its line number, what it held and why; blank lines are skipped. What can be watched is watched:
    adding the corrected list again changes nothing for the lines already in."""
    if not (reason or "").strip():
        raise InvalidWatch("Say why these identifiers are watched: the reason is required.")
    if not (added_by or "").strip():
        raise InvalidWatch("Say who adds these watches: the name is required.")
    added: dict[str, None] = {}
    refused: list[dict] = []
    for row, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            added[add(store, kind, line, reason, added_by)] = None
        except InvalidWatch as e:
            refused.append({"row": row, "value": line.strip(), "reason": str(e)})
    return list(added), refused


def remove(store: AnalystStore, key: str) -> bool:
    return store.unwatch(key)


ENTRY_COLUMNS = ["watch_id", "kind", "value", "reason", "added_by", "added_at"]


def entries(store: AnalystStore) -> pd.DataFrame:
    return pd.DataFrame(store.watches(), columns=ENTRY_COLUMNS)


def hits(graph: Graph, store: AnalystStore | None = None) -> pd.DataFrame:
    """The watched identifiers present in the graph, with the latest load that touched each."""
    watches = (store or store_of(graph)).watches()
    return frame(graph, queries.WATCH_HITS, {"watches": watches})


def watched_nodes(nodes: Iterable[GraphNode], watches: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """The nodes of a picture that a watch names, each with the watch's reason (node id -> reason)."""
    wanted = {(w["kind"], w["value"]): w.get("reason") or "" for w in watches}
    found: dict[str, str] = {}
    for node in nodes:
        for kind, (label, prop) in KINDS.items():
            value = node.props.get(prop)
            if label in node.labels and value is not None and (kind, str(value)) in wanted:
                found[node.id] = wanted[(kind, str(value))]
                break
    return found


def in_graph(graph: Graph) -> int:
    """How many `Watch` nodes an earlier version left in the graph (see `adopt`)."""
    rows = graph.read(queries.LEGACY_WATCHES, {}, checked=True).rows()
    return len(rows)


def adopt(graph: Graph, store: AnalystStore | None = None) -> int:
    """Move the `Watch` nodes an earlier version wrote in the graph into the analyst store, keeping who added
    each and when (a watch the store already has keeps the store's entry), then delete them from the graph;
    recorded in the audit trail. Returns how many nodes were taken out of the graph."""
    store = store or store_of(graph)
    rows = graph.read(queries.LEGACY_WATCHES, {}, checked=True).rows()
    kept = {w["watch_id"] for w in store.watches()}
    for row in rows:
        if row["watch_id"] in kept or not row["kind"] or not row["value"]:
            continue  # watched again since in the store (that entry is newer), or no identifier to watch
        added_at = row["added_at"]
        store.watch(row["kind"], row["value"], row["reason"] or "", row["added_by"] or "",
                    added_at.iso_format() if hasattr(added_at, "iso_format") else added_at)  # fmt: skip
    if rows:
        graph.write(queries.LEGACY_WATCHES_DELETE, {"watch_ids": [r["watch_id"] for r in rows]})
    audit.record("watch", "adopt: Watch nodes moved from the graph to the analyst store", rows=len(rows))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """python -m explorer.watchlist list|adopt: the watch list, and moving an earlier version's into the store."""
    import argparse
    import sys

    from explorer.db import describe

    parser = argparse.ArgumentParser(prog="python -m explorer.watchlist", description="The watch list.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the watched identifiers, newest first")
    sub.add_parser("adopt", help="move the Watch nodes an earlier version wrote in the graph into the analyst store")
    args = parser.parse_args(argv)
    try:
        with Graph.connect() as graph:
            store = store_of(graph)
            if args.command == "adopt":
                moved = adopt(graph, store)  # the command line acts as a local administrator
                print(f"Moved {moved} watches from the graph into {store.path}.")
                return 0
            for w in store.watches():
                print(f"{w['watch_id']}\t{w['reason']}\t{w['added_by']}\t{w['added_at']}")
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
