"""The interface language: a switch in the sidebar and `t(key)` for every text on screen."""

from __future__ import annotations

from typing import Any

import streamlit as st

from explorer.i18n import DEFAULT_LANGUAGE, LANGUAGES, text

LANG_KEY = "lang"
LANG_PARAM = "lang"  # in the address


def lang() -> str:
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def t(key: str, /, **values: Any) -> str:
    """The text for `key` in the analyst's language."""
    return text(key, lang(), **values)


def language_from_address() -> None:
    """A new session starts in the language its address names (`?lang=zh`), else the default."""
    if LANG_KEY not in st.session_state:
        asked = st.query_params.get(LANG_PARAM)
        st.session_state[LANG_KEY] = asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The language radio. The language also rides in the address (`?lang=zh`), so that a reload, a
    bookmark or a link sent to a colleague opens in it; the default language adds nothing there."""
    language_from_address()
    st.sidebar.radio(
        text("sidebar.language", lang()),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )


def language_in_address() -> None:
    """Keep `?lang=` in step with the language (after `st.navigation`, which sets the page's address)."""
    if lang() == DEFAULT_LANGUAGE:
        if LANG_PARAM in st.query_params:
            del st.query_params[LANG_PARAM]
    elif st.query_params.get(LANG_PARAM) != lang():
        st.query_params[LANG_PARAM] = lang()
