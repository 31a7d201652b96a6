"""The whole accuracy picture in one run: `python -m devtools.accuracy [--small] [--format json]`.

First the real networks: each dataset is loaded through its loader mapping
into an emptied database, the analytics run over the relationship kinds it
holds, and every published fact of its SOURCE.md that the product can check
is printed as expected against found. The facts are declared as data in
`CHECKS`, one entry per fact. Then the generated scenario over several seeds
(`devtools.scenario.seeds`). The exit code is 1 when any check or target is
missed, 2 when the run could not be made.

`--small` keeps the real networks and scores 2 seeds of a small world, with no
30%-missing pass: the integration test runs it.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from devtools import throwaway
from devtools.scenario.evaluate import RANKING_ASCENDING, RANKING_PROPERTY
from devtools.scenario.seeds import DEFAULT_SEEDS, STRESS_MISSING, all_met, run_seeds, table
from explorer.analytics import Options, run_analytics
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from loaders.api import load

TESTS_DATA = PROJECT_ROOT / "tests" / "data" / "real"
SMALL_SEEDS = DEFAULT_SEEDS[:2]
SMALL_SCALE = 600


@dataclass(frozen=True)
class Source:
    """One dataset as loaded for checking: its folder, the files, the loader mapping, the kinds analysed."""

    dataset: str
    folder: str  # under tests/data/real, or under the shared datasets folder when `shared`
    files: tuple[str, ...]
    mapping: str
    kinds: tuple[str, ...]
    shared: bool = False


@dataclass(frozen=True)
class Check:
    """One published fact. `measure` is one of:

    - `first`, `top`: the first name (the first len(expected) names, in order) by `ranking`;
    - `top_set`: the first len(expected) names by `ranking`, in any order;
    - `in_top`: expected[0] is among the first `n` by `ranking`;
    - `betweenness_networkx`: the betweenness the analytics wrote equals networkx's on the loaded graph;
    - `nodes`, `links`, `relationships`: people, distinct linked pairs, relationships of the kinds;
    - `events`: relationships of the kinds between any nodes;
    - `amount_vs_file`: how far the amounts of the kinds' relationships add up from the file's own `column`,
      relative to it;
    - `top_flow`: the payer's and payee's names of the first row of the money_flows investigation;
    - `top_flow_total`: its total, met within 0.1% of `expected`;
    - `originated_to`: relationships of the kinds from accounts named `expected[0]` to accounts in country
      `expected[1]` (`n` is the count expected).

    `ranking` is `default` (the app's default intermediary ranking, `RANKING_PROPERTY`) or a node
    property such as `betweenness`.
    """

    source: Source
    fact: str
    measure: str
    expected: Any
    ranking: str = "default"
    n: int = 0
    column: str = ""


CAVIAR = Source("CAVIAR full network", "caviar", ("caviar_full_110x110.csv",), "adjacency", ("CONTACT",))
MEETINGS = Source("Montagna meetings", "montagna", ("Montagna_meetings_edgelist.csv",), "edge_list", ("CONTACT",))
CALLS = Source("Montagna phone calls", "montagna", ("Montagna_phonecalls_edgelist.csv",), "edge_list", ("CONTACT",))
SIREN = Source("Siren", "siren-togo", ("siren_44x44.csv",), "adjacency", ("CONTACT",))
TOGO = Source("Togo", "siren-togo", ("togo_33x33.csv",), "adjacency", ("CONTACT",))
CIEL = Source("Ciel", "ciel", ("cielnet_25x25.csv",), "adjacency", ("CONTACT",))
LONDON = Source("London gang", "london-gang", ("london_gang_54x54.csv",), "adjacency", ("CONTACT",))
COCAINE = Source("Natarajan cocaine", "natarajan-cocaine", ("natarajan_cocaine_28x28.csv",), "adjacency",
                 ("CONTACT",))  # fmt: skip
HEROIN = Source("Natarajan heroin", "natarajan-heroin", ("natarajan_heroin_38x38.csv",), "adjacency", ("CONTACT",))
POLE = Source(
    "POLE KNOWS",
    "pole",
    ("csv/crime-investigation.nodes.Person.csv", "csv/crime-investigation.relationships.KNOWS.csv"),
    "pole",
    ("KNOWS",),
    shared=True,
)

FINCEN = Source("FinCEN transactions", "fincen", ("download_transactions_map.csv",), "fincen", ("TRANSFERRED",),
                shared=True)  # fmt: skip
FINCEN_LINKS = Source("FinCEN connections", "fincen", ("download_bank_connections.csv",), "fincen_connections",
                      ("INVOLVES",), shared=True)  # fmt: skip

# One entry per fact of a SOURCE.md that the product can check. Names are the files' labels
# (CAVIAR's n12 is "12", Montagna's N18 is "18"); POLE people are "name surname".
CHECKS: tuple[Check, ...] = (
    Check(CAVIAR, "110 players", "nodes", 110),
    Check(CAVIAR, "205 undirected ties", "links", 205),
    Check(CAVIAR, "n1 first, n12 second by the default ranking", "top", ["1", "12"]),
    Check(CAVIAR, "top-2 by betweenness: n1, n12", "top", ["1", "12"], ranking="betweenness"),
    Check(CAVIAR, "n3 in the top five by betweenness", "in_top", ["3"], ranking="betweenness", n=5),
    Check(CAVIAR, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(MEETINGS, "101 nodes", "nodes", 101),
    Check(MEETINGS, "256 undirected edges", "links", 256),
    Check(MEETINGS, "N18 first by the default ranking", "first", ["18"]),
    Check(MEETINGS, "N18 first by betweenness", "first", ["18"], ranking="betweenness"),
    Check(MEETINGS, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(CALLS, "100 nodes", "nodes", 100),
    Check(CALLS, "124 undirected edges", "links", 124),
    Check(CALLS, "N18 first by the default ranking", "first", ["18"]),
    Check(CALLS, "N18 first by betweenness", "first", ["18"], ranking="betweenness"),
    Check(CALLS, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(SIREN, "44 nodes", "nodes", 44),
    Check(SIREN, "103 edges", "links", 103),
    Check(SIREN, "node 1 first by the default ranking", "first", ["1"]),
    Check(SIREN, "node 1 first by betweenness", "first", ["1"], ranking="betweenness"),
    Check(SIREN, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(TOGO, "33 nodes", "nodes", 33),
    Check(TOGO, "47 edges", "links", 47),
    Check(TOGO, "node 1 first by the default ranking", "first", ["1"]),
    Check(TOGO, "node 1 first by betweenness", "first", ["1"], ranking="betweenness"),
    Check(TOGO, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(CIEL, "35 undirected edges", "links", 35),
    Check(CIEL, "N1 and N2 the top two by betweenness", "top_set", ["N1", "N2"], ranking="betweenness"),
    Check(CIEL, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(LONDON, "315 undirected edges", "links", 315),
    Check(LONDON, "node 1 first by betweenness", "first", ["1"], ranking="betweenness"),
    Check(LONDON, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(COCAINE, "40 undirected edges", "links", 40),
    Check(COCAINE, "Kay first by betweenness", "first", ["Kay"], ranking="betweenness"),
    Check(COCAINE, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(HEROIN, "87 undirected edges", "links", 87),
    Check(HEROIN, "Mr.DD and Mr.X the top two by betweenness", "top_set", ["Mr.DD", "Mr.X"], ranking="betweenness"),
    Check(HEROIN, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(POLE, "586 KNOWS relationships", "relationships", 586),
    Check(POLE, "Annie Duncan first by the default ranking over KNOWS", "first", ["Annie Duncan"]),
    Check(POLE, "Annie Duncan first by betweenness over KNOWS", "first", ["Annie Duncan"], ranking="betweenness"),
    Check(POLE, "betweenness equals networkx's", "betweenness_networkx", 0.0),
    Check(FINCEN, "4,507 filing lines, each one transfer", "events", 4507),
    Check(FINCEN, "amounts add up to the file's own total", "amount_vs_file", 0.0, column="amount_transactions"),
    Check(
        FINCEN, "largest flow: Amsterdam Trade Bank NV to Rosbank", "top_flow", ["Amsterdam Trade Bank NV", "Rosbank"]
    ),  # fmt: skip
    Check(FINCEN, "largest flow about $2.747e9", "top_flow_total", 2.747e9),
    Check(FINCEN, "Rosbank originates 15 filings to Russian banks", "originated_to", ["Rosbank", "RUS"], n=15),
    Check(FINCEN_LINKS, "5,498 rows read, none rejected", "rows", [5498, 0]),
    Check(FINCEN_LINKS, "1,401 distinct reports", "reports", 1401),
)
# Files of ../shared/datasets that the product cannot check, and why (none today: the last, FinCEN's bank
# connections, is read by the built-in `fincen_connections` mapping).
UNCHECKABLE: dict[str, str] = {}

RANKED = """
MATCH (p:Person) WHERE p[$property] IS NOT NULL
WITH p, coalesce(p.name + ' ' + p.surname, p.name, p.person_id) AS name
RETURN name ORDER BY CASE WHEN $ascending THEN p[$property] ELSE -p[$property] END, name LIMIT $limit
"""
PEOPLE = "MATCH (p:Person) RETURN count(p)"
LINKS = """
MATCH (a:Person)-[r]->(b:Person) WHERE type(r) IN $kinds AND a <> b
RETURN collect(DISTINCT [elementId(a), elementId(b)]) AS pairs, count(r) AS relationships
"""
BETWEENNESS = "MATCH (p:Person) RETURN elementId(p) AS id, p.betweenness AS betweenness"
EVENTS = "MATCH ()-[r]->() WHERE type(r) IN $kinds RETURN count(r) AS n, sum(r.amount) AS amount"
ROWS = "MATCH (l:Load) RETURN sum(l.rows_read) AS read, sum(l.rows_rejected) AS rejected"
REPORTS = "MATCH (c:Case) WHERE (c)-[:INVOLVES]->() RETURN count(c)"
ORIGINATED_TO = """
MATCH (a:Account {holder_name: $name})-[r]->(b:Account {country_iso: $country}) WHERE type(r) IN $kinds
RETURN count(r)
"""


@dataclass
class Outcome:
    dataset: str
    fact: str
    expected: Any
    found: Any
    met: bool
    files: list[str] = field(default_factory=list)
    mapping: str = ""
    measure: str = ""


# Measures whose finding is a distance from the expected value, with the most it may be.
DISTANCES = {"betweenness_networkx": "<= 1e-06 apart", "amount_vs_file": "<= 1e-09 apart"}


def datasets_dir() -> Path:
    return Path(os.environ.get("EXPLORER_DATASETS", PROJECT_ROOT.parent / "shared" / "datasets"))


def source_files(source: Source) -> list[Path] | None:
    root = (datasets_dir() if source.shared else TESTS_DATA) / source.folder
    paths = [root / f for f in source.files]
    return paths if all(p.is_file() for p in paths) else None


def load_source(graph: Graph, source: Source, paths: Sequence[Path], scratch: Path) -> None:
    """Empty the database and load the files (one file as is; several from a folder of their own)."""
    graph.clear()
    graph.apply_schema()
    target: Path = paths[0]
    if len(paths) > 1:
        target = scratch / source.folder
        target.mkdir(parents=True, exist_ok=True)
        for p in paths:
            shutil.copy(p, target / p.name)
    # The dataset name in the keys is the folder the file sits in, as the loaders' CLI does by default.
    load(graph, target, source.mapping, rejects_dir=scratch / "rejects", dataset=source.folder)


def measure(graph: Graph, check: Check, paths: Sequence[Path] = ()) -> Any:
    """What the loaded, analysed graph says for one check (`paths`: the files loaded)."""
    if check.measure in FLOW_MEASURES:
        return measure_flows(graph, check, paths)
    if check.measure == "nodes":
        return graph.read_value(PEOPLE)
    if check.measure == "rows":
        row = graph.read(ROWS, checked=True).rows()[0]
        return [row["read"], row["rejected"]]
    if check.measure == "reports":
        return graph.read_value(REPORTS)
    if check.measure in ("links", "relationships", "betweenness_networkx"):
        row = graph.read(LINKS, {"kinds": list(check.source.kinds)}, checked=True).rows()[0]
        pairs = {frozenset(p) for p in row["pairs"]}
        if check.measure == "links":
            return len(pairs)
        if check.measure == "relationships":
            return row["relationships"]
        g = nx.Graph(tuple(p) for p in pairs)
        expected = nx.betweenness_centrality(g, normalized=False)
        written = {r["id"]: r["betweenness"] for r in graph.read(BETWEENNESS, checked=True).rows()}
        return max((abs((written.get(n) or 0.0) - v) for n, v in expected.items()), default=0.0)
    default = check.ranking == "default"
    params = {
        "property": RANKING_PROPERTY if default else check.ranking,
        "ascending": RANKING_ASCENDING if default else False,
        "limit": check.n if check.measure == "in_top" else max(1, len(check.expected)),
    }
    return [r["name"] for r in graph.read(RANKED, params, checked=True).rows()]


FLOW_MEASURES = {"events", "amount_vs_file", "top_flow", "top_flow_total", "originated_to"}


def measure_flows(graph: Graph, check: Check, paths: Sequence[Path]) -> Any:
    """The money checks: relationships and amounts as loaded, and the money_flows investigation's answer."""
    kinds = list(check.source.kinds)
    if check.measure in ("events", "amount_vs_file"):
        row = graph.read(EVENTS, {"kinds": kinds}, checked=True).rows()[0]
        if check.measure == "events":
            return row["n"]
        with paths[0].open(encoding="utf-8", newline="") as f:
            in_file = math.fsum(float(r[check.column]) for r in csv.DictReader(f))
        return abs(row["amount"] - in_file) / in_file
    if check.measure == "originated_to":
        name, country = check.expected
        return graph.read_value(ORIGINATED_TO, {"name": name, "country": country, "kinds": kinds})
    top = load_catalog()["money_flows"].run(graph, limit=1).rows()[0]
    return [top["payer"]["holder_name"], top["payee"]["holder_name"]] if check.measure == "top_flow" else top["total"]


def is_met(check: Check, found: Any) -> bool:
    if check.measure in ("first", "top"):
        return found == check.expected
    if check.measure == "top_set":
        return set(found) == set(check.expected)
    if check.measure == "in_top":
        return check.expected[0] in found
    if check.measure == "betweenness_networkx":
        return found <= 1e-6
    if check.measure == "amount_vs_file":
        return found <= 1e-9
    if check.measure == "top_flow_total":
        return abs(found - check.expected) <= 0.001 * check.expected
    if check.measure == "originated_to":
        return found == check.n
    return found == check.expected


def run_real(graph: Graph, checks: Sequence[Check] = CHECKS) -> list[Outcome]:
    """Load each dataset once, analyse it, and evaluate its checks; datasets absent here are reported missed."""
    outcomes = []
    by_source: dict[Source, list[Check]] = {}
    for check in checks:
        by_source.setdefault(check.source, []).append(check)
    with tempfile.TemporaryDirectory(prefix="accuracy-") as tmp:
        for source, group in by_source.items():
            paths = source_files(source)
            files = [f"{source.folder}/{f}" for f in source.files]
            if paths is None:
                for check in group:
                    outcomes.append(Outcome(source.dataset, check.fact, check.expected, "dataset absent", False,
                                            files, source.mapping))  # fmt: skip
                continue
            load_source(graph, source, paths, Path(tmp))
            run_analytics(graph, Options(layers=source.kinds))
            for check in group:
                found = measure(graph, check, paths)
                expected = check.n if check.measure == "originated_to" else check.expected
                outcomes.append(Outcome(source.dataset, check.fact, expected, found, is_met(check, found),
                                        files, source.mapping, check.measure))  # fmt: skip
    return outcomes


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def real_table(outcomes: Sequence[Outcome]) -> str:
    lines = [f"{'dataset':<22} {'fact':<55} {'expected':<22} {'found':<28} result"]
    for o in outcomes:
        expected = DISTANCES.get(o.measure) or _show(o.expected)
        found = f"{_show(o.found)} apart" if o.measure in DISTANCES and isinstance(o.found, float) else _show(o.found)
        lines.append(f"{o.dataset:<22} {o.fact:<55} {expected:<22} {found:<28} {'met' if o.met else 'MISSED'}")
    for name, why in UNCHECKABLE.items():
        lines.append(f"{name:<22} not checked: {why}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help=f"real networks and {len(SMALL_SEEDS)} small seeds")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--work", default="demo-data/accuracy", help="where the generated seeds are written")
    args = parser.parse_args(argv)
    # The driver logs a warning for each relationship kind a dataset lacks; the report is the output here.
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    started = time.perf_counter()
    try:
        with Graph.connect() as graph:
            if why := throwaway.refusal(graph):
                print(f"error: {why}", file=sys.stderr)
                return 2
            outcomes = run_real(graph)
        seeds, scale = (SMALL_SEEDS, SMALL_SCALE) if args.small else (DEFAULT_SEEDS, "demo")
        scenario = run_seeds(seeds, scale, args.work, {})
        stress = None if args.small else run_seeds(seeds, scale, args.work, {"missing_share": STRESS_MISSING})
    except (ExplorerError, ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    ok = all(o.met for o in outcomes) and all_met(scenario)
    if args.format == "json":
        print(json.dumps({
            "real": [asdict(o) for o in outcomes],
            "uncheckable": UNCHECKABLE,
            "scenario": scenario.as_dict(with_targets=True),
            "stress": stress.as_dict(with_targets=False) if stress else None,
            "seconds": round(time.perf_counter() - started, 1),
            "all_met": ok,
        }, ensure_ascii=False, indent=1))  # fmt: skip
    else:
        print("Real networks: published facts (SOURCE.md) against what the product finds\n")
        print(real_table(outcomes))
        print(f"\nGenerated scenario ({scale} people per seed)\n")
        print(table(scenario, stress))
        missed = sum(not o.met for o in outcomes)
        print(f"\n{len(outcomes) - missed} of {len(outcomes)} real-network checks met; scenario targets "
              f"{'all met' if all_met(scenario) else 'not all met'}; {time.perf_counter() - started:.0f} s.")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
