"""Render a results file as a Markdown table (for docs/benchmarks.md).

python -m bench.report [bench/results/latest.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.common import RESULTS_DIR


def _num(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    return str(v)


def render(path: Path) -> str:
    measures = json.loads(path.read_text(encoding="utf-8"))
    lines = [
        "| measure | value | unit | anchor | anchor value | ratio | target | met |",
        "|---|---:|---|---|---:|---:|---|---|",
    ]
    for m in measures:
        met = "" if "met" not in m else ("yes" if m["met"] else "**no**")
        ratio = f"{m['ratio']:.2f}x" if m.get("ratio") is not None else ""
        lines.append(
            f"| {m['name']} | {_num(m['value'])} | {m['unit']} | {m.get('anchor', '')} | {_num(m.get('anchor_value'))} "
            f"| {ratio} | {m.get('target', '')} | {met} |"
        )
    meta_path = path.with_name(path.stem + ".meta.json")
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        lines += ["", f"Scale `{meta['scale']}`, finished {meta['finished_at']}, machine: {meta['machine']}.", ""]
        lines += [f"- {note}" for note in meta.get("notes", [])]
    notes = [f"- {m['name']}: {m['note']}" for m in measures if m.get("note")]
    if notes:
        lines += ["", "Notes per measure:", "", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    print(render(Path(args[0]) if args else RESULTS_DIR / "latest.json"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
