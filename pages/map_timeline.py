import streamlit as st

from explorer import browse
from explorer.ui import tables
from explorer.ui.connection import run_page
from explorer.ui.i18n import t


def body(graph):
    st.title(t("page.map"))
    st.subheader(t("map.addresses"))
    points = browse.address_points(graph)
    if points.empty:
        st.caption(t("map.none"))
    else:
        st.map(points, latitude="lat", longitude="lon", size=40)
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
    st.bar_chart(chart)
    types = st.multiselect(t("explore.filter_types"), sorted(per_day["type"].unique()), key="map_types")
    tables.show(browse.events(graph, since, until, types), key="map_events")


run_page(body)
