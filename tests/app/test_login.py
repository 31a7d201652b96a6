"""The login gate: demo without users, a form with users, roles per page."""

import pytest
from streamlit.testing.v1 import AppTest

from explorer import audit, auth

pytestmark = pytest.mark.app
PASSWORD = "correct horse battery"


def _page():
    import streamlit as st

    from explorer.ui import login

    user = login.require_login()
    login.sidebar(user)
    st.markdown(f"secret content for {user.name}")
    login.require_role("analyst")
    st.markdown("console for analysts")


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    return tmp_path


def _texts(at):
    return " ".join(m.value for m in at.markdown)


def test_local_demo_says_no_login():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    assert "Local demo: no login" in " ".join(c.value for c in at.sidebar.caption)
    assert "console for analysts" in _texts(at)


def test_login_required_once_users_exist():
    auth.add_user("vic", "viewer", PASSWORD)
    at = AppTest.from_function(_page).run()
    assert "secret content" not in _texts(at)
    at.text_input(key="login_name").input("vic")
    at.text_input(key="login_password").input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Unknown user name or wrong password."]
    assert "secret content" not in _texts(at)

    at.text_input(key="login_name").input("vic")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert "secret content for vic" in _texts(at)
    assert "console for analysts" not in _texts(at)
    assert [e.value for e in at.error] == ["This page needs the analyst role; vic is signed in as viewer."]
    assert "Signed in as **vic** (viewer)" in " ".join(c.value for c in at.sidebar.caption)
    assert "login_password" not in at.session_state or at.session_state["login_password"] != PASSWORD
    assert [(e.user, e.outcome) for e in audit.query(action="login")][-2:] == [("vic", "ok"), ("vic", "denied")]


def test_lowered_role_applies_at_next_run():
    auth.add_user("ana", "analyst", PASSWORD)
    auth.add_user("root", "admin", PASSWORD)
    at = AppTest.from_function(_page)
    at.session_state["auth_user"] = "ana"
    at.run()
    assert "console for analysts" in _texts(at)
    auth.set_role("ana", "viewer")
    at.run()
    assert "console for analysts" not in _texts(at)
    auth.remove_user("ana")
    at.run()
    assert "secret content" not in _texts(at)


def test_repeated_failed_logins_make_the_form_wait(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])  # moved by hand: no sleeping
    auth.add_user("vic", "viewer", PASSWORD)
    at = AppTest.from_function(_page).run()

    def sign_in(password):
        at.text_input(key="login_name").input("vic")
        at.text_input(key="login_password").input(password)
        at.button[0].click().run()
        return [e.value for e in at.error]

    for _ in range(auth.FREE_FAILURES + 1):
        assert sign_in("wrong password") == ["Unknown user name or wrong password."]
    assert sign_in(PASSWORD) == ["Too many failed sign-ins for this user or from this browser: try again in 2 s."]
    assert "secret content" not in _texts(at)
    now[0] += auth.throttle_delay(auth.FREE_FAILURES + 1)
    sign_in(PASSWORD)
    assert "secret content for vic" in _texts(at)
