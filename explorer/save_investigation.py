"""The Cypher console's "save as investigation": a query typed by an analyst becomes a catalog file.

The file follows the catalog's header format (see docs/investigations.md):
`//` comment lines holding YAML (title, category, description, typed params,
columns, draw), then the query. It is written only after the query ran
read-only, and is removed again if the catalog refuses it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from explorer import audit, auth, catalog
from explorer.auth import User
from explorer.config import PROJECT_ROOT
from explorer.db import Graph, Result
from explorer.exceptions import ExplorerError, InvalidInvestigation

CYPHER_DIR = PROJECT_ROOT / "cypher"


def slug(title: str) -> str:
    """A file stem from a title: ASCII words joined by underscores (Chinese titles keep their characters)."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = re.sub(r"[^\w]+", "_", text, flags=re.UNICODE).strip("_")
    return text[:60] or "investigation"


def param_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list):
        return "list"
    return "string"


def draw_spec(result: Result) -> dict[str, list[str]]:
    """Which returned columns hold nodes, relationships or paths (judged from the rows)."""
    spec: dict[str, list[str]] = {"nodes": [], "relationships": [], "paths": []}
    for column in result.columns:
        values = [r[column] for r in result.records if r[column] is not None]
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        if flat and all(isinstance(v, Node) for v in flat):
            spec["nodes"].append(column)
        elif flat and all(isinstance(v, Relationship) for v in flat):
            spec["relationships"].append(column)
        elif flat and all(isinstance(v, GraphPath) for v in flat):
            spec["paths"].append(column)
    return {k: v for k, v in spec.items() if v}


def investigation_text(
    title: str,
    category: str,
    description: str,
    cypher: str,
    params: Mapping[str, Any],
    columns: Sequence[str],
    draw: Mapping[str, list[str]],
) -> str:
    """The catalog file for this query: YAML header in `//` lines, a blank line, then the query unchanged.

    The blank line ends the header for the catalog's parser, so `//` lines at the top of the query
    (`// title: ...`, `// heavy: true`) stay comments of the query and cannot add or replace header keys.
    """
    header: dict[str, Any] = {"title": title.strip(), "category": category.strip(), "description": description.strip()}
    if params:
        header["params"] = [
            {
                "name": name,
                "type": param_type(value),
                "default": value.isoformat() if isinstance(value, date) else value,
                "help": f"{name} (saved from the console)",
            }
            for name, value in params.items()
        ]
    header["columns"] = list(columns)
    if draw:
        header["draw"] = dict(draw)
    body = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=110).rstrip("\n")
    lines = [f"// {line}" if line else "//" for line in body.splitlines()]
    return "\n".join(lines) + "\n\n" + cypher.strip() + "\n"


def save_investigation(
    graph: Graph,
    title: str,
    category: str,
    description: str,
    cypher: str,
    params: Mapping[str, Any],
    directory: Path = CYPHER_DIR,
    *,
    user: User | None = None,
) -> Path:
    """Run the query read-only, write its catalog file, and have the catalog validate it.

    `user` is who saves (the command-line user when None); a role below analyst raises PermissionDenied.
    Raises InvalidInvestigation (nothing left on disk) when the catalog refuses it. Recorded in the audit.
    """
    acting = auth.require(user, "save_investigation", f"save investigation {title.strip()}")
    if not title.strip() or not category.strip() or not description.strip():
        raise InvalidInvestigation("A saved investigation needs a title, a category and a description.")
    result = graph.read(cypher, params)
    path = Path(directory) / f"{slug(title)}.cypher"
    if path.exists():
        raise InvalidInvestigation(f"{path.name} already exists in the catalog: choose another title.")
    text = investigation_text(title, category, description, cypher, params, result.columns, draw_spec(result))
    path.write_text(text, encoding="utf-8")
    try:  # the catalog checks the header and EXPLAINs the query
        catalog.parse_investigation(path).validate(graph)
    except ExplorerError:
        path.unlink(missing_ok=True)
        raise
    audit.record("investigation", f"saved {path.name}", {"title": title.strip()}, user=auth.audit_name(acting))
    return path
