"""The Explore page's canvas in the session, and workspaces: save, list, open by link, autosave.

The signed-in user's current canvas is autosaved (as the workspace `AUTOSAVE`), so a reload of
the page brings it back; signing out clears the session, and the next user starts from their own.
Everything goes through `explorer.analyst_store`: workspaces are analyst state, never evidence.
"""

from __future__ import annotations

import contextlib
import json

import streamlit as st

from explorer import audit
from explorer.analyst_store import AUTOSAVE, STORE_FILE, AnalystStore, InvalidAlertAction, Workspace, WorkspaceNotFound
from explorer.auth import User
from explorer.canvas import Canvas
from explorer.config import load_settings
from explorer.ui.i18n import t
from explorer.ui.markdown import escape

CANVAS = "explore_canvas"
SAVED = "explore_canvas_saved"
OPENED_LINK = "explore_workspace_link"
LINK_PARAM = "workspace"


def store() -> AnalystStore:
    return AnalystStore(load_settings().var_dir / STORE_FILE)


def split_link(link: str) -> tuple[str, str]:
    """`owner/name` -> (owner, name); a workspace name never holds '/'."""
    owner, _, name = link.rpartition("/")
    return owner, name


def current(user: User | None) -> Canvas:
    """The canvas of this session: the user's autosaved one after a reload, or the workspace of `?workspace=`."""
    canvas = st.session_state.get(CANVAS)
    if canvas is None:
        canvas = Canvas()
        if user is not None:
            with contextlib.suppress(WorkspaceNotFound):
                canvas = Canvas.from_dict(store().workspace(user.name, AUTOSAVE).canvas)
        st.session_state[CANVAS] = canvas
        st.session_state[SAVED] = json.dumps(canvas.as_dict(), sort_keys=True)
    link = st.query_params.get(LINK_PARAM)
    if link and user is not None and st.session_state.get(OPENED_LINK) != link:
        st.session_state[OPENED_LINK] = link
        owner, name = split_link(link)
        try:
            found = store().workspace(owner, name, reader=user.name, admin=user.has_role("admin"))
        except WorkspaceNotFound:
            st.error(t("ws.not_found", link=link))
        else:
            canvas.replace(found.canvas)
            audit.record("explore", "open workspace", {"workspace": link})
    return canvas


def autosave(canvas: Canvas, user: User | None) -> None:
    """Keep the user's current canvas (only when it changed since the last save)."""
    if user is None:
        return
    text = json.dumps(canvas.as_dict(), sort_keys=True)
    if st.session_state.get(SAVED) == text:
        return
    store().save_workspace(user.name, AUTOSAVE, canvas.as_dict())
    st.session_state[SAVED] = text


def _label(ws: Workspace, user: User) -> str:
    owner = "" if ws.owner == user.name else f" · {ws.owner}"
    shared = f" · {t('ws.shared')}" if ws.shared else ""
    return f"{ws.name}{owner}{shared} · {ws.saved_at[:16].replace('T', ' ')}"


def panel(canvas: Canvas, user: User | None) -> None:
    """Save the canvas under a name, or open one from the list; the link of the open one."""
    if user is None:
        return
    with st.expander(t("ws.title")):
        found = store().workspaces(user.name, admin=user.has_role("admin"))
        left, right = st.columns(2)
        with left:
            if found:
                chosen = st.selectbox(
                    t("ws.list"), range(len(found)), format_func=lambda i: _label(found[i], user), key="ws_choice"
                )
                if st.button(t("ws.open"), key="ws_open"):
                    ws = found[chosen]
                    canvas.replace(ws.canvas)
                    st.session_state[OPENED_LINK] = ws.link
                    st.query_params[LINK_PARAM] = ws.link
                    audit.record("explore", "open workspace", {"workspace": ws.link})
                    st.rerun()
            else:
                st.caption(t("ws.none"))
        with right:
            if not user.can("workspaces"):
                st.caption(t("ws.needs_role"))
                return
            name = st.text_input(t("ws.name"), key="ws_name", max_chars=80)
            shared = st.checkbox(t("ws.share"), key="ws_shared")
            if st.button(t("ws.save"), key="ws_save", type="primary"):
                try:
                    ws = store().save_workspace(user.name, name, canvas.as_dict(), shared=shared)
                except InvalidAlertAction as e:
                    st.error(escape(str(e)))
                else:
                    st.session_state[OPENED_LINK] = ws.link
                    st.query_params[LINK_PARAM] = ws.link
                    audit.record("explore", "save workspace", {"workspace": ws.link, "nodes": len(canvas.visible)})
                    st.success(t("ws.saved", name=escape(ws.name), link=escape(f"?{LINK_PARAM}={ws.link}")))
