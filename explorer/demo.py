"""Load the demo graph: `python -m explorer.demo --out DIR`.

Interim demo: the CAVIAR network (a real drug-importation ring, see
tests/data/real/caviar/SOURCE.md) as Person nodes and weighted CONTACT links.
"""

from __future__ import annotations

import argparse

import pandas as pd

from explorer.config import PROJECT_ROOT
from explorer.db import Graph

CAVIAR = PROJECT_ROOT / "tests" / "data" / "real" / "caviar" / "caviar_full_110x110.csv"

MERGE_PEOPLE = "UNWIND $rows AS row MERGE (p:Person {person_id: row.id}) SET p.name = row.name"
MERGE_CONTACTS = """
UNWIND $rows AS row
MATCH (a:Person {person_id: row.a}), (b:Person {person_id: row.b})
MERGE (a)-[r:CONTACT]->(b) SET r.weight = row.weight
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.demo")
    parser.add_argument("--out", default="demo-data")
    parser.parse_args(argv)
    matrix = pd.read_csv(CAVIAR, index_col=0, encoding="utf-8-sig")
    matrix.columns = [str(c) for c in matrix.columns]
    people = [{"id": f"caviar:n{i}", "name": f"n{i}"} for i in matrix.index]
    contacts = [
        {"a": f"caviar:n{a}", "b": f"caviar:n{b}", "weight": int(w)}
        for a, row in matrix.iterrows()
        for b, w in row.items()
        if w
    ]
    with Graph.connect() as graph:
        graph.apply_schema()
        graph.write_batches(MERGE_PEOPLE, people)
        graph.write_batches(MERGE_CONTACTS, contacts)
        print(f"Demo graph: {graph.counts()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
