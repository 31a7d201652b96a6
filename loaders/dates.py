"""Dates that do not start with the year: English month names ("Mar 25, 2015", "25-Mar-2015 2:05 PM"),
Chinese month names (三月), and numeric dates with the year last read day-first or month-first as
the mapping says (`dates: {order: day_first}`).

`groups` returns the parts of a date and time for loaders.normalise.timestamp, which adds the zone;
`tidied` rewrites what phone extractions and statements add around a time (a zone in brackets, 下午 or
PM, a compact date and time split by a space) so the general pattern reads it; `seconds` reads a duration.
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


# What exports write around a time that the general pattern does not read, rewritten by `tidied`:
_BRACKET_ZONE = re.compile(r"\s*[(（]\s*(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*[)）]$")  # (UTC+8)
_CHINESE_MERIDIEM = re.compile(r"(上午|早上|凌晨|中午|下午|晚上)\s*(\d{1,2})(?=\s*[:：时点])")  # 下午9:02
_ENGLISH_MERIDIEM = re.compile(r"(\d{1,2})(:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([AaPp])\.?[Mm]\.?$")  # 9:02 PM at the end
_COMPACT_SPLIT = re.compile(r"(\d{8})[\sT]+(\d{6}|\d{4})$")  # 20240305 211403
_AFTERNOON = {"下午", "晚上"}


def tidied(raw: str) -> str | None:
    """`raw` rewritten for the general pattern, or None when there is nothing to rewrite:
    `2024/3/5 21:14:03(UTC+8)` -> `2024/3/5 21:14:03+08:00`, `2024/3/5 下午9:02` -> `2024/3/5 21:02`,
    `2024-03-05 9:02 PM` -> `2024-03-05 21:02`, `20240305 211403` -> `20240305211403`."""
    text = raw
    zone = _BRACKET_ZONE.search(text)
    if zone:
        sign, hours, minutes = zone.groups()
        offset = f"{sign}{int(hours):02d}:{minutes or '00'}" if sign else "+00:00"
        text = text[: zone.start()] + offset
    text = _CHINESE_MERIDIEM.sub(_chinese_hour, text)
    text = _ENGLISH_MERIDIEM.sub(lambda m: f"{_hour(m.group(1), m.group(3) + 'm'):02d}{m.group(2)}", text)
    text = _COMPACT_SPLIT.sub(r"\1\2", text)
    return text if text != raw else None


def _chinese_hour(m: re.Match[str]) -> str:
    """下午 9 -> 21, 上午 12 -> 0, 中午 12 -> 12, 中午 1 -> 13."""
    word, hour = m.group(1), int(m.group(2))
    if hour > 12:
        raise ValueError(f"{word}{hour}: an hour after {word} must be 1 to 12")
    if word in _AFTERNOON or (word == "中午" and hour < 12):
        return str(hour % 12 + 12)
    return str(0 if hour == 12 and word != "中午" else hour)


_DURATION_PARTS = re.compile(
    r"(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h|hr|hrs|hours?))?\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|m|min|mins|minutes?))?"
    r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒钟|秒|s|sec|secs|seconds?))?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)")


def seconds(raw: str) -> float | None:
    """A duration in seconds: `00:01:23`, `1:23`, `1分23秒`, `1小时2分`, `83秒`, `83s`, `2m 5s`; None when
    `raw` is none of these (a plain number is read by the caller)."""
    clock = _CLOCK.fullmatch(raw)
    if clock:
        hours, minutes, secs = clock.groups()
        if int(minutes) >= 60 and hours is not None or float(secs) >= 60:
            return None
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    parts = _DURATION_PARTS.fullmatch(raw.strip())
    if parts is None or not any(parts.groups()):
        return None
    hours, minutes, secs = (float(g or 0) for g in parts.groups())
    return hours * 3600 + minutes * 60 + secs
