"""Dates that do not start with the year: English month names ("Mar 25, 2015", "25-Mar-2015 2:05 PM"),
Chinese month names (三月), and numeric dates with the year last read day-first or month-first as
the mapping says (`dates: {order: day_first}`).

`groups` returns the parts of a date and time for loaders.normalise.timestamp, which adds the zone.
"""

from __future__ import annotations

import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CHINESE_MONTH = re.compile(r"(十[一二]|[一二三四五六七八九十])月")
_TIME = (
    r"(?:[\sT,]+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?)?"
)
_WEEKDAY = r"(?:[A-Za-z]{3,9}\.?,?\s+)?"
_MONTH_FIRST_WORDS = re.compile(_WEEKDAY + r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME)
_DAY_FIRST_WORDS = re.compile(
    _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([A-Za-z]{3,9})\.?,?[\s\-/]+(\d{4})" + _TIME
)
_YEAR_LAST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME)


def chinese_months(raw: str) -> str:
    """`2015年三月25日` -> `2015年3月25日`."""
    if "月" not in raw:
        return raw
    return _CHINESE_MONTH.sub(lambda m: f"{_chinese_number(m.group(1))}月", raw)


def _chinese_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CHINESE_DIGITS[text[1]]
    return _CHINESE_DIGITS[text]


def _month(word: str) -> int | None:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTHS.get(word[:3]) if len(word) >= 3 else None


def _zone(text: str | None) -> str | None:
    if not text or text == "Z":
        return text
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", text)
    if not m:
        return None
    return f"{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}"


def _hour(hour: str | None, meridiem: str | None) -> int:
    h = int(hour or 0)
    if meridiem:
        pm = meridiem.lower().startswith("p")
        if not 1 <= h <= 12:
            raise ValueError("an hour of AM/PM time must be 1 to 12")
        h = h % 12 + (12 if pm else 0)
    return h


def groups(raw: str, order: str = "year_first") -> tuple[int, int, int, int, int, float, str | None] | None:
    """(year, month, day, hour, minute, seconds, zone) of a date in words or with the year last; None when
    the text is neither. A numeric date with the year last needs `order` day_first or month_first."""
    m = _MONTH_FIRST_WORDS.fullmatch(raw)
    if m and _month(m.group(1)):
        month, day, year = _month(m.group(1)), int(m.group(2)), int(m.group(3))
        rest = m.groups()[3:]
    else:
        m = _DAY_FIRST_WORDS.fullmatch(raw)
        if m and _month(m.group(2)):
            day, month, year = int(m.group(1)), _month(m.group(2)), int(m.group(3))
            rest = m.groups()[3:]
        else:
            m = _YEAR_LAST.fullmatch(raw)
            if not m:
                return None
            if order == "year_first":
                raise ValueError(
                    f"{raw!r} has the year last: say in the mapping whether it is day-first or month-first "
                    "(dates: {order: day_first})"
                )
            first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            day, month = (first, second) if order == "day_first" else (second, first)
            rest = m.groups()[3:]
    hour, minute, seconds, meridiem, zone = rest
    assert month is not None
    return year, month, day, _hour(hour, meridiem), int(minute or 0), float(seconds or 0), _zone(zone)
