"""Helpers shared by the loader tests: a full, comparable dump of the graph, and call-record exports."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from explorer.db import Graph

# Load properties that record when a load ran, not what it loaded.
TIMING = {"started_at", "finished_at"}

DUMP_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
# Each relationship with its ends in the same read: a load killed just after sending its commit can
# still commit between two queries, and a relationship must never name a node the dump did not see.
DUMP_RELS = """
MATCH (a)-[r]->(b)
RETURN labels(a) AS a_labels, properties(a) AS a_props, labels(b) AS b_labels, properties(b) AS b_props,
       type(r) AS type, properties(r) AS props
"""


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _node(labels: list[str], props: dict[str, Any]) -> str:
    return _canon([sorted(labels), {k: v for k, v in props.items() if not ("Load" in labels and k in TIMING)}])


def dump(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with all properties, as sorted strings (Load timing left out)."""
    nodes = [_node(r["labels"], r["props"]) for r in graph.read(DUMP_NODES, checked=True).records]
    rels = [
        _canon([r["type"], _node(r["a_labels"], r["a_props"]), _node(r["b_labels"], r["b_props"]), r["props"]])
        for r in graph.read(DUMP_RELS, checked=True).records
    ]
    return sorted(nodes), sorted(rels)


def counts(graph: Graph) -> tuple[int, int]:
    """Nodes and relationships, not counting Load nodes (provenance)."""
    n = graph.read_value("MATCH (n) WHERE NOT n:Load RETURN count(n)")
    r = graph.read_value("MATCH ()-[r]->() RETURN count(r)")
    return n, r


def call_record_lines(*, seed: int, prefix: str, phones: int, rows: int, month: str, min_duration: int) -> list[str]:
    """A Chinese-headed call-record export (header first) of `rows` calls among `phones` random mobile numbers."""
    rng = random.Random(seed)
    numbers = [f"{prefix}{n:08d}" for n in rng.sample(range(10**7, 10**8), phones)]
    lines = ["主叫号码,被叫号码,开始时间,通话时长"]
    for i in range(rows):
        a, b = rng.sample(numbers, 2)
        lines.append(
            f"{a},{b},{month}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i % 59:02d},{rng.randint(min_duration, 900)}"
        )
    return lines


LONG_READ = "UNWIND range(1, 10000000) AS x RETURN x"


@contextmanager
def a_read_running(graph: Graph) -> Iterator[None]:
    """An investigation in progress on the server: a read whose rows are still streaming until the block ends."""
    with graph.driver.session(database=graph.database, default_access_mode="READ") as session:
        tx = session.begin_transaction()
        try:
            next(iter(tx.run(LONG_READ)))
            yield
        finally:
            tx.close()


def workbook(path: Any, sheets: dict[str, list[list[Any]]]) -> None:
    """An XLSX workbook with these sheets, in order, each from its rows."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
