"""What one page hands to another.

A page never reads another page's session-state keys: it calls one of these
functions, and the receiving page takes what was sent. Keys used by one page
only are declared at the top of that page, prefixed with its name.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

EXPLORE_PAGE = "pages/explore.py"
PROFILE_PAGE = "pages/profile.py"
INVESTIGATIONS_PAGE = "pages/investigations.py"

_EXPLORE_SEED = "explore_seed"
_PROFILE_NODE = "profile_node"
_INVESTIGATION_VALUES = "investigation_values"


def send_to_explore(node_ids: str | Iterable[str]) -> None:
    """Have Explore start from these nodes (one id or many: a whole result, a group's members) next time it runs."""
    ids = [node_ids] if isinstance(node_ids, str) else list(node_ids)
    st.session_state[_EXPLORE_SEED] = [str(i) for i in ids if i]


def open_in_explore(node_ids: str | Iterable[str]) -> None:
    """Send the nodes to Explore and go there now."""
    send_to_explore(node_ids)
    st.switch_page(EXPLORE_PAGE)


def take_explore_seed() -> list[str]:
    """The nodes sent to Explore, once: a later run of the page does not see them again."""
    seed = st.session_state.pop(_EXPLORE_SEED, None) or []
    return [seed] if isinstance(seed, str) else list(seed)


def send_to_investigations(values: Iterable[str]) -> None:
    """Offer these values (captions of nodes picked on the canvas) to an investigation's parameters."""
    st.session_state[_INVESTIGATION_VALUES] = [str(v) for v in values if str(v)]


def open_in_investigations(values: Iterable[str]) -> None:
    send_to_investigations(values)
    st.switch_page(INVESTIGATIONS_PAGE)


def investigation_values() -> list[str]:
    """The values sent from the canvas, until the analyst uses or dismisses them (`drop_investigation_values`)."""
    return list(st.session_state.get(_INVESTIGATION_VALUES) or [])


def drop_investigation_values() -> None:
    st.session_state.pop(_INVESTIGATION_VALUES, None)


def show_profile(node_id: str) -> None:
    """Make this node the one the Profile page shows."""
    st.session_state[_PROFILE_NODE] = node_id


def open_profile(node_id: str) -> None:
    """Show this node's profile and go to the Profile page now."""
    show_profile(node_id)
    st.switch_page(PROFILE_PAGE)


def profile_node() -> str | None:
    """The node the Profile page shows, if one was chosen."""
    return st.session_state.get(_PROFILE_NODE)
