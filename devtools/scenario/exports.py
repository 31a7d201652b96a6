"""Writing the world out as the messy exports analysts actually receive.

Each `Source` is one export file: its kind (which loader mapping reads it),
format (CSV or XLSX), encoding, header vocabulary (Chinese or English aliases
the mappings declare) and habits (phone format, time format, value words).
Rows are routed to sources the way real data is split (by operator, bank,
courier, platform, seized handset) and then roughened: phone formats vary,
names get typos, optional fields go missing, some rows are duplicated and a
few plainly bad rows are planted and recorded, so a test can check that
exactly those are rejected.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from pypinyin import lazy_pinyin

from devtools.scenario import names as V
from devtools.scenario.world import (
    COLUMNS,
    EPOCH,
    NAME_COLUMNS,
    NOISE,
    PHONE_COLUMNS,
    TIME_COLUMNS,
    Chunk,
    World,
    _rng,
)

FIXED_ZIP_TIME = (2024, 7, 1, 0, 0, 0)
FIXED_DOC_TIME = "2024-07-01T00:00:00Z"
XLSX_CAP = 10_000  # then the rest of the rows spill into a CSV, as exports past a tool's limit do
DUPLICATE_RATE = 0.005
TYPO_RATE = 0.04
MISSING_RATE = 0.03
BAD_ROWS_PER_SOURCE = 2
# Kinds whose rows are events, thinned by the missing-rows knob; rosters and address books are records.
EVENT_KINDS = {"cdr", "messages", "bank_statement", "payments", "waybills", "posts", "logins"}

# Columns an export may leave empty without the row being wrong.
OPTIONAL = {
    "cdr": ["duration_s"],
    "messages": ["text"],
    "contacts": ["contact_name"],
    "bank_statement": ["memo", "counterparty_name", "bank"],
    "payments": ["memo", "payer_name"],
    "waybills": ["item", "weight_kg", "delivered_at", "sender_name"],
    "posts": ["text"],
    "roster": ["address"],
    "logins": ["imei"],
}
# What makes a planted bad row bad: a required column left empty, or a time that is no time.
BAD = {
    "cdr": [("caller", ""), ("start_time", "2024-13-45 25:61:00")],
    "messages": [("sender", ""), ("sent_at", "不详")],
    "contacts": [("owner_phone", ""), ("contact_phone", "")],
    "bank_statement": [("account_no", ""), ("at", "2024-02-30 99:00:00")],
    "payments": [("payee_account", ""), ("at", "N/A")],
    "waybills": [("waybill", ""), ("receiver_phone", "")],
    "posts": [("site", ""), ("handle", "")],
    "roster": [("name", ""), ("name", "")],
    "logins": [("handle", ""), ("at", "unknown")],
}

ZH = {
    "cdr": ["主叫号码", "被叫号码", "开始时间", "通话时长"],
    "messages": ["发送方", "接收方", "发送时间", "应用", "内容"],
    "contacts": ["机主号码", "联系人姓名", "联系人号码"],
    "bank_statement": ["账号", "户名", "对方账号", "对方户名", "收付标志", "交易金额", "交易时间", "摘要", "开户行"],
    "payments": [
        "支付平台",
        "付款方账号",
        "付款方姓名",
        "收款方账号",
        "收款方姓名",
        "金额",
        "交易时间",
        "备注",
        "交易单号",
    ],
    "waybills": [
        "运单号",
        "快递公司",
        "寄件人",
        "寄件人电话",
        "寄件地址",
        "收件人",
        "收件人电话",
        "收件地址",
        "物品",
        "重量",
        "寄件时间",
        "签收时间",
    ],
    "posts": [
        "站点",
        "站点类型",
        "帖子编号",
        "账号",
        "账号平台",
        "发布时间",
        "内容",
        "联系电话",
        "收款账号",
        "收款平台",
    ],
    "roster": ["案件编号", "案件名称", "姓名", "身份证号", "手机号", "住址", "角色", "账号平台", "账号"],
    "logins": ["平台", "账号", "登录IP", "设备IMEI", "登录时间"],
}
# A second Chinese vocabulary and an English one that differs from the canonical names.
ZH2 = {
    "cdr": ["主叫", "被叫", "通话开始时间", "时长"],
    "bank_statement": [
        "卡号",
        "账户名称",
        "交易对方账号",
        "交易对方户名",
        "借贷标志",
        "发生额",
        "交易日期",
        "交易摘要",
        "开户银行",
    ],
    "waybills": [
        "快递单号",
        "物流公司",
        "发件人",
        "发件人电话",
        "发件地址",
        "收件人姓名",
        "收件人手机",
        "收货地址",
        "托寄物",
        "计费重量",
        "揽收时间",
        "送达时间",
    ],
}
EN2 = {
    "cdr": ["calling_number", "called_number", "call_time", "duration"],
    "messages": ["from", "to", "timestamp", "application", "body"],
    "payments": [
        "channel",
        "payer",
        "payer_holder",
        "payee",
        "payee_holder",
        "value",
        "time",
        "note",
        "transaction_id",
    ],
}
DIRECTION_WORDS = {"en": {"in": "in", "out": "out"}, "zh": {"in": "收", "out": "支"}, "zh2": {"in": "贷", "out": "借"}}
PLATFORM_ZH = {"alipay": "支付宝", "wechatpay": "微信支付", "wechat": "微信", "telegram": "Telegram", "qq": "QQ"}
SITE_KIND_ZH = {"forum": "论坛", "group": "群组", "website": "网站", "market": "市场"}


@dataclass(frozen=True)
class Source:
    """One export file and the habits of whoever produced it."""

    path: str
    kind: str
    headers: list[str] | None = None  # None: the canonical English names
    encoding: str = "utf-8"
    phone_style: str = "plain"
    time_style: str = "%Y-%m-%d %H:%M:%S"
    direction: str = "en"
    chinese_values: bool = False
    amount_commas: bool = False

    @property
    def is_xlsx(self) -> bool:
        return self.path.endswith(".xlsx")

    @property
    def language(self) -> str:
        return "zh" if self.headers and any(ord(c) > 127 for c in "".join(self.headers)) else "en"


SOURCES = [
    Source("移动_通话详单.csv", "cdr", ZH["cdr"], "gbk", "plain", "%Y-%m-%d %H:%M:%S"),
    Source("unicom_cdr.csv", "cdr", EN2["cdr"], "utf-8", "spaced", "%Y/%m/%d %H:%M:%S"),
    Source("电信_话单.csv", "cdr", ZH2["cdr"], "utf-8-sig", "86", "%Y-%m-%dT%H:%M:%S"),
    Source("手机取证_通话记录.xlsx", "cdr", ZH["cdr"], phone_style="dash", time_style="excel"),
    Source("tencent_chats.csv", "messages", None, "utf-8", "e164"),
    Source(
        "手机取证_聊天记录.xlsx",
        "messages",
        ZH["messages"],
        phone_style="plain",
        time_style="excel",
        chinese_values=True,
    ),
    Source("telegram_export.csv", "messages", EN2["messages"], "utf-8-sig", "0086", "%Y-%m-%dT%H:%M:%S"),
    Source("手机取证_通讯录.xlsx", "contacts", ZH["contacts"], phone_style="spaced"),
    Source("extraction_contacts.csv", "contacts", None, "utf-8", "plain"),
    Source("工商银行_流水.csv", "bank_statement", ZH["bank_statement"], "gbk", direction="zh", amount_commas=True),
    Source("建设银行_流水.xlsx", "bank_statement", ZH2["bank_statement"], time_style="excel", direction="zh2"),
    Source("statements_batch3.csv", "bank_statement", None, "utf-8", time_style="%Y/%m/%d %H:%M:%S"),
    Source("支付宝_交易明细.csv", "payments", ZH["payments"], "utf-8-sig", chinese_values=True),
    Source("tenpay_trades.xlsx", "payments", EN2["payments"], time_style="excel"),
    Source("顺丰_运单.xlsx", "waybills", ZH["waybills"], phone_style="plain", time_style="excel"),
    Source("中通_圆通_运单.csv", "waybills", ZH2["waybills"], "gbk", "dash", "%Y/%m/%d %H:%M:%S"),
    Source("express_waybills.csv", "waybills", None, "utf-8", "e164"),
    Source("论坛抓取.csv", "posts", ZH["posts"], "utf-8", "plain", chinese_values=True),
    Source("group_scrape.xlsx", "posts", None, phone_style="spaced", time_style="excel"),
    Source("涉案人员名单.xlsx", "roster", ZH["roster"], phone_style="plain", chinese_values=True),
    Source("case_suspects.csv", "roster", None, "gbk", "dash"),
    Source("登录日志.csv", "logins", ZH["logins"], "gbk", chinese_values=True),
    Source("telegram_logins.xlsx", "logins", None, time_style="excel"),
]
SOURCE_INDEX = {s.path: i for i, s in enumerate(SOURCES)}


def _route(chunk: Chunk, seized_phones: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Which rows of a chunk each source receives (a row may go to several: that is a duplicate)."""
    c, n = chunk.cols, len(chunk)
    idx = np.arange(n)
    if chunk.kind == "cdr":
        a, b = np.asarray(c["caller"], dtype=np.int64), np.asarray(c["callee"], dtype=np.int64)
        ca, cb = V.carrier_of(a), V.carrier_of(b)
        # Each operator exports the calls of its own subscribers, so calls across operators appear twice.
        out = [
            (s, idx[(ca == k) | (cb == k)])
            for k, s in enumerate(["移动_通话详单.csv", "unicom_cdr.csv", "电信_话单.csv"])
        ]
        out.append(("手机取证_通话记录.xlsx", idx[np.isin(a, seized_phones) | np.isin(b, seized_phones)]))
        return out
    if chunk.kind == "messages":
        app = np.asarray(c["app"], dtype=object)
        on_seized = np.isin(np.asarray(c["sender"], dtype=np.int64), seized_phones)
        return [
            ("tencent_chats.csv", idx[(app == "wechat") & ~on_seized]),
            ("手机取证_聊天记录.xlsx", idx[on_seized | (app == "sms")]),
            ("telegram_export.csv", idx[(app == "telegram") & ~on_seized]),
        ]
    if chunk.kind == "contacts":
        odd = np.asarray(c["owner_phone"], dtype=np.int64) % 2 == 1
        return [("手机取证_通讯录.xlsx", idx[odd]), ("extraction_contacts.csv", idx[~odd])]
    if chunk.kind == "bank_statement":
        bank = np.array([V.BANKS.index(b) for b in c["bank"]]) % 3
        return [
            (s, idx[bank == k])
            for k, s in enumerate(["工商银行_流水.csv", "建设银行_流水.xlsx", "statements_batch3.csv"])
        ]
    if chunk.kind == "payments":
        ali = np.asarray(c["platform"], dtype=object) == "alipay"
        return [("支付宝_交易明细.csv", idx[ali]), ("tenpay_trades.xlsx", idx[~ali])]
    if chunk.kind == "waybills":
        code = np.array([w[:2] for w in c["waybill"]], dtype=object)
        return [
            ("顺丰_运单.xlsx", idx[code == "SF"]),
            ("中通_圆通_运单.csv", idx[(code == "ZT") | (code == "YT")]),
            ("express_waybills.csv", idx[~np.isin(code, ["SF", "ZT", "YT"])]),
        ]
    if chunk.kind == "posts":
        group = np.asarray(c["site_kind"], dtype=object) == "group"
        return [("论坛抓取.csv", idx[~group]), ("group_scrape.xlsx", idx[group])]
    if chunk.kind == "roster":
        main = np.array(["J" not in case for case in c["case_id"]])
        return [("涉案人员名单.xlsx", idx[main]), ("case_suspects.csv", idx[~main])]
    if chunk.kind == "logins":
        tg = np.asarray(c["platform"], dtype=object) == "telegram"
        return [("登录日志.csv", idx[~tg]), ("telegram_logins.xlsx", idx[tg])]
    raise ValueError(f"no routing for {chunk.kind}")


