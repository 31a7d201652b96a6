"""Child process that runs the product's loader on one file (so its memory is measured alone).

python -m bench.run_loader FILE --mapping cdr [--profile OUT.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_loader")
    parser.add_argument("file", type=Path)
    parser.add_argument("--mapping", default="cdr")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    args = parser.parse_args(argv)

    from explorer.db import Graph
    from loaders import api

    started = time.perf_counter()
    with Graph.connect() as graph:
        if args.profile is not None:
            profiler = cProfile.Profile()
            report = profiler.runcall(api.load, graph, args.file, mapping=args.mapping)
            profiler.dump_stats(str(args.profile))
            with args.profile.with_suffix(".txt").open("w") as out:
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        else:
            report = api.load(graph, args.file, mapping=args.mapping)
    print(f"loaded in {time.perf_counter() - started:.1f}s: {report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
