"""Columns of an export that no mapping column reads, and what their values look like.

A column the mapping leaves out is not loaded; when its values look like identifiers, addresses,
dates or amounts, that is very likely evidence being lost, and the dry run and the load summary
say so loudly (docs/mappings.md, "Nothing is lost without a word").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from explorer import identifiers
from loaders.normalise import amount, timestamp

SAMPLE_ROWS = 200
SHARE = 0.6  # of the non-empty sampled values that must look like the kind

_HANDLE = re.compile(r"(?:wxid_[A-Za-z0-9_-]{4,}|@[A-Za-z][A-Za-z0-9_]{3,}|[\w.+-]+@[\w-]+\.[\w.]+)")
_WAYBILL = re.compile(r"[A-Z]{1,4}\d{8,}|\d{10,15}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_ADDRESS_CHARS = set("省市区县镇乡村路街道号巷弄栋室楼")
_ADDRESS_WORDS = re.compile(r"\d.*\b(?:street|st|road|rd|avenue|ave|lane|ln|blvd|building|floor)\b", re.I)
_MONEY = re.compile(r"[¥￥$]|元|RMB|CNY|\.\d{1,2}$")
_COMPACT_DATE = re.compile(r"\d{8}(?:\d{6})?")


def _ok(fn: Callable[[Any], Any], value: Any) -> bool:
    try:
        fn(value)
        return True
    except (ValueError, TypeError, OverflowError):
        return False


def _identifier(value: str) -> bool:
    digits = re.sub(r"[\s\-]", "", value)
    if _HANDLE.fullmatch(value) or _IPV4.fullmatch(value) or _WAYBILL.fullmatch(value.upper()):
        return True
    if digits.isdigit() and 11 <= len(digits) <= 19:  # phones, cards, IMEIs
        return True
    if re.fullmatch(r"\d{17}[\dXx]", digits):
        return True
    return _ok(identifiers.phone, value) and sum(ch.isdigit() for ch in value) >= 7


def _date(value: str) -> bool:
    if value.replace(".", "", 1).isdigit() and not _COMPACT_DATE.fullmatch(value):
        return False
    return _ok(timestamp, value)


def _amount(value: str) -> bool:
    return bool(_MONEY.search(value)) and _ok(amount, value)


def _address(value: str) -> bool:
    return len(_ADDRESS_CHARS.intersection(value)) >= 2 or bool(_ADDRESS_WORDS.search(value))


KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("an identifier", _identifier),
    ("a date", _date),
    ("an amount", _amount),
    ("an address", _address),
)


def looks_like(values: list[Any]) -> tuple[str, str] | None:
    """(kind, an example) when most non-empty values look like an identifier, a date, an amount or an address."""
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return None
    for kind, test in KINDS:
        hits = [t for t in texts if test(t)]
        if len(hits) >= SHARE * len(texts):
            return kind, hits[0]
    return None


def unused_warnings(mapping: str, headers: list[str], unused: list[int], rows: list[list[Any]]) -> list[str]:
    """A warning for each unused column whose sampled values look like evidence."""
    warnings = []
    for i in unused:
        found = looks_like([r[i] for r in rows[:SAMPLE_ROWS] if i < len(r)])
        if found:
            kind, example = found
            warnings.append(
                f"column {headers[i]!r} looks like {kind} (e.g. {example!r}) but mapping {mapping} does not read it: "
                "its values are NOT loaded; add the header to a column's aliases or a column of its own"
            )
    return warnings
