"""Benchmark data: a trafficking scenario from `devtools.scenario`, and the same rows for every load method.

The loader reads the scenario's exports as an analyst's folder (GBK and UTF-8
CSV, XLSX, Chinese headers, six phone formats). `LOAD CSV`, the per-row
driver loop and `neo4j-admin import` cannot read those files, so they get the
rows the loader writes: `canonical()` runs the loader's own transformer over
every export (no database) and writes each write group (one node label, one
relationship type between two labels) as a plain UTF-8 CSV, with a manifest of
the column types. Every method then MERGEs exactly those nodes and
relationships with the same properties, so all of them build the same graph.
Everything is cached under bench/work/ by scale and seed.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench.common import WORK_DIR

SEED = 20260701
LIST_SEP = ";"
MANIFEST = "manifest.json"


def scenario(people: int, seed: int = SEED) -> Path:
    """The folder of a generated scenario of `people` people (generated once, then cached)."""
    out = WORK_DIR / f"scenario-{people}-{seed}"
    marker = out / ".complete"
    if not marker.is_file():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "devtools.scenario", "generate", "--scale", str(people), "--seed", str(seed),
             "--out", str(out)],
            check=True,
        )  # fmt: skip
        marker.write_text(f"generated in {time.perf_counter() - started:.1f}s\n")
    return out


def generation_seconds(folder: Path) -> float | None:
    try:
        return float((folder / ".complete").read_text().split()[2].rstrip("s"))
    except (OSError, IndexError, ValueError):
        return None


@dataclass
class Group:
    """One CSV of canonical rows: a node group (label, key) or a relationship group, from one export."""

    path: str
    kind: str  # node | rel
    load_id: str
    export: str
    columns: list[str]
    types: dict[str, str] = field(default_factory=dict)  # property -> string|long|double|boolean|datetime|list
    label: str = ""
    key: str = ""
    type: str = ""
    from_label: str = ""
    from_key: str = ""
    to_label: str = ""
    to_key: str = ""
    event: bool = False
    rows: int = 0

    @property
    def props(self) -> list[str]:
        fixed = {"key"} if self.kind == "node" else {"id", "source", "target", "row", "sources"}
        return [c for c in self.columns if c not in fixed]


@dataclass
class Canonical:
    """The canonical rows of a scenario: groups in load order, and the export rows they come from."""

    folder: Path
    groups: list[Group]
    export_rows: int  # data rows of the exports (what the loader reads)
    rows_written: int  # rows the loader accepts (not rejected)
    node_keys: int  # distinct (label, key): the nodes every method creates
    rel_keys: int  # distinct relationships every method creates
    seconds: float = 0.0

    @property
    def rel_groups(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "rel"]

    def biggest_event_group(self) -> Group:
        return max((g for g in self.rel_groups if g.event), key=lambda g: g.rows)

    def save(self) -> None:
        payload = {
            "export_rows": self.export_rows,
            "rows_written": self.rows_written,
            "node_keys": self.node_keys,
            "rel_keys": self.rel_keys,
            "seconds": self.seconds,
            "groups": [vars(g) for g in self.groups],
        }
        (self.folder / MANIFEST).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> Canonical:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        groups = [Group(**g) for g in data.pop("groups")]
        return cls(folder, groups, **data)


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple):
        return "list"
    return "string"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEP.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _GroupFile:
    def __init__(self, group: Group, root: Path):
        self.group = group
        self.fh = (root / group.path).open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(group.columns)

    def write(self, rows: list[list[Any]]) -> None:
        self.writer.writerows(rows)
        self.group.rows += len(rows)


def _mapping_props(mapping: Any) -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """Property names each node group and the relationships of a mapping may carry (the CSV headers)."""
    nodes: dict[tuple[str, str], list[str]] = {}
    for spec in mapping.nodes.values():
        names = nodes.setdefault((spec.label, spec.key), [])
        names.extend(n for n in spec.properties if n not in names)
    rel_names: list[str] = []
    for rel in mapping.relationships:
        rel_names.extend(n for n in rel.properties if n not in rel_names)
    return nodes, rel_names


def canonical(folder: Path, out: Path | None = None, batch_size: int = 10_000) -> Canonical:
    """The rows the loader would write for every export of `folder`, as CSVs per write group (cached)."""
    from loaders.api import plan_dir
    from loaders.datasets import folder_dataset
    from loaders.readers import open_export
    from loaders.transform import TableTransformer
    from loaders.write import load_id_for

    out = out or folder.with_name(folder.name + "-canonical")
    if (out / MANIFEST).is_file():
        return Canonical.open(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    plan, _ = plan_dir(folder)
    groups: list[Group] = []
    export_rows = rows_written = 0
    node_keys: set[int] = set()  # hashes: a set of millions of strings would not stay small
    rel_keys: set[int] = set()
    for n_export, (path, mapping, sheet) in enumerate(plan):
        export = open_export(path, sheet=sheet)
        match = mapping.match_headers(export.headers)
        variables = {"dataset": folder_dataset(path), "file": path.name}
        load_id = load_id_for(export.sha256, mapping.name, export.sheet_index)
        transformer = TableTransformer(mapping, match, export.headers, variables, load_id)
        node_props, rel_props = _mapping_props(mapping)
        files: dict[tuple, _GroupFile] = {}
        pending_nodes: dict[tuple, list] = {}
        pending_rels: dict[tuple, list] = {}

        for chunk in export.chunks(batch_size):
            batch = transformer.transform(chunk)
            export_rows += batch.rows_read
            rows_written += batch.rows_ok
            temporal = getattr(batch, "temporal", {})
            for (label, key), entries in batch.nodes.items():
                names = node_props.get((label, key), [])
                if ("n", label, key) not in files:
                    group = Group(f"{n_export:02d}-{mapping.name}.nodes.{label}.csv", "node", load_id, path.name,
                                  ["key", *names], label=label, key=key)  # fmt: skip
                    files["n", label, key] = _GroupFile(group, out)
                    groups.append(group)
                gf = files["n", label, key]
                rows = []
                for k, props in entries.items():
                    node_keys.add(hash((label, k)))
                    rows.append([k, *[_cell(props.get(n)) for n in names]])
                    _note_types(gf.group, props, temporal.get((label, key), ()))
                pending_nodes.setdefault(("n", label, key), []).extend(rows)
            for gkey, entries in batch.rels.items():
                rel_type, fl, fk, tl, tk, is_event = gkey
                if ("r", *gkey) not in files:
                    group = Group(
                        f"{n_export:02d}-{mapping.name}.rels.{rel_type}.{fl}-{tl}.csv", "rel", load_id, path.name,
                        ["id", "source", "target", "row", "sources", *rel_props], type=rel_type, from_label=fl,
                        from_key=fk, to_label=tl, to_key=tk, event=is_event,
                    )  # fmt: skip
                    files["r", *gkey] = _GroupFile(group, out)
                    groups.append(group)
                gf = files["r", *gkey]
                rows = []
                for e in entries.values():
                    ident = e["id"] if is_event else ""
                    rel_keys.add(hash((rel_type, e["id"]) if is_event else (rel_type, e["source"], e["target"])))
                    rows.append(
                        [ident, e["source"], e["target"], e["row"], LIST_SEP.join(e["sources"]),
                         *[_cell(e["props"].get(n)) for n in rel_props]]
                    )  # fmt: skip
                    _note_types(gf.group, e["props"], temporal.get(gkey, ()))
                pending_rels.setdefault(("r", *gkey), []).extend(rows)
            # A chunk's nodes go before its relationships, as the loader writes them.
            for key, rows in pending_nodes.items():
                files[key].write(rows)
            for key, rows in pending_rels.items():
                files[key].write(rows)
            pending_nodes.clear()
            pending_rels.clear()
        for gf in files.values():
            gf.fh.close()
    # Node files of an export first, then its relationship files: the order every method loads them in.
    order = {id(g): i for i, g in enumerate(groups)}
    groups.sort(key=lambda g: (g.path.split("-", 1)[0], g.kind != "node", order[id(g)]))
    result = Canonical(
        out,
        groups,
        export_rows=export_rows,
        rows_written=rows_written,
        node_keys=len(node_keys),
        rel_keys=len(rel_keys),
        seconds=time.perf_counter() - started,
    )
    result.save()
    return result


def _note_types(group: Group, props: dict[str, Any], temporal: Any) -> None:
    for name, value in props.items():
        if name in group.types or value is None:
            continue
        group.types[name] = "datetime" if name in temporal else _type_of(value)


def head_rows(group_csv: Path, limit: int) -> list[dict[str, str]]:
    """The first `limit` rows of a canonical CSV, as LOAD CSV would see them (strings, empty = missing)."""
    out = []
    with group_csv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.append({k: v for k, v in row.items() if v != ""})
            if len(out) >= limit:
                break
    return out


def call_records(rows: int, seed: int = SEED) -> Path:
    """A folder holding one call-record export of `rows` calls (Chinese headers, as an operator sends them).

    The calls are among `rows // 5` mobile numbers, so a bigger file also brings more distinct numbers:
    the loader's bounded memos are exercised, not just its row loop. Generated once, then cached.
    """
    import numpy as np

    out = WORK_DIR / f"call-records-{rows}-{seed}"
    path = out / "通话详单.csv"
    if path.is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    numbers = np.char.add("139", np.char.zfill(rng.choice(10**8, size=max(rows // 5, 2), replace=False).astype(str), 8))
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        f.write("主叫号码,被叫号码,开始时间,通话时长\n")
        start = np.datetime64("2024-01-01T00:00:00")
        for first in range(0, rows, 100_000):
            n = min(100_000, rows - first)
            a = rng.integers(0, len(numbers), n)
            b = (a + rng.integers(1, len(numbers), n)) % len(numbers)  # never the caller
            at = (start + (first + np.arange(n)) * np.timedelta64(7, "s")).astype(str)
            seconds = rng.integers(1, 900, n)
            f.writelines(
                f"{x},{y},{t.replace('T', ' ')},{d}\n"
                for x, y, t, d in zip(numbers[a], numbers[b], at, seconds.tolist(), strict=True)
            )
    tmp.rename(path)
    return out
