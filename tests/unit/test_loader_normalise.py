"""Normalisers: the formats exports really use, and the reasons bad values give."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.identifiers import parse_phone, phone_text
from loaders import normalise as n
from loaders.lexicon import Lexicon, default_lexicon


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2021-06-23T14:05:00", "2021-06-23T14:05:00+08:00"),
        ("2021-06-23 14:05:00Z", "2021-06-23T14:05:00+00:00"),
        ("2021/6/23 14:05", "2021-06-23T14:05:00+08:00"),
        ("2021年6月23日 14时05分", "2021-06-23T14:05:00+08:00"),
        ("2021年6月23日14时05分30秒", "2021-06-23T14:05:30+08:00"),
        ("44370.5868", "2021-06-23T14:05:00+08:00"),
        (44370.5868, "2021-06-23T14:05:00+08:00"),
        ("1624428300", "2021-06-23T14:05:00+08:00"),
        ("1624428300000", "2021-06-23T14:05:00+08:00"),
        ("20210623140500", "2021-06-23T14:05:00+08:00"),
        ("２０２１-０６-２３", "2021-06-23T00:00:00+08:00"),
        (datetime(2021, 6, 23, 14, 5), "2021-06-23T14:05:00+08:00"),
        # As phone extractions and statements write them: a zone in brackets, 下午 or PM, a split compact form.
        ("2021/6/23 14:05:00(UTC+8)", "2021-06-23T14:05:00+08:00"),
        ("2021/06/23 06:05:00 (UTC+00:00)", "2021-06-23T06:05:00+00:00"),
        ("2021-06-23 06:05:00 (GMT)", "2021-06-23T06:05:00+00:00"),
        ("2021/6/23 下午2:05", "2021-06-23T14:05:00+08:00"),
        ("2021年6月23日 晚上11点05分", "2021-06-23T23:05:00+08:00"),
        ("2021/6/23 上午12:05:00", "2021-06-23T00:05:00+08:00"),
        ("2021/6/23 中午12:05", "2021-06-23T12:05:00+08:00"),
        ("2021-06-23 2:05 PM", "2021-06-23T14:05:00+08:00"),
        ("2021-06-23 12:05:30 am", "2021-06-23T00:05:30+08:00"),
        ("20210623 140500", "2021-06-23T14:05:00+08:00"),
    ],
)
def test_timestamps(raw, iso):
    assert n.timestamp(raw).isoformat() == iso


@pytest.mark.parametrize(
    "raw", ["yesterday", "2021-13-01", "12", "2021/02/30 10:00", "2021/02/30 下午2:05", "2021/6/23(UTC+8)x"]
)
def test_bad_timestamps_say_why(raw):
    with pytest.raises(ValueError, match="not a date and time"):
        n.timestamp(raw)


@pytest.mark.parametrize("raw", ["2021/6/23 下午14:05", "2021-06-23 13:05 PM"])
def test_an_hour_past_twelve_with_pm_is_refused_not_guessed(raw):
    with pytest.raises(ValueError, match="1 to 12"):
        n.timestamp(raw)


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("83", 83), (83.0, 83), ("00:01:23", 83), ("1:23", 83), ("01:02:03", 3723), ("1分23秒", 83), ("83秒", 83),
     ("83s", 83), ("1小时2分3秒", 3723), ("2m 5s", 125), ("1分", 60), ("0:00:00", 0), ("１分２３秒", 83)],
)  # fmt: skip
def test_durations_in_the_forms_call_records_use(raw, seconds):
    assert n.duration(raw) == seconds


@pytest.mark.parametrize("raw", ["abc", "0:75", "1:2:3:4", "-5", "1.5分钟x"])
def test_bad_durations_say_why(raw):
    with pytest.raises(ValueError, match="not a duration|not a whole number"):
        n.duration(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("¥1,200.00", 1200.0),
        ("-350.5元", -350.5),
        ("￥ 88", 88.0),
        ("(20.00)", -20.0),
        ("１２３", 123.0),
        ("1.2万", 12000.0),
        ("500.00-", -500.0),
        ("5,000.00 DR", -5000.0),
        ("5,000.00 CR", 5000.0),
    ],
)
def test_amounts(raw, value):
    assert n.amount(raw) == value


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "138 1234 5678", "+86 138-1234-5678", "008613812345678", "１３８１２３４５６７８", 13812345678.0],
)
def test_phones_to_e164_with_china_default(raw):
    assert n.NORMALISERS["phone"](raw) == "+8613812345678"


@pytest.mark.parametrize("raw", ["12345", "abc", "000"])
def test_bad_phones(raw):
    with pytest.raises(ValueError, match="phone number"):
        n.NORMALISERS["phone"](raw)


@pytest.mark.parametrize("raw", ["13812345678;13900000000", "13812345678 / 13900000000", "13812345678，13900000000"])
def test_a_cell_with_two_phones_is_refused_not_cut_to_the_first(raw):
    with pytest.raises(ValueError, match="more than one phone number"):
        n.NORMALISERS["phone"](raw)


def test_cards_names_and_folding():
    assert n.NORMALISERS["card"]("6222 0212-3456 7890 123") == "6222021234567890123"
    assert n.NORMALISERS["name"](" 王\u3000强 ") == "王强"
    assert n.NORMALISERS["address"]("广东省　深圳市  南山区") == "广东省深圳市南山区"
    assert n.NORMALISERS["text"]("ＡＢＣ　　ｄｅｆ") == "ABC def"
    assert n.NORMALISERS["upper_nospace"]("sf 1002") == "SF1002"
    assert n.direction("收") == "in" and n.direction("支") == "out" and n.direction("进") == "in"
    assert n.sign_direction("-5") == "out"
    assert n.NORMALISERS["platform"]("微信支付") == "wechatpay" and n.NORMALISERS["platform"]("支付宝") == "alipay"
    assert n.NORMALISERS["ip"]("2001:0db8::1") == "2001:db8::1"
    with pytest.raises(ValueError, match="ID card"):
        n.NORMALISERS["id_number"]("12345")


def test_lexicon_matches_chinese_anywhere_and_english_whole_words(tmp_path, monkeypatch):
    lex = Lexicon(["冰毒", "ice"])
    assert lex.find("上等冰毒，ICE 现货") == ["冰毒", "ice"]
    assert lex.find("police office") == []
    extra = tmp_path / "extra.txt"
    extra.write_text("# local terms\n叶子\n", encoding="utf-8")
    monkeypatch.setenv("EXPLORER_SLANG_LEXICON", str(extra))
    assert default_lexicon().find("有叶子吗") == ["叶子"]


def test_mobile_fast_path_agrees_with_the_phone_library():
    # Every 4-digit prefix of an 11-digit number starting with 1, written the ways exports write it:
    # the shortcut for mainland mobiles must give exactly what the library's full parse gives, or refuse alike.
    import random

    rng = random.Random(5)
    checked = 0
    for prefix in range(1000, 2000):
        digits = f"{prefix}{rng.randrange(10**7):07d}"
        for written in (digits, f"+86{digits}", f"0086 {digits[:3]} {digits[3:7]} {digits[7:]}", f"+86-{digits}",
                        f"86{digits}", f"86 {digits}"):  # fmt: skip
            expected, got = _library_and_loader(written)
            assert got == expected, written
            checked += expected is not None
    assert checked > 1000  # most prefixes are real mobile ranges: the comparison covered the shortcut
    # Digits of other scripts are left to the library, which reads them as the same number.
    assert n.NORMALISERS["phone"]("١٣٨١٢٣٤٥٦٧٨") == "+8613812345678"


@settings(max_examples=600, deadline=None)
@given(rest=st.text(alphabet="0123456789", min_size=3, max_size=14))
def test_a_number_starting_with_the_country_code_reads_as_the_phone_library_reads_it(rest):
    # `86` then digits, with no `+`: read as a mainland mobile by the shortcut only where the library
    # also drops the code (the whole no national number, the rest a mobile), else as the library reads it.
    expected, got = _library_and_loader(f"86{rest}")
    assert got == expected


def _library_and_loader(written: str) -> tuple[str | None, str | None]:
    """How the phone library's full parse reads `written`, and how the loader does (None: refused)."""
    try:
        expected = parse_phone(written, phone_text(written))
    except ValueError:
        expected = None
    try:
        got = n.NORMALISERS["phone"](written)
    except ValueError:
        got = None
    return expected, got


