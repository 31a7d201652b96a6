"""A seeded, deterministic world of online drug trafficking, written as messy exports with its ground truth.

`generate(scale, seed, out)` writes the exports (one folder per kind) and
`ground_truth.json` into `out`; `python -m devtools.scenario` is the command line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from devtools.scenario.events import chunks
from devtools.scenario.exports import write_exports
from devtools.scenario.truth import ground_truth
from devtools.scenario.world import SCALES, Params, World

TRUTH_FILE = "ground_truth.json"

__all__ = ["SCALES", "TRUTH_FILE", "Params", "World", "generate", "load_truth"]


def generate(
    scale: str | int, seed: int, out: str | Path, *, provinces: int = 0, **knobs: float | int
) -> dict[str, Any]:
    """Write the scenario's exports and ground truth into `out`; return the ground truth.

    `knobs` set the adversarial knobs (`Params` fields, docs/scenario.md); the rest keep their defaults.
    With `provinces` (2 or more), the world's cases are split over that many provinces instead: one
    roster folder per province and `provinces.json` (devtools/scenario/provinces.py)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = World.build(scale, seed, **knobs)
    if provinces:
        from devtools.scenario.provinces import write_provinces

        return write_provinces(world, out, provinces)
    manifest = write_exports(world, out, chunks(world))
    truth = ground_truth(world, manifest)
    (out / TRUTH_FILE).write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return truth


def load_truth(directory: str | Path) -> dict[str, Any]:
    path = Path(directory) / TRUTH_FILE
    return json.loads(path.read_text(encoding="utf-8"))
