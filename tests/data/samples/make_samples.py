"""Writes the sample exports the loader tests use (run once; the outputs are committed).

Each sample is small, realistic in its headers and formats, and has bad rows
planted on purpose; tests/integration/test_loaders.py states the exact counts.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

A, B, C, D = "13800138001", "13800138002", "13800138003", "13900139004"
E, F, G, H, I = "13700137005", "13600136006", "13500135007", "13300133008", "15900159009"  # noqa: E741 - phones named by letter
SZ = "广东省深圳市南山区科技园1号"
KM = "云南省昆明市五华区青年路2号"
CD = "四川省成都市武侯区人民南路3号"


def write_csv(
    name: str, header: list[str], rows: list[list[object]], encoding: str = "utf-8", delimiter: str = ","
) -> None:
    with (HERE / name).open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    # Call detail records: Chinese headers, UTF-8 with BOM, five time formats.
    write_csv("cdr_话单.csv", ["主叫号码", "被叫号码", "开始时间", "通话时长(秒)"], [
        [A, B, "2021/6/23 14:05", 65],
        [A, C, "2021-06-23 15:00:00", 120],
        [B, C, "2021年6月24日 09时30分", 30],
        ["138 0013 8001", D, "44371.5", 10],          # Excel serial number
        ["+86 13800138002", A, "1624500000", 0],      # Unix seconds
        [A, B, "2021/6/23 14:05", 65],                # the same call again: merged
        [A, "12345", "2021-06-25 10:00", 5],          # bad phone
        [B, C, "not a date", 5],                      # bad time
        ["", C, "2021-06-25 10:00", 5],               # missing caller
        [C, D, "2021-06-25 11:00", 45],
    ], encoding="utf-8-sig")  # fmt: skip

    # Messages: GBK-encoded, Chinese headers.
    write_csv("messages_gbk.csv", ["发送方", "接收方", "发送时间", "应用", "内容"], [
        [A, B, "2021-06-23 14:10:00", "微信", "今晚有冰毒吗"],
        [B, A, "2021-06-23 14:11:00", "微信", "有，老地方"],
        [A, E, "2021-06-23 20:00:00", "", "到了没"],
        [A, B, "2021-13-45 10:00", "短信", "坏时间"],       # bad time
    ], encoding="gbk")  # fmt: skip

    # Contacts: XLSX, English headers, one phone typed as a number.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "通讯录"
    ws.append(["owner_phone", "contact_name", "contact_phone"])
    ws.append([A, "老王", B])
    ws.append([A, "阿强", int(C)])
    ws.append([A, "Ｄ哥", D])
    ws.append([B, "大哥", A])
    ws.append([A, "坏号码", "abc"])  # bad phone
    wb.save(HERE / "contacts.xlsx")

    # Bank statement: Chinese aliases, card numbers with spaces, 收/支/进/出, ¥ and 元.
    write_csv("bank_statement.csv", ["账号", "户名", "对方账号", "对方户名", "收付标志", "交易金额", "交易时间", "摘要", "开户行"], [
        ["6222 0212 3456 7890 123", "张三", "6228481234567890", "李四", "支", "¥1,200.00", "2021-06-23 10:00", "货款", "工商银行"],
        ["6222021234567890123", "张三", "6217001234567890", "王五", "收", "350.5元", "2021-06-23 12:00", "还款", "工商银行"],
        ["6222021234567890123", "张三", "6228481234567890", "李四", "出", "-500", "2021/6/24 11:00", "", "工商银行"],
        # The payee's own statement of the first transfer: the same event.
        ["6228481234567890", "李四", "6222021234567890123", "张三", "进", "1200.00", "2021-06-23 10:00", "收货款", "农业银行"],
        ["6222021234567890123", "张三", "6217001234567890", "王五", "支", "abc", "2021-06-25 10:00", "", "工商银行"],  # bad amount
        ["6222021234567890123", "张三", "6217001234567890", "王五", "横", "100", "2021-06-25 11:00", "", "工商银行"],  # bad direction
    ])  # fmt: skip

    # Payments: JSON Lines, platform names in Chinese and English.
    payments = [
        {"platform": "支付宝", "payer_account": A, "payer_name": "王强", "payee_account": "shop_k", "payee_name": "K店",
         "amount": "88.00", "at": "2021-06-23 21:00:00", "memo": "奶茶", "order_no": "2021062322001"},
        {"platform": "微信支付", "payer_account": "wxid_abc", "payer_name": "李明", "payee_account": "wxid_xyz",
         "payee_name": "赵六", "amount": 200, "at": "2021-06-24T08:00:00+08:00", "memo": "", "order_no": "4200001"},
        {"platform": "alipay", "payer_account": A, "payer_name": "王强", "payee_account": "liwei_2021",
         "payee_name": "李伟", "amount": "¥1,500", "at": "2021-06-24 09:00", "memo": "货", "order_no": "2021062322002"},
        {"platform": "支付宝", "payer_account": A, "payer_name": "王强", "payee_account": "shop_k", "payee_name": "K店",
         "amount": "88.00", "at": "2021-06-23 21:00:00", "memo": "奶茶", "order_no": "2021062322001"},  # repeated
        {"platform": "paypal", "payer_account": "x", "payee_account": "y", "amount": 1, "at": "2021-06-24 10:00"},  # bad
    ]  # fmt: skip
    (HERE / "payments.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in payments), "utf-8")

    # Waybills: Chinese headers; the same sender written with a full-width space.
    write_csv("waybills.csv", ["运单号", "快递公司", "寄件人", "寄件人电话", "寄件地址", "收件人", "收件人电话", "收件地址", "物品", "重量(kg)", "寄件时间", "签收时间"], [
        ["SF1001", "顺丰", "王强", A, SZ, "李明", F, KM, "茶叶", "1.5", "2021-06-20 10:00", "2021-06-22 18:00"],
        ["sf 1002", "顺丰", "王强", A, SZ, "赵六", G, CD, "奶茶粉", "0.8", "2021-06-21 10:00", "2021-06-23 12:00"],
        ["YT2001", "圆通", "王\u3000强", A, SZ, "李明", F, KM, "衣服", "2", "2021-06-22 10:00", ""],
        ["YT2002", "圆通", "王强", "000", SZ, "李明", F, KM, "衣服", "2", "2021-06-22 11:00", ""],  # bad phone
        ["ZT3001", "中通", "陈七", H, SZ, "李明", I, KM, "茶叶", "1", "2021-06-23 10:00", "2021-06-25 10:00"],
    ])  # fmt: skip

    # Posts: TSV; a market vendor's adverts with slang, and a group chat message without a post id.
    write_csv("posts.tsv", ["site", "site_kind", "post_id", "handle", "handle_platform", "posted_at", "text", "contact_phone", "payment_handle", "payment_platform"], [
        ["丝路市场", "market", "101", "ice_king", "vendor", "2021-06-01 12:00", "上等冰毒 现货 包邮", A, "ice_king_pay", "支付宝"],
        ["丝路市场", "暗网市场", "102", "ice_king", "", "2021-06-02 12:00", "K粉到货", A, "ice_king_pay", "alipay"],
        ["本地交友群", "微信群", "", "老王", "wechat", "2021-06-03 08:00", "今天天气不错", "", "", ""],
        ["丝路市场", "market", "103", "ice_king", "vendor", "yesterday", "Molly pills", "", "", ""],  # bad time
    ], delimiter="\t")  # fmt: skip

    # Roster: Chinese headers; the same ID number twice is one person.
    write_csv("roster.csv", ["案件编号", "案件名称", "姓名", "身份证号", "手机号", "住址", "角色", "账号平台", "账号"], [
        ["A2021-001", "6·23贩毒案", "王强", "440301199001011234", A, SZ, "主犯", "微信", "wq_8888"],
        ["A2021-001", "6·23贩毒案", "李明", "530102198505052345", F, KM, "下线", "", ""],
        ["A2021-002", "7·01贩毒案", "王强", "440301199001011234", A, "", "主犯", "支付宝", A],
        ["A2021-002", "7·01贩毒案", "", "", B, "", "马仔", "", ""],                  # no name
        ["A2021-002", "7·01贩毒案", "张三", "", "", "", "马仔", "", ""],              # no key: no ID, phone or address
        ["A2021-002", "7·01贩毒案", "赵六", "12345", G, "", "马仔", "", ""],         # bad ID number
    ])  # fmt: skip

    # Login log: English headers, an IPv6 address, a bad IP.
    write_csv("logins.csv", ["platform", "handle", "ip", "imei", "at"], [
        ["wechat", "wq_8888", "113.87.1.10", "861234567890123", "2021-06-23 08:00"],
        ["wechat", "wq_8888", "113.87.1.10", "861234567890123", "2021-06-24 08:00"],
        ["QQ", "123456789", "2001:0db8::1", "", "2021-06-24 09:00"],
        ["wechat", "wq_8888", "999.1.1.1", "", "2021-06-24 10:00"],  # bad IP
    ])  # fmt: skip

    write_csv("edge_list.csv", ["source", "target", "weight", "type"], [
        ["a", "b", "1", ""],
        ["b", "c", "2", "meeting"],
        ["a", "b", "3", ""],       # the same link again: merged, weight now 3
        ["c", "", "1", ""],        # missing target
    ])  # fmt: skip

    write_csv("matrix_4x4.csv", ["", "n1", "n2", "n3", "n4"], [
        ["n1", 0, 2, 0, 1],
        ["n2", 2, 0, 0, 0],
        ["n3", 0, 0, 0, 5],
        ["n4", 0, 0, 0, 0],
    ])  # fmt: skip

    chat_messages()


def chat_messages() -> None:
    """Chat export from a forensic tool: WeChat wxids, QQ numbers and Telegram @handles as the two ends."""
    write_csv("chat_messages.csv", ["聊天平台", "发送者账号", "发送者昵称", "接收者账号", "接收者昵称", "群聊名称", "消息时间", "消息内容", "消息ID"], [
        ["微信", "wxid_a1b2c3", "老张", "wxid_x9y8z7", "小李", "", "2024-03-05 10:20:00", "明天老地方 冰毒 两克", "M001"],
        ["微信", "wxid_x9y8z7", "小李", "wxid_a1b2c3", "老张", "", "2024-03-05 10:21:30", "收到", "M002"],
        ["QQ", "10001234", "阿强", "20005678", "阿飞", "", "2024/3/5 11:00", "货到了吗", "Q1"],
        ["telegram", "@dealer_01", "", "@Buyer_77", "", "", "2024-03-05T12:00:00+08:00", "price?", "T1"],
        ["微信", "wxid_a1b2c3", "老张", "", "", "城中村兄弟群", "2024-03-05 13:00", "今晚 现货", "G1"],      # group message
        ["微信", "wxid_a1b2c3", "老张", "wxid_x9y8z7", "小李", "", "2024-03-05 10:20:00", "明天老地方 冰毒 两克", "M001"],  # repeated
        ["微信", "wxid_q1", "", "", "", "", "2024-03-05 14:00", "to nobody", "M003"],   # neither receiver nor group
        ["微信", "wxid_a1b2c3", "", "wxid_x9y8z7", "", "", "昨天", "hello", "M004"],    # bad time
        ["抖音", "dy_1", "", "dy_2", "", "", "2024-03-05 15:00", "hi", "D1"],          # unknown platform
        ["Telegram", "dealer_01", "", "buyer_77b", "", "", "2024-03-06 09:00", "ok", "T2"],  # same account as @dealer_01
    ])  # fmt: skip


if __name__ == "__main__":
    main()
