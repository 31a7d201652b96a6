"""Benchmark data: call-detail records in the `cdr` mapping's columns.

The rows come from the scenario generator when it is installed
(`python -m explorer.scenario generate`), otherwise from a seeded synthetic
generator with the same columns (caller, callee, start_time, duration_s):
E.164 mobile numbers, a skewed choice of callers (a few hubs call a lot, as
in real traffic) and times spread over a year. Files are cached by size and
seed under bench/work/.
"""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import WORK_DIR

CDR_COLUMNS = ["caller", "callee", "start_time", "duration_s"]
SEED = 20260701


def phone_numbers(count: int) -> np.ndarray:
    """`count` distinct E.164 Chinese mobile numbers (+86 1xx xxxx xxxx)."""
    base = 13_800_000_000
    return np.char.add("+86", (base + np.arange(count, dtype=np.int64) * 7).astype(str))


def synthetic_cdr(path: Path, rows: int, phones: int, seed: int = SEED, chunk: int = 1_000_000) -> Path:
    """Write `rows` CDR rows over `phones` numbers to `path` (cached when present)."""
    if path.is_file() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    numbers = phone_numbers(phones)
    start = np.datetime64("2024-01-01T00:00:00")
    tmp = path.with_suffix(".partial")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(CDR_COLUMNS) + "\n")
        written = 0
        while written < rows:
            n = min(chunk, rows - written)
            # Skewed callers: squaring a uniform draw favours low indexes, so some numbers are hubs.
            caller = (rng.random(n) ** 2 * phones).astype(np.int64)
            callee = rng.integers(0, phones, n)
            clash = caller == callee
            callee[clash] = (callee[clash] + 1) % phones
            seconds = rng.integers(0, 365 * 24 * 3600, n)
            times = (start + seconds.astype("timedelta64[s]")).astype(str)
            duration = rng.exponential(90, n).astype(np.int64) + 1
            frame = pd.DataFrame(
                {"caller": numbers[caller], "callee": numbers[callee], "start_time": times, "duration_s": duration}
            )
            frame.to_csv(out, header=False, index=False)
            written += n
    tmp.rename(path)
    return path


def head(source: Path, target: Path, rows: int) -> Path:
    """The first `rows` data rows of a CSV (with its header), cached."""
    if target.is_file() and target.stat().st_size > 0:
        return target
    with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        for i, line in enumerate(src):
            if i > rows:
                break
            dst.write(line)
    return target


def tail_rows(source: Path, target: Path, skip: int, rows: int) -> Path:
    """`rows` data rows after the first `skip`, with the header: rows no other load has written."""
    if target.is_file() and target.stat().st_size > 0:
        return target
    with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        dst.write(src.readline())
        for i, line in enumerate(src):
            if i < skip:
                continue
            if i >= skip + rows:
                break
            dst.write(line)
    return target


def count_rows(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f) - 1


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        out = []
        for row in reader:
            out.append(row)
            if limit is not None and len(out) >= limit:
                break
        return out


def scenario_available() -> bool:
    return importlib.util.find_spec("explorer.scenario") is not None


def scenario_cdr(out_dir: Path, scale: str) -> Path | None:
    """Run the scenario generator at `scale` and return its CDR file, or None if it has none."""
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / ".complete"
    if not marker.is_file():
        subprocess.run(
            [sys.executable, "-m", "explorer.scenario", "generate", "--scale", scale, "--out", str(out_dir)],
            check=True,
        )
        marker.write_text("ok\n")
    candidates = sorted(p for p in out_dir.rglob("*.csv") if _has_cdr_columns(p))
    return max(candidates, key=lambda p: p.stat().st_size) if candidates else None


def _has_cdr_columns(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError):
        return False
    return set(CDR_COLUMNS) <= set(header)


def cdr_file(rows: int, phones: int) -> Path:
    """The main CDR file of a run (synthetic, cached)."""
    return synthetic_cdr(WORK_DIR / f"cdr-{rows}-{phones}.csv", rows, phones)
