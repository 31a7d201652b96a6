"""Same-person candidates on a profile: what the loaders proposed, with the analysts' decisions beside it.

The loaders propose a SAME_AS link as a `candidate` and never merge; an analyst confirms or rejects it
here. The decision is the analyst's own state: it goes to the analyst store (who, when, why), never onto
the SAME_AS link, and the "SAME_AS candidates to review" investigation reads it from there.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import audit, auth, queries
from explorer.analyst_store import REVIEW_STATUSES, AnalystStore
from explorer.auth import User
from explorer.db import Graph
from explorer.ui import tables
from explorer.ui.alerts import actor
from explorer.ui.i18n import t
from explorer.ui.markdown import tr

UNDECIDED = "candidate"
SAID = "profile_review_said"


def waiting(graph: Graph, store: AnalystStore) -> tuple[int, int]:
    """How many same-person candidates wait for a decision, and how many have one (counted by the server,
    not read row by row: the Overview asks on every visit)."""
    row = graph.read(queries.SAME_AS_DECIDED, {"reviews": store.reviews()}, checked=True).rows()[0]
    return row["candidates"] - row["decided"], row["decided"]


def decided(store: AnalystStore, person: str) -> dict[str, dict[str, str]]:
    """The decisions on `person`'s pairs, by the other person's id."""
    return {r["second"] if r["first"] == person else r["first"]: r for r in store.reviews(person)}


def candidates(same_as: pd.DataFrame, person: str | None, store: AnalystStore) -> pd.DataFrame:
    """The profile's candidates, each with its decision (status, who, when, why) when one was made."""
    out = same_as.copy()
    decisions = decided(store, person) if person else {}
    found = [decisions.get(k) or {} for k in out["other_key"]]
    out["status"] = [d.get("status") or s or UNDECIDED for d, s in zip(found, out["status"], strict=True)]
    out["reviewed_by"] = [d.get("reviewer") for d in found]
    out["reviewed_at"] = [d.get("reviewed_at") for d in found]
    out["note"] = [d.get("note") for d in found]
    return out


def show(same_as: pd.DataFrame, person: str | None, user: User | None) -> None:
    """The candidates table, and for an analyst the form that records a decision on one of them."""
    store = AnalystStore()
    if said := st.session_state.pop(SAID, None):  # the decision recorded by the run before this one
        st.success(said)
    shown = candidates(same_as, person, store)
    tables.show(shown.drop(columns=["other_key"]), key="profile_same_as")
    # The other record by its caption and key: a candidate usually has the very same name.
    others = {k: f"{c} · {k}" for k, c in zip(shown["other_key"], shown["other"], strict=True) if k}
    if not person or not others:
        return
    if user is None or not user.can("same_person"):
        st.caption(t("profile.review_viewer"))
        return
    with st.form("profile_review"):
        st.markdown(tr("profile.review"))
        other = st.selectbox(t("profile.review_which"), list(others), format_func=lambda k: others[k],
                             key="profile_review_other")  # fmt: skip
        status = st.radio(t("profile.review_status"), [*REVIEW_STATUSES, UNDECIDED], horizontal=True,
                          format_func=lambda s: t(f"value.status.{s}"), key="profile_review_status")  # fmt: skip
        note = st.text_input(t("profile.review_note"), key="profile_review_note")
        st.caption(t("profile.review_kept"))
        submitted = st.form_submit_button(t("profile.review_save"))
    if not submitted:
        return
    auth.require(user, "same_person", f"{person} | {other}")
    if status == UNDECIDED:
        store.withdraw_review(person, other)
    else:
        store.review(person, other, status, actor(user), note)
    audit.record("same_person", f"{person} | {other}", {"status": status, "note": note})
    st.session_state[SAID] = tr("profile.review_saved", other=others[other], status=t(f"value.status.{status}"))
    st.rerun()  # the table above shows the decision