def format_phone(number: int, style: str) -> str:
    if not number:
        return ""
    s = f"{number:011d}"
    return {
        "plain": s,
        "e164": "+86" + s,
        "spaced": f"+86 {s[:3]} {s[3:7]} {s[7:]}",
        "dash": f"{s[:3]}-{s[3:7]}-{s[7:]}",
        "86": "86" + s,
        "0086": "0086" + s,
    }[style]


PHONE_STYLES = ["plain", "e164", "spaced", "dash", "86", "0086"]
# The ISO text numpy gives a datetime64[s] ("2024-01-02T03:04:05"), rewritten per time style without strftime.
_ISO_STYLES = {
    "%Y-%m-%d %H:%M:%S": (("T", " "),),
    "%Y/%m/%d %H:%M:%S": (("-", "/"), ("T", " ")),
    "%Y-%m-%dT%H:%M:%S": (),
}


def format_phones(numbers: np.ndarray, styles: np.ndarray) -> list[str]:
    """`format_phone` over arrays (the same text), vectorised: exports hold millions of phone cells."""
    out = np.full(len(numbers), "", dtype=object)
    digits = np.char.zfill(numbers.astype(str), 11)
    for style in np.unique(styles[numbers != 0]).tolist():
        pick = (styles == style) & (numbers != 0)
        d = digits[pick]
        if style == "plain":
            text = d
        elif style in ("e164", "86", "0086"):
            text = np.char.add({"e164": "+86", "86": "86", "0086": "0086"}[style], d)
        else:
            a, b, c = (np.array([x[i:j] for x in d.tolist()]) for i, j in ((0, 3), (3, 7), (7, 11)))
            sep = " " if style == "spaced" else "-"
            text = np.char.add(np.char.add(np.char.add(np.char.add(a, sep), b), sep), c)
            if style == "spaced":
                text = np.char.add("+86 ", text)
        out[pick] = text.astype(object)
    return out.tolist()


