"""Writes the unseen-format export fixtures of this folder (run from the repository root:
`python tests/data/unseen/make_fixtures.py`). The files are committed; this script says how they were made.

Each imitates a layout no built-in mapping reads: title rows, merged header cells, split date and time,
income and expense columns, name(phone) cells, English dates, footer totals, JSON exports, GBK text.
Their mappings are in docs/examples/; tests/integration/test_unseen_formats.py loads each one.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FIXED = datetime(2024, 3, 10, 9, 0, 0)  # workbook metadata time: the files do not change between runs


def _save(wb: openpyxl.Workbook, name: str) -> None:
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(HERE / name)


def bank_statement_xlsx() -> None:
    """A bank's statement workbook: title rows with the account, a blank row, split date and time,
    income and expense columns, a totals row at the end."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对账单"
    ws.append(["中国工商银行 个人账户对账单"])
    ws.append(["账号：6222 0212 3456 7890 123", None, "户名：张伟", None, "币种：人民币"])
    ws.append([])
    ws.append(["交易日期", "交易时间", "收入金额", "支出金额", "余额", "对方账号", "对方户名", "摘要"])
    ws.append([datetime(2024, 3, 5), "10:20:00", 5000.00, None, 15000.00, "6228480012345678901", "李明", "转账"])
    ws.append([datetime(2024, 3, 5), "10:31:12", None, 4800.00, 10200.00, "6217000011112222333", "王强", "网银转出"])
    ws.append([datetime(2024, 3, 6), "23:05:40", 3000.00, None, 13200.00, "6228480012345678901", "李明", "转账"])
    ws.append([datetime(2024, 3, 7), "08:00:05", None, 2900.00, 10300.00, "6217000011112222333", "王强", "网银转出"])
    ws.append(["合计", None, 8000.00, 7700.00, None, None, None, None])
    _save(wb, "icbc_statement.xlsx")


