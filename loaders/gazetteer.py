"""Approximate coordinates for Chinese addresses, offline, from their province, city and district.

The `cpca` package (PyPI, MIT) recognises the administrative divisions an address names and ships the
coordinates of every division's seat (adcodes.csv). A placement is the seat of the deepest division the
address names for certain, so it is approximate: its precision says which (`district`, `city` or
`province`) and its source is `gazetteer`.

cpca also matches bare short names inside street names ("南京路" gives 南京市, "中山路" gives 中山市) and
guesses the city of a district name found in several cities ("朝阳区" is in Beijing and in Changchun).
Such guesses are refused: a division counts only when the address spells its full name (南京市, 南山区),
and a district whose name several cities share counts only when the address also names its city or
province. An address that names nothing for certain gets no coordinates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from loaders.readahead import importing

SOURCE = "gazetteer"
# Suffixes stripped to get the short name of a city or province ("深圳市" -> "深圳").
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟")
_NO_CITY = "市辖区"  # cpca's city for the districts of Beijing, Shanghai, Tianjin and Chongqing


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    precision: str  # district | city | province
    name: str  # the division whose seat the coordinates are


@cache
def _divisions() -> tuple[dict[str, tuple[str, float, float]], dict[str, int]]:
    """Six-digit adcode -> (name, lat, lon), and how many districts carry each district name."""
    import csv

    import cpca

    path = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    seats: dict[str, tuple[str, float, float]] = {}
    district_names: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"]
            if not code.endswith("000000") or not row["latitude"]:
                continue
            short = code[:6]
            seats[short] = (row["name"], float(row["latitude"]), float(row["longitude"]))
            if short[4:] != "00":
                district_names[row["name"]] = district_names.get(row["name"], 0) + 1
    return seats, district_names


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def locate(address: str) -> Place | None:
    """The approximate place of `address`, or None when it names no division for certain."""
    return locate_many([address])[0]


_warming = threading.Lock()  # held for the whole warm-up
_starting = threading.Lock()  # held while a warm-up is started: not waiting for one under way
_warm_started = False
_ready = False


def warm() -> None:
    """Make the recogniser ready: importing cpca (with pkg_resources and an XML parser), building its matcher
    and reading the seats take 0.2-0.7 s, once per process. Waits for a warm-up another thread has begun
    instead of repeating it. No reading worker is forked while it imports (loaders.readahead.importing)."""
    global _ready
    if _ready:
        return
    with _warming, importing():
        _recogniser()
        _divisions()
        _ready = True


def warm_in_background() -> None:
    """`warm` in a thread of its own (once per process), so that a load's first placement finds the
    recogniser ready instead of building it while the load waits."""
    global _warm_started
    with _starting:
        if _warm_started:
            return
        _warm_started = True
    threading.Thread(target=warm, name="gazetteer-warm", daemon=True).start()


@cache
def _recogniser() -> Callable[[list[str]], Any]:
    import cpca

    cpca.transform(["北京市"])  # its first call builds the matcher
    return cpca.transform


def locate_many(addresses: list[str]) -> list[Place | None]:
    """`locate` for many addresses at once (one pass of the recogniser, about 3x faster than one by one)."""
    warm()
    texts = [a if isinstance(a, str) else "" for a in addresses]
    if not texts:
        return []
    found = _recogniser()(texts)
    # Whole columns at once: reading the frame row by row cost more than recognising the addresses.
    columns = zip(
        found["省"].tolist(), found["市"].tolist(), found["区"].tolist(), found["adcode"].tolist(), strict=True
    )
    return [
        _decide(address, _text(province), _text(city), _text(district), code) if address.strip() else None
        for address, (province, city, district, code) in zip(texts, columns, strict=True)
    ]


def _decide(address: str, province: str, city: str, district: str, raw: object) -> Place | None:
    if raw is None or raw != raw:  # no division found (cpca gives NaN)
        return None
    code = str(raw)[:6]
    seats, district_names = _divisions()
    names_city = bool(city) and city != _NO_CITY and _short(city) in address
    names_province = bool(province) and _short(province) in address
    if district and district in address and (district_names.get(district, 0) <= 1 or names_city or names_province):
        return _place(seats, code, "district")
    if city and city != _NO_CITY and city in address:
        return _place(seats, code[:4] + "00", "city")
    if province and province in address:
        return _place(seats, code[:2] + "0000", "province")
    return None


def _place(seats: dict[str, tuple[str, float, float]], code: str, precision: str) -> Place | None:
    seat = seats.get(code)
    if seat is None:
        return None
    name, lat, lon = seat
    return Place(lat=lat, lon=lon, precision=precision, name=name)
