"""Child process that runs the product's loader on a folder or one file (so its memory is measured alone).

python -m bench.run_loader PATH [--mapping NAME] [--batch-size ROWS] [--profile OUT.prof]

Prints `load_s SECONDS` (from connecting to the end: the load, without this process's start-up and
imports), `loaded ...`, `peak_rss_kib N` (this process's own peak resident set, from the kernel; the
benchmark samples the memory of its reading workers itself) and, for a folder, `export_s SECONDS FILE`
per export in the order loaded.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_loader")
    parser.add_argument("path", type=Path)
    parser.add_argument("--mapping", default=None)
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    parser.add_argument("--batch-size", type=int, default=None, help="rows per write transaction")
    args = parser.parse_args(argv)

    from explorer.db import DEFAULT_BATCH_SIZE, Graph
    from loaders import api

    batch_size = args.batch_size or DEFAULT_BATCH_SIZE

    def run(graph: Graph) -> str:
        if args.path.is_dir():
            summary = api.load_dir(graph, args.path, batch_size=batch_size)
            for s in summary.loaded:
                print(f"export_s {s.elapsed_s:.3f} {s.file}")
            rows = sum(s.rows_read for s in summary.loaded)
            rejected = sum(s.rows_rejected for s in summary.loaded)
            waited = sum(s.gave_way_s for s in summary.loaded)
            return f"{len(summary.loaded)} files, {rows:,} rows read, {rejected:,} rejected, gave way {waited:.1f}s"
        return str(api.load(graph, args.path, mapping=args.mapping, batch_size=batch_size))

    started = time.perf_counter()
    with Graph.connect() as graph:
        if args.profile is not None:
            profiler = cProfile.Profile()
            report = profiler.runcall(run, graph)
            profiler.dump_stats(str(args.profile))
            with args.profile.with_suffix(".txt").open("w") as out:
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        else:
            report = run(graph)
    seconds = time.perf_counter() - started
    print(f"load_s {seconds:.3f}")
    print(f"loaded in {seconds:.1f}s: {report}")
    print(f"peak_rss_kib {peak_rss_kib()}")
    print(f"cpu_s {cpu_s():.3f}")
    return 0


def cpu_s() -> float:
    """The CPU this process and its reading workers (forked, and reaped by now) have used.

    Counted here rather than by the benchmark as its children's CPU: that would also take in any earlier
    child reaped while the loader ran, such as the server stopped before the load (docs/benchmarks.md).
    """
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def peak_rss_kib() -> int:
    """This process's peak resident set since it started this program.

    `VmHWM` of /proc/self/status where there is one: `getrusage`'s `ru_maxrss` also counts the parent's
    pages as they were when it forked this process (the kernel carries that high-water mark across
    exec), so a child of a big benchmark process would report the parent's size.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    raise SystemExit(main())
