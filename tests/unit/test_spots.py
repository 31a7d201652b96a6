"""Addresses at the same coordinates are one spot on the Map page; the view frames them all."""

from __future__ import annotations

import pandas as pd

from explorer import spots


def test_addresses_sharing_a_seat_are_one_spot():
    points = pd.DataFrame(
        [
            {"text": "深圳市南山区科技园1号", "lat": 22.53, "lon": 113.93, "place": "南山区", "precision": "district"},
            {"text": "深圳市南山区后海路2号", "lat": 22.53, "lon": 113.93, "place": "南山区", "precision": "district"},
            {"text": "昆明市五华区青年路2号", "lat": 25.04, "lon": 102.70, "place": "五华区", "precision": "district"},
            {"text": "surveyed flat", "lat": 22.60, "lon": 114.00, "place": None, "precision": None},
        ]
    )
    shown = spots.spots(points).set_index("example")
    assert shown.loc["深圳市南山区科技园1号", "addresses"] == 2
    assert shown.loc["昆明市五华区青年路2号", "addresses"] == 1
    assert shown.loc["深圳市南山区科技园1号", "radius"] > shown.loc["昆明市五华区青年路2号", "radius"]
    assert spots.approximate(points) == 3
    # Shenzhen to Kunming needs a wider view than one district.
    assert spots.zoom(points) < spots.zoom(points.head(2))
