"""Offline approximate coordinates from the divisions a Chinese address names (cpca's adcodes)."""

from __future__ import annotations

import threading

import pytest

from loaders import gazetteer
from loaders.gazetteer import locate, locate_many


@pytest.mark.parametrize(
    ("address", "precision", "place", "lat", "lon"),
    [
        ("广东省深圳市南山区科技园1号", "district", "南山区", 22.5, 113.9),
        ("北京市朝阳区建国路88号", "district", "朝阳区", 39.9, 116.4),
        # The same district name in Changchun: the province and city decide.
        ("吉林省长春市朝阳区人民大街", "district", "朝阳区", 43.8, 125.3),
        ("广西壮族自治区南宁市青秀区民族大道", "district", "青秀区", 22.8, 108.5),
        ("上海市浦东新区张江路", "district", "浦东新区", 31.2, 121.5),
        ("深圳南山区", "district", "南山区", 22.5, 113.9),  # short city name with the district
        ("福田区福华路", "district", "福田区", 22.5, 114.1),  # a district name no other city has
        ("浙江省杭州市", "city", "杭州市", 30.3, 120.2),
        ("云南省", "province", "云南省", 25.0, 102.7),
    ],
)
def test_places_an_address_at_the_seat_it_names(address, precision, place, lat, lon):
    found = locate(address)
    assert found is not None
    assert (found.precision, found.name) == (precision, place)
    assert found.lat == pytest.approx(lat, abs=0.1)
    assert found.lon == pytest.approx(lon, abs=0.1)


@pytest.mark.parametrize(
    "address",
    [
        "南京路100号",  # a street named after a city is not that city
        "中山路5号",
        "朝阳区建设路1号",  # 朝阳区 is in Beijing and in Changchun: which one is not said
        "人民路幸福小区3栋",
        "Baker Street 221B",
        "110101",
        "",
        "   ",
    ],
)
def test_leaves_unplaced_what_it_cannot_know(address):
    assert locate(address) is None


def test_many_at_once_place_each_as_alone():
    addresses = ["北京市朝阳区建国路88号", "朝阳区建设路1号", "", "云南省", "南京路100号", "深圳南山区"]
    assert locate_many(addresses) == [locate(a) for a in addresses]


def test_warming_in_the_background_is_done_once_and_awaited():
    """A load starts the recogniser's warm-up in a thread; a placement made meanwhile waits for it
    instead of building the recogniser a second time."""
    gazetteer.warm_in_background()
    gazetteer.warm_in_background()  # a second load in the same process: no second thread
    warming = [t for t in threading.enumerate() if t.name == "gazetteer-warm"]
    assert len(warming) <= 1
    place = gazetteer.locate("广东省深圳市南山区科技园")
    assert place is not None and place.name == "南山区"
    assert gazetteer._recogniser.cache_info().misses == 1
