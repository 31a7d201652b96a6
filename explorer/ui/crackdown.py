"""A ring's crackdown plan on the Rings page: before and after, the curve of every strategy, a k slider."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from explorer.crackdown import (
    BASELINES,
    CrackdownError,
    CrackdownResult,
    Scope,
    components_subgraph,
    crackdown,
    curves,
    explain,
)
from explorer.db import Graph, describe
from explorer.ui import tables
from explorer.ui.graph import graph_view
from explorer.ui.i18n import lang, t
from explorer.ui.markdown import escape

MAX_K = 10  # the literature's range, and what a coordinated arrest can take on at once
STATE = "rings_crackdown"


def crackdown_section(graph: Graph, ring: Any) -> None:
    """The plan is computed on request (it reads the whole person projection) and kept for the ring."""
    st.subheader(t("crackdown.title"))
    st.caption(t("crackdown.explain"))
    if st.button(t("crackdown.plan"), key="rings_crackdown_plan"):
        try:
            with st.spinner(t("crackdown.running")):
                st.session_state[STATE] = (ring, crackdown(graph, Scope(ring=str(ring)), MAX_K))
        except CrackdownError as e:
            st.warning(escape(describe(e)))
            return
    held = st.session_state.get(STATE)
    if held and held[0] == ring:
        show_plan(held[1])


def show_plan(result: CrackdownResult) -> None:
    sets = result.strategies["plan"].sets
    if not sets:
        st.info(t("crackdown.too_small"))
        return
    k = st.slider(t("crackdown.k"), 1, len(sets), min(3, len(sets)), key="rings_crackdown_k") if len(sets) > 1 else 1
    outcome = result.strategies["plan"].outcomes[k - 1]
    baseline = min(result.strategies[name].outcomes[k - 1].lcc for name in BASELINES)
    st.markdown(t("crackdown.summary", k=k, lcc=outcome.lcc, size=result.network.size,
                  share=f"{outcome.lcc_share:.0%}", baseline=baseline))  # fmt: skip
    if outcome.buyers_cut is not None:
        st.caption(t("crackdown.buyers", buyers=outcome.buyers_cut))
    arrests = explain(result, k, lang())
    tables.show(
        pd.DataFrame(
            {
                t("col.step"): range(1, len(arrests) + 1),
                t("col.name"): [a.name for a in arrests],
                t("col.person_id"): [a.key for a in arrests],
                t("col.reason"): [a.reason for a in arrests],
            }
        ),
        key="rings_crackdown_table",
    )
    removed = [a.index for a in arrests]
    pinned = frozenset(result.network.ids[v] if result.network.ids else result.network.keys[v] for v in removed)
    before, after = st.columns(2)
    with before:
        st.caption(t("crackdown.before"))
        graph_view(components_subgraph(result.network, [], lang()), "rings_crackdown_before", color_by="ring",
                   height=380, title="crackdown-before")  # fmt: skip
    # The after picture starts from the before picture's positions, so the two compare at a glance.
    st.session_state.setdefault(
        "rings_crackdown_after__positions", st.session_state.get("rings_crackdown_before__positions")
    )
    with after:
        st.caption(t("crackdown.after", k=k))
        graph_view(components_subgraph(result.network, removed, lang()), "rings_crackdown_after", color_by="ring",
                   pinned=pinned, height=380, title=f"crackdown-after-{k}")  # fmt: skip
    st.caption(t("crackdown.curve"))
    curve = pd.DataFrame(curves(result))
    curve.index.name = t("crackdown.k")
    st.line_chart(curve, x_label=t("crackdown.k"))
