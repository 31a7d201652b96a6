"""Run a saved investigation from the shell.

python -m explorer.investigate --list
python -m explorer.investigate find_identifier --param value="138 0013 8000"
python -m explorer.investigate rings --param min_size=4 --format csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from neo4j.graph import Node, Path, Relationship

from explorer import audit
from explorer.catalog import Catalog, ParamError, load_catalog
from explorer.db import Graph, Result, describe
from explorer.exceptions import ExplorerError


def plain(value: Any) -> Any:
    """A JSON-friendly view of a value (nodes, relationships and paths flattened)."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": _caption(value.start_node),
            "end": _caption(value.end_node),
            **{k: plain(v) for k, v in value.items()},
        }
    if isinstance(value, Path):
        return {"nodes": [_caption(n) for n in value.nodes], "relationships": [r.type for r in value.relationships]}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


KEY_PROPERTIES = (
    "name",
    "number",
    "account_id",
    "waybill",
    "address_id",
    "site_id",
    "post_id",
    "imei",
    "ip",
    "case_id",
    "ring_id",
    "load_id",
    "person_id",
    "run_id",
)


def _caption(node: Node | None) -> str:
    if node is None:
        return "?"
    label = sorted(node.labels)[0] if node.labels else "Node"
    for key in KEY_PROPERTIES:
        if node.get(key) is not None:
            return f"{label}({node[key]})"
    return f"{label}({node.element_id})"


def _cell(value: Any) -> str:
    if isinstance(value, Node):
        return _caption(value)
    if isinstance(value, Relationship):
        return f"{_caption(value.start_node)}-[{value.type}]->{_caption(value.end_node)}"
    if isinstance(value, Path):
        return " ".join(_caption(n) for n in value.nodes)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(plain(value), ensure_ascii=False, default=str)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(plain(value))


def print_result(result: Result, fmt: str, out: TextIO | None = None, width: int = 60) -> None:
    """Print rows as an aligned table, CSV or JSON."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump(
            [{k: plain(v) for k, v in zip(result.columns, r.values(), strict=True)} for r in result.records],
            out,
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        out.write("\n")
        return
    rows = [[_cell(v) for v in r.values()] for r in result.records]
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(result.columns)
        writer.writerows(rows)
        return
    clipped = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in clipped]) for i, h in enumerate(result.columns)]
    out.write("  ".join(h.ljust(w) for h, w in zip(result.columns, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in clipped:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} rows, {result.elapsed_ms:.0f} ms)\n")


def print_list(catalog: Catalog, out: TextIO | None = None) -> None:
    """The catalog by category, with each investigation's parameters."""
    out = out or sys.stdout
    for category, investigations in catalog.by_category().items():
        out.write(f"{category}\n")
        for inv in investigations:
            params = ", ".join(f"{p.name}:{p.type}{'' if p.required else '=' + str(p.default)}" for p in inv.params)
            heavy = " [heavy]" if inv.heavy else ""
            out.write(f"  {inv.name:<28} {inv.title}{heavy}\n")
            if params:
                out.write(f"  {'':<28} params: {params}\n")


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParamError(f"--param {pair!r} must look like name=value.")
        key, value = pair.split("=", 1)
        params[key.strip()] = value
    return params


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.investigate", description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", help="the investigation (file name without .cypher)")
    parser.add_argument("--list", action="store_true", help="list the saved investigations")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument("--describe", action="store_true", help="show the investigation's header and query")
    args = parser.parse_args(argv)
    try:
        if args.list or not args.name:
            print_list(load_catalog())
            return 0
        catalog = load_catalog()
        try:
            inv = catalog[args.name]
        except KeyError as e:
            print(e.args[0], file=sys.stderr)
            return 2
        if args.describe:
            print(f"{inv.title} ({inv.category})\n\n{inv.description}\n")
            for p in inv.params:
                print(f"  --param {p.name}=<{p.type}>  {p.help}" + ("" if p.required else f" (default {p.default})"))
            print("\n" + inv.query)
            return 0
        params = _parse_params(args.param)
        with (
            Graph.connect() as graph,
            audit.timed("investigation", inv.name, {k: str(v) for k, v in params.items()}) as entry,
        ):
            result = inv.run(graph, **params)
            entry.rows = len(result)
        print_result(result, args.format)
        return 0
    except ParamError as e:
        print(str(e), file=sys.stderr)
        return 2
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
