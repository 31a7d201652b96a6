"""The corpus of unseen export layouts (tests/data/unseen/), each loaded as seized through its example
mapping in docs/examples/: the expected graph, the seized file's own row numbers, its name and hash.

No built-in mapping reads any of these files; each needs the mapping options of docs/mappings.md
(header_row, skip_rows, from_title, template, extract, in_out, const, dates, records, lines).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from loaders import api
from loaders.choose import choose_mapping
from loaders.mapping import all_mappings
from loaders.readers import open_export

pytestmark = pytest.mark.integration
UNSEEN = PROJECT_ROOT / "tests" / "data" / "unseen"
EXAMPLES = PROJECT_ROOT / "docs" / "examples"


@dataclass
class Case:
    file: str
    mapping: str
    labels: dict[str, int]  # nodes per label
    types: dict[str, int]  # relationships per type
    keys: list[tuple[str, str, str]]  # (label, key property, key) that must exist
    # A relationship by its two ends' keys and type, and the seized file's row that stated it.
    row: tuple[str, str, str, int]
    props: dict[str, object] = field(default_factory=dict)  # properties of that relationship (times as ISO text)
    written: int = 0
    skipped: int = 0
    rejected: int = 0


CASES = [
    Case("icbc_statement.xlsx", "icbc_statement", {"Account": 3}, {"TRANSFERRED": 4},
         [("Account", "account_id", "bank:6222021234567890123")],
         ("bank:6228480012345678901", "TRANSFERRED", "bank:6222021234567890123", 5),
         {"at": "2024-03-05T10:20:00+08:00", "amount": 5000.0, "memo": "转账"}, written=4, skipped=1),
    Case("ccb_statement_gbk.csv", "ccb_statement_gbk", {"Account": 3}, {"TRANSFERRED": 3},
         [("Account", "account_id", "bank:6230580000000000001")],
         ("bank:6217000011112222333", "TRANSFERRED", "bank:6230580000000000001", 3),
         {"at": "2024-03-05T11:00:00+08:00", "amount": 4700.0}, written=3, skipped=1),
    Case("sf_waybills_merged.xlsx", "sf_waybills_merged",
         {"Parcel": 3, "Phone": 4, "Address": 4, "Person": 2},
         {"SENT": 3, "RECEIVED_BY": 3, "SENT_FROM": 3, "DELIVERED_TO": 3, "HAS_PHONE": 2, "LIVES_AT": 2},
         [("Person", "person_id", "name:李明|+8613600136006"), ("Address", "address_id", "云南省昆明市五华区青年路2号")],
         ("SF1400012345678", "DELIVERED_TO", "云南省昆明市五华区青年路2号", 4), written=3),
    Case("zto_waybills_namephone.csv", "zto_waybills_namephone",
         {"Parcel": 2, "Phone": 4, "Person": 4, "Address": 2},
         {"SENT": 2, "RECEIVED_BY": 2, "DELIVERED_TO": 2, "HAS_PHONE": 4, "LIVES_AT": 2},
         [("Person", "person_id", "name:王强|+8613812345678"), ("Person", "person_id", "name:李明|+8613600136006")],
         ("ZT7300000001", "RECEIVED_BY", "+8613600136006", 2), written=2),
    Case("telegram_export.json", "telegram_export", {"Account": 2, "Site": 1}, {"MESSAGED_IN": 3},
         [("Account", "account_id", "telegram:user5551234"), ("Site", "site_id", "group:Ice & Sugar")],
         ("telegram:user5551234", "MESSAGED_IN", "group:Ice & Sugar", 2),
         {"at": "2024-03-05T10:20:00+03:00", "message_id": "2"}, written=3, skipped=1),
    Case("wechat_chat.jsonl", "wechat_chat", {"Account": 3}, {"MESSAGED": 3},
         [("Account", "account_id", "wechat:wxid_buyer02")],
         ("wechat:wxid_seller88", "MESSAGED", "wechat:wxid_buyer01", 2),
         {"at": "2024-03-05T10:21:00+08:00", "app": "wechat"}, written=3),
    Case("cdr_english.csv", "cdr_english", {"Phone": 3}, {"CALLED": 3},
         [("Phone", "number", "+8615012345678")],
         ("+8613812345678", "CALLED", "+8613600136006", 2),
         {"at": "2015-03-25T14:05:00+08:00", "duration_s": 62}, written=3),
    Case("wallet_day_first.csv", "wallet_day_first", {"Account": 3}, {"TRANSFERRED": 2},
         [("Account", "account_id", "alipay:boss_hk")],
         ("alipay:seller_bkk", "TRANSFERRED", "alipay:mule_0001", 2),
         {"at": "2015-03-25T14:05:00+07:00", "amount": 1200.0}, written=2),
    Case("contacts_footer.csv", "contacts_footer", {"Phone": 4}, {"HAS_CONTACT": 3},
         [("Phone", "number", "+8618612345678")],
         ("+8613812345678", "HAS_CONTACT", "+8613600136006", 4), {"saved_name": "李明"}, written=3, skipped=1),
    Case("qq_logins_month_first.tsv", "qq_logins_month_first", {"Account": 2, "IPAddress": 2, "Device": 2},
         {"LOGGED_IN": 6, "USES_DEVICE": 2},
         [("Account", "account_id", "qq:987654321"), ("Device", "imei", "490154203237518")],
         ("qq:123456789", "LOGGED_IN", "198.51.100.23", 3), {"at": "2015-03-26T22:00:00-04:00"}, written=3),
    Case("forum_posts_english.xlsx", "forum_posts_english", {"Site": 1, "Post": 3, "Account": 2, "Phone": 2},
         {"POSTED": 3, "POSTED_ON": 3, "ADVERTISES_ON": 2, "MENTIONS": 3},
         [("Site", "site_id", "forum:darkbazaar.example"), ("Post", "post_id", "forum:darkbazaar.example#t-1002")],
         ("vendor:icefox", "POSTED", "forum:darkbazaar.example#t-1001", 3),
         {"at": "2015-03-25T09:10:00+08:00"}, written=3, skipped=1),
    Case("case_roster_title.xlsx", "case_roster_title", {"Case": 1, "Person": 3, "Phone": 3, "Address": 3},
         {"INVOLVES": 3, "HAS_PHONE": 3, "LIVES_AT": 3},
         [("Person", "person_id", "id:53010219850512002X"), ("Case", "case_id", "A2024-017")],
         ("A2024-017", "INVOLVES", "id:110101199003071234", 4),
         {"role": "组织者", "in_custody_at": "2024-03-08T00:00:00+08:00"}, written=3),
    Case("alipay_bills.csv", "alipay_bills", {"Account": 3}, {"TRANSFERRED": 2},
         [("Account", "account_id", "alipay:zhangwei@example.com")],
         ("alipay:zhaoliu@example.com", "TRANSFERRED", "alipay:zhangwei@example.com", 7),
         {"amount": 260.0, "memo": "退款", "at": "2024-03-06T18:30:00+08:00"}, written=2, skipped=5),
    # The neutral row (a withdrawal, no direction) is rejected, not guessed; nicknames are the ends' names.
    Case("wechatpay_bill.csv", "wechatpay_bill", {"Account": 4}, {"TRANSFERRED": 4},
         [("Account", "holder_name", "老K"), ("Account", "holder_name", "顺丰速运")],
         ("阿强", "TRANSFERRED", "老K", 20),
         {"amount": 700.0, "memo": "冰 两克", "order_no": "1000050001202403080223456789",
          "at": "2024-03-08T22:10:59+08:00"}, written=4, rejected=1),
    # A plain-text export of three chats: a record per message over several lines, numbered by the line it
    # starts on; each message's group from its chat's heading; the system notice skipped; the friend's
    # message, with no QQ number, rejected; a WeChat id and phones read out of the texts.
    Case("qq_group_chat.txt", "qq_group_chat", {"Account": 4, "Site": 2, "Message": 5, "Phone": 2},
         {"MESSAGED_IN": 5, "WROTE": 5, "IN_GROUP": 5, "MENTIONS": 3},
         [("Account", "account_id", "qq:ahqiang@qq.com"), ("Account", "account_id", "wechat:wxid_laok888"),
          ("Site", "site_id", "group:顺丰代收群")],
         ("qq:1234567890", "MESSAGED_IN", "group:冰糖批发交流群", 15),
         {"at": "2024-03-05T21:16:05+08:00", "app": "qq"}, written=5, skipped=1, rejected=1),
]  # fmt: skip

REL_AT = """
MATCH (a)-[r]->(b)
WHERE type(r) = $type AND r.row = $row AND $a IN [k IN keys(a) | a[k]] AND $b IN [k IN keys(b) | b[k]]
RETURN r {.*, at: toString(r.at), in_custody_at: toString(r.in_custody_at)} AS r
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_corpus_is_at_least_twelve_layouts_each_with_its_example_mapping():
    fixtures = sorted(p.name for p in UNSEEN.iterdir() if p.suffix != ".py")
    assert len(fixtures) >= 12
    assert sorted(c.file for c in CASES) == fixtures
    for case in CASES:
        assert (EXAMPLES / f"{case.mapping}.yaml").is_file()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_no_builtin_mapping_reads_it(case):
    with pytest.raises(FileRejected, match="no mapping"):
        choose_mapping(open_export(UNSEEN / case.file), all_mappings())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_loads_as_seized(empty_graph, tmp_path, case):
    path = UNSEEN / case.file
    before = _sha256(path)
    summary = api.load(empty_graph, path, str(EXAMPLES / f"{case.mapping}.yaml"), rejects_dir=tmp_path)
    assert (summary.rows_written, summary.rows_rejected, summary.rows_skipped) == (
        case.written, case.rejected, case.skipped)  # fmt: skip
    for label, n in case.labels.items():
        assert empty_graph.read_value(f"MATCH (n:{label}) RETURN count(n)") == n, label
    for rel_type, n in case.types.items():
        assert empty_graph.read_value(f"MATCH ()-[r:{rel_type}]->() RETURN count(r)") == n, rel_type
    total = empty_graph.read_value("MATCH (n) WHERE NOT n:Load RETURN count(n)")
    assert total == sum(case.labels.values())
    for label, prop, key in case.keys:
        assert empty_graph.read_value(f"MATCH (n:{label} {{{prop}: $key}}) RETURN count(n)", {"key": key}) == 1, key
    a, rel_type, b, row = case.row
    found = empty_graph.read(REL_AT, {"type": rel_type, "a": a, "b": b, "row": row}).records
    assert len(found) == 1, case.row
    rel = found[0]["r"]
    assert rel["row"] == row
    assert rel["sources"] == [f"{summary.load_id}#{row}"]
    for name, value in case.props.items():
        assert rel[name] == value, name
    # The Load node names the seized file itself, by its own name and hash; the file is unchanged.
    load = empty_graph.read("MATCH (l:Load) RETURN l.file AS file, l.sha256 AS sha").records
    assert [(r["file"], r["sha"]) for r in load] == [(case.file, before)]
    assert _sha256(path) == before


