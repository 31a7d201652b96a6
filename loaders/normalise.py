"""Named normalisers that mappings refer to (`normaliser: phone`).

Each takes the cell as read (a string, or a number/datetime from XLSX and
JSON Lines) and returns the cleaned value, or raises `ValueError` with a short
reason that ends up in the rejects file. Empty cells never reach them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from explorer import identifiers
from explorer.config import fixed_offset, local_timezone, localise
from explorer.identifiers import fold
from loaders import dates

EXCEL_EPOCH = datetime(1899, 12, 30)


def _in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """A naive time read in `zone` (None: the local time zone), with the fixed UTC offset in force then."""
    if zone is None:
        return localise(moment)
    return moment.replace(tzinfo=fixed_offset(zone.utcoffset(moment)))


def _local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware time shown in `zone` (None: the local time zone), with the fixed offset in force then."""
    return _in_zone(moment.astimezone(zone or local_timezone()).replace(tzinfo=None), zone)


_AMOUNT_JUNK = re.compile(r"[¥￥$,\s]|RMB|CNY|人民币|元|圆")


def amount(value: Any) -> float:
    """`¥1,200.00`, `-350.5元`, `(20.00)`, `1.2万`, `500.00-`, `5,000.00 DR` -> float (a trailing minus and a
    debit mark are negative, a credit mark positive, as bank statements write them)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = fold(value)
    s = _AMOUNT_JUNK.sub("", raw.upper().replace("−", "-"))
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
    if s.endswith(("CR", "DR")):
        negative, s = negative or s.endswith("DR"), s[:-2]
    elif s.endswith("-") and s[:-1].replace(".", "", 1).isdigit():
        negative, s = True, s[:-1]
    scale = 1.0
    if s.endswith("万"):
        scale, s = 10_000.0, s[:-1]
    try:
        number = float(s) * scale
    except ValueError as e:
        raise ValueError(f"not an amount: {raw!r}") from e
    if math.isnan(number) or math.isinf(number):
        raise ValueError(f"not an amount: {raw!r}")
    return -number if negative else number


def duration(value: Any) -> int:
    """A duration in whole seconds: `83`, `00:01:23`, `1:23`, `1分23秒`, `1小时2分`, `83秒`, `83s`, `2m 5s`."""
    try:
        found: float | None = integer(value)
    except ValueError:
        found = dates.seconds(fold(value) if isinstance(value, str) else str(value))
    if found is None or found < 0:
        raw = fold(value) if isinstance(value, str) else str(value)
        raise ValueError(f"not a duration (seconds, 00:01:23 or 1分23秒): {raw!r}")
    return round(found)


def integer(value: Any) -> int:
    raw = value if isinstance(value, int | float) else fold(value).replace(",", "")
    try:
        number = float(raw)
    except (TypeError, ValueError) as e:
        raise ValueError(f"not a whole number: {value!r}") from e
    if not number.is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    return int(number)


def decimal(value: Any) -> float:
    raw = (
        value
        if isinstance(value, int | float)
        else re.sub(r"(kg|公斤|千克)$", "", fold(value).lower()).replace(",", "")
    )
    try:
        return float(raw)
    except (TypeError, ValueError) as e:
        raise ValueError(f"not a number: {value!r}") from e


_DATETIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:时點点]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?|分)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")


def timestamp(value: Any, zone: tzinfo | None = None, order: str = "year_first") -> datetime:
    """A point in time, zone-aware (in `zone`, by default `EXPLORER_TIMEZONE`, unless the value says otherwise).

    Accepts ISO 8601, `2021/6/23 14:05`, `2021年6月23日 14时05分` (or 三月), `20210623140500`,
    English month names (`Mar 25, 2015 2:05 PM`, `25-Mar-2015 14:05`), the year last when `order` is
    day_first or month_first (`25/03/2015`), Excel serial numbers (days since 1899-12-30), Unix seconds
    and milliseconds.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else _in_zone(value, zone)
    if type(value) is str and len(value) == 19 and value.isascii() and _PLAIN.match(value):
        # Most exports write `2021-06-23 14:05:00`: read by the C parser, not the general pattern below.
        try:
            return _in_zone(datetime.fromisoformat(value), zone)
        except ValueError:
            pass  # not a day of the calendar: the general reading below gives the reason
    return _written(value, zone, order)


# `YYYY-MM-DD HH:MM:SS` (or with a T), in ASCII digits: what `timestamp` reads without the general pattern.
_PLAIN = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def timestamp_text(value: Any, zone: tzinfo | None = None, order: str = "year_first") -> str:
    """`timestamp(value, zone, order)` as ISO 8601 text, the form a load sends its times in.

    A plain `2021-06-23 14:05:00` is written out directly, its offset appended, without making the
    aware datetime and printing it (at `medium`, making and printing it took a fifth of the loader's
    normalising: docs/benchmarks.md).
    """
    if type(value) is str and len(value) == 19 and value.isascii() and _PLAIN.match(value):
        try:
            naive = datetime.fromisoformat(value)  # a day of the calendar, or the general reading says why not
        except ValueError:
            pass
        else:
            return f"{value[:10]}T{value[11:]}{_offset_text((zone or local_timezone()).utcoffset(naive))}"
    return timestamp(value, zone, order).isoformat()


