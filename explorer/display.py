"""Values as a person reads them: local times with their offset, rounded numbers, file and row.

Used wherever the product shows or prints a value to an analyst (the target package, tables), so a time
reads `2024-06-08 07:57 (+08:00)` everywhere, in the configured time zone (EXPLORER_TIMEZONE).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from explorer.config import local_timezone


def when(value: Any) -> str:
    """A time in the analyst's time zone, to the minute, with its UTC offset; a date as a date."""
    if value is None:
        return ""
    if hasattr(value, "to_native"):  # neo4j.time values
        value = value.to_native()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M")
        local = value.astimezone(local_timezone())
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} ({offset[:3]}:{offset[3:]})"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def number(value: Any, digits: int = 3) -> str:
    """A number rounded for reading: whole numbers with thousands separators, others to `digits` figures."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.{digits}g}"


def money(value: Any) -> str:
    """An amount to two decimals with thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.2f}"
