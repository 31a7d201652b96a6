"""Tables as an analyst reads them on screen: nodes by caption and type, sources by file and row, column
headers in the interface language, numbers rounded, times local with their offset.

Only screens use this; downloads keep every value raw and exact (explorer.table_files).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from explorer import explain
from explorer.display import when
from explorer.i18n import catalogue, text
from explorer.subgraph import GraphNode

# A provenance reference written by the loaders: "<load id>#<row>", the load id "<file sha256>:<mapping>".
SOURCE = re.compile(r"^(?P<load>[0-9a-f]{16,64}(?::[\w.-]+)?)#(?P<row>\d+)$")
# A source that is a whole load, not one of its rows (a SAME_AS candidate its entity resolution proposed).
WHOLE_LOAD = re.compile(r"^(?P<load>[0-9a-f]{16,64}:[\w.-]+)$")
SOURCE_COLUMNS = {"source", "sources"}
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Which files the loads read: load id -> (file name, file SHA-256).
Files = Mapping[str, tuple[str | None, str | None]]


def load_ids(frame: pd.DataFrame) -> set[str]:
    """The load ids of every `load#row` source in the table, to look their files up once."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, str):
            match = SOURCE.match(value) or WHOLE_LOAD.match(value)
            if match:
                found.add(match["load"])
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)

    for column in frame.columns:
        for value in frame[column]:
            visit(value)
    return found


def header(column: Any, lang: str) -> str:
    """The column's name in the catalogue (`col.<name>`), else the field name spaced out."""
    name = str(column).strip("_")
    if f"col.{name}" in catalogue(lang) or f"col.{name}" in catalogue("en"):
        return text(f"col.{name}", lang)
    return name.replace("_", " ")


def source(value: str, files: Files, lang: str) -> str:
    match = SOURCE.match(value)
    if not match:
        whole = WHOLE_LOAD.match(value)
        file = files.get(whole["load"], (None, None))[0] if whole else None
        return text("table.source_load", lang, file=file) if file else value
    file, _ = files.get(match["load"], (None, None))
    return text("table.source", lang, file=file or match["load"][:12], row=int(match["row"]))


def cell(value: Any, files: Files, lang: str) -> Any:
    """One value as it reads on screen (numbers stay numbers, so columns still sort)."""
    if value is None or isinstance(value, bool) or value is pd.NaT:
        return None if value is pd.NaT else value
    if hasattr(value, "labels") and hasattr(value, "element_id"):  # a node
        node = GraphNode(value.element_id, sorted(value.labels), dict(value.items()))
        return f"{node.caption} ({kind(node.label, lang)})"
    if hasattr(value, "type") and hasattr(value, "start_node"):  # a relationship
        return link(value.type, lang)
    if hasattr(value, "nodes") and hasattr(value, "relationships"):  # a path
        return " → ".join(str(cell(n, files, lang)) for n in value.nodes)
    if isinstance(value, pd.Timestamp):
        return when(value.to_pydatetime())
    if hasattr(value, "to_native") or isinstance(value, (datetime, date)):
        return when(value)
    if isinstance(value, float):
        return rounded(value)
    if isinstance(value, str):
        if SOURCE.match(value):
            return source(value, files, lang)
        return when(value) if _ISO_TIME.match(value) else value
    if isinstance(value, Mapping):
        return "; ".join(f"{header(k, lang)}: {cell(v, files, lang)}" for k, v in value.items() if v is not None)
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(cell(v, files, lang)) for v in value)
    return value


def kind(label: str, lang: str, capital: bool = False) -> str:
    """A node label in the interface language; with `capital`, as it starts a heading ("Person", "IP address")."""
    name = text(f"label.{label}", lang) if f"label.{label}" in catalogue("en") else label
    return name[:1].upper() + name[1:] if capital else name


def link(rel_type: str, lang: str) -> str:
    """A relationship type in the interface language."""
    return text(f"rel.{rel_type}", lang) if f"rel.{rel_type}" in catalogue("en") else rel_type


def role(name: str, lang: str) -> str:
    """An inferred role (organiser, broker ...) in the interface language."""
    key = f"role.{name.lower()}"
    return text(key, lang) if key in catalogue("en") else name


# Columns whose text values are words of the model (a label, a relationship type, a role), read as such.
WORDED: dict[str, Callable[[str, str], str]] = {
    "label": kind,
    "type": link,
    "event": link,
    "role": role,
    "roles": role,
    "link": link,
    "via": link,
}
# Columns that may hold labels among other words ("kind": a label, or a ring's kind).
LABELLED = {"kind", "kinds", "labels"}


