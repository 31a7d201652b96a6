"""The identifier search box with suggestions while typing (a small bidirectional component).

Each pause in typing reruns the page with the text typed; the matches for it
(`browse.search`: exact keys in any phone format first, then fulltext) are
rendered back under the box. Picking one returns its element id, once per pick.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from explorer import browse, human
from explorer.db import Graph
from explorer.ui.graph import first_time
from explorer.ui.i18n import lang, t
from explorer.ui.lookups import looked_up

_component = components.declare_component("search_box", path=str(Path(__file__).parent / "search_component"))


def typed(key: str) -> str:
    """The text in the box as of this run."""
    value = st.session_state.get(key)
    return str(value.get("text") or "").strip() if isinstance(value, dict) else ""


def search_box(graph: Graph, key: str) -> str | None:
    """Draw the box with the matches for what is typed; return the element id just picked, if any."""
    text = typed(key)
    matches = browse.search(graph, text) if text else []
    if text:
        looked_up("search", key, {"text": text}, rows=len(matches))
    value = _component(
        label=t("explore.search"),
        placeholder=t("explore.search_hint"),
        text=text,
        suggestions=[
            {"id": m.id, "kind": human.kind(m.label, lang(), capital=True), "caption": m.caption} for m in matches
        ],
        no_match=t("explore.no_match"),
        key=key,
        default=None,
    )
    return str(value["choice"]) if first_time(value, key, "choice") else None
