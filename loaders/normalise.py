"""Named normalisers that mappings refer to (`normaliser: phone`).

Each takes the cell as read (a string, or a number/datetime from XLSX and
JSON Lines) and returns the cleaned value, or raises `ValueError` with a short
reason that ends up in the rejects file. Empty cells never reach them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import phonenumbers

CHINA_TIME = timezone(timedelta(hours=8), "+08:00")
DEFAULT_REGION = "CN"
EXCEL_EPOCH = datetime(1899, 12, 30)

_SPACES = re.compile(r"\s+")


def fold(value: Any) -> str:
    """Full-width to half-width (NFKC), stray whitespace collapsed and trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def text(value: Any) -> str:
    return fold(value)


def name(value: Any) -> str:
    """Names: folded, and no space between Chinese characters (张 三 -> 张三)."""
    folded = fold(value)
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", folded)


def address(value: Any) -> str:
    return name(value)


def lower(value: Any) -> str:
    return fold(value).lower()


def upper_nospace(value: Any) -> str:
    return re.sub(r"\s+", "", fold(value)).upper()


def handle(value: Any) -> str:
    """Account handles keep their case (WeChat ids are case-sensitive) but lose spaces.

    A leading `@` is how chats write a Telegram or forum username, not part of it: `@dealer01` -> `dealer01`.
    """
    cleaned = re.sub(r"\s+", "", fold(_integral(value)))
    return cleaned[1:] if cleaned.startswith("@") and len(cleaned) > 1 else cleaned


def _integral(value: Any) -> Any:
    # XLSX and JSON give numbers; a phone or card typed as a number must not become "1.3812345678e10".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Mainland mobile numbers, as the phone library's own metadata describes them: by far the most common
# phones in the exports, and recognised here without the library's general parse (a tenth of its cost).
_PHONE_JUNK = re.compile(r"[\s\-().]")
_CN_MOBILE = re.compile(
    r"(?:\+86)?(" + phonenumbers.PhoneMetadata.metadata_for_region(DEFAULT_REGION).mobile.national_number_pattern + ")",
    re.ASCII,
)


def phone(value: Any) -> str:
    """E.164, China as the default region (`138 1234 5678` -> `+8613812345678`)."""
    raw = fold(_integral(value))
    cleaned = _phone_text(raw)
    mobile = _CN_MOBILE.fullmatch(cleaned)
    if mobile:
        return "+86" + mobile.group(1)
    return _parse_phone(raw, cleaned)


def _phone_text(raw: str) -> str:
    """Separators dropped, and the international prefix 00 written as +."""
    cleaned = _PHONE_JUNK.sub("", raw)
    return "+" + cleaned[2:] if cleaned.startswith("00") else cleaned


def _parse_phone(raw: str, cleaned: str) -> str:
    try:
        parsed = phonenumbers.parse(cleaned, DEFAULT_REGION)
    except phonenumbers.NumberParseException as e:
        raise ValueError(f"not a phone number: {raw!r}") from e
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def card(value: Any) -> str:
    """Bank card or account number: digits only, 8 to 30 of them."""
    raw = fold(_integral(value))
    digits = re.sub(r"[\s\-*]", "", raw)
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise ValueError(f"not a bank card or account number: {raw!r}")
    return digits


def id_number(value: Any) -> str:
    """Chinese resident ID: 18 characters (last may be X) or the old 15 digits."""
    raw = upper_nospace(_integral(value))
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", raw):
        raise ValueError(f"not an ID card number: {raw!r}")
    return raw


def imei(value: Any) -> str:
    raw = re.sub(r"[\s\-/]", "", fold(_integral(value)))
    if not re.fullmatch(r"\d{14,16}", raw):
        raise ValueError(f"not an IMEI (14-16 digits): {raw!r}")
    return raw


def ip(value: Any) -> str:
    raw = fold(value)
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError as e:
        raise ValueError(f"not an IP address: {raw!r}") from e


_AMOUNT_JUNK = re.compile(r"[¥￥$,\s]|RMB|CNY|人民币|元|圆")


