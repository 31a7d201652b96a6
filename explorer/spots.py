"""Addresses as spots on the Map page: addresses at the same coordinates drawn as one spot, and a view
that frames them all (the gazetteer puts every address of a district at the district's seat)."""

from __future__ import annotations

import math

import pandas as pd

PRECISIONS = ("district", "city", "province")


def spots(points: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (lat, lon): how many addresses, an example address, the place and precision,
    and a radius in metres that grows with the number of addresses."""
    if points.empty:
        return pd.DataFrame(columns=["lat", "lon", "addresses", "example", "place", "precision", "radius"])
    frame = points.assign(
        place=points.get("place"),
        precision=points.get("precision"),
    )
    grouped = (
        frame.groupby(["lat", "lon"], dropna=True)
        .agg(
            addresses=("text", "size"),
            example=("text", "first"),
            place=("place", "first"),
            precision=("precision", "first"),
        )
        .reset_index()
    )
    grouped["radius"] = grouped["addresses"].map(lambda n: 300 * math.sqrt(n))
    return grouped


def approximate(points: pd.DataFrame) -> int:
    """How many of the addresses are placed approximately (at a division's seat, not at the street)."""
    if points.empty or "precision" not in points:
        return 0
    return int(points["precision"].isin(PRECISIONS).sum())


def zoom(points: pd.DataFrame) -> float:
    """A zoom level that shows every point: the wider the spread, the farther out."""
    if points.empty:
        return 3.0
    span = max(points["lat"].max() - points["lat"].min(), points["lon"].max() - points["lon"].min(), 0.05)
    return float(min(12.0, max(2.0, math.log2(360.0 / span) - 0.5)))
