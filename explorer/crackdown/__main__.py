"""python -m explorer.crackdown: plan a crackdown from the shell (reads the graph, writes nothing)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from explorer.crackdown.network import Scope
from explorer.crackdown.plan import as_json, as_table, crackdown
from explorer.crackdown.search import SearchOptions
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError


def _names(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.crackdown", description="Whom to arrest, together, to break a network apart."
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--ring", help="a ring id (from the analytics)")
    where.add_argument("--case", help="a case id")
    where.add_argument("--persons", type=_names, help="comma-separated person keys (a workspace selection)")
    where.add_argument("--graph", action="store_true", help="the whole person graph")
    parser.add_argument("--k", type=int, default=5, help="how many people the plan may remove (default 5)")
    parser.add_argument(
        "--layers", type=_names, default=(), help="relationship kinds, types or `layer` values (default: all kinds)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--seed", type=int, default=SearchOptions.seed, help="seed of the set search")
    args = parser.parse_args(argv)
    if args.k < 1:
        parser.error("--k must be at least 1")
    scope = Scope(ring=args.ring, case=args.case, persons=args.persons or (), layers=args.layers)
    try:
        with Graph.connect() as graph:
            result = crackdown(graph, scope, args.k, SearchOptions(seed=args.seed))
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(f"Crackdown plan for {scope.describe()}")
        print(as_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
