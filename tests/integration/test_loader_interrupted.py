"""A load killed mid-way and run again ends with exactly the graph a clean load gives."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from explorer.config import PROJECT_ROOT
from loaders.readahead import PROCESS_MIN_BYTES_ENV
from loaders.write import KILL_AFTER_ENV
from tests.loader_helpers import a_read_running, call_record_lines, counts, dump

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _cdr(path, rows: int) -> None:
    lines = call_record_lines(seed=3, prefix="138", phones=400, rows=rows, month="2024-03", min_duration=0)
    lines += lines[1:301:10]  # 30 calls stated again at the end: duplicates of rows the killed run wrote
    lines.append("13800138001,bad,2024-03-01 10:00:00,5")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _load(path, tmp_path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "loaders", "load", str(path), "--batch-size", "500", "--rejects-dir", str(tmp_path)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("reading", ["thread", "process"])
def test_killed_load_rerun_equals_clean_load(empty_graph, tmp_path, reading):
    path = tmp_path / "calls.csv"
    _cdr(path, 3_000)
    # Killed by SIGKILL after 2 write transactions (one per chunk of 500 rows): the third chunk is not written.
    # Read in a worker process, the export's reader outlives the killed loader: it must stop on its own,
    # or this run would never end (it holds the output pipes the test reads to their end).
    worker = {PROCESS_MIN_BYTES_ENV: "0" if reading == "process" else str(1 << 40)}
    killed = _load(path, tmp_path, {KILL_AFTER_ENV: "2", **worker})
    assert killed.returncode == -9, killed.stderr
    nodes, rels = counts(empty_graph)
    assert 0 < rels < 3_000
    status = empty_graph.read_value("MATCH (l:Load) RETURN l.status")
    assert status == "running"

    rerun = _load(path, tmp_path, worker)
    assert rerun.returncode == 0, rerun.stderr
    after_rerun = dump(empty_graph)
    # The rerun's summary counts what a clean load counts: the 30 repeated rows, not the rows it resumed.
    assert "rejected 1, duplicates merged 30" in rerun.stdout

    empty_graph.clear()
    clean = _load(path, tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert "rejected 1, duplicates merged 30" in clean.stdout
    assert counts(empty_graph)[1] == 3_000
    assert dump(empty_graph) == after_rerun


def test_a_load_killed_between_the_pieces_of_a_chunk_resumes_to_a_clean_load(empty_graph, tmp_path):
    """While an investigation runs, a chunk is several transactions: a load can stop halfway through one."""
    path = tmp_path / "calls.csv"
    _cdr(path, 1_500)
    pieces = {"EXPLORER_LOAD_BUSY_ROWS": "150", "EXPLORER_LOAD_GIVE_WAY": "0.01"}
    with a_read_running(empty_graph):
        killed = _load(path, tmp_path, {KILL_AFTER_ENV: "4", **pieces})
    assert killed.returncode == -9, killed.stderr
    nodes, rels = counts(empty_graph)
    assert 0 < rels < 500  # the first chunk of 500 rows was not all written
    rerun = _load(path, tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "rejected 1, duplicates merged 30" in rerun.stdout
    after_rerun = dump(empty_graph)

    empty_graph.clear()
    clean = _load(path, tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert dump(empty_graph) == after_rerun
