"""The benchmark harness runs end to end and writes a well-formed results file.

Runs `python -m bench --scale tiny` (a scenario of 400 people, one drawing
size) against a throw-away server on its own ports. No timing is asserted
here: benchmarks report numbers, tests check the harness, including that every
load method built the same graph.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from tests.conftest import missing

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.browser]


def free_port() -> str:
    """A port nothing listens on now: other checkouts run their own servers on fixed ports."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def test_tiny_bench_writes_well_formed_results(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        missing("Java is needed to start a benchmark Neo4j server")
    if not Path("/usr/bin/chromium").exists():
        missing("Chromium (/usr/bin/chromium) is needed for the drawing benchmark")
    out = tmp_path / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--scale",
            "tiny",
            "--out",
            str(out),
            "--rounds",
            "2",
            "--bolt-port",
            free_port(),
            "--http-port",
            free_port(),
        ],
        cwd=PROJECT_ROOT,
        # A few thousand rows need little memory: leave the shared machine's RAM to the other servers.
        env={**os.environ, "BENCH_HEAP": "1g", "BENCH_PAGECACHE": "512m"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    measures = json.loads(out.read_text())
    assert isinstance(measures, list) and measures
    names = [m["name"] for m in measures]
    assert len(names) == len(set(names)), "measure names must be unique"
    for m in measures:
        assert {"name", "value", "unit"} <= m.keys()
        assert m["value"] is None or isinstance(m["value"], int | float)
        if "anchor" in m:
            assert {"anchor_value", "ratio"} <= m.keys()
        if "target" in m:
            assert isinstance(m["met"], bool)
    # The open workload compared, over both rounds, the arrivals that ran idle and under load.
    p95 = next(m for m in measures if m["name"].startswith("concurrency: [1]") and "p95 under load" in m["name"])
    assert re.match(r"\d+ arrivals in 2 loads", p95["note"]), p95["note"]
    sections = {name.split(":")[0] for name in names}
    assert sections == {"load", "query", "analytics", "concurrency", "draw", "memory", "crackdown", "centres", "alerts"}
    # The memory comparison loaded one call-record file at two sizes.
    assert sum(n.startswith("memory: loader peak RSS, one call-record file") for n in names) == 2
    assert any(n.startswith("query: RETURN 1") for n in names)
    # The loading profile: CPU per row of the loader (server and its own process) against LOAD CSV's server.
    cpu = [m for m in measures if m["name"].startswith("load: CPU per 1,000 rows")]
    assert len(cpu) == 1 and cpu[0]["value"] > 0 and cpu[0]["anchor_value"] > 0
    # The loader's own CPU is its process tree's, no more than its cores can give in its wall time.
    used = re.search(r"loader process ([\d.]+)s of CPU .*the process ran ([\d.]+)s", cpu[0]["note"])
    assert used and 0 < float(used[1]) <= float(used[2]) * (os.cpu_count() or 1), cpu[0]["note"]
    assert "| " not in done.stdout  # the table is plain columns
    assert "wrote" in done.stdout
    # Every load method wrote the same graph: the nodes and relationships the loader's own rows hold.
    notes = json.loads(out.with_name("latest.meta.json").read_text())["notes"]
    written = next(n for n in notes if "nodes/relationships written" in n)
    counts = re.findall(r"(LOAD CSV|neo4j-admin|loader|expected) ([\d,]+)/([\d,]+)", written)
    assert {method for method, _, _ in counts} >= {"LOAD CSV", "loader", "expected"}, written
    assert len({(n, r) for _, n, r in counts}) == 1, written
    # LOAD CSV placed the same addresses on the map as the loader, by the loader's own placing.
    placed = dict(re.findall(r"(LOAD CSV|loader) [\d,]+/[\d,]+ \(([\d,]+) addresses placed\)", written))
    assert placed.keys() == {"LOAD CSV", "loader"} and placed["LOAD CSV"] == placed["loader"] != "0", written