def test_one_transfer_in_two_banks_statements_is_one_event(empty_graph, tmp_path):
    """ICBC's workbook (expense column, date and time cells) and the other bank's GBK CSV (debit/credit,
    digits) state two of the same transfers: each is one TRANSFERRED event with both rows as sources."""
    icbc = api.load(empty_graph, UNSEEN / "icbc_statement.xlsx", str(EXAMPLES / "icbc_statement.yaml"),
                    rejects_dir=tmp_path)  # fmt: skip
    ccb = api.load(empty_graph, UNSEEN / "ccb_statement_gbk.csv", str(EXAMPLES / "ccb_statement_gbk.yaml"),
                   rejects_dir=tmp_path)  # fmt: skip
    assert empty_graph.read_value("MATCH ()-[r:TRANSFERRED]->() RETURN count(r)") == 4 + 3 - 2
    sources = empty_graph.read_value(
        "MATCH (:Account {account_id: 'bank:6222021234567890123'})-[r:TRANSFERRED {amount: 4800.0}]->"
        "(:Account {account_id: 'bank:6217000011112222333'}) RETURN r.sources"
    )
    assert sorted(sources) == sorted([f"{icbc.load_id}#6", f"{ccb.load_id}#2"])
    assert ccb.duplicates_merged == 2


