"""A form generated from an investigation's typed parameters (help text and defaults included)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from explorer.analyst_store import AnalystStore
from explorer.catalog import Param
from explorer.model import STATE_PARAM_TYPES
from explorer.ui.i18n import t


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def widget(param: Param, key: str, label: str | None = None, help_text: str | None = None) -> Any:
    """One input for one parameter (its label and help in the analyst's language when given); the catalog
    coerces what it returns."""
    label = label or param.name
    help_text = help_text or param.help or None
    default = param.default
    placeholder = None if param.example is None else str(param.example)
    if param.type in STATE_PARAM_TYPES:  # not typed: the catalog hands the query the analyst store's state
        n = len(AnalystStore().state(param.type))
        st.caption(t(f"inv.state_param.{param.type}", label=label, n=n), help=help_text)
        return None
    if param.choices and param.type == "list":
        return st.multiselect(label, list(param.choices), default=list(default or []), help=help_text, key=key)
    if param.choices:
        options = list(param.choices)
        index = options.index(default) if default in options else 0
        return st.selectbox(label, options, index=index, help=help_text, key=key)
    if param.type == "integer":
        return st.number_input(
            label, value=int(default) if default is not None else None, step=1, help=help_text, key=key
        )
    if param.type == "float":
        return st.number_input(label, value=float(default) if default is not None else None, help=help_text, key=key)
    if param.type == "boolean":
        return st.checkbox(label, value=bool(default), help=help_text, key=key)
    if param.type == "date":
        return st.date_input(label, value=_as_date(default), help=help_text, key=key)
    if param.type == "list":
        text = ", ".join(str(v) for v in default) if isinstance(default, list) else (default or "")
        return _text_input(label, str(text), placeholder, help_text, key)
    value = "" if default is None else str(default)
    return _text_input(label, value, placeholder, help_text, key)


def _text_input(label: str, value: str, placeholder: str | None, help_text: str | None, key: str) -> str:
    """A text field; a value already put in its key (e.g. from the canvas) wins over the default, without a warning."""
    if key in st.session_state:
        return st.text_input(label, placeholder=placeholder, help=help_text, key=key)
    return st.text_input(label, value=value, placeholder=placeholder, help=help_text, key=key)
