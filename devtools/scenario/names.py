"""Vocabulary of the synthetic world: names, places, slang, and identifier rules.

Everything here is fixed data or a pure function of integers, so the world is
a function of the seed alone.
"""

from __future__ import annotations

import numpy as np

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉燕飞建国红波宁斌海龙林峰云凤浩亮成志文春丹婷雪梅慧鑫宇晨阳欣怡佳琪子涵俊豪博航凯"
)
# Characters a clerk mistypes for one another (same or similar pinyin).
HOMOPHONES = {
    "伟": "玮",
    "芳": "方",
    "娜": "那",
    "静": "婧",
    "丽": "莉",
    "强": "墙",
    "磊": "垒",
    "军": "君",
    "洋": "阳",
    "勇": "永",
    "艳": "燕",
    "杰": "洁",
    "涛": "滔",
    "明": "铭",
    "超": "朝",
    "霞": "侠",
    "平": "萍",
    "刚": "钢",
    "华": "化",
    "辉": "晖",
    "飞": "菲",
    "波": "博",
    "斌": "彬",
    "海": "亥",
    "龙": "隆",
    "林": "琳",
    "峰": "锋",
    "云": "芸",
    "浩": "皓",
    "亮": "靓",
    "志": "智",
    "文": "雯",
    "丹": "单",
    "婷": "亭",
    "梅": "媚",
    "慧": "惠",
    "鑫": "新",
    "宇": "雨",
    "晨": "辰",
    "俊": "骏",
}

CITIES = [
    ("广东省深圳市", ["南山区", "福田区", "宝安区", "龙岗区"], "440305"),
    ("广东省广州市", ["天河区", "白云区", "海珠区", "番禺区"], "440106"),
    ("四川省成都市", ["武侯区", "锦江区", "成华区", "金牛区"], "510107"),
    ("云南省昆明市", ["五华区", "盘龙区", "官渡区"], "530102"),
    ("广西壮族自治区南宁市", ["青秀区", "兴宁区", "西乡塘区"], "450103"),
    ("浙江省杭州市", ["西湖区", "拱墅区", "滨江区"], "330106"),
    ("湖北省武汉市", ["江汉区", "武昌区", "洪山区"], "420106"),
    ("福建省厦门市", ["思明区", "湖里区", "集美区"], "350203"),
    ("上海市", ["浦东新区", "闵行区", "徐汇区"], "310115"),
    ("北京市", ["朝阳区", "海淀区", "丰台区"], "110105"),
]
ROADS = list("建设人民解放中山和平幸福胜利文化新华朝阳东风红旗长江黄河光明振兴")
ROAD_KINDS = ["路", "大道", "街", "巷"]
COMMUNITIES = ["花园", "小区", "公寓", "新村", "家园", "广场", "大厦", "苑"]
LOCKER = "丰巢快递柜"
DEPOT_SHOP = "菜鸟驿站"

# Street slang for drugs in Chinese online markets (see docs/accuracy.md for why posts carry it).
SLANG = ["冰糖", "叶子", "邮票", "飞行燃料", "猪肉", "溜冰", "果子", "神仙水", "奶茶", "咖啡包"]
AD_TEMPLATES = [
    "{slang}到货，量大从优，同城{courier}，加{app}详聊",
    "高纯{slang}，安全包邮，不懂勿扰，联系{phone}",
    "长期供应{slang}，支持{pay}，先款后货",
    "{slang}有货，懂的来，{app}同号",
]
NOISE_POSTS = [
    "请问{district}哪家火锅好吃？",
    "出一台二手电脑，九成新，价格可谈",
    "周末{district}有没有一起爬山的",
    "求推荐靠谱的搬家公司",
    "{district}租房，两室一厅，拎包入住",
    "转让健身卡，还剩半年",
    "有没有人知道快递停发到什么时候",
    "闲置婴儿车低价出",
    "招聘兼职，日结",
]
NOISE_MEMOS = ["工资", "房租", "还款", "生活费", "红包", "转账", "货款", "餐费", "网购", "水电费"]
DRUG_MEMOS = ["货款", "茶叶", "衣服", "还钱", "奶茶", "", "定金", "尾款"]
ITEMS_NOISE = ["衣服", "书籍", "日用品", "电子产品", "食品", "化妆品", "鞋", "玩具", "文件"]
ITEMS_DRUG = ["茶叶", "日用品", "衣服", "化妆品", "食品", "文件"]
COURIERS = ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流"]
COURIER_CODES = ["SF", "ZTO", "YT", "YD", "STO", "JD"]
BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "招商银行", "交通银行"]

