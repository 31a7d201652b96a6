"""Helpers shared by the loader tests: a full, comparable dump of the graph, and call-record exports."""

from __future__ import annotations

import json
import random
from typing import Any

from explorer.db import Graph

# Load properties that record when a load ran, not what it loaded.
TIMING = {"started_at", "finished_at"}

DUMP_NODES = "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
DUMP_RELS = "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS type, properties(r) AS props"


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def dump(graph: Graph) -> tuple[list[str], list[str]]:
    """Every node and relationship with all properties, as sorted strings (Load timing left out)."""
    names: dict[str, str] = {}
    nodes = []
    for r in graph.read(DUMP_NODES, checked=True).records:
        props = {k: v for k, v in r["props"].items() if not ("Load" in r["labels"] and k in TIMING)}
        names[r["id"]] = _canon([sorted(r["labels"]), props])
        nodes.append(names[r["id"]])
    rels = [
        _canon([r["type"], names[r["a"]], names[r["b"]], r["props"]])
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
