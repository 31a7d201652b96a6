"""An alert's sentence in the analyst's language.

A rule's `summary` column is either a sentence (kept as it is, in the language it was written in) or a
map of facts, which the interface catalogues turn into a sentence: `alert.<rule>` in
explorer/i18n/<lang>.json, with a `{name}` for each fact. The English sentence is what the store, the
CLI and the webhook keep; the facts let the app say the same in Chinese.
"""

from __future__ import annotations

from typing import Any

from explorer import human
from explorer.analyst_store import Alert
from explorer.i18n import DEFAULT_LANGUAGE, catalogue, text

# Facts that may be missing, shown inside a phrase of their own ("(watched because: ...)"), or not at all.
_PHRASED = {"names": "alert.names", "reason": "alert.reason"}


def _fact(name: str, value: Any, lang: str) -> Any:
    """A fact as the sentence shows it: roles and kinds of identifier in the interface language."""
    if value is None or value == "":
        return ""
    if name in _PHRASED:
        return text(_PHRASED[name], lang, **{name: value})
    if name == "role":
        return human.role(str(value), lang)
    if name == "kind" and f"watch.kind.{value}" in catalogue(DEFAULT_LANGUAGE):
        return text(f"watch.kind.{value}", lang)
    return value


def sentence(rule: str, facts: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The facts as a sentence of `lang`; without a template for the rule, the facts listed as they are."""
    key = f"alert.{rule}"
    shown = {name: _fact(name, value, lang) for name, value in facts.items()}
    if key in catalogue(DEFAULT_LANGUAGE):
        try:
            return text(key, lang, **shown)
        except (KeyError, IndexError, ValueError):  # the template names a fact the rule did not return
            pass
    return "; ".join(f"{name}: {value}" for name, value in shown.items())


def summary_in(alert: Alert, lang: str) -> str:
    """The alert's sentence in `lang` when it was raised with facts; otherwise as it was stored."""
    return sentence(alert.rule, alert.facts, lang) if alert.facts else alert.summary