def test_unused_columns_are_listed_and_evidence_like_ones_warned(tmp_path):
    cdr = api.validate(UNSEEN / "cdr_english.csv", str(EXAMPLES / "cdr_english.yaml"), rejects_dir=tmp_path)
    assert cdr.unused_columns == ["Handset IMEI"]
    assert len(cdr.warnings) == 1
    assert "'Handset IMEI' looks like an identifier" in cdr.warnings[0]
    assert "NOT loaded" in cdr.warnings[0]
    roster = api.validate(UNSEEN / "case_roster_title.xlsx", str(EXAMPLES / "case_roster_title.yaml"),
                          rejects_dir=tmp_path)  # fmt: skip
    assert roster.unused_columns == ["序号"]
    assert roster.warnings == []  # row numbers 1, 2, 3 are not evidence


def test_a_builtin_mapping_finds_its_header_under_title_rows(empty_graph, tmp_path):
    """No `header_row` needed when a built-in mapping fits a row near the top: the rows above it are the
    title area and the records keep the seized file's row numbers."""
    path = tmp_path / "运单导出.csv"
    path.write_text(
        "某某快递 运单导出 2024-03-10\n\n"
        "运单号,寄件人电话,收件人,收件人电话,收件地址,寄件时间\n"
        "SF3001,13812345678,李明,13600136006,云南省昆明市五华区青年路2号,2024-03-05 10:20\n",
        encoding="utf-8",
    )
    assert api.detect_mapping(path).name == "waybills"
    for mapping in (None, "waybills"):  # detected, or named as the Load page names it
        summary = api.load(empty_graph, path, mapping, rejects_dir=tmp_path)
        assert (summary.rows_written, summary.header_row) == (1, 3)
    row = empty_graph.read_value(
        "MATCH (:Parcel {waybill: 'SF3001'})-[r:DELIVERED_TO]->(:Address {address_id: '云南省昆明市五华区青年路2号'}) "
        "RETURN r.row"
    )
    assert row == 4
    frame = api.preview(path)
    assert list(frame["_row"]) == [4]


