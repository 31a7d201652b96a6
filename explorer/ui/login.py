"""The login gate of the app: `require_login()` on every run, `require_role()` per page.

With no users configured the app is the local demo: everyone may do
everything, and the sidebar says "Local demo: no login". Otherwise a login
form guards every page; the role is re-read from the users file on each run,
so a removed user or a lowered role takes effect at the next click.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer import audit, auth
from explorer.auth import User
from explorer.ui.i18n import t
from explorer.ui.markdown import tr

_SESSION_KEY = "auth_user"


def _session_user() -> str | None:
    """The name signed in to the session this thread runs a script for, if any (the audit asks on every record)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    name = st.session_state.get(_SESSION_KEY)
    return name if isinstance(name, str) and name else None


audit.use_user_source(_session_user)


def current_user() -> User | None:
    """Who is signed in (the demo user when no users exist), or None before login."""
    if not auth.login_required():
        return auth.DEMO_USER
    name = st.session_state.get(_SESSION_KEY)
    return auth.get_user(name) if name else None


def _login_form() -> None:
    st.title(t("login.title"))
    with st.form("login_form", clear_on_submit=True):
        name = st.text_input(t("login.name"), key="login_name")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"))
    if submitted:
        message = t("login.failed")
        try:
            user = auth.authenticate(name.strip(), password, client=st.context.ip_address)
        except auth.LoginThrottled as e:
            user, message = None, str(e)
        # The typed password must not linger in the session once it has been checked.
        st.session_state.pop("login_password", None)
        if user:
            st.session_state[_SESSION_KEY] = user.name
            st.rerun()
        st.error(message)


def require_login() -> User:
    """The signed-in user; shows the login form and stops the run until someone signs in."""
    user = current_user()
    if user is None:
        st.session_state.pop(_SESSION_KEY, None)
        audit.set_user(None)
        _login_form()
        st.stop()
    audit.set_user(None if user.demo else user.name)
    return user


def sidebar(user: User) -> None:
    """Who is signed in, and a way out; or the local-demo notice."""
    with st.sidebar:
        if user.demo:
            st.caption(t("login.demo"))
            return
        st.caption(tr("login.signed_in", name=user.name, role=user.role))
        if st.button(t("login.sign_out"), key="logout_button"):
            sign_out(user)


def sign_out(user: User) -> None:
    """End the session: every key of it goes (pages, searches, results, files), not only the login.

    Whoever signs in next on this tab starts from nothing the previous user saw.
    """
    audit.record("login", "sign out", user=user.name)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    audit.set_user(None)
    st.rerun()


def require_role(role: str) -> User:
    """The signed-in user if their role is at least `role`; otherwise a sentence and st.stop()."""
    user = require_login()
    if not user.has_role(role):
        audit.record("login", f"page needing {role}", outcome=audit.DENIED, user=user.name)
        st.error(tr("login.needs_role", role=role, name=user.name, current=user.role))
        st.stop()
    return user


def require_permission(permission: str) -> User:
    """Like `require_role`, named by what the page does (see `explorer.auth.PERMISSIONS`)."""
    return require_role(auth.PERMISSIONS[permission])
