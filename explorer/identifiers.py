"""How each identifier is normalised and keyed: the one place, for loading, search and the watchlist.

The loaders register these functions as the normalisers mappings name
(`normaliser: phone`), so a stored key is whatever these functions make of a
cell. Search, investigation parameters of type `identifier` and the watchlist
run the same functions on what the analyst types, so every spelling a loader
accepts finds the node it made.

Each normaliser takes a value as read (a string, or a number from XLSX and
JSON Lines) and returns the cleaned text, or raises `ValueError` with a short
reason (the loaders write it to the rejects file). Phones without a country
code are read in the region of `EXPLORER_REGION` (explorer.config).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import phonenumbers

from explorer import model
from explorer.config import region

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
    """Waybill numbers and the like: folded, upper case, no spaces (`sf 1002` -> `SF1002`)."""
    return re.sub(r"\s+", "", fold(value)).upper()


def _integral(value: Any) -> Any:
    # XLSX and JSON give numbers; a phone or card typed as a number must not become "1.3812345678e10".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def handle(value: Any) -> str:
    """Account handles keep their case (WeChat ids are case-sensitive) but lose spaces.

    A leading `@` is how chats write a Telegram or forum username, not part of it: `@dealer01` -> `dealer01`.
    """
    cleaned = re.sub(r"\s+", "", fold(_integral(value)))
    return cleaned[1:] if cleaned.startswith("@") and len(cleaned) > 1 else cleaned


# -- phones --------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-().]")
# Two numbers in one cell: `138-1234-5678;139...` once separators are dropped, or `13812345678 13900000000`
# (a line break read as a space) as written.
_SEVERAL_PHONES = re.compile(r"\d{5}[;；,，/、|]\+?\d{5}")
_TWO_NUMBERS = re.compile(r"\d{7,}[\s;；,，/、|]+\+?\d{7,}")
_PHONE_SHAPE = re.compile(r"\+?\d{6,17}", re.ASCII)


def _mobile_pattern(region_code: str) -> re.Pattern[str] | None:
    # The region's mobile numbers, as the phone library's own metadata describes them: by far the most
    # common phones in the exports, and recognised here without the library's general parse (a tenth of
    # its cost). Regions whose mobiles carry a national prefix fall through to the general parse.
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region_code)
    if metadata is None or metadata.mobile is None or not metadata.mobile.national_number_pattern:
        return None
    code = phonenumbers.country_code_for_region(region_code)
    return re.compile(rf"(?:\+{code})?({metadata.mobile.national_number_pattern})", re.ASCII)


_REGION = region()
_COUNTRY_CODE = phonenumbers.country_code_for_region(_REGION)
if not _COUNTRY_CODE:
    raise ValueError(f"EXPLORER_REGION={_REGION!r} is not a region code such as CN.")
_MOBILE = _mobile_pattern(_REGION)
_CODE_TEXT = str(_COUNTRY_CODE)
_METADATA = phonenumbers.PhoneMetadata.metadata_for_region(_REGION)
_NATIONAL = re.compile(_METADATA.general_desc.national_number_pattern or r"(?!)", re.ASCII)
_NATIONAL_PREFIX = _METADATA.national_prefix


def phone(value: Any) -> str:
    """E.164, in the default region unless the number says otherwise (`138 1234 5678` -> `+8613812345678`)."""
    raw = fold(_integral(value))
    cleaned = phone_text(raw)
    if _MOBILE is not None:
        mobile = _MOBILE.fullmatch(cleaned)
        if mobile is None and cleaned.startswith(_CODE_TEXT):
            mobile = _mobile_after_code(cleaned)
        if mobile:
            return f"+{_COUNTRY_CODE}{mobile.group(1)}"
    return parse_phone(raw, cleaned)


def _mobile_after_code(cleaned: str) -> re.Match[str] | None:
    """The region's mobile number after its country code written without `+` (`8613812345678`), as the
    phone library reads it: the code is dropped when the whole is no national number and the rest is
    one (here: a mobile number, with no national prefix of its own). Some carriers' call records write
    every number so; the library's general parse of each costs some 60 microseconds."""
    rest = cleaned[len(_CODE_TEXT) :]
    if _NATIONAL.fullmatch(cleaned) or (_NATIONAL_PREFIX and rest.startswith(_NATIONAL_PREFIX)):
        return None
    return _MOBILE.fullmatch(rest) if _MOBILE is not None else None


def phone_text(raw: str) -> str:
    """Separators dropped, and the international prefix 00 written as +."""
    cleaned = _PHONE_JUNK.sub("", raw)
    return "+" + cleaned[2:] if cleaned.startswith("00") else cleaned


def parse_phone(raw: str, cleaned: str) -> str:
    """The phone library's full parse of `cleaned` (`raw` names the value in the error)."""
    if "*" in raw:
        raise ValueError(f"a masked phone number (digits hidden by the export): {raw!r}; it names no one phone")
    if _SEVERAL_PHONES.search(cleaned) or _TWO_NUMBERS.search(raw):  # else read as one, or the second dropped
        raise ValueError(f"holds more than one phone number: {raw!r} (a cell takes one)")
    try:
        parsed = phonenumbers.parse(cleaned, _REGION)
    except phonenumbers.NumberParseException as e:
        raise ValueError(f"not a phone number: {raw!r}") from e
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# -- numbers of cards, documents and devices ---------------------------------------