def test_no_mapping_message_points_at_a_header_far_under_the_title():
    """The bill's header is on row 16: the message quotes that row and the mappings closest to it, not
    the bill's title as if it were the header."""
    with pytest.raises(FileRejected) as refused:
        choose_mapping(open_export(UNSEEN / "wechatpay_bill.csv"), all_mappings())
    message = str(refused.value)
    assert "header looks to be on row 16 (交易时间, 交易类型, 交易对方" in message
    assert "closest there: payments (matched" in message and "missing payer_account, payee_account" in message
    assert "`header_row: 16`" in message and "微信支付账单明细" not in message


def test_cells_that_stand_for_nothing_write_nothing_and_are_counted(empty_graph, tmp_path):
    """`/` in the bill's unused fields is read as empty: no memo, goods or merchant number "/" is stored,
    the summary counts them per column, and the neutral row's reason says what its cell held."""
    summary = api.load(empty_graph, UNSEEN / "wechatpay_bill.csv", str(EXAMPLES / "wechatpay_bill.yaml"),
                       rejects_dir=tmp_path)  # fmt: skip
    slashes = empty_graph.read_value(
        "MATCH ()-[r]->() UNWIND keys(r) AS k WITH r, k WHERE r[k] = '/' RETURN count(*)"
    ) + empty_graph.read_value("MATCH (n) UNWIND keys(n) AS k WITH n, k WHERE n[k] = '/' RETURN count(*)")
    assert slashes == 0
    assert summary.blank_cells == {"商品": 4, "收/支": 1, "支付方式": 1, "商户单号": 3, "备注": 3}
    rejects = summary.rejects_path.read_text(encoding="utf-8-sig").splitlines()
    assert rejects[1].startswith("21,收/支,direction is empty ('/' stands for nothing)")
    # `empty_values: []` reads every cell as written: the memo "/" is back.
    as_written = tmp_path / "as_written.yaml"
    text = (EXAMPLES / "wechatpay_bill.yaml").read_text(encoding="utf-8")
    as_written.write_text(text.replace("header_row: 16", "header_row: 16\nempty_values: []"), encoding="utf-8")
    again = api.validate(UNSEEN / "wechatpay_bill.csv", str(as_written), rejects_dir=tmp_path)
    assert again.blank_cells == {} and again.rows_rejected == 1  # "/" is not a direction either
    memos = empty_graph.read_value("MATCH ()-[r:TRANSFERRED]->() RETURN collect(r.memo)")
    assert sorted(memos) == ["冰 两克"]


