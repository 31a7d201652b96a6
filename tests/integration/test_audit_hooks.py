"""Loads, analytics runs and investigations run from the command line are recorded in the audit trail."""

import subprocess
import sys

import pytest

from explorer import audit
from explorer.analytics import Options, run_analytics
from explorer.config import PROJECT_ROOT
from loaders import api

pytestmark = pytest.mark.integration

SAMPLES = PROJECT_ROOT / "tests" / "data" / "samples"


@pytest.fixture
def trail(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EXPLORER_USER", "hook-tester")
    return tmp_path


def test_load_and_analytics_recorded(empty_graph, trail, tmp_path):
    path = tmp_path / "calls.csv"
    rows = ["主叫号码,被叫号码,开始时间,通话时长"]
    rows += [f"1380000{a:04d},1380000{(a + 1) % 30:04d},2024-05-01 10:{a:02d}:00,60" for a in range(30)]
    path.write_text("\n".join(rows) + "\nbad,13800000001,2024-05-01 10:00:00,5\n", encoding="utf-8")
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    [load] = audit.query(action="load")
    assert (load.user, load.what, load.outcome, load.rows) == ("hook-tester", str(path), "ok", summary.rows_written)
    assert "1 rejected" in load.detail and load.duration_ms > 0

    with pytest.raises(Exception):  # noqa: B017 - any failure must be recorded, whatever its type
        api.load(empty_graph, tmp_path / "missing.csv")
    failed = audit.query(action="load")[0]
    assert failed.outcome == "error" and "missing.csv" in failed.what

    run_analytics(empty_graph, Options())
    [run] = audit.query(action="analytics")
    assert run.outcome == "ok" and run.params and run.detail.startswith("run ")


def test_a_folder_load_records_each_export_before_it_returns(empty_graph, trail, tmp_path):
    """The records are written behind the loads, by a thread of their own; the trail is whole on return."""
    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("roster.csv", "waybills.csv", "cdr_话单.csv"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    loaded = api.load_dir(empty_graph, folder, rejects_dir=tmp_path).loaded
    records = list(reversed(audit.query(action="load")))
    assert [(r.what, r.rows, r.outcome) for r in records] == [
        (str(folder / s.file), s.rows_written, "ok") for s in loaded
    ]
    assert [r.id for r in records] == sorted(r.id for r in records) and len(records) == 3


def test_investigation_cli_recorded(empty_graph, trail):
    env = {"EXPLORER_VAR_DIR": str(trail), "EXPLORER_USER": "cli-analyst", "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-m", "explorer.investigate", "find_identifier", "--param", "value=+8613800000000"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env={**env, **_neo4j_env()},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    [entry] = audit.query(action="investigation")
    assert (entry.user, entry.what, entry.outcome) == ("cli-analyst", "find_identifier", "ok")


def _neo4j_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k.startswith(("NEO4J_", "EXPLORER_DATASETS"))}
