"""Keyed hashes and name encodings: what a centre may show another about its records.

Every value leaves a centre only as a keyed hash (HMAC-SHA256 with a key the participating
centres share, `EXPLORER_LINKAGE_KEY`, never written into an index) or, for person names, as a
keyed Bloom-filter encoding of the name's bigrams (a cryptographic long-term key, CLK, in the
manner of Schnell, Bachteler and Reiher 2009): similar names give similar bit sets, so names
spelled with a typo still match, while the bits alone do not spell the name.

Separate sub-keys are derived for identifiers, cases and names, so a hash made for one purpose
cannot be compared with a hash made for another.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from explorer import identifiers
from explorer.centres.config import CentresError

KEY_ENV = "EXPLORER_LINKAGE_KEY"
MIN_KEY_LENGTH = 16
CLK_BITS = 1024
CLK_HASHES = 20  # bit positions set per bigram
HASH_HEX = 32  # identifier and case hashes are HMAC-SHA256 truncated to 128 bits
_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_LETTER = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class LinkageKey:
    """The shared secret and the sub-keys derived from it."""

    identifier_key: bytes
    case_key: bytes
    name_key: bytes
    key_id: str  # a fingerprint that tells whether two indexes were made with one key, and nothing else

    @classmethod
    def from_secret(cls, secret: str | bytes) -> LinkageKey:
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(raw) < MIN_KEY_LENGTH:
            raise CentresError(f"The linkage key must be at least {MIN_KEY_LENGTH} characters long.")

        def derive(purpose: str) -> bytes:
            return hmac.new(raw, f"explorer-linkage/{purpose}".encode(), hashlib.sha256).digest()

        return cls(derive("identifier"), derive("case"), derive("name"), derive("key-id").hex()[:16])

    @classmethod
    def from_environment(cls) -> LinkageKey:
        secret = os.environ.get(KEY_ENV, "")
        if not secret:
            raise CentresError(f"The environment variable {KEY_ENV} (the shared linkage key) is not set.")
        return cls.from_secret(secret)


def _mac(key: bytes, message: str) -> str:
    return hmac.digest(key, message.encode("utf-8"), "sha256").hex()[:HASH_HEX]


def identifier_hash(key: LinkageKey, kind: str, value: str) -> str:
    """The keyed hash of an identifier already normalised (`kind` as in explorer.model.IDENTIFIERS)."""
    return _mac(key.identifier_key, f"{kind}\x1f{value}")


def hash_typed(key: LinkageKey, value: str, kind: str | None = None) -> str:
    """The keyed hash of an identifier as an analyst types it, normalised as the loaders key it."""
    if kind is None:
        found = identifiers.canonical(value)
        kind = guess_kind(found)
    else:
        found = identifiers.normalise(kind, value)
    return identifier_hash(key, kind, found)


def guess_kind(canonical: str) -> str:
    """The identifier kind of a canonical key (explorer.identifiers.canonical's output)."""
    if canonical.startswith("+"):
        return "phone"
    if ":" in canonical and canonical.split(":", 1)[0] in identifiers.platform_spellings().values():
        return "account"
    if re.fullmatch(r"\d{17}[\dX]|\d{15}", canonical):
        return "id_number"
    try:
        identifiers.ip(canonical)
        return "ip"
    except ValueError:
        pass
    if re.fullmatch(r"\d{14,16}", canonical):
        return "device"
    return "address"


def case_ref(key: LinkageKey, centre: str, case_id: str) -> str:
    """A keyed reference to one centre's case: equal case numbers at two centres stay apart."""
    return _mac(key.case_key, f"{centre}\x1f{case_id}")


# -- names ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def romanised(name: str) -> str:
    """A name as lower-case letters: Chinese characters in toneless pinyin (王伟 and Wang Wei -> wangwei).

    Pinyin makes the commonest clerical slip, a homophone typed for the intended character, vanish,
    and lets a name written in characters at one centre meet the same name written in pinyin at another.
    """
    folded = identifiers.name(name)
    if _CJK.search(folded):
        folded = "".join(lazy_pinyin(folded))
    return _NOT_LETTER.sub("", folded.lower())


def bigrams(text: str) -> set[str]:
    padded = f"_{text}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def encode_name(key: LinkageKey, name: str) -> int:
    """The name's CLK: CLK_HASHES bits per bigram of its romanised form, positions from a keyed hash.

    Positions follow the double-hashing scheme (g_i = h1 + i * h2 mod m) with h1 and h2 taken from one
    HMAC of the bigram, so that without the key nobody can build the filter of a guessed name.
    """
    bits = 0
    for gram in bigrams(romanised(name)):
        bits |= _bigram_bits(key.name_key, gram)
    return bits


@functools.lru_cache(maxsize=1 << 14)
def _bigram_bits(name_key: bytes, gram: str) -> int:
    """The bits one bigram sets (there are only a few hundred bigrams of pinyin: each is hashed once)."""
    digest = hmac.digest(name_key, gram.encode("utf-8"), "sha256")
    h1 = int.from_bytes(digest[:8], "big")
    h2 = int.from_bytes(digest[8:16], "big") | 1
    bits = 0
    for i in range(CLK_HASHES):
        bits |= 1 << ((h1 + i * h2) % CLK_BITS)
    return bits


def clk_text(bits: int) -> str:
    return base64.b64encode(bits.to_bytes(CLK_BITS // 8, "big")).decode("ascii")


def clk_bytes(text: str) -> bytes:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != CLK_BITS // 8:
        raise ValueError(f"a name encoding of {len(raw) * 8} bits, not {CLK_BITS}")
    return raw


def dice(a: int, b: int) -> float:
    """Dice similarity of two bit sets: 2 |a and b| / (|a| + |b|)."""
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def birth_date(date: object, id_number: object) -> str | None:
    """The birth date (YYYYMMDD) recorded for a person, else the one a resident ID number carries, else None."""
    digits = re.sub(r"\D", "", str(date or ""))
    if len(digits) == 8 and 1900 <= int(digits[:4]) <= 2100 and 1 <= int(digits[4:6]) <= 12:
        return digits
    text = str(id_number or "").strip().upper()
    if re.fullmatch(r"\d{17}[\dX]", text):
        return text[6:14]
    if re.fullmatch(r"\d{15}", text):
        return "19" + text[6:12]
    return None


def birth_year(year: object, date: object, id_number: object) -> int | None:
    """The birth year recorded for a person, else the year of their birth date or ID number, else None."""
    if year not in (None, ""):
        try:
            value = int(str(year).strip()[:4])
        except ValueError:
            value = 0
        if 1900 <= value <= 2100:
            return value
    found = birth_date(date, id_number)
    return int(found[:4]) if found else None


def date_hash(key: LinkageKey, date: str | None) -> str | None:
    """A keyed hash of a birth date: two centres learn that two dates are equal, not what they are."""
    return None if date is None else _mac(key.name_key, f"born\x1f{date}")
