"""Hypothesis strategies: the ways exports and analysts write one phone, one bank card, one account handle."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

# Mainland mobile ranges (China Mobile, Unicom, Telecom) that the phone library accepts as valid.
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "158", "159", "186", "189", "177")
SPACE = st.sampled_from(["", " ", "  ", "\t", "\u3000"])  # \u3000: the full-width space of Chinese text


def full_width(text: str) -> str:
    """The full-width form of ASCII letters, digits and signs, as Chinese input methods type them."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def mobile(draw: st.DrawFn) -> str:
    """The eleven national digits of a mainland mobile."""
    return draw(st.sampled_from(MOBILE_PREFIXES)) + draw(st.text("0123456789", min_size=8, max_size=8))


@st.composite
def phone_spelling(draw: st.DrawFn, national: str) -> str:
    """`national` written as exports write it: +86/0086/(+86)/86/no prefix, grouped by spaces, dashes or dots."""
    prefix = draw(
        st.sampled_from(["", "+86", "+86 ", "0086", "0086 ", "(+86)", "(+86) ", "+86-", "(0086)", "86", "86 "])
    )
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    groups = draw(st.sampled_from([(3, 4, 4), (3, 8), (7, 4), (11,)]))
    parts, start = [], 0
    for size in groups:
        parts.append(national[start : start + size])
        start += size
    if draw(st.booleans()) and len(parts) > 1:
        parts[0] = f"({parts[0]})"
    text = prefix + sep.join(parts)
    if draw(st.booleans()):
        text = full_width(text)
    return draw(SPACE) + text + draw(SPACE)


@st.composite
def card_number(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["6222", "6228", "6217", "6212", "4367"])) + draw(
        st.text("0123456789", min_size=12, max_size=15)
    )


@st.composite
def card_spelling(draw: st.DrawFn, digits: str) -> str:
    """`digits` in groups of four (or as printed on a statement), split by spaces or dashes."""
    size = draw(st.sampled_from([4, 4, 6, 19]))
    sep = draw(st.sampled_from([" ", "-", " - ", "  "]))
    text = sep.join(digits[i : i + size] for i in range(0, len(digits), size))
    if draw(st.booleans()):
        text = full_width(text)
    return draw(SPACE) + text + draw(SPACE)


HANDLE = st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{2,15}", fullmatch=True)
# How an export may name the platform of a WeChat account, in any case.
WECHAT = st.sampled_from(["wechat", "WeChat", "WECHAT", "Weixin", "wx", "WX", "微信", "微信号"])


@st.composite
def handle_spelling(draw: st.DrawFn, handle: str) -> str:
    """`handle` with the space around it, an `@` before it, or full-width letters."""
    text = ("@" if draw(st.booleans()) else "") + handle
    if draw(st.booleans()):
        text = full_width(text)
    return draw(SPACE) + text + draw(SPACE)


@st.composite
def account_spelling(draw: st.DrawFn, handle: str) -> str:
    """A WeChat account as `platform:handle`, platform spelled in any case, colon half- or full-width."""
    platform = draw(WECHAT)
    colon = draw(st.sampled_from([":", "：", " : "]))
    return draw(SPACE) + platform + colon + draw(handle_spelling(handle)) + draw(SPACE)


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
