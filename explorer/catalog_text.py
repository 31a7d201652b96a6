"""The investigation catalogue in the analyst's language.

The saved queries in cypher/ describe themselves in English (their header). The other languages keep
their text in explorer/i18n/investigations.<lang>.json, keyed by investigation name and parameter
name: title, description, each parameter's label and help, and the category names; the alert rules
(cypher/alerts/) keep theirs under `alert_rules`. A text missing there falls back to the English
header, and `missing()` lists every gap (a test keeps it empty).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from explorer.catalog import Catalog, Investigation, Param

_DIR = Path(__file__).resolve().parent / "i18n"


@cache
def _texts(lang: str) -> dict[str, Any]:
    path = _DIR / f"investigations.{lang}.json"
    if not path.is_file():
        return {"categories": {}, "investigations": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _entry(inv: Investigation, lang: str) -> dict[str, Any]:
    """The texts of an investigation, or of an alert rule (cypher/alerts/, under `alert_rules`)."""
    texts = _texts(lang)
    return texts["investigations"].get(inv.name) or texts.get("alert_rules", {}).get(inv.name, {})


def title_in(inv: Investigation, lang: str) -> str:
    return _entry(inv, lang).get("title") or inv.title


def description(inv: Investigation, lang: str) -> str:
    return _entry(inv, lang).get("description") or inv.description


def category(name: str, lang: str) -> str:
    return _texts(lang)["categories"].get(name) or name


def param_label(inv: Investigation, param: Param, lang: str) -> str:
    found = _entry(inv, lang).get("params", {}).get(param.name)
    return found[0] if found else param.name


def param_help(inv: Investigation, param: Param, lang: str) -> str:
    found = _entry(inv, lang).get("params", {}).get(param.name)
    return found[1] if found else (param.help or "")


def missing(catalog: Catalog, lang: str) -> list[str]:
    """What the catalogue shows that `lang` has no text for, as `name.field` strings."""
    texts = _texts(lang)
    gaps = [f"category {c}" for c in catalog.by_category() if c not in texts["categories"]]
    for inv in catalog.values():
        entry = texts["investigations"].get(inv.name, {})
        gaps += [f"{inv.name}.{field}" for field in ("title", "description") if not entry.get(field)]
        params = entry.get("params", {})
        gaps += [f"{inv.name}.params.{p.name}" for p in inv.params if len(params.get(p.name) or []) != 2]
        gaps += [f"{inv.name}.params.{name} (no such parameter)" for name in set(params) - set(inv.param_names())]
    return gaps
