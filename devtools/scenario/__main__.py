"""`python -m devtools.scenario generate|evaluate`: write a scenario, or measure detection against it."""

from __future__ import annotations

import argparse
import sys
import time

from explorer.exceptions import ExplorerError

DEFAULT_DIR = "demo-data/scenario"


def add_knob_options(parser: argparse.ArgumentParser) -> None:
    """The adversarial knobs (docs/scenario.md); unset ones keep the `Params` defaults."""
    knobs = parser.add_argument_group("adversarial knobs (default: on, at the strengths in docs/scenario.md)")
    knobs.add_argument("--burner-weeks", dest="burner_weeks", type=float, help="weeks between burner swaps (0: never)")
    knobs.add_argument("--burner-link", dest="burner_link_share", type=float,
                       help="share of later burners the rosters list for their holder")  # fmt: skip
    knobs.add_argument("--missing", dest="missing_share", type=float, help="share of event rows dropped")
    knobs.add_argument("--alias", dest="alias_share", type=float,
                       help="share of (person, export) pairs spelling the name another way")  # fmt: skip
    knobs.add_argument("--decoy-depots", dest="decoy_depots", type=int, help="busy parcel collection points")
    knobs.add_argument("--decoy-shops", dest="decoy_shops", type=int, help="shops sweeping direct payments on")
    knobs.add_argument("--plain", action="store_true", help="every knob off (the world without them)")


def knobs_from(args: argparse.Namespace) -> dict[str, float | int]:
    from devtools.scenario import Params

    knobs: dict[str, float | int] = dict(Params.PLAIN) if args.plain else {}
    for name in Params.PLAIN:
        if getattr(args, name, None) is not None:
            knobs[name] = getattr(args, name)
    return knobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.scenario", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the exports and the ground truth")
    gen.add_argument("--scale", default="demo", help="demo, bench, or a number of people")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", default=DEFAULT_DIR)
    add_knob_options(gen)
    ev = sub.add_parser("evaluate", help="load a scenario, run the analytics, print accuracy against the truth")
    ev.add_argument("--dir", default=DEFAULT_DIR)
    ev.add_argument("--no-load", action="store_true", help="score the graph as it is (already loaded and analysed)")
    ev.add_argument("--keep", action="store_true", help="load on top of the current graph instead of clearing it")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            from devtools.scenario import generate

            started = time.perf_counter()
            truth = generate(args.scale, args.seed, args.out, **knobs_from(args))
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