def card(value: Any) -> str:
    """Bank card or account number: digits only, 8 to 30 of them (groups split by spaces or dashes)."""
    raw = fold(_integral(value))
    if "*" in raw:  # `6222 **** **** 1234`: the digits left would make a number shared by unrelated cards
        raise ValueError(f"a masked card number (digits hidden by the export): {raw!r}; it names no one account")
    digits = re.sub(r"[\s\-]", "", raw)
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


# -- accounts and sites ------------------------------------------------------------

_PLATFORMS = {
    "wechat": "wechat", "weixin": "wechat", "wx": "wechat", "微信": "wechat", "微信号": "wechat",
    "wechatpay": "wechatpay", "wechat pay": "wechatpay", "微信支付": "wechatpay", "财付通": "wechatpay",
    "tenpay": "wechatpay", "alipay": "alipay", "支付宝": "alipay", "qq": "qq", "telegram": "telegram",
    "tg": "telegram", "电报": "telegram", "飞机": "telegram", "bank": "bank", "银行": "bank", "银行卡": "bank",
    "crypto": "crypto", "usdt": "crypto", "btc": "crypto", "bitcoin": "crypto", "比特币": "crypto",
    "钱包": "crypto", "加密货币": "crypto", "vendor": "vendor", "market": "vendor", "商家": "vendor",
    "卖家": "vendor", "email": "email", "e-mail": "email", "邮箱": "email", "mail": "email",
}  # fmt: skip


def platform_spellings() -> dict[str, str]:
    """How exports write each platform: spelling (folded, lower case) -> the model's platform."""
    return dict(_PLATFORMS)


def site_kind_spellings() -> dict[str, str]:
    return dict(_SITE_KINDS)


def platform(value: Any) -> str:
    """Account platform, one of the model's (微信 -> wechat, 支付宝 -> alipay...)."""
    raw = fold(value).lower()
    if raw not in _PLATFORMS:
        raise ValueError(f"unknown account platform: {raw!r}")
    return _PLATFORMS[raw]


def account(value: Any) -> str:
    """An account id, `<platform>:<handle>` (`WeChat: wxid_a1` -> `wechat:wxid_a1`).

    A bank account's number is keyed digits only, as bank statements key it.
    """
    raw = fold(value)
    head, sep, rest = raw.partition(":")
    if not sep or not rest.strip():
        raise ValueError(f"not an account (platform:handle): {raw!r}")
    kind = platform(head)
    if kind == "bank":
        try:
            return f"bank:{card(rest)}"
        except ValueError:
            pass
    return f"{kind}:{handle(rest)}"


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


NORMALISERS: dict[str, Callable[[Any], str]] = {
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
    "platform": platform,
    "account": account,
    "site_kind": site_kind,
}


# -- what an analyst types -------------------------------------------------------------


def normalise(kind: str, value: Any) -> str:
    """`value` keyed as the loaders key an identifier of this kind (model.IDENTIFIER_KINDS)."""
    if kind not in model.IDENTIFIERS:
        raise ValueError(f"unknown identifier kind {kind!r}: one of {', '.join(model.IDENTIFIERS)}")
    return NORMALISERS[model.IDENTIFIERS[kind].normaliser](value)


def _attempt(normaliser: Callable[[Any], str], value: str) -> str | None:
    try:
        return normaliser(value)
    except ValueError:
        return None


def _looks_like_phone(folded: str) -> bool:
    return bool(_PHONE_SHAPE.fullmatch(phone_text(folded)))


def canonical(value: Any) -> str:
    """The one key an identifier typed in any spelling most likely has: the value of an `identifier` parameter.

    In order: a valid phone number (E.164), a card or account number written in groups (digits only),
    `platform:handle` with a known platform (an account id), an ID card number (upper case), an IP
    address, an `@handle` (without the `@`); anything else is folded as names are (`张 三` -> `张三`).
    """
    folded = fold(value)
    if not folded:
        return folded
    if _looks_like_phone(folded) and (e164 := _attempt(phone, folded)):
        return e164
    if re.fullmatch(r"[\d\s\-*]+", folded) and (digits := _attempt(card, folded)):
        return digits
    head, sep, _ = folded.partition(":")
    if sep and fold(head).lower() in _PLATFORMS and (account_id := _attempt(account, folded)):
        return account_id
    for normaliser in (id_number, ip):
        if found := _attempt(normaliser, folded):
            return found
    if folded.startswith("@"):
        return handle(folded)
    return name(folded)


def search_keys(value: Any) -> list[str]:
    """Every key the typed value may be stored under, the likeliest first (for exact-key search)."""
    folded = fold(value)
    if not folded:
        return []
    keys = [canonical(folded), folded]
    keys += [_attempt(n, folded) for n in (phone, card, handle, upper_nospace, id_number, imei, ip, name, account)]
    return list(dict.fromkeys(k for k in keys if k))