def amount(value: Any) -> float:
    """`¥1,200.00`, `-350.5元`, `(20.00)`, `1.2万` -> float."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raw = fold(value)
    s = _AMOUNT_JUNK.sub("", raw.upper().replace("−", "-"))
    negative = s.startswith("(") and s.endswith(")")
    s = s.strip("()")
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


def timestamp(value: Any) -> datetime:
    """A point in time, zone-aware (China time unless the value says otherwise).

    Accepts ISO 8601, `2021/6/23 14:05`, `2021年6月23日 14时05分`, `20210623140500`,
    Excel serial numbers (days since 1899-12-30), Unix seconds and milliseconds.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA_TIME)
    raw = fold(value)
    number = _as_number(raw)
    if number is not None and not _COMPACT.fullmatch(raw):
        if 20_000 <= number < 80_000:  # Excel serial: 1954..2119
            return (EXCEL_EPOCH + timedelta(seconds=round(number * 86400))).replace(tzinfo=CHINA_TIME)
        if 1e9 <= number < 1e10:
            return datetime.fromtimestamp(number, UTC).astimezone(CHINA_TIME)
        if 1e12 <= number < 1e13:
            return datetime.fromtimestamp(number / 1000, UTC).astimezone(CHINA_TIME)
        raise ValueError(f"not a date and time: {raw!r}")
    m = _DATETIME.fullmatch(raw) or _COMPACT.fullmatch(raw)
    if not m:
        raise ValueError(f"not a date and time: {raw!r}")
    groups = m.groups()
    year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    hour = int(groups[3] or 0)
    minute = int(groups[4] or 0)
    seconds = float(groups[5] or 0)
    zone = groups[6] if len(groups) > 6 else None
    tz = CHINA_TIME
    if zone:
        if zone == "Z":
            tz = UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        whole = int(seconds)
        return datetime(year, month, day, hour, minute, whole, int(round((seconds - whole) * 1e6)), tzinfo=tz)
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


_PLATFORMS = {
    "wechat": "wechat", "weixin": "wechat", "wx": "wechat", "微信": "wechat", "微信号": "wechat",
    "wechatpay": "wechatpay", "wechat pay": "wechatpay", "微信支付": "wechatpay", "财付通": "wechatpay",
    "tenpay": "wechatpay", "alipay": "alipay", "支付宝": "alipay", "qq": "qq", "telegram": "telegram",
    "tg": "telegram", "电报": "telegram", "飞机": "telegram", "bank": "bank", "银行": "bank", "银行卡": "bank",
    "crypto": "crypto", "usdt": "crypto", "btc": "crypto", "bitcoin": "crypto", "比特币": "crypto",
    "钱包": "crypto", "加密货币": "crypto", "vendor": "vendor", "market": "vendor", "商家": "vendor",
    "卖家": "vendor", "email": "email", "e-mail": "email", "邮箱": "email", "mail": "email",
}  # fmt: skip


def platform(value: Any) -> str:
    """Account platform, one of docs/model.md's list (微信 -> wechat, 支付宝 -> alipay...)."""
    raw = fold(value).lower()
    if raw not in _PLATFORMS:
        raise ValueError(f"unknown account platform: {raw!r}")
    return _PLATFORMS[raw]


_SITE_KINDS = {
    "website": "website", "site": "website", "web": "website", "网站": "website", "网页": "website",
    "market": "market", "darknet": "market", "darknet market": "market", "暗网": "market", "暗网市场": "market",
    "市场": "market", "forum": "forum", "论坛": "forum", "贴吧": "forum", "bbs": "forum", "group": "group",
    "group chat": "group", "chat": "group", "群": "group", "群聊": "group", "qq群": "group", "微信群": "group",
    "telegram group": "group", "channel": "group", "频道": "group",
}  # fmt: skip


def site_kind(value: Any) -> str:
    raw = fold(value).lower()
    if raw not in _SITE_KINDS:
        raise ValueError(f"unknown site kind (website, market, forum, group): {raw!r}")
    return _SITE_KINDS[raw]


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


NORMALISERS: dict[str, Callable[[Any], Any]] = {
    "text": text,
    "name": name,
    "address": address,
    "lower": lower,
    "upper_nospace": upper_nospace,
    "handle": handle,
    "phone": phone,
    "card": card,
    "id_number": id_number,
    "imei": imei,
    "ip": ip,
    "amount": amount,
    "abs": absolute,
    "int": integer,
    "float": decimal,
    "datetime": timestamp,
    "direction": direction,
    "sign_direction": sign_direction,
    "platform": platform,
    "site_kind": site_kind,
    "rel_type": rel_type,
    "raw": lambda v: v,
}
