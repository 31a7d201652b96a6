import streamlit as st

from explorer import browse, human, spots
from explorer.config import load_settings
from explorer.ui import tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import lang, t


def address_map(points, tiles: str) -> None:
    """Streamlit's map (its basemap comes from the internet), or points over the agency's own tiles, or none."""
    if not tiles:
        st.map(points, latitude="lat", longitude="lon", size=40)
        return
    import pydeck as pdk

    shown = spots.spots(points)
    shown["tip"] = [
        t("map.spot", count=int(n), place=place or "", example=example or "")
        for n, place, example in zip(shown["addresses"], shown["place"], shown["example"], strict=True)
    ]
    layers = [] if tiles.lower() == "none" else [pdk.Layer("TileLayer", data=tiles, min_zoom=0, max_zoom=19)]
    layers.append(
        pdk.Layer("ScatterplotLayer", shown, get_position="[lon, lat]", get_radius="radius", radius_min_pixels=5,
                  radius_max_pixels=40, get_fill_color=[214, 39, 40, 170], pickable=True)
    )  # fmt: skip
    view = pdk.ViewState(latitude=float(points["lat"].mean()), longitude=float(points["lon"].mean()),
                         zoom=spots.zoom(points))  # fmt: skip
    st.pydeck_chart(
        pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, map_style=None, tooltip={"text": "{tip}"})
    )
    if tiles.lower() == "none":
        st.caption(t("map.no_tiles"))


def body(graph):
    st.title(t("page.map"))
    st.subheader(t("map.addresses"))
    points = browse.address_points(graph)
    if points.empty:
        st.caption(t("map.none"))
    else:
        address_map(points, load_settings().map_tiles)
        approximate = spots.approximate(points)
        if approximate:
            st.caption(t("map.approximate", approximate=approximate, total=len(points)))
        tables.show(points, key="map_points")
    st.subheader(t("map.timeline"))
    since_col, until_col = st.columns(2)
    since = since_col.date_input(t("explore.since"), value=None, key="map_since")
    until = until_col.date_input(t("explore.until"), value=None, key="map_until")
    per_day = browse.events_per_day(graph, since, until)
    if per_day.empty:
        st.caption(t("map.no_events"))
        return
    chart = per_day.pivot_table(index="day", columns="type", values="events", aggfunc="sum", fill_value=0)
    st.bar_chart(chart.rename(columns=lambda x: human.link(x, lang())))  # the legend in the analyst's language
    types = st.multiselect(
        t("explore.filter_types"),
        sorted(per_day["type"].unique()),
        format_func=lambda x: human.link(x, lang()),
        placeholder=t("map.all_types"),
        key="map_types",
    )
    tables.show(browse.events(graph, since, until, types), key="map_events")


run_page(body)