@settings(max_examples=400, deadline=None)
@given(
    year=st.integers(0, 9999),
    month=st.integers(0, 19),
    day=st.integers(0, 39),
    hour=st.integers(0, 29),
    minute=st.integers(0, 69),
    second=st.integers(0, 69),
    sep=st.sampled_from([" ", "T"]),
    zone=st.sampled_from(
        [
            None,
            timezone(timedelta(hours=8)),
            timezone(timedelta(hours=-3, minutes=-30)),
            ZoneInfo("America/New_York"),  # summer time
            ZoneInfo("Asia/Shanghai"),  # before 1901 an offset with seconds, +08:05:43
        ]
    ),
)
def test_the_plain_time_shortcut_reads_every_cell_as_the_general_pattern_does(
    year, month, day, hour, minute, second, sep, zone
):
    """`YYYY-MM-DD HH:MM:SS` takes a shortcut; on every such cell, days of the calendar or not, it must
    give the same time, or the same reason for a reject, as the general reading."""
    cell = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}:{second:02d}"
    try:
        expected: object = n._written(cell, zone, "year_first")
    except ValueError as e:
        expected = ("rejected", str(e))
    try:
        got: object = n.timestamp(cell, zone)
    except ValueError as e:
        got = ("rejected", str(e))
    assert got == expected
    if not isinstance(got, tuple):
        assert got.utcoffset() == expected.utcoffset()
    # ... and the text a load sends is that time's own ISO 8601 text
    try:
        text: object = n.timestamp_text(cell, zone)
    except ValueError as e:
        text = ("rejected", str(e))
    assert text == (expected if isinstance(expected, tuple) else expected.isoformat())


@pytest.mark.parametrize(
    ("name", "raw"),
    [("card", "6222 **** **** 1234"), ("card", "6222********1234"), ("card", "６２２２＊＊＊＊１２３４"),
     ("phone", "138****5678"), ("phone", "+86 138 **** 5678")],
)  # fmt: skip
def test_a_masked_card_or_phone_is_refused_not_shortened_to_a_shared_number(name, raw):
    """The digits an export leaves of a masked number (6222...1234) are shared by unrelated cards: kept,
    they would join them as one account."""
    with pytest.raises(ValueError, match=f"a masked {'card' if name == 'card' else 'phone'} number"):
        n.NORMALISERS[name](raw)
