"""What one page hands to another.

A page never reads another page's session-state keys: it calls one of these
functions, and the receiving page takes what was sent. Keys used by one page
only are declared at the top of that page, prefixed with its name.
"""

from __future__ import annotations

import streamlit as st

EXPLORE_PAGE = "pages/explore.py"
PROFILE_PAGE = "pages/profile.py"

_EXPLORE_SEED = "explore_seed"
_PROFILE_NODE = "profile_node"


def send_to_explore(node_id: str) -> None:
    """Have Explore start from this node the next time it runs."""
    st.session_state[_EXPLORE_SEED] = node_id


def open_in_explore(node_id: str) -> None:
    """Send the node to Explore and go there now."""
    send_to_explore(node_id)
    st.switch_page(EXPLORE_PAGE)


def take_explore_seed() -> str | None:
    """The node sent to Explore, once: a later run of the page does not see it again."""
    return st.session_state.pop(_EXPLORE_SEED, None)


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