def test_a_chat_message_over_several_lines_is_one_message_with_its_mentions(empty_graph, tmp_path):
    """QQ's text export: the phone and the WeChat id two lines below the message's first line belong to
    that message, whose row is the line it starts on; the later chats' headings are in no message, the last
    chat's message is in its own group, and the friend's chat, between them, in none; slang is read from
    each whole text."""
    summary = api.load(empty_graph, UNSEEN / "qq_group_chat.txt", str(EXAMPLES / "qq_group_chat.yaml"),
                       rejects_dir=tmp_path)  # fmt: skip
    found = empty_graph.read(
        "MATCH (a:Account)-[w:WROTE]->(m:Message)-[r:MENTIONS]->(x) "
        "RETURN a.account_id AS sender, m.text AS text, w.row AS row, r.matched AS matched, "
        "coalesce(x.number, x.account_id) AS key ORDER BY key"
    ).records
    assert [(r["sender"], r["row"], r["matched"], r["key"]) for r in found] == [
        ("qq:ahqiang@qq.com", 41, "13600136006", "+8613600136006"),
        ("qq:1234567890", 15, "13812345678", "+8613812345678"),
        ("qq:1234567890", 15, "wxid_laok888", "wechat:wxid_laok888"),
    ]
    assert found[1]["text"].startswith("一克三百") and found[1]["text"].endswith("13812345678")
    assert summary.skipped_rows == [23]
    # The friend's chat between the two groups: its message rejected at its line, its heading in no group's.
    rejects = summary.rejects_path.read_text(encoding="utf-8-sig")
    assert (
        rejects.splitlines()[1]
        == '32,sender_account,sender_account is empty,2024-03-06 20:00:00,李四,,在吗,"' + "=" * 64
    )
    groups = empty_graph.read(
        "MATCH (m:Message)-[:IN_GROUP]->(g:Site) RETURN g.name AS name, collect(m.text) AS texts ORDER BY name"
    ).records
    assert [(r["name"], len(r["texts"])) for r in groups] == [("冰糖批发交流群", 4), ("顺丰代收群", 1)]
    assert not any("消息" in text or "===" in text for r in groups for text in r["texts"])
    # Without its mapping, the file's one-field "header" points at `lines`.
    with pytest.raises(FileRejected, match=r"qq_group_chat.txt: no mapping .*see `lines`"):
        choose_mapping(open_export(UNSEEN / "qq_group_chat.txt"), all_mappings())
    flagged = empty_graph.read_value("MATCH (m:Message) WHERE m.slang RETURN collect(m.slang_terms)")
    assert flagged and all("冰" in terms or "冰糖" in terms for terms in flagged)
