"""Who looked up whom: Explore searches, openings and expansions, and Entity profile lookups, audited.

Streamlit reruns a page on every click, so a page calls `looked_up()` on every
run and a record is written when the thing looked up changes: a new search
text, another node opened or profiled. Each expansion is a click of its own and
is always recorded. Records are action "explore"; `what` says which kind of
lookup, the parameters say what was looked up.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer import audit

_LAST = "lookups_last"


def looked_up(kind: str, key: str, params: dict[str, Any], rows: int | None = None, *, again: bool = False) -> None:
    """Record this lookup unless it repeats the last one recorded under `key` (`again`: record it anyway)."""
    last = st.session_state.setdefault(_LAST, {})
    signature = (kind, sorted((k, str(v)) for k, v in params.items()))
    if not again and last.get(key) == signature:
        return
    audit.record("explore", kind, params, rows=rows)  # an unwritable trail stops the page with its sentence
    last[key] = signature
