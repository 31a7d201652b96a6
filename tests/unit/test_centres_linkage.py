"""Keyed hashes and name encodings: equal values meet, typos stay close, the key decides everything."""

from __future__ import annotations

import pytest

from explorer.centres.config import CentresError
from explorer.centres.linkage import (
    LinkageKey,
    birth_date,
    birth_year,
    case_ref,
    clk_bytes,
    clk_text,
    date_hash,
    dice,
    encode_name,
    hash_typed,
    identifier_hash,
    romanised,
)

KEY = LinkageKey.from_secret("a shared secret of the centres")
OTHER = LinkageKey.from_secret("another secret, after rotation")


def test_a_short_key_is_refused() -> None:
    with pytest.raises(CentresError, match="at least 16"):
        LinkageKey.from_secret("short")


def test_hashes_depend_on_key_kind_and_centre() -> None:
    assert identifier_hash(KEY, "phone", "+8613812345678") == identifier_hash(KEY, "phone", "+8613812345678")
    assert identifier_hash(KEY, "phone", "+8613812345678") != identifier_hash(OTHER, "phone", "+8613812345678")
    assert identifier_hash(KEY, "phone", "x") != identifier_hash(KEY, "address", "x")
    assert case_ref(KEY, "guangdong", "A1") != case_ref(KEY, "yunnan", "A1")
    assert KEY.key_id != OTHER.key_id and KEY.key_id == LinkageKey.from_secret("a shared secret of the centres").key_id


def test_typed_spellings_hash_as_the_loaders_key_them() -> None:
    stored = identifier_hash(KEY, "phone", "+8613812345678")
    assert hash_typed(KEY, "138 1234 5678") == stored
    assert hash_typed(KEY, "138-1234-5678", "phone") == stored
    assert hash_typed(KEY, "WeChat: wxid_a1") == identifier_hash(KEY, "account", "wechat:wxid_a1")


def test_names_romanise_to_pinyin() -> None:
    assert romanised("王伟") == romanised("Wang Wei") == romanised("WANG  WEI") == "wangwei"


@pytest.mark.parametrize(
    ("written", "variant"),
    [("王伟", "王玮"), ("王伟", "Wang Wei"), ("张慧宇", "张宇慧"), ("张慧宇", "张慧"), ("李晨", "李辰")],
)
def test_a_variant_spelling_stays_similar(written: str, variant: str) -> None:
    assert dice(encode_name(KEY, written), encode_name(KEY, variant)) >= 0.75


@pytest.mark.parametrize(("a", "b"), [("王伟", "王芳"), ("张慧宇", "李秀英"), ("陈静", "陈建国")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert dice(encode_name(KEY, a), encode_name(KEY, b)) < 0.75


def test_encodings_need_the_key_and_round_trip() -> None:
    bits = encode_name(KEY, "王伟")
    assert bits != encode_name(OTHER, "王伟")
    assert int.from_bytes(clk_bytes(clk_text(bits)), "big") == bits
    assert 40 <= bits.bit_count() <= 200  # about 20 positions for each of the 8 bigrams, some shared
    with pytest.raises(ValueError):
        clk_bytes("AAAA")


def test_birth_year_and_date_from_the_record_or_the_id_number() -> None:
    assert birth_year("1976", None, None) == 1976
    assert birth_year(None, "1976-08-24", None) == 1976
    assert birth_year(None, None, "450103197608242674") == 1976
    assert birth_year("", "", "450103760824267") == 1976
    assert birth_year("unknown", "", "") is None
    assert birth_date("1976-08-24", None) == birth_date(None, "450103197608242674") == "19760824"
    assert date_hash(KEY, "19760824") != date_hash(OTHER, "19760824") and date_hash(KEY, None) is None
