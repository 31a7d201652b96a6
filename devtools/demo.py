"""Load the demo graph: `python -m devtools.demo --out DIR`.

Generates the demo trafficking scenario into `DIR/scenario` (unless it is
already there), loads its exports through the loaders exactly as an analyst's
files would be loaded, and runs the analytics so the app has rings and
intermediaries to show. Running it again adds nothing: every load MERGEs, and
files already loaded are skipped.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.analyst_store import AnalystStore
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError

SCENARIO_SEED = 7
LOADED_FILES = "MATCH (l:Load {status: 'complete'}) RETURN collect(DISTINCT l.sha256) AS shas"


def ensure_scenario(out: Path, scale: str = "demo", seed: int = SCENARIO_SEED) -> Path:
    """The demo scenario's folder, generated on first use."""
    from devtools.scenario import TRUTH_FILE, generate

    folder = out / "scenario"
    if not (folder / TRUTH_FILE).is_file():
        started = time.perf_counter()
        generate(scale, seed, folder)
        print(f"Generated the demo scenario in {folder} ({time.perf_counter() - started:.1f} s).")
    return folder


def load_scenario(graph: Graph, folder: Path) -> int:
    """Load every export of the folder not loaded before; return how many files were loaded."""
    from loaders.api import load_dir

    graph.apply_schema()
    done = set(graph.read_value(LOADED_FILES) or [])
    result = load_dir(graph, folder, skip_sha256=done)
    for name, why in result.skipped:
        print(f"  skipped {name}: {why}")
    for summary in result.loaded:
        print(
            f"  {summary.file}: {summary.rows_read:,} rows, {summary.rows_rejected} rejected ({summary.elapsed_s:.1f} s)"
        )
    return len(result.loaded)


TOP_BROKER_PHONE = """
MATCH (p:Person)-[:HAS_PHONE]->(phone:Phone) WHERE p.betweenness IS NOT NULL
RETURN phone.number ORDER BY p.betweenness DESC, phone.number LIMIT 1
"""


def watch_top_intermediary(graph: Graph, store: AnalystStore | None = None) -> str | None:
    """Put the best-ranked intermediary's phone on the watch list (the app's analyst store unless another
    is given), as an analyst's first move would, so that the demo's watch list and its "Watchlist hits"
    investigation have something to show."""
    from explorer import watchlist

    number = graph.read_value(TOP_BROKER_PHONE)
    if number is None:
        return None
    reason = "demo: phone of the top-ranked intermediary"
    return watchlist.add(store or watchlist.store_of(graph), "phone", number, reason, "demo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.demo", description=__doc__)
    parser.add_argument("--out", default="demo-data", help="folder for the generated demo exports")
    parser.add_argument("--scale", default="demo", help="scenario scale (demo, bench or a number of people)")
    args = parser.parse_args(argv)
    try:
        folder = ensure_scenario(Path(args.out), args.scale)
        with Graph.connect() as graph:
            started = time.perf_counter()
            loaded = load_scenario(graph, folder)
            print(f"Loaded {loaded} exports in {time.perf_counter() - started:.1f} s.")
            if loaded or not graph.read_value("MATCH (r:Ring) RETURN count(r) > 0"):
                from explorer.analytics import run_analytics

                analysis = run_analytics(graph)
                print(f"Analytics: {len(analysis.rings)} rings, modularity {analysis.modularity:.3f}.")
                watched = watch_top_intermediary(graph)
                if watched:
                    print(f"Watch list: {watched} (the top-ranked intermediary's phone).")
            print(f"Demo graph: {graph.counts()}")
    except ExplorerError as e:
        print(f"error: {describe(e)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