def format_times(stamps: np.ndarray, style: str) -> list[str]:
    """Times as text in a source's style; the common styles without a per-value strftime."""
    if style not in _ISO_STYLES:
        return pd.DatetimeIndex(stamps).strftime(style).tolist()
    text = stamps.astype(str)
    for old, new in _ISO_STYLES[style]:
        text = np.char.replace(text, old, new)
    return text.tolist()


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def name_variant(name: str, r: int) -> str:
    """Another spelling of a Chinese name: pinyin (title or upper case), a character dropped, two given-name
    characters swapped, or a homophone."""
    form = r % 5
    if form < 2:
        syllables = lazy_pinyin(name)
        text = f"{syllables[0].title()} {''.join(syllables[1:]).title()}"
        return text.upper() if form else text
    if form == 2 and len(name) > 2:
        return name[:-1]
    if form == 3 and len(name) == 3:
        return name[0] + name[2] + name[1]
    return V.typo(name, r)


@dataclass
class SourceWriter:
    """Streams rows into one export file, roughening them on the way."""

    source: Source
    root: Path
    seed: int
    rows: int = 0
    bad_rows: list[dict] = field(default_factory=list)
    duplicates: int = 0
    overflow: SourceWriter | None = None
    alias_share: float = 0.0
    planted_names: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)  # planted person's name -> as this export writes it
    _spelled: dict[str, str] = field(default_factory=dict)
    _fh: io.TextIOBase | None = None
    _wb: Workbook | None = None
    _ws: object = None

    def __post_init__(self) -> None:
        self.rng = _rng(self.seed, 900, SOURCE_INDEX.get(self.source.path, 99))
        self.header = self.source.headers or COLUMNS[self.source.kind]

    def write(self, chunk: Chunk, idx: np.ndarray) -> None:
        if len(idx) == 0:
            return
        if self.source.is_xlsx and self.rows + len(idx) > XLSX_CAP:
            room = max(0, XLSX_CAP - self.rows)
            if room:
                self.write(chunk, idx[:room])
            self._overflow().write(chunk, idx[room:])
            return
        table = self._format(chunk, idx)
        if self._fh is None and self._wb is None:
            self._open()
        if self.source.is_xlsx:
            for row in table:
                self._ws.append(row)
        else:
            csv.writer(self._fh, lineterminator="\n").writerows(table)
        self.rows += len(table)

    def _overflow(self) -> SourceWriter:
        if self.overflow is None:
            s = self.source
            spill = Source(
                s.path[: -len(".xlsx")] + "_续.csv",
                s.kind,
                s.headers,
                "utf-8",
                s.phone_style,
                "%Y-%m-%d %H:%M:%S",
                s.direction,
                s.chinese_values,
                s.amount_commas,
            )
            self.overflow = SourceWriter(spill, self.root, self.seed, alias_share=self.alias_share,
                                         planted_names=self.planted_names, aliases=self.aliases)  # fmt: skip
        return self.overflow

    def _open(self) -> None:
        path = self.root / self.source.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.source.is_xlsx:
            self._wb = Workbook(write_only=True)
            self._ws = self._wb.create_sheet("Sheet1")
            self._ws.append(list(self.header))
        else:
            self._fh = open(path, "w", encoding=self.source.encoding, newline="")  # noqa: SIM115 - streamed until close()
            csv.writer(self._fh, lineterminator="\n").writerow(self.header)

    def _format(self, chunk: Chunk, idx: np.ndarray) -> list[list]:
        s, kind, rng = self.source, self.source.kind, self.rng
        n = len(idx)
        order = np.repeat(np.arange(n), 1 + (rng.random(n) < DUPLICATE_RATE))
        self.duplicates += len(order) - n
        cols: dict[str, list] = {}
        for name in COLUMNS[kind]:
            raw = np.asarray(chunk.cols[name], dtype=object)[idx]
            if name in PHONE_COLUMNS:
                styles = np.where(rng.random(n) < 0.9, s.phone_style, np.array(PHONE_STYLES)[rng.integers(0, 6, n)])
                vals = format_phones(np.asarray(raw, dtype=np.int64), styles)
            elif name in TIME_COLUMNS:
                stamps = (EPOCH + np.asarray(raw, dtype=np.int64).astype("timedelta64[s]")).astype("datetime64[s]")
                vals = [v.item() for v in stamps] if s.time_style == "excel" else format_times(stamps, s.time_style)
            elif name in NAME_COLUMNS or name in ("name", "contact_name"):
                rate = 0.01 if kind == "roster" else TYPO_RATE
                typos = rng.random(n) < rate
                written = raw.tolist() if kind == "roster" else [self._spelling(v) for v in raw.tolist()]
                vals = [
                    # Shop and company names come from systems; a romanised name is not retyped.
                    V.typo(v, k) if t and v and len(v) <= 4 and not v.isascii() else v
                    for k, (v, t) in enumerate(zip(written, typos.tolist(), strict=False))
                ]
            elif name == "amount":
                vals = [f"{v:,.2f}" if s.amount_commas else f"{v:.2f}" for v in raw.tolist()]
            elif name == "direction":
                words = DIRECTION_WORDS[s.direction]
                vals = [words[v] for v in raw.tolist()]
            elif name in ("platform", "account_platform", "handle_platform", "payment_platform") and s.chinese_values:
                vals = [PLATFORM_ZH.get(v, v) for v in raw.tolist()]
            elif name == "site_kind" and s.chinese_values:
                vals = [SITE_KIND_ZH.get(v, v) for v in raw.tolist()]
            elif name in ("address", "sender_address", "receiver_address") and s.language == "zh":
                fold = rng.random(n) < 0.1
                vals = [v.translate(_FULLWIDTH) if f else v for v, f in zip(raw.tolist(), fold.tolist(), strict=False)]
            else:
                vals = raw.tolist()
            if name in OPTIONAL[kind]:
                gone = rng.random(n) < MISSING_RATE
                vals = ["" if g else v for v, g in zip(vals, gone.tolist(), strict=False)]
            cols[name] = vals
        rows = list(map(list, zip(*[cols[c] for c in COLUMNS[kind]], strict=True)))
        table = rows if len(order) == n else [rows[i] for i in order.tolist()]
        # Plant the bad rows in the first rows this source receives: copies of a good row with one field ruined.
        while len(self.bad_rows) < BAD_ROWS_PER_SOURCE and table:
            column, value = BAD[kind][len(self.bad_rows)]
            pos = int(rng.integers(1, len(table) + 1))
            bad = list(table[pos - 1])
            bad[COLUMNS[kind].index(column)] = value
            for earlier in self.bad_rows:
                if "position" in earlier and earlier["position"] >= pos:
                    earlier["position"] += 1
            table.insert(pos, bad)
            self.bad_rows.append(
                {
                    "file": self.source.path,
                    "column": self.header[COLUMNS[kind].index(column)],
                    "reason": f"{column} is {'empty' if not value else repr(value)}",
                    "position": pos,
                }
            )
        for bad in self.bad_rows:
            if "position" in bad:
                # Numbered as a spreadsheet numbers rows (the header is row 1), as the loaders' rejects are.
                bad["row"] = self.rows + bad.pop("position") + 2
        return table

    def _spelling(self, name: str) -> str:
        """How this export spells a person's name: the same way on every row, another way for a share of people."""
        if not name or len(name) > 4 or name.isascii() or not self.alias_share:
            return name
        # Millions of name cells at the bench scale, a few hundred thousand distinct names: decide each once.
        if name not in self._spelled:
            self._spelled[name] = self._respell(name)
        return self._spelled[name]

    def _respell(self, name: str) -> str:
        h = zlib.crc32(f"{self.seed}|{self.source.path.removesuffix('_续.csv')}|{name}".encode())
        if (h % 10_000) / 10_000 >= self.alias_share:
            return name
        written = name_variant(name, h // 10_000)
        if name in self.planted_names:
            self.aliases[name] = written
        return written

    def close(self) -> list[dict]:
        """Finish the file; return its manifest entries (itself and any overflow file)."""
        out = []
        if self._wb is not None:
            path = self.root / self.source.path
            self._wb.save(path)
            _freeze_xlsx(path)
        if self._fh is not None:
            self._fh.close()
        if self.rows:
            out.append(
                {
                    "file": self.source.path,
                    "kind": self.source.kind,
                    "format": "xlsx" if self.source.is_xlsx else "csv",
                    "encoding": None if self.source.is_xlsx else self.source.encoding,
                    "headers": self.source.language,
                    "rows": self.rows,
                    "duplicated_rows": self.duplicates,
                    "bad_rows": len(self.bad_rows),
                }
            )
        if self.overflow is not None:
            out.extend(self.overflow.close())
        return out

    def all_bad_rows(self) -> list[dict]:
        return self.bad_rows + (self.overflow.all_bad_rows() if self.overflow else [])


def _freeze_xlsx(path: Path) -> None:
    """Make an XLSX byte-identical across runs: fixed document dates and zip entry times."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<3>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)


def write_exports(world: World, out: Path, chunks) -> dict:
    """Stream every chunk into its sources; return the manifest (files, bad rows)."""
    from devtools.scenario.events import seized

    is_seized = seized(world)
    owners = np.flatnonzero(is_seized)
    # A seized handset's call log and chats keep what was done on it under each SIM it held.
    seized_phones = np.unique([p for x in owners.tolist() for p in world.phones_of(x)])
    planted_names = frozenset(world.names[x] for x in np.flatnonzero(world.role != NOISE).tolist())
    writers = {
        s.path: SourceWriter(s, out, world.seed, alias_share=world.params.alias_share, planted_names=planted_names)
        for s in SOURCES
    }
    # Missing rows: their own draws per file, so the rest of the roughening does not move with the knob.
    missing = world.params.missing_share
    thinning = {s.path: _rng(world.seed, 950, SOURCE_INDEX[s.path]) for s in SOURCES}
    dropped = dict.fromkeys(writers, 0)
    for chunk in chunks:
        for path, idx in _route(chunk, seized_phones):
            if missing and chunk.kind in EVENT_KINDS and len(idx):
                kept = idx[thinning[path].random(len(idx)) >= missing]
                dropped[path] += len(idx) - len(kept)
                idx = kept
            writers[path].write(chunk, idx)
    files, bad = [], []
    for w in writers.values():
        files.extend(w.close())
        bad.extend(w.all_bad_rows())
    return {
        "files": files,
        "bad_rows": bad,
        "dropped_rows": {path: n for path, n in dropped.items() if n},
        "aliases": {path: dict(sorted(w.aliases.items())) for path, w in writers.items() if w.aliases},
        "generated_at": datetime(2024, 7, 1).isoformat(),
    }
