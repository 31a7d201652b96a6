"""Typed parameters of saved investigations: the types a header may declare and how values are read.

Values come from a form, the command line or a header's `default`/`example`;
strings are parsed into the type the query expects. An `identifier` is keyed
as the loaders key it (explorer.identifiers), so any spelling the loaders
accept finds the node; a `datetime` typed without an offset is local time
(`EXPLORER_TIMEZONE`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from explorer import identifiers, model
from explorer.config import local_timezone, localise
from explorer.exceptions import ExplorerError

PARAM_TYPES = model.PARAM_TYPES
LIST_ITEM_TYPES = model.LIST_ITEM_TYPES
LOCAL_TZ = local_timezone()  # of a datetime typed without an offset


class ParamError(ExplorerError):
    """A value given for an investigation parameter cannot be used."""


_TRUE = {"true", "yes", "y", "1", "on", "是"}
_FALSE = {"false", "no", "n", "0", "off", "否"}


def _coerce_scalar(kind: str, value: Any, label: str) -> Any:
    if value is None:
        return None
    try:
        if kind == "string":
            return str(value)
        if kind == "identifier":
            return identifiers.canonical(value)
        if kind == "integer":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(str(value).strip()) if isinstance(value, str) else float(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if kind == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        if kind == "datetime":
            if isinstance(value, dt.datetime):
                moment = value
            elif isinstance(value, dt.date):
                moment = dt.datetime.combine(value, dt.time())
            else:
                moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            return moment if moment.tzinfo else localise(moment)
    except (TypeError, ValueError) as e:
        expected = {
            "integer": "a whole number such as 3",
            "float": "a number such as 2.5",
            "boolean": "true or false",
            "date": "a date such as 2024-05-31",
            "datetime": "a date and time such as 2024-05-31T14:05 (local time unless an offset is given)",
        }.get(kind, kind)
        raise ParamError(f"Parameter {label}: {value!r} is not {expected}.") from e
    raise ParamError(f"Parameter {label} has the unknown type {kind}.")


# Analyst state parameters (model.STATE_PARAM_TYPES): the text fields each map must hold, and what it is.
STATE_FIELDS = {
    "watchlist": (("watch_id", "kind", "value"), "the watch list, which the app supplies from the Watchlist page"),
    "reviews": (("first", "second", "status"), "the decisions on same-person candidates, which the app supplies"),
}


def _state(kind: str, value: Any, label: str) -> list[dict[str, Any]]:
    """Analyst state as the analyst store gives it (a list of maps with the kind's fields); nothing given is none."""
    if value is None:
        return []
    fields, what = STATE_FIELDS[kind]
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(w, dict) and all(isinstance(w.get(k), str) for k in fields) for w in value
    ):
        raise ParamError(f"Parameter {label} is {what}.")
    return [dict(w) for w in value]


@dataclass(frozen=True)
class Param:
    """One typed parameter of an investigation."""

    name: str
    type: str
    help: str = ""
    default: Any = None
    required: bool = False  # true when the header gives no default
    example: Any = None
    items: str = "string"  # element type of a list
    choices: tuple[Any, ...] | None = None

    def coerce(self, value: Any) -> Any:
        """The value as the query expects it; strings (from a CLI or a form) are parsed."""
        label = f"${self.name}"
        if self.type in STATE_FIELDS:
            return _state(self.type, value, label)
        # A blank field means "not given" for every type, strings included: the help of an optional
        # parameter says "empty: any", and an empty string would match nothing instead.
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ParamError(f"Parameter {label} is required: {self.help or self.type}.")
            return self.coerce(self.default) if self.default is not None else None
        if self.type == "list":
            if isinstance(value, str):
                parts = [p.strip() for p in value.split(",")]
                items = [p for p in parts if p]
            elif isinstance(value, (list, tuple, set)):
                items = list(value)
            else:
                items = [value]
            out = [_coerce_scalar(self.items, v, label) for v in items]
            if self.choices is not None:
                bad = [v for v in out if v not in self.choices]
                if bad:
                    raise ParamError(f"Parameter {label}: {bad} not among {list(self.choices)}.")
            return out
        out = _coerce_scalar(self.type, value, label)
        if self.choices is not None and out not in self.choices:
            raise ParamError(f"Parameter {label}: {out!r} is not one of {list(self.choices)}.")
        return out

    @property
    def bench_value(self) -> Any:
        """A representative value: the example when given, else the default."""
        return self.example if self.example is not None else self.default