# Mobile prefixes that libphonenumber accepts as valid Chinese mobiles, grouped by carrier
# (the operator a call detail record comes from).
CARRIER_PREFIXES = {
    "mobile": [134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 182, 183, 187, 188, 198],
    "unicom": [130, 131, 132, 155, 156, 185, 186, 166, 176],
    "telecom": [133, 153, 180, 181, 189, 177, 199],
}
PREFIXES = np.array([p for ps in CARRIER_PREFIXES.values() for p in ps], dtype=np.int64)
PREFIX_CARRIER = np.array([i for i, ps in enumerate(CARRIER_PREFIXES.values()) for _ in ps], dtype=np.int8)
CARRIER_NAMES = list(CARRIER_PREFIXES)

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = "10X98765432"


def bijection(i: np.ndarray, modulus: int, salt: int) -> np.ndarray:
    """A permutation of [0, modulus): spreads consecutive indices over the space, never collides."""
    mult = 2_654_435_761 % modulus
    while np.gcd(mult, modulus) != 1:
        mult += 1
    return (i.astype(np.int64) * mult + salt) % modulus


def phone_numbers(index: np.ndarray, salt: int) -> np.ndarray:
    """Unique 11-digit Chinese mobile numbers (int64) for phone indices."""
    h = bijection(index, len(PREFIXES) * 100_000_000, salt)
    return PREFIXES[h % len(PREFIXES)] * 100_000_000 + h // len(PREFIXES)


def carrier_of(numbers: np.ndarray) -> np.ndarray:
    prefix = numbers // 100_000_000
    lookup = np.zeros(200, dtype=np.int8)
    lookup[PREFIXES] = PREFIX_CARRIER
    return lookup[prefix]


def id_numbers(index: np.ndarray, salt: int) -> list[str]:
    """Valid 18-digit resident ID numbers (GB 11643 check digit), unique per index."""
    days = 38 * 365
    h = bijection(index, len(CITIES) * days * 1000, salt)
    region = h % len(CITIES)
    rest = h // len(CITIES)
    day = rest % days
    seq = rest // days
    births = (np.datetime64("1966-01-01") + day.astype("timedelta64[D]")).astype(str)
    out = []
    for r, b, s in zip(region.tolist(), births.tolist(), seq.tolist(), strict=True):
        body = CITIES[r][2] + b.replace("-", "") + f"{s:03d}"
        total = int(np.dot(np.frombuffer(body.encode(), dtype=np.uint8) - 48, _ID_WEIGHTS))
        out.append(body + _ID_CHECK[total % 11])
    return out


def imeis(index: np.ndarray, salt: int) -> list[str]:
    """15-digit IMEIs with a valid Luhn check digit."""
    h = bijection(index, 10**12, salt)
    out = []
    for v in h.tolist():
        body = f"86{v:012d}"
        digits = [int(c) for c in body]
        total = 0
        for pos, d in enumerate(digits):
            if pos % 2 == 1:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        out.append(body + str((10 - total % 10) % 10))
    return out


def person_name(surname: int, given1: int, given2: int) -> str:
    """A two- or three-character Chinese name (given2 < 0 means a one-character given name)."""
    name = SURNAMES[surname] + GIVEN[given1]
    return name + GIVEN[given2] if given2 >= 0 else name


def typo(name: str, r: int) -> str:
    """The same name as a clerk might mistype it: a homophone, or a dropped character."""
    for pos in range(len(name) - 1, 0, -1):
        if name[pos] in HOMOPHONES:
            return name[:pos] + HOMOPHONES[name[pos]] + name[pos + 1 :]
    return name[:-1] if len(name) > 2 and r % 2 else name + GIVEN[r % len(GIVEN)]


def alias(name: str, r: int) -> str:
    """How an associate saves this person in a phone book."""
    forms = ["老" + name[0], name[0] + "哥", "阿" + name[-1], name[-1] + name[-1], "小" + name[0], name[1:]]
    return forms[r % len(forms)]


def address(index: int, r: int) -> str:
    """A home address, deterministic from two integers."""
    city, districts, _ = CITIES[index % len(CITIES)]
    district = districts[(index // 10) % len(districts)]
    road = ROADS[(r >> 3) % len(ROADS)] + ROADS[(r >> 9) % len(ROADS)] + ROAD_KINDS[r % len(ROAD_KINDS)]
    return (
        f"{city}{district}{road}{(r >> 4) % 300 + 1}号{ROADS[(r >> 14) % len(ROADS)]}"
        f"{COMMUNITIES[(r >> 2) % len(COMMUNITIES)]}{(r >> 6) % 20 + 1}栋{(r >> 11) % 30 + 1}0{(r >> 5) % 4 + 1}室"
    )
