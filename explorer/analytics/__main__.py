"""python -m explorer.analytics: rings and key intermediaries from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from explorer.analytics.options import ALL_KINDS, DEFAULT_WEIGHTS, RANKINGS, AnalyticsError, Options
from explorer.analytics.run import run_analytics
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError


def layer_name(text: str) -> str:
    """A layer as typed: a built-in kind in any case (`called`), else a relationship type or `layer` value as is."""
    text = text.strip()
    return text.upper() if text.upper() in ALL_KINDS else text


def _parse_weights(pairs: Sequence[str]) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    for pair in pairs:
        layer, _, value = pair.partition("=")
        try:
            weights[layer_name(layer)] = float(value)
        except ValueError as e:
            raise AnalyticsError(f"--weight {pair!r} must look like LAYER=number, e.g. TRANSFERRED=3.") from e
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.analytics", description="Rings and key intermediaries.")
    parser.add_argument(
        "--layers",
        "--kinds",
        default=",".join(ALL_KINDS),
        help=f"comma-separated relationship types or `layer` values (default: {', '.join(ALL_KINDS)})",
    )
    parser.add_argument("--weight", action="append", default=[], metavar="LAYER=W", help="weight of a layer")
    parser.add_argument(
        "--unweighted-rings",
        action="store_true",
        help="detect communities with every tie counting 1 (default: tie strength)",
    )
    parser.add_argument(
        "--ranking",
        choices=RANKINGS,
        default=Options.ranking,
        help="the default ranking: betweenness by hops (published key-player measure) or with strong ties as short steps",
    )
    parser.add_argument("--min-ring-size", type=int, default=Options.min_ring_size)
    parser.add_argument(
        "--resolution", type=float, default=None, help="Leiden resolution (default: the most stable from 1 to 16)"
    )
    parser.add_argument(
        "--max-degree",
        type=int,
        default=None,
        help="units with more contacts are hubs (default: automatic, sparing persons)",
    )
    parser.add_argument("--seed", type=int, default=Options.seed)
    parser.add_argument("--top", type=int, default=10, help="intermediaries to print")
    parser.add_argument(
        "--rank-by",
        choices=["rank", "betweenness", "betweenness_weighted", "brokerage_weight"],
        default="rank",
        help="order of the printed list (default: the stored ranking)",
    )
    parser.add_argument("--dry-run", action="store_true", help="compute and print, write nothing")
    args = parser.parse_args(argv)
    try:
        options = Options(
            layers=tuple(layer_name(k) for k in args.layers.split(",") if k.strip()),
            weights=_parse_weights(args.weight),
            weighted_rings=not args.unweighted_rings,
            ranking=args.ranking,
            min_ring_size=args.min_ring_size,
            resolution=args.resolution,
            max_degree=args.max_degree or None,
            seed=args.seed,
            write=not args.dry_run,
        )
        with Graph.connect() as graph:
            analysis = run_analytics(graph, options)
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1
    t = analysis.timings
    groups = sum(1 for info in analysis.rings.values() if info.get("kind") == "group")
    rings = len(analysis.rings) - groups
    print(
        f"{len(analysis.units)} units, {analysis.links} ties, {rings} rings and {groups} groups "
        f"(resolution {analysis.resolution:g}, modularity {analysis.modularity:.3f}), {len(analysis.hubs)} hubs left out; "
        f"betweenness {analysis.betweenness_mode}; {t.get('total_s', 0):.1f} s "
        f"(pull {t.get('pull_s', 0):.1f}, rings {t.get('rings_s', 0):.1f}, betweenness {t.get('betweenness_s', 0):.1f}, "
        f"write {t.get('write_s', 0):.1f})" + ("" if options.write else " [dry run: nothing written]")
    )
    for rid, info in sorted(analysis.rings.items(), key=lambda kv: -kv[1]["size"])[: args.top]:
        print(
            f"  {info['kind']:<5} {rid}  size {info['size']:>4}  internal ties {info['internal_links']:>5}  {info['roles']}"
        )
        if info.get("evidence"):
            print(f"      why: {info['evidence']}"[:200])
    print("Key intermediaries:")
    for u in analysis.ranked(args.rank_by, args.top):
        label = u.name or u.key
        print(f"  {u.rank:>2}. {label:<24} {u.reason or ''}"[:200])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
