"""`python -m devtools.scenario generate|evaluate`: write a scenario, or measure detection against it."""

from __future__ import annotations

import argparse
import sys
import time

from explorer.exceptions import ExplorerError

DEFAULT_DIR = "demo-data/scenario"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.scenario", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the exports and the ground truth")
    gen.add_argument("--scale", default="demo", help="demo, bench, or a number of people")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", default=DEFAULT_DIR)
    ev = sub.add_parser("evaluate", help="load a scenario, run the analytics, print accuracy against the truth")
    ev.add_argument("--dir", default=DEFAULT_DIR)
    ev.add_argument("--no-load", action="store_true", help="score the graph as it is (already loaded and analysed)")
    ev.add_argument("--keep", action="store_true", help="load on top of the current graph instead of clearing it")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            from devtools.scenario import generate

            started = time.perf_counter()
            truth = generate(args.scale, args.seed, args.out)
            rows = sum(f["rows"] for f in truth["files"])
            print(
                f"Wrote {len(truth['files'])} exports ({rows:,} rows, {len(truth['bad_rows'])} planted bad rows) "
                f"and ground truth for {len(truth['rings'])} rings to {args.out} "
                f"in {time.perf_counter() - started:.1f} s."
            )
            return 0
        from devtools.scenario.evaluate import evaluate_command

        return evaluate_command(args.dir, load=not args.no_load, clear=not args.keep)
    except (ExplorerError, ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