def word(column: str, value: str, lang: str) -> str | None:
    """A value that is a word of the interface, in `lang`, or None when it is data.

    Words are the model's (labels, relationship types, roles: `WORDED`; labels in `LABELLED`), the
    catalogue's fixed values of a column, `value.<column>.<value>` ("candidate", "ring", "in"), and the
    kinds of watched identifier in a `kind` column ("phone").
    """
    if column in WORDED:
        return WORDED[column](value, lang)
    key = f"value.{column}.{value}"
    if key in catalogue("en"):
        return text(key, lang)
    if column == "kind" and f"watch.kind.{value}" in catalogue("en"):  # a kind of watched identifier
        return text(f"watch.kind.{value}", lang)
    return kind(value, lang) if column in LABELLED and f"label.{value}" in catalogue("en") else None


def rounded(value: float) -> float:
    """Two decimals for numbers of one and more, three significant figures below one."""
    if math.isnan(value) or math.isinf(value) or value == 0:
        return value
    if abs(value) >= 1:
        return round(value, 2)
    return float(f"{value:.3g}")


def shas(row: Iterable[Any], files: Files) -> str:
    """The SHA-256 of the files a row's sources come from (what the file name on screen stands for)."""
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, str) and (match := SOURCE.match(value)):
            sha = files.get(match["load"], (None, None))[1]
            if sha and sha not in found:
                found.append(sha)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)

    for value in row:
        visit(value)
    return " ".join(found)


def screened(column: str, value: Any, files: Files, lang: str) -> Any:
    """One cell of a column for the screen: words of the interface in `lang`, sources by file (and row), the
    rest as `cell` shows it."""
    if isinstance(value, str):
        worded = word(column, value, lang)
        if worded is not None:
            return worded
        return source(value, files, lang) if column in SOURCE_COLUMNS else cell(value, files, lang)
    if column in SOURCE_COLUMNS and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "; ".join(source(v, files, lang) for v in value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        words = [word(column, v, lang) for v in value]
        if all(w is not None for w in words):
            return "; ".join(str(w) for w in words)
    return cell(value, files, lang)


FACTS = "_facts"  # the suffix of a column that holds another column's facts (explorer.explain)


def spoken_props(props: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """A node's or a link's properties with each reason said in `lang` from its facts (`<name>_facts`),
    and those facts left out; without `lang`, each reason as stored."""
    return {
        key: explain.said(value, props.get(key + FACTS), lang) if lang else value
        for key, value in props.items()
        if not (key.endswith(FACTS) and key[: -len(FACTS)] in props)
    }


def spoken(raw: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with each column that has facts beside it (`<column>_facts`) said in `lang` from them, and the
    facts columns left out. A row without readable facts (written before there were any) keeps its value."""
    pairs = [(str(c), str(c)[: -len(FACTS)]) for c in raw.columns if str(c).endswith(FACTS)]
    if not pairs:
        return raw
    out = raw.copy()
    for facts, column in pairs:
        if column in out.columns:
            out[column] = [explain.said(v, f, lang) for f, v in zip(out[facts], out[column], strict=True)]
    return out.drop(columns=[facts for facts, _ in pairs])


def screen(raw: pd.DataFrame, lang: str, files_of: Callable[[set[str]], Files] | None = None) -> pd.DataFrame:
    """The table for the screen. `files_of` looks the loads' files up (one read for the whole table)."""
    raw = spoken(raw, lang)
    ids = load_ids(raw)
    files = files_of(ids) if ids and files_of else {}
    headers: list[str] = []
    for column in raw.columns:
        name = header(column, lang)
        headers.append(name if name not in headers else str(column))  # two fields, one caption: keep both
    names = [str(c).strip("_") for c in raw.columns]
    shown = pd.DataFrame(
        [[screened(name, v, files, lang) for name, v in zip(names, row, strict=True)]
         for row in raw.itertuples(index=False, name=None)],
        columns=headers,
    )  # fmt: skip
    if ids:
        name = text("col.sha256", lang)  # a table with a SHA-256 column of its own keeps it
        name = name if name not in shown.columns else text("col.source_sha256", lang)
        shown[name] = [shas(row, files) for row in raw.itertuples(index=False, name=None)]
    return shown