_OFFSET_TEXTS: dict[timedelta | None, str] = {}


def _offset_text(offset: timedelta | None) -> str:
    """How `datetime.isoformat` writes a time's UTC offset (`+08:00`; seconds too, as some old offsets have)."""
    text_ = _OFFSET_TEXTS.get(offset)
    if text_ is None:
        text_ = _OFFSET_TEXTS[offset] = datetime(2000, 1, 1, tzinfo=fixed_offset(offset)).isoformat()[19:]
    return text_


def _written(value: Any, zone: tzinfo | None, order: str) -> datetime:
    """`timestamp` of a value that is not a datetime, by the general pattern."""
    raw = fold(value)
    m = _DATETIME.fullmatch(raw)  # tried first: most cells are written dates, and a written date is no number
    if m is None:
        number = _as_number(raw)
        if number is not None and not _COMPACT.fullmatch(raw):
            if 20_000 <= number < 80_000:  # Excel serial: 1954..2119
                return _in_zone(EXCEL_EPOCH + timedelta(seconds=round(number * 86400)), zone)
            if 1e9 <= number < 1e10:
                return _local(datetime.fromtimestamp(number, UTC), zone)
            if 1e12 <= number < 1e13:
                return _local(datetime.fromtimestamp(number / 1000, UTC), zone)
            raise ValueError(f"not a date and time: {raw!r}")
        m = _COMPACT.fullmatch(raw) or _DATETIME.fullmatch(dates.chinese_months(raw))
    groups: Any = m.groups() if m else dates.groups(raw, order)
    if groups is None:
        tidy = dates.tidied(raw)  # a zone in brackets, 下午 or PM, a compact date and time split by a space
        if tidy is not None:
            try:
                return _written(tidy, zone, order)
            except ValueError:
                pass
        raise ValueError(f"not a date and time: {raw!r}")
    year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    hour = int(groups[3] or 0)
    minute = int(groups[4] or 0)
    seconds = float(groups[5] or 0)
    written = groups[6] if len(groups) > 6 else None
    tz: timezone | None = None
    if written:
        if written == "Z":
            tz = UTC
        else:
            sign = 1 if written[0] == "+" else -1
            digits = written[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        whole = int(seconds)
        moment = datetime(year, month, day, hour, minute, whole, int(round((seconds - whole) * 1e6)), tzinfo=tz)
        return moment if tz else _in_zone(moment, zone)
    except ValueError as e:
        raise ValueError(f"not a date and time: {raw!r}") from e


def _as_number(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


_DIRECTIONS = {
    "in": "in", "收": "in", "进": "in", "收入": "in", "入": "in", "转入": "in", "贷": "in", "credit": "in", "cr": "in",
    "+": "in", "out": "out", "支": "out", "出": "out", "支出": "out", "转出": "out", "借": "out", "debit": "out",
    "dr": "out", "-": "out",
}  # fmt: skip


def direction(value: Any) -> str:
    """Which way money moved for the statement's own account: `in` or `out`."""
    raw = fold(value).lower()
    if raw not in _DIRECTIONS:
        raise ValueError(f"not a direction (in/out, 收/支, 进/出): {raw!r}")
    return _DIRECTIONS[raw]


def sign_direction(value: Any) -> str:
    """`in` for a positive amount, `out` for a negative one (statements without a direction column)."""
    return "out" if amount(value) < 0 else "in"


def absolute(value: Any) -> float:
    return abs(amount(value))


def rel_type(value: Any) -> str:
    """A relationship type from data: upper case, letters, digits and underscores only."""
    raw = re.sub(r"[^A-Za-z0-9_]+", "_", fold(value)).strip("_").upper()
    if not raw or raw[0].isdigit():
        raise ValueError(f"not usable as a relationship type: {value!r}")
    return raw


def digest(*parts: Any) -> str:
    """A short stable hash of some values (keys of things that have no number)."""
    text_ = "\x1f".join(p if type(p) is str else _digest_part(p) for p in parts)
    return hashlib.sha1(text_.encode("utf-8")).hexdigest()[:20]


def _digest_part(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Identifiers are normalised as explorer.identifiers says (search and the watchlist use the same
# functions, so what is stored is what is found); times, amounts and the rest are the loaders' own.
NORMALISERS: dict[str, Callable[[Any], Any]] = {
    **identifiers.NORMALISERS,
    "amount": amount,
    "abs": absolute,
    "int": integer,
    "duration": duration,
    "float": decimal,
    "datetime": timestamp,
    "direction": direction,
    "sign_direction": sign_direction,
    "rel_type": rel_type,
    "raw": lambda v: v,
}

# Normalisers that can give their value as ISO 8601 text directly (a load sends times as text).
TEXT_NORMALISERS: dict[str, Callable[[Any], str]] = {"datetime": timestamp_text}
