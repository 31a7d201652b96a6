"""`python -m devtools.scenario generate|evaluate`: write a scenario, or measure detection against it."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from devtools.scenario.seeds import DEFAULT_SEEDS, STRESS_MISSING
from explorer.exceptions import ExplorerError

DEFAULT_DIR = "demo-data/scenario"


def add_knob_options(parser: argparse.ArgumentParser, *, missing: bool = True) -> None:
    """The adversarial knobs (docs/scenario.md); unset ones keep the `Params` defaults."""
    knobs = parser.add_argument_group("adversarial knobs (default: on, at the strengths in docs/scenario.md)")
    knobs.add_argument("--burner-weeks", dest="burner_weeks", type=float, help="weeks between burner swaps (0: never)")
    knobs.add_argument("--burner-link", dest="burner_link_share", type=float,
                       help="share of later burners the rosters list for their holder")  # fmt: skip
    if missing:
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


def seeds_command(args: argparse.Namespace) -> int:
    from devtools.scenario.seeds import all_met, as_json, parse_seeds, run_seeds, table

    seeds = parse_seeds(args.seeds)
    knobs = knobs_from(args)
    # The driver logs a warning for every relationship kind a scenario lacks; the report is the output here.
    logging.getLogger("neo4j").setLevel(logging.ERROR)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    main_run = run_seeds(seeds, args.scale, args.work, knobs, progress)
    stress = None
    if args.missing:
        stress = run_seeds(seeds, args.scale, args.work, {**knobs, "missing_share": args.missing}, progress)
    print(as_json(main_run, stress) if args.format == "json" else table(main_run, stress))
    return 0 if all_met(main_run) else 1


def centres_command(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from devtools.scenario.provinces import TRUTH_FILE, score
    from explorer.centres.index import read_index
    from explorer.centres.linkage import LinkageKey, case_ref
    from explorer.centres.match import cross_links, match

    truth = json.loads((Path(args.dir) / TRUTH_FILE).read_text(encoding="utf-8"))
    centre_of, paths = {}, []
    for spec in args.indexes:
        if spec.count("=") < 2:
            raise ValueError(f"{spec!r}: give each index as PROVINCE=CENTRE=FILE, such as p1=national=national.index")
        province, centre, path = spec.split("=", 2)
        centre_of[province] = centre
        paths.append(path)
    key = LinkageKey.from_environment()
    found = cross_links(match([read_index(p) for p in paths]))
    scores = score(truth, found, lambda p, c: (centre_of[p], case_ref(key, centre_of[p], c)))
    print(json.dumps(scores, indent=1))
    return 0 if scores["precision"] >= 0.95 and scores["recall"] >= 0.95 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.scenario", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the exports and the ground truth")
    gen.add_argument("--scale", default="demo", help="demo, bench, or a number of people")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", default=DEFAULT_DIR)
    gen.add_argument("--provinces", type=int, default=0,
                     help="split the cases over this many provinces (one roster folder each, provinces.json)")  # fmt: skip
    add_knob_options(gen)
    wave = sub.add_parser(
        "wave",
        help="after a first wave is loaded and analysed: write a second wave with one planted event per alert rule",
    )
    wave.add_argument("--out", default="demo-data/wave2")
    wave.add_argument("--seed", type=int, default=11)
    ev = sub.add_parser(
        "evaluate",
        help="generate seeds, load each, run the analytics, print accuracy against the truth and the targets",
        description="Without --dir: for each seed, generate the world, load it into the emptied database, "
        "analyse and score it; print each seed, the minimum and the targets (exit 1 if one is missed), then the "
        "same seeds at --missing. With --dir: score that one generated folder.",
    )
    ev.add_argument("--seeds", default=",".join(map(str, DEFAULT_SEEDS)),
                    help="seeds as 1,2,3,2026,7, or a count N (the first N of that list)")  # fmt: skip
    ev.add_argument("--scale", default="demo", help="demo, bench, or a number of people")
    ev.add_argument("--work", default="demo-data/accuracy", help="where the generated seeds are written")
    ev.add_argument("--missing", type=float, default=STRESS_MISSING,
                    help="share of missing rows for the second pass, reported without targets (0: no second pass)")  # fmt: skip
    ev.add_argument("--format", choices=["table", "json"], default="table")
    add_knob_options(ev, missing=False)
    ev.add_argument("--dir", help="score this one generated folder instead of generating seeds")
    ev.add_argument("--no-load", action="store_true", help="with --dir: score the graph as it is")
    ev.add_argument("--keep", action="store_true", help="with --dir: load on top of the current graph")
    ce = sub.add_parser(
        "evaluate-centres",
        help="score cross-centre case links of linkage indexes against a --provinces scenario's truth",
        description="Match the index files (one per province, as PROVINCE=CENTRE=FILE) with the key in "
        "EXPLORER_LINKAGE_KEY and print precision and recall of the cross-centre case links.",
    )
    ce.add_argument("--dir", required=True, help="the folder `generate --provinces` wrote")
    ce.add_argument("indexes", nargs="+", help="p1=national=national.index p2=guangdong=guangdong.index ...")
    args = parser.parse_args(argv)
    try:
        if args.command == "evaluate-centres":
            return centres_command(args)
        if args.command == "generate":
            from devtools.scenario import generate

            started = time.perf_counter()
            truth = generate(args.scale, args.seed, args.out, provinces=args.provinces, **knobs_from(args))
            if args.provinces:
                print(
                    f"Wrote {len(truth['provinces'])} provinces' rosters ({sum(truth['rows'].values()):,} rows) and "
                    f"{len(truth['links'])} cross-centre case links to {args.out} in {time.perf_counter() - started:.1f} s."
                )
                return 0
            rows = sum(f["rows"] for f in truth["files"])
            print(
                f"Wrote {len(truth['files'])} exports ({rows:,} rows, {len(truth['bad_rows'])} planted bad rows) "
                f"and ground truth for {len(truth['rings'])} rings to {args.out} "
                f"in {time.perf_counter() - started:.1f} s."
            )
            return 0
        if args.command == "wave":
            from devtools.scenario.wave import generate_wave
            from explorer.db import Graph

            with Graph.connect() as graph:
                truth = generate_wave(graph, args.out, seed=args.seed)
            print(
                f"Wrote {len(truth['files'])} exports with {len(truth['planted'])} planted events and "
                f"{truth['noise_rows']} noise rows to {args.out}; add the watches in {args.out}/wave_truth.json first."
            )
            return 0
        if args.dir:
            from devtools.scenario.evaluate import evaluate_command

            return evaluate_command(args.dir, load=not args.no_load, clear=not args.keep)
        return seeds_command(args)
    except (ExplorerError, ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
