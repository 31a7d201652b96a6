"""The interface language: a switch in the sidebar and `t(key)` for every text on screen."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer.i18n import DEFAULT_LANGUAGE, LANGUAGES, text

LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def t(key: str, /, **values: Any) -> str:
    """The text for `key` in the analyst's language."""
    return text(key, lang(), **values)


def language_switch() -> None:
    st.session_state.setdefault(LANG_KEY, DEFAULT_LANGUAGE)
    st.sidebar.radio(
        text("sidebar.language", lang()),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )
