"""Identifiers written inside free text (chat messages, posts): phones, accounts, cards, waybills, addresses.

`find_mentions(text)` returns each identifier with the span of text it was read from; a mapping's
`extract` section names the node whose text is read (`extract: {message: text}`), and the load adds a
MENTIONS link from that node to each identifier's node, with the span (`start`, `end`, `matched`, `kind`)
and the row's provenance. Keys come from explorer.identifiers, so a phone written in a chat is the
same node as the phone of a call record.

The patterns prefer missing an identifier to inventing one: numbers next to order words (订单号, 流水号)
are not phones or cards, an ungrouped card number must pass the Luhn check unless a card word (卡号,
银行卡) precedes it, and a digit run that is part of a waybill or card is not also read as a phone.
Extraction is on unless EXPLORER_EXTRACT is `off` (or `python -m loaders load --no-extract`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer import identifiers

if TYPE_CHECKING:
    from loaders.mapping import Mapping

EXTRACT_ENV = "EXPLORER_EXTRACT"
REL_TYPE = "MENTIONS"
# What an extraction writes besides its source node: labels, their keys and properties, the link's properties.
LABELS = {"Phone": "number", "Account": "account_id", "Parcel": "waybill", "Address": "address_id"}
NODE_PROPERTIES = ("platform", "handle", "text")
# The properties a mention gives each label's node.
LABEL_PROPERTIES = {"Phone": (), "Account": ("platform", "handle"), "Parcel": (), "Address": ("text",)}
LINK_PROPERTIES = ("start", "end", "matched", "kind")


@contextmanager
def switched(on: bool) -> Iterator[None]:
    """Extraction on or off for the loads run inside (the command line's --no-extract)."""
    previous = os.environ.get(EXTRACT_ENV)
    os.environ[EXTRACT_ENV] = "on" if on else "off"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(EXTRACT_ENV, None)
        else:
            os.environ[EXTRACT_ENV] = previous


def enabled() -> bool:
    """True unless EXPLORER_EXTRACT says off (benchmarks of the bare load turn it off)."""
    return os.environ.get(EXTRACT_ENV, "on").strip().lower() not in ("off", "0", "false", "no")


@dataclass(frozen=True)
class Mention:
    """One identifier written in a text: its node and the span it was read from."""

    kind: str  # phone, wechat, qq, telegram, alipay, card, waybill, address
    label: str
    key: str
    start: int
    end: int
    matched: str
    props: tuple[tuple[str, str], ...] = ()

    @property
    def link_props(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "matched": self.matched, "kind": self.kind}


# -- patterns -----------------------------------------------------------------------

_LABEL_SEP = r"\s*(?:号|账号|帐号|id|ID)?\s*[:：]?\s*"
_MOBILE = r"1[3-9]\d(?:[\s-]?\d){8}"
_PHONE = re.compile(rf"(?<![\d+])(?:(?:\+|00)?86[\s-]?|\(\+?86\)[\s-]?|（\+?86）[\s-]?)?{_MOBILE}(?!\d)")
_CARD = re.compile(r"(?<![\d-])\d{4}(?:[\s-]?\d{4}){3}(?:[\s-]?\d{1,3})?(?![\d-])")
_WAYBILL = re.compile(
    r"(?<![A-Za-z0-9])(SF|YT|ZTO|ZT|STO|JDVA|JDV|JDX|JD|JT|YD|EMS|EM|DPK|DBL|HTKY|YZ)[\s-]?(\d{9,15})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_WAYBILL_LABELLED = re.compile(r"(?:运单号?|快递单号?|(?<!订)单号)\s*[:：]?\s*([A-Za-z]{0,4}\d{10,15})(?![A-Za-z0-9])")
_WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_-]{4,30}(?![A-Za-z0-9_-])")
_WECHAT = re.compile(
    rf"(?:微信|威信|薇信|v信|V信|(?<![A-Za-z])(?:vx|VX|wx|WX|weixin|wechat|WeChat))(?!id_){_LABEL_SEP}"
    r"([A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])"
)
_QQ = re.compile(rf"(?:(?<![A-Za-z])(?:QQ|qq|Qq)|扣扣|企鹅){_LABEL_SEP}([1-9]\d{{4,11}})(?!\d)")
_TELEGRAM = re.compile(
    rf"(?:(?<![A-Za-z])(?:telegram|Telegram|TG|tg)|飞机|电报){_LABEL_SEP}@?([A-Za-z][A-Za-z0-9_]{{4,31}})(?![A-Za-z0-9_])"
)
_AT_HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_@])")
_ALIPAY = re.compile(
    rf"(?:支付宝|(?<![A-Za-z])(?:alipay|Alipay|ALIPAY|zfb|ZFB)){_LABEL_SEP}"
    rf"({_MOBILE}|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}})(?!\d)"
)
# Words one of which must be in a text for a pattern to be tried (`wxid_` before `wx`: cues do not overlap).
_CUE_WORDS = {
    "wxid": ("wxid_",),
    "wechat": ("微信", "威信", "薇信", "v信", "V信", "vx", "VX", "wx", "WX", "weixin", "wechat", "WeChat"),
    "qq": ("QQ", "qq", "Qq", "扣扣", "企鹅"),
    "telegram": ("telegram", "Telegram", "TG", "tg", "飞机", "电报"),
    "at": ("@",),
    "alipay": ("支付宝", "alipay", "Alipay", "ALIPAY", "zfb", "ZFB"),
    "city": ("市",),
}
# One pass over a text says which patterns are worth trying: their cue words are in it. Every phone, card,
# waybill and QQ number has three digits in a row (`digits`). Most texts name nothing, and are read once.
_CUES = re.compile(
    "|".join(f"(?P<{name}>{'|'.join(map(re.escape, words))})" for name, words in _CUE_WORDS.items())
    + r"|(?P<digits>\d{3})"
)
# Chat apps where `@name` is how a group message mentions a member (values of the model's platforms, and apps).
_GROUP_MENTION_APPS = frozenset({"wechat", "qq", "weixin", "wx", "微信", "qq群", "微信群"})
_LABELLED = ((_WECHAT, "wechat", "wechat"), (_QQ, "qq", "qq"), (_TELEGRAM, "telegram", "telegram"),
             (_AT_HANDLE, "telegram", "at"))  # fmt: skip
_HAN = r"\u4e00-\u9fff"
_ADDRESS = re.compile(
    rf"(?:[{_HAN}]{{2,8}}?(?:省|自治区))?[{_HAN}]{{2,8}}?市[{_HAN}]{{1,6}}?(?:区|县|旗)"
    rf"(?:[{_HAN}0-9]{{1,12}}?(?:大道|路|街|道|巷|弄|村|镇|乡))?"
    r"(?:\d+(?:-\d+)?号)?(?:\d+(?:栋|幢|号楼))?(?:\d+单元)?(?:\d+室)?"
)
_ADDRESS_DETAIL = re.compile(r"(?:大道|路|街|道|巷|弄|村|镇|乡|号|栋|幢|室)$")
# Characters that end the words written before an address ("发到", "地址是", "寄往"): cut at the last one.
_ADDRESS_LEAD = re.compile(r"^.*[到在往至是寄发送址收去给从：:，,。 ]")

# Words after which a number is an order, a transaction or a document, not a phone or card.
_NOT_CONTACT = re.compile(r"(?:订单|单号|编号|流水|交易号|尾号|身份证|证件|工号|学号)[号码]?\s*[:：]?\s*$")
_CARD_WORD = re.compile(r"(?:卡号|银行卡|储蓄卡|信用卡|卡|银行|账号|帐号|户名|转到|打到)\s*[:：]?\s*$")
_BEFORE = 8  # characters before a number searched for the words above


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _before(text: str, start: int) -> str:
    return text[max(0, start - _BEFORE) : start]


def _account(kind: str, handle_text: str, m: re.Match[str], group: int) -> Mention | None:
    try:
        handle = identifiers.handle(handle_text)
    except ValueError:
        return None
    return Mention(kind, "Account", f"{kind}:{handle}", m.start(group), m.end(group), m.group(group),
                   (("platform", kind), ("handle", handle)))  # fmt: skip


def _waybills(text: str) -> Iterator[Mention]:
    for m in _WAYBILL.finditer(text):
        key = m.group(1).upper() + m.group(2)
        yield Mention("waybill", "Parcel", key, m.start(), m.end(), m.group(0))
    for m in _WAYBILL_LABELLED.finditer(text):
        key = identifiers.upper_nospace(m.group(1))
        yield Mention("waybill", "Parcel", key, m.start(1), m.end(1), m.group(1))


def _cards(text: str) -> Iterator[Mention]:
    for m in _CARD.finditer(text):
        digits = re.sub(r"[\s-]", "", m.group(0))
        before = _before(text, m.start())
        if not 16 <= len(digits) <= 19 or _NOT_CONTACT.search(before):
            continue
        if not luhn(digits) and not _CARD_WORD.search(before):
            continue
        yield Mention("card", "Account", f"bank:{digits}", m.start(), m.end(), m.group(0),
                      (("platform", "bank"), ("handle", digits)))  # fmt: skip


def _accounts(text: str, cues: set[str]) -> Iterator[Mention]:
    if "wxid" in cues:
        for m in _WXID.finditer(text):
            if found := _account("wechat", m.group(0), m, 0):
                yield found
    for pattern, kind, cue in _LABELLED:
        if cue in cues:
            for m in pattern.finditer(text):
                if found := _account(kind, m.group(1), m, 1):
                    yield found
    if "alipay" not in cues:
        return
    for m in _ALIPAY.finditer(text):
        handle_text = m.group(1)
        if "@" not in handle_text:
            handle_text = re.sub(r"[\s-]", "", handle_text)
        if found := _account("alipay", handle_text, m, 1):
            yield found


def _phones(text: str) -> Iterator[Mention]:
    for m in _PHONE.finditer(text):
        if _NOT_CONTACT.search(_before(text, m.start())):
            continue
        try:
            number = identifiers.phone(m.group(0))
        except ValueError:
            continue
        yield Mention("phone", "Phone", number, m.start(), m.end(), m.group(0))


def _addresses(text: str) -> Iterator[Mention]:
    for m in _ADDRESS.finditer(text):
        matched, start = m.group(0), m.start()
        lead = _ADDRESS_LEAD.match(matched.split("市", 1)[0])
        if lead:
            matched, start = matched[lead.end() :], start + lead.end()
        # A city and district alone name an area, not a place parcels go to.
        if not _ADDRESS_DETAIL.search(matched) or "市" not in matched:
            continue
        yield Mention("address", "Address", identifiers.address(matched), start, start + len(matched), matched,
                      (("text", identifiers.address(matched)),))  # fmt: skip


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < end and start < m.end for start, end in spans)


def find_mentions(text: object, platform: object = None) -> list[Mention]:
    """The identifiers written in `text`, each once (its first span), in order of position.

    `platform` is the chat app the text was written in, when known: in WeChat and QQ a bare `@name`
    mentions a member of the group, so there only a labelled one (`TG @name`) is a Telegram account.
    """
    if text is None:
        return []
    value = text if isinstance(text, str) else str(text)
    if not value.strip():
        return []
    cues = {m.lastgroup for m in _CUES.finditer(value)}
    if not cues:
        return []
    if platform is not None and str(platform).strip().lower() in _GROUP_MENTION_APPS:
        cues.discard("at")
    accounts = list(_accounts(value, cues))
    found: list[Mention] = list(accounts)  # first: an Alipay phone is listed as the account, then the phone
    if "digits" in cues:
        waybills = list(_waybills(value))
        claimed = [(w.start, w.end) for w in waybills]
        cards = [c for c in _cards(value) if not _overlaps(c, claimed)]
        # A digit run read as a waybill, card or QQ number is not also a phone (an Alipay phone is both).
        claimed += [(c.start, c.end) for c in cards] + [(a.start, a.end) for a in accounts if a.kind == "qq"]
        found += waybills + cards + [p for p in _phones(value) if not _overlaps(p, claimed)]
    if "city" in cues:
        found += _addresses(value)
    seen: set[tuple[str, str]] = set()
    unique = []
    for mention in sorted(found, key=lambda x: (x.start, x.end)):
        if (mention.label, mention.key) not in seen:
            seen.add((mention.label, mention.key))
            unique.append(mention)
    return unique


class Extractor:
    """Adds, to a row's batch, the identifiers written in the texts a mapping's `extract` section names."""

    def __init__(self, sources: list[tuple[str, str, str, str, str | None]]):
        # (node alias, its label, its key property, the text column, the column of its `platform` or None)
        self.sources = sources

    @classmethod
    def for_mapping(cls, mapping: Mapping) -> Extractor | None:
        """The mapping's extractor, or None when it reads no text or extraction is off."""
        if not mapping.extract or not enabled():
            return None
        sources = []
        for alias, col in mapping.extract.items():
            node = mapping.nodes[alias]
            platform = node.properties.get("platform")
            sources.append((alias, node.label, node.key, col, platform.column if platform is not None else None))
        return cls(sources)

    def add(self, batch: Any, keys: dict[str, str], values: dict[str, Any], row: int, tag: str) -> int:
        """MENTIONS links (and their nodes) for one row's texts, added to `batch` (a loaders.plan.Batch);
        returns how many identifiers were found."""
        count = 0
        for alias, label, key_prop, column, platform in self.sources:
            source = keys.get(alias)
            if source is None:
                continue
            for m in find_mentions(values.get(column), values.get(platform) if platform else None):
                target_key = LABELS[m.label]
                batch.add_node(m.label, target_key, m.key, dict(m.props))
                group = (REL_TYPE, label, key_prop, m.label, target_key, False)
                batch.add_rel(group, (source, m.key), source, m.key, row, tag, m.link_props)
                count += 1
        return count
