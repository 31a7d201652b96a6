"""Identifiers read out of free text (loaders/extract.py), and the slang lexicon's context rule (loaders/lexicon.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.exceptions import InvalidMapping
from loaders import extract
from loaders.extract import find_mentions, luhn
from loaders.lexicon import InvalidLexicon, Lexicon, read_lexicon
from loaders.mapping import parse_mapping


def found(text: str) -> list[tuple[str, str]]:
    mentions = find_mentions(text)
    for m in mentions:
        assert text[m.start : m.end] == m.matched  # every span points at what was read
    return [(m.kind, m.key) for m in mentions]


@pytest.mark.parametrize(
    "text",
    ["电话 13912345678", "打 139-1234-5678", "联系 (+86)139 1234 5678", "+86 139 1234 5678 找我", "0086-13912345678"],
)
def test_phones_in_any_spelling_key_as_the_loader_keys_them(text):
    assert found(text) == [("phone", "+8613912345678")]


def test_accounts_of_each_platform():
    assert found("加 wxid_a1b2c3d4 或者微信号: dealer_88") == [
        ("wechat", "wechat:wxid_a1b2c3d4"),
        ("wechat", "wechat:dealer_88"),
    ]
    assert found("QQ:123456789 扣扣 98765432") == [("qq", "qq:123456789"), ("qq", "qq:98765432")]
    assert found("飞机 @Dealer_01 备用 @backup_22.") == [
        ("telegram", "telegram:Dealer_01"),
        ("telegram", "telegram:backup_22"),
    ]
    assert found("支付宝: pay@example.com") == [("alipay", "alipay:pay@example.com")]
    # An Alipay account that is a phone number is both the account and the phone.
    assert found("支付宝 139-1234-5678") == [("alipay", "alipay:13912345678"), ("phone", "+8613912345678")]


def test_a_bare_at_name_in_a_wechat_group_is_a_member_not_a_telegram_account():
    assert found("@dealer_01 到了吗") == [("telegram", "telegram:dealer_01")]
    assert find_mentions("@dealer_01 到了吗", platform="wechat") == []
    assert [m.key for m in find_mentions("TG @dealer_01", platform="wechat")] == ["telegram:dealer_01"]
    assert [m.key for m in find_mentions("@dealer_01 到了吗", platform="telegram")] == ["telegram:dealer_01"]


def test_bank_cards_grouped_or_not():
    assert luhn("6228480012345671") and not luhn("6228480012345672")
    assert found("转 6228 4800 1234 5671") == [("card", "bank:6228480012345671")]
    assert found("转6222-0202-0000-1234-562就行") == [("card", "bank:6222020200001234562")]
    # A card word before the number stands in for the check digit (masked or mistyped cards are still cards).
    assert found("卡号 6222 0202 0000 1234 567") == [("card", "bank:6222020200001234567")]
    assert found("6228480012345672") == []  # sixteen digits that fail the Luhn check and have no card word


def test_waybills_and_addresses():
    assert found("顺丰 SF1000000002, 圆通yt1234567890123") == [
        ("waybill", "SF1000000002"),
        ("waybill", "YT1234567890123"),
    ]
    assert found("快递单号：7700123456789") == [("waybill", "7700123456789")]
    assert found("寄到广州市天河区体育西路1号 到付") == [("address", "广州市天河区体育西路1号")]
    assert found("地址：广东省深圳市南山区科技园路18号3栋") == [("address", "广东省深圳市南山区科技园路18号3栋")]
    assert found("我在广州市天河区") == []  # a district, not a place parcels go to


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-13 18:00:00 见",  # dates and times
        "20240513 下单",
        "付了 13800元",  # amounts
        "¥1,380,000.00",
        "订单号 13912345678 已付款",  # order numbers are not phones
        "订单号: 2024051312345678901",  # nor cards
        "流水 6222020200001234567",
        "身份证 110101199003071234",
        "1715587200123",  # a timestamp in milliseconds
        "邮箱 a.b@example.com",  # an e-mail address is not a Telegram handle
        "QQ群 123456789",  # a group number is not an account
    ],
)
def test_numbers_that_are_not_identifiers(text):
    assert found(text) == []


def test_a_waybill_is_not_also_a_phone():
    assert found("单号 SF13912345678") == [("waybill", "SF13912345678")]


def test_each_identifier_once_with_its_first_span():
    mentions = find_mentions("13912345678 还是 13912345678")
    assert [(m.key, m.start, m.end) for m in mentions] == [("+8613912345678", 0, 11)]


def test_extraction_switch(monkeypatch):
    monkeypatch.delenv(extract.EXTRACT_ENV, raising=False)
    assert extract.enabled()
    with extract.switched(False):
        assert not extract.enabled()
    assert extract.enabled()
    monkeypatch.setenv(extract.EXTRACT_ENV, "off")
    assert not extract.enabled()


def test_mapping_extract_section_is_checked():
    doc = {
        "name": "notes",
        "columns": {"author": {"normaliser": "phone"}, "body": {}},
        "nodes": {"author": {"label": "Phone", "key": "number", "value": "{author}"}},
        "extract": {"author": "body"},
    }
    assert parse_mapping(doc, Path("notes.yaml")).extract == {"author": "body"}
    doc["extract"] = {"message": "body"}
    with pytest.raises(InvalidMapping, match="notes.yaml: extract.message"):
        parse_mapping(doc, Path("notes.yaml"))


# -- the lexicon's context rule ---------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ambiguous_terms_flag_only_beside_trade_words(tmp_path):
    lexicon_file = write(tmp_path / "lex.txt", "@window 4\n@trade\n克\n私聊\n@terms\n~冰\n冰毒\n~ice\n")
    lex = Lexicon.from_text(read_lexicon([lexicon_file]))
    assert lex.find("冰 3克 私聊") == ["冰"]
    assert [(f.term, f.context) for f in lex.flags("私聊, 冰 3克")] == [("冰", ("私聊", "克"))]
    assert lex.find("冰可乐真好喝") == []
    assert lex.find("冰箱里有冰, 明天要三十克") == []  # the trade word is further than 4 characters away
    assert lex.find("冰毒") == ["冰毒"]  # unambiguous terms need no context
    assert lex.find("ICE 1 gram") == []  # no English trade word in this lexicon
    assert lex.find("police") == []


def test_lexicon_version_follows_the_files_and_later_files_win(tmp_path):
    base = write(tmp_path / "a.txt", "@trade\n货\n@terms\n~叶子\n")
    local = write(tmp_path / "b.txt", "叶子\n")
    alone = read_lexicon([base])
    both = read_lexicon([base, local])
    assert alone.terms == {"叶子": True} and both.terms == {"叶子": False}
    assert alone.version != both.version and len(alone.version) == 12
    assert Lexicon.from_text(alone).find("有叶子吗") == []
    assert Lexicon.from_text(both).find("有叶子吗") == ["叶子"]


def test_unknown_lexicon_directive_names_file_and_line(tmp_path):
    bad = write(tmp_path / "bad.txt", "冰毒\n@widow 5\n")
    with pytest.raises(InvalidLexicon, match=r"bad.txt, line 2: unknown directive '@widow 5'"):
        read_lexicon([bad])
    with pytest.raises(InvalidLexicon, match=r"missing.txt: cannot be read"):
        read_lexicon([tmp_path / "missing.txt"])
