"""Why, in the analyst's language: the reasons the analytics, the loaders and the crackdown plan give.

A reason is kept as its facts: a list of phrases, each a dict naming its catalogue text (`"say"`, read as
`why.<say>` in explorer/i18n/<lang>.json) and the facts the text fills in. `say(facts, lang)` writes the
sentence, its phrases joined by "; ". The evidence graph stores both the English sentence (what Cypher,
downloads and the command line read) and the facts as JSON text beside it (`<property>_facts`), and the
English sentence is `say(facts, "en")`, so the two cannot disagree. A screen shows a column from its
facts when the table carries them as `<column>_facts` (explorer.human), in the analyst's language.

Facts are formatted by name: `n` is the count that picks the singular text (`why.<say>.one`); `share` a
share of shortest paths; `kind`, `role`, `status` and `label` words of the interface; `reason` a reason of
its own (facts or a sentence); `weight` and `strength` one decimal, scores four figures; `bridged` the
communities a unit bridges; `signals` a ring's trade behaviour by kind; `people` a number of people;
`phones` and `addresses` the identifiers two persons share; `after` puts "after those above" in front.
A missing (null) fact reads as nothing; a phrase this version cannot say lists its facts as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.i18n import DEFAULT_LANGUAGE, catalogue, text

Facts = list[dict[str, Any]]
# Facts that are words of the interface, by the catalogue prefix that names them.
_WORDS = {"kind": "value.kind", "role": "role", "status": "value.status", "label": "label"}


def phrase(say: str, **facts: Any) -> dict[str, Any]:
    """One phrase of a reason: the catalogue text `why.<say>` and the facts it names."""
    return {"say": say, **facts}


def dumps(facts: Facts | None) -> str | None:
    """The facts as the JSON text the graph stores (None stays None)."""
    return None if facts is None else json.dumps(facts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(value: Any) -> Facts | None:
    """Facts from what a query returns: JSON text, a list of phrases, a single phrase as a map, or nothing."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, Mapping):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(p, Mapping) and "say" in p for p in value):
        return [dict(p) for p in value]
    return None


def say(facts: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """The reason as a sentence of `lang`; facts it cannot read give an empty sentence."""
    phrases = loads(facts)
    return text("why.join", lang).join(_phrase(p, lang) for p in phrases) if phrases else ""


def said(sentence: Any, facts: Any, lang: str = DEFAULT_LANGUAGE) -> Any:
    """A stored reason in `lang`: from its facts when they can be read, else the sentence as it was stored."""
    return say(facts, lang) if loads(facts) else sentence


def share_in_words(share: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A share of shortest paths as an analyst reads it: 38%, 2.5%, under 0.1%."""
    percent = 100.0 * share
    if percent >= 10:
        return f"{percent:.0f}%"
    if percent >= 0.1:
        return f"{percent:.1f}%"
    return text("why.under_tenth", lang)


def _phrase(p: Mapping[str, Any], lang: str) -> str:
    key = f"why.{p['say']}"
    if p.get("n") == 1 and f"{key}.one" in catalogue(DEFAULT_LANGUAGE):
        key += ".one"
    listed = ", ".join(f"{k} {v}" for k, v in p.items() if k != "say")
    if key not in catalogue(DEFAULT_LANGUAGE):  # a phrase of a newer version
        return listed
    shown = {name: _fact(name, value, lang) for name, value in p.items() if name not in ("say", "after")}
    try:
        sentence = text(key, lang, **shown)
    except (KeyError, IndexError, ValueError):  # a fact the text names is missing
        return listed
    return text("why.after", lang, rest=sentence) if p.get("after") else sentence


def _fact(name: str, value: Any, lang: str) -> Any:
    if value is None:
        return ""
    if name in _WORDS:
        return _word(_WORDS[name], value, lang)
    if name == "reason":
        return say(value, lang) if loads(value) else str(value)
    if name in ("score", "betweenness", "brokerage") and isinstance(value, float):
        return f"{value:.4g}"
    if name == "share":
        return share_in_words(float(value), lang)
    if name in ("weight", "strength"):
        return f"{float(value):.1f}"
    if name == "people":
        return text("why.people.one" if value == 1 else "why.people", lang, n=value)
    if name == "bridged":
        return _listed((_bridged(b, lang) for b in value), lang)
    if name == "signals":
        return text("why.join", lang).join(_signal(s, lang) for s in value)
    if name == "phones":  # the phrases a SAME_AS reason adds for what the two persons share
        return text("why.shared_phone", lang, phones=" ".join(map(str, value))) if value else ""
    if name == "addresses":
        return text("why.shared_address", lang, addresses="; ".join(map(str, value))) if value else ""
    return value


def _listed(items: Iterable[str], lang: str) -> str:
    """A list in the language's own words: "a, b and c", "a、b和c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return text("why.and", lang, first=text("why.comma", lang).join(items[:-1]), last=items[-1])


def _bridged(b: Mapping[str, Any], lang: str) -> str:
    """One community a unit bridges: "its own ring ring-3 (call 12, transfer 3)"."""
    kind = _word("value.kind", b.get("kind", "ring"), lang)
    named = text("why.own_ring" if b.get("own") else "why.a_ring", lang, kind=kind, ring=b.get("ring", ""))
    layers = b.get("layers") or {}
    if not layers:
        return named
    detail = text("why.comma", lang).join(f"{_layer(name, lang)} {count:.4g}" for name, count in layers.items())
    return text("why.with_layers", lang, named=named, layers=detail)


def _layer(name: str, lang: str) -> str:
    """A layer of the projection: a relationship type, or a layer of the analytics' own ("SHARED")."""
    own = f"why.layer.{name}" in catalogue(DEFAULT_LANGUAGE)
    return _word("why.layer" if own else "rel", name, lang)


def _signal(s: Mapping[str, Any], lang: str) -> str:
    """One kind of trade behaviour in a ring: "slang adverts: 3 members, 12 events"."""
    kind = str(s.get("kind", ""))
    label = _word("why.signal", kind, lang)
    key = "why.signal_count.one" if s.get("n") == 1 else "why.signal_count"
    return text(key, lang, label=label, n=s.get("n", 0), events=f"{float(s.get('events', 0)):g}")


def _word(prefix: str, value: Any, lang: str) -> str:
    """A word of the catalogue (`<prefix>.<value>`) in `lang`, or the value as it is when it has none."""
    key = f"{prefix}.{value}"
    return text(key, lang) if key in catalogue(DEFAULT_LANGUAGE) else str(value)
