"""Accuracy over several seeds: `python -m devtools.scenario evaluate --seeds 1,2,3,2026,7`.

Each seed's world is generated (adversarial knobs on, docs/scenario.md), loaded
into an emptied database, analysed and scored (`evaluate.evaluate`). The
figure that counts is the minimum over the seeds, set against a target; the
same run at a higher share of missing rows is reported without targets, to
show how the figures fall as the exports thin out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devtools.scenario import generate
from devtools.scenario.evaluate import Report, evaluate

DEFAULT_SEEDS = (1, 2, 3, 2026, 7)
STRESS_MISSING = 0.3
# measure -> (label, target for the minimum over seeds)
TARGETS: dict[str, tuple[str, float]] = {
    "ari": ("ring ARI", 0.90),
    "brokers": ("brokers P@k", 0.90),
    "drop addresses": ("drops P@k", 0.95),
    "mule accounts": ("mules P@k", 0.85),
}


def parse_seeds(text: str) -> list[int]:
    """`1,2,3` is those seeds; a single number N is the first N of the default list (then 8, 9, ...)."""
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if not parts or not all(p.lstrip("-").isdigit() for p in parts):
        raise ValueError(f"--seeds {text!r}: give seeds as 1,2,3 or a count such as 5.")
    if "," in text:
        return [int(p) for p in parts]
    count = int(parts[0])
    if count < 1:
        raise ValueError("--seeds: the count is at least 1.")
    extra = [s for s in range(8, 8 + count) if s not in DEFAULT_SEEDS]
    return (list(DEFAULT_SEEDS) + extra)[:count]


def figures(report: Report) -> dict[str, float]:
    """The four measures of one seed, keyed as `TARGETS`."""
    out = {"ari": report.ari}
    out.update({what: report.precision[what] for what in ("brokers", "drop addresses", "mule accounts")})
    return out


@dataclass
class SeedRun:
    """Figures of one pass over the seeds (one strength of the knobs)."""

    label: str
    knobs: dict[str, float | int]
    reports: dict[int, Report] = field(default_factory=dict)

    def minimum(self) -> dict[str, float]:
        per_seed = [figures(r) for r in self.reports.values()]
        return {m: min(f[m] for f in per_seed) for m in TARGETS} if per_seed else {}

    def as_dict(self, with_targets: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "knobs": self.knobs,
            "seeds": {
                str(seed): {
                    **figures(r),
                    "rings planted/found": [r.rings_planted, r.rings_found],
                    "k": r.k,
                    "decoys in top k": r.decoys,
                    "timings": {k: round(v, 1) for k, v in r.timings.items()},
                    "replacement phones": r.replacements.as_dict() if r.replacements else None,
                }
                for seed, r in self.reports.items()
            },
            "minimum": self.minimum(),
        }
        if with_targets:
            out["targets"] = {m: target for m, (_, target) in TARGETS.items()}
            out["met"] = {m: self.minimum()[m] >= target for m, (_, target) in TARGETS.items()}
        return out


def run_seeds(seeds: Sequence[int], scale: str | int, work: str | Path, knobs: dict[str, float | int],
              progress: Any = None) -> SeedRun:  # fmt: skip
    """Generate, load, analyse and score each seed (the database is emptied for each)."""
    run = SeedRun(label=_label(knobs), knobs=knobs)
    for seed in seeds:
        folder = Path(work) / f"seed{seed}-{scale}-{_slug(knobs)}"
        generate(scale, seed, folder, **knobs)
        run.reports[seed] = evaluate(folder)
        if progress:
            progress(f"seed {seed} ({run.label}): " + _row(figures(run.reports[seed])))
    return run


def _label(knobs: dict[str, float | int]) -> str:
    if "missing_share" in knobs:
        return f"{knobs['missing_share']:.0%} missing"
    return "default knobs"


def _slug(knobs: dict[str, float | int]) -> str:
    return "-".join(f"{k}{v}" for k, v in sorted(knobs.items())) or "default"


def _row(values: dict[str, float]) -> str:
    return "  ".join(f"{values[m]:>12.3f}" for m in TARGETS)


def table(main: SeedRun, stress: SeedRun | None = None) -> str:
    """The readable report: each seed, the minimum, the targets and met/missed; then the stress pass."""
    head = f"{'seed':<16}" + "  ".join(f"{label:>12}" for label, _ in TARGETS.values())
    lines = [f"Accuracy over {len(main.reports)} seeds, {main.label}", head]
    lines += [f"{seed:<16}" + _row(figures(r)) for seed, r in main.reports.items()]
    minimum = main.minimum()
    lines.append(f"{'minimum':<16}" + _row(minimum))
    lines.append(f"{'target':<16}" + "  ".join(f"{'>= ' + format(t, '.2f'):>12}" for _, t in TARGETS.values()))
    lines.append(
        f"{'':<16}" + "  ".join(f"{'met' if minimum[m] >= t else 'MISSED':>12}" for m, (_, t) in TARGETS.items())
    )
    lines += [f"seed {seed}: {r.replacements.line()} (no target)" for seed, r in main.reports.items() if r.replacements]
    decoys = {s: r.decoys for s, r in main.reports.items() if any(r.decoys.values())}
    if decoys:
        lines.append("decoys in top k: " + "; ".join(f"seed {s} {d}" for s, d in decoys.items()))
    if stress is not None:
        lines += ["", f"Same seeds at {stress.label} (no targets)", head]
        lines += [f"{seed:<16}" + _row(figures(r)) for seed, r in stress.reports.items()]
        lines.append(f"{'minimum':<16}" + _row(stress.minimum()))
    return "\n".join(lines)


def as_json(main: SeedRun, stress: SeedRun | None = None) -> str:
    out = {"default": main.as_dict(with_targets=True)}
    if stress is not None:
        out["stress"] = stress.as_dict(with_targets=False)
    return json.dumps(out, ensure_ascii=False, indent=1)


def all_met(main: SeedRun) -> bool:
    minimum = main.minimum()
    return all(minimum[m] >= target for m, (_, target) in TARGETS.items())