def bank_statement_gbk() -> None:
    """A bank's CSV in GBK: debit and credit columns, date and time as digits, a count line at the end."""
    lines = [
        "本方账号,记账日期,记账时间,借方发生额,贷方发生额,对方账号,对方户名,交易摘要",
        "6217000011112222333,20240305,103112,,4800.00,6222021234567890123,张伟,转账存入",
        "6217000011112222333,20240305,110000,4700.00,,6230580000000000001,赵六,跨行转出",
        "6217000011112222333,20240307,080005,,2900.00,6222021234567890123,张伟,转账存入",
        "共3笔,,,,,,,",
    ]
    (HERE / "ccb_statement_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def courier_merged_xlsx() -> None:
    """A courier's workbook: a title row, then a header over two rows with merged group cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "运单明细"
    ws.append(["顺丰速运 运单明细 导出日期：2024-03-10"])
    ws.append(["运单号", "寄件人", None, None, "收件人", None, None, "寄件时间", "托寄物"])
    ws.append([None, "姓名", "电话", "地址", "姓名", "电话", "地址", None, None])
    for cells in ("A2:A3", "B2:D2", "E2:G2", "H2:H3", "I2:I3"):
        ws.merge_cells(cells)
    ws.append(["SF1400012345678", "王强", "13812345678", "广东省深圳市南山区科技园1号", "李明", "13600136006",
               "云南省昆明市五华区青年路2号", datetime(2024, 3, 5, 10, 20), "茶叶"])  # fmt: skip
    ws.append(["SF1400012345679", "王强", "13812345678", "广东省深圳市南山区科技园1号", "赵六", "15012345678",
               "云南省昆明市盘龙区北京路9号", datetime(2024, 3, 6, 15, 0), "服装"])  # fmt: skip
    ws.append(["SF1400012345680", "孙七", "18612345678", "广东省广州市天河区体育西路3号", "李明", "13600136006",
               "云南省昆明市五华区青年路2号", datetime(2024, 3, 7, 9, 45), "茶叶"])  # fmt: skip
    _save(wb, "sf_waybills_merged.xlsx")


def courier_name_phone_csv() -> None:
    """A courier's CSV whose sender and receiver cells are `name(phone)`, full-width brackets too."""
    lines = [
        "单号,寄件人,收件人,收件地址,物品,揽收时间",
        "ZT7300000001,王强(13812345678),李明（136 0013 6006）,云南省昆明市五华区青年路2号,茶叶,2024/03/08 11:00",
        "ZT7300000002,孙七(18612345678),赵六(15012345678),云南省昆明市盘龙区北京路9号,日用品,2024/03/09 16:30",
    ]
    (HERE / "zto_waybills_namephone.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def telegram_json() -> None:
    """A chat app's JSON export (Telegram's result.json shape): a document with a list of messages."""
    doc = {
        "name": "Ice & Sugar",
        "type": "private_supergroup",
        "id": 1777000123,
        "messages": [
            {"id": 1, "type": "service", "date": "2024-03-05T10:00:00", "actor": "Ice Man",
             "actor_id": "user5551234", "action": "create_group"},
            {"id": 2, "type": "message", "date": "2024-03-05T10:20:00", "from": "Ice Man",
             "from_id": "user5551234", "text": "货到付款，私聊 13912345678"},
            {"id": 3, "type": "message", "date": "2024-03-05T10:25:31", "from": "buyer",
             "from_id": "user8889990", "text": "价格多少？"},
            {"id": 4, "type": "message", "date": "2024-03-05T11:02:00", "from": "Ice Man",
             "from_id": "user5551234", "text": "邮 顺丰，冰糖 一克 300"},
        ],
    }  # fmt: skip
    (HERE / "telegram_export.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


def cdr_english_csv() -> None:
    """Call records of an English-language carrier: month names, 12-hour times, an IMEI column."""
    lines = [
        "Calling Party,Called Party,Call Date,Call Time,Duration (sec),Handset IMEI",
        '+86 138-1234-5678,+86 136-0013-6006,"Mar 25, 2015",2:05 PM,62,356938035643809',
        '+86 136-0013-6006,+86 150-1234-5678,"Mar 25, 2015",11:40 PM,15,356938035643809',
        '+86 138-1234-5678,+86 150-1234-5678,"Mar 26, 2015",9:01 AM,300,490154203237518',
    ]
    (HERE / "cdr_english.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def wallet_day_first_csv() -> None:
    """An e-wallet export from abroad: day-first dates, local time in Bangkok, one amount column."""
    lines = [
        "Txn Date,Sender Wallet,Receiver Wallet,Amount,Note",
        '25/03/2015 14:05,seller_bkk,mule_0001,"1,200.00",goods',
        '02/04/2015 09:30,mule_0001,boss_hk,"1,150.00",fee',
    ]
    (HERE / "wallet_day_first.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def contacts_footer_csv() -> None:
    """A phone's contact list: the owner's number only in the title, a blank line, a count at the end."""
    lines = [
        "通讯录导出 机主号码：138 1234 5678 导出时间：2024-03-01",
        "",
        "姓名,手机号码,备注",
        "李明,13600136006,茶",
        "赵六,150-1234-5678,",
        "孙七,+86 186 1234 5678,广州",
        "共 3 条记录,,",
    ]
    (HERE / "contacts_footer.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def qq_logins_tsv() -> None:
    """QQ login records, tab-separated, with US-style month-first dates."""
    lines = [
        "QQ号码\t登录IP\t登录时间(美东)\t设备IMEI",
        "123456789\t203.0.113.7\t03/25/2015 09:10:11\t356938035643809",
        "123456789\t198.51.100.23\t03/26/2015 22:00:00\t356938035643809",
        "987654321\t203.0.113.7\t04/01/2015 07:45:00\t490154203237518",
    ]
    (HERE / "qq_logins_month_first.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def wechat_jsonl() -> None:
    """A WeChat chat export in JSON Lines: one phone owner's chats, wxid ids, Unix times, isSend flags."""
    rows = [
        {"owner": "wxid_seller88", "talker": "wxid_buyer01", "isSend": 0, "createTime": 1709605200,
         "content": "在吗，要两克"},
        {"owner": "wxid_seller88", "talker": "wxid_buyer01", "isSend": 1, "createTime": 1709605260,
         "content": "私聊，到付，收款 13912345678"},
        {"owner": "wxid_seller88", "talker": "wxid_buyer02", "isSend": 0, "createTime": 1709608800,
         "content": "老地方？"},
    ]  # fmt: skip
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    (HERE / "wechat_chat.jsonl").write_text(text, encoding="utf-8")


def forum_posts_xlsx() -> None:
    """A scraped forum thread: the site in the title, English day-first dates, a contact cell with a phone."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "scrape"
    ws.append(["Scraped from darkbazaar.example on 10 Mar 2024"])
    ws.append(["Thread ID", "Author", "Posted", "Content", "Contact"])
    ws.append(
        ["t-1001", "icefox", "25 Mar 2015 09:10", "pure ice, discreet shipping", "Tel: 138-1234-5678 (WeChat too)"]
    )
    ws.append(["t-1002", "snowman", "26 Mar 2015 21:45", "best prices in town", "call 13600136006"])
    ws.append(["t-1003", "icefox", "27 Mar 2015 08:00", "restocked", "Tel: 13812345678"])
    ws.append(["Total: 3 posts"])
    _save(wb, "forum_posts_english.xlsx")


def case_roster_xlsx() -> None:
    """A case's list of suspects: the case number in the title, `name(ID number)` cells, Chinese month names."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "涉案人员"
    ws.append(["案件编号：A2024-017 某某贩毒案 涉案人员名单"])
    ws.append([])
    ws.append(["序号", "姓名及身份证号", "联系电话", "住址", "角色", "到案日期"])
    ws.append(
        [1, "张伟（110101199003071234）", "13812345678", "广东省深圳市南山区科技园1号", "组织者", "2024年三月8日"]
    )
    ws.append(
        [2, "李明（53010219850512002X）", "13600136006", "云南省昆明市五华区青年路2号", "收货人", "2024年三月9日"]
    )
    ws.append(
        [3, "赵六（530103199201011111）", "15012345678", "云南省昆明市盘龙区北京路9号", "收货人", "2024年三月9日"]
    )
    _save(wb, "case_roster_title.xlsx")


def alipay_bills_csv() -> None:
    """An Alipay bill download: notice lines above the header, income/expense as a column of words,
    the counterparty written `name(account)`, a dashed footer with totals."""
    lines = [
        "支付宝交易记录明细查询",
        "账号:[zhangwei@example.com]",
        "起始日期:[2024-03-01 00:00:00]    终止日期:[2024-03-31 23:59:59]",
        "---------------------------------交易记录明细列表------------------------------------",
        "交易号,交易创建时间,交易对方,金额（元）,收/支,商品名称",
        "2024030522001400001,2024-03-05 12:00:01,李明(liming88@example.com),500.00,支出,茶叶",
        "2024030622001400002,2024-03-06 18:30:00,赵六(zhaoliu@example.com),260.00,收入,退款",
        "------------------------------------------------------------------------------------",
        "共2笔记录",
        "已收入:1笔,260.00元",
        "待收入:0笔,0.00元",
        "已支出:1笔,500.00元",
    ]
    (HERE / "alipay_bills.csv").write_bytes(("\n".join(lines) + "\n").encode("gbk"))


def wechatpay_bill_csv() -> None:
    """A WeChat Pay bill download (UTF-8 with a byte-order mark): fifteen lines of title and notes above the
    header, the owner named only in the title, `/` in every field that does not apply, money as `¥500.00`,
    a neutral row (a withdrawal, `/` for in or out) and trade numbers ending in a tab, as the app writes them."""
    pad = "," * 10
    title = ["微信支付账单明细", "微信昵称：[阿强]", "起始时间：[2024-03-01 00:00:00] 终止时间：[2024-03-31 23:59:59]",
             "导出类型：[全部]", "导出时间：[2024-04-02 10:11:12]", "", "共5笔记录", "收入：1笔 800.00元",
             "支出：3笔 1260.00元", "中性交易：1笔 200.00元", "注：",
             "1. 充值/提现/理财通购买/零钱通存取/信用卡还款等交易，将计入中性交易",
             "2. 除微信支付外，其他所有支付方式均不计入本账单统计", "",
             "----------------------微信支付账单明细列表--------------------"]  # fmt: skip
    lines = [t + pad for t in title] + [
        "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注",
        "2024-03-05 21:14:03,转账,老K,/,支出,¥500.00,零钱,对方已收钱,1000050001202403050123456789\t,/,/",
        "2024-03-06 09:02:11,微信红包,小李,/,收入,¥800.00,/,已存入零钱,1000039501202403060987654321\t,/,/",
        "2024-03-07 13:45:00,商户消费,顺丰速运,运费,支出,¥60.00,招商银行(1234),支付成功,"
        "4200002001202403071112223334\t,SF20240307001\t,/",
        "2024-03-08 22:10:59,转账,老K,/,支出,¥700.00,零钱,对方已收钱,1000050001202403080223456789\t,/,冰 两克",
        "2024-03-09 10:00:00,零钱提现,招商银行(1234),/,/,¥200.00,零钱,提现已到账,1000060001202403090111111111\t,/,"
        "服务费¥0.20",
    ]
    (HERE / "wechatpay_bill.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def qq_group_chat_txt() -> None:
    """QQ's message manager export of two group chats and a friend's (.txt, UTF-8 with a byte-order mark, Windows line
    breaks): each chat headed by a block of rules, its folder and its name, then per message a line of
    time, nickname and QQ number (or the member's e-mail in angle brackets) and the message on the lines
    below, a blank line between messages. One message runs over two lines and holds a WeChat id and a
    phone; one is a system notice. Between the two, a one-to-one chat, whose lines name the sender by
    nickname only, as QQ writes them for a friend."""
    lines = [
        "消息记录（此消息记录为文本格式，不支持重新导入）",
        "",
        "================================================================",
        "消息分组:我的QQ群",
        "================================================================",
        "消息对象:冰糖批发交流群",
        "================================================================",
        "",
        "2024-03-05 21:14:02 老K(1234567890)",
        "新到一批，冰糖品质好，私聊",
        "",
        "2024-03-05 21:15:40 阿强<ahqiang@qq.com>",
        "价格多少",
        "",
        "2024-03-05 21:16:05 老K(1234567890)",
        "一克三百，到付走顺丰",
        "",
        "加我微信 wxid_laok888 或者打 13812345678",
        "",
        "2024-03-05 21:20:11 小美(2233445566)",
        "[图片]",
        "",
        "2024-03-06 09:02:30 系统消息(10000)",
        "小美(2233445566) 退出了本群",
        "",
        "================================================================",
        "消息分组:我的好友",
        "================================================================",
        "消息对象:李四",
        "================================================================",
        "",
        "2024-03-06 20:00:00 李四",
        "在吗",
        "",
        "================================================================",
        "消息分组:我的QQ群",
        "================================================================",
        "消息对象:顺丰代收群",
        "================================================================",
        "",
        "2024-03-07 10:00:00 阿强<ahqiang@qq.com>",
        "到了打我电话 13600136006",
        "",
    ]
    (HERE / "qq_group_chat.txt").write_bytes("\r\n".join(lines).encode("utf-8-sig"))


if __name__ == "__main__":
    for make in (bank_statement_xlsx, bank_statement_gbk, courier_merged_xlsx, courier_name_phone_csv, telegram_json,
                 cdr_english_csv, wallet_day_first_csv, contacts_footer_csv, qq_logins_tsv, wechat_jsonl,
                 forum_posts_xlsx, case_roster_xlsx, alipay_bills_csv, wechatpay_bill_csv, qq_group_chat_txt):  # fmt: skip
        make()
        print(make.__name__)
