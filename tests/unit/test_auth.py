"""App users: bcrypt hashes on disk, ordered roles, a CLI, every login recorded."""

import stat
import subprocess
import sys

import pytest

from explorer import audit, auth
from explorer.auth import UserError
from explorer.config import PROJECT_ROOT

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)  # the cost factor is not what these tests check
    return tmp_path


def test_no_users_means_local_demo():
    assert not auth.login_required()
    assert auth.DEMO_USER.demo and auth.DEMO_USER.can("users")


def test_add_user_stores_only_a_bcrypt_hash(var_dir):
    auth.add_user("kay", "analyst", PASSWORD)
    text = (var_dir / "users.yaml").read_text()
    assert PASSWORD not in text and "$2b$" in text
    assert stat.S_IMODE((var_dir / "users.yaml").stat().st_mode) == 0o600
    assert auth.login_required()
    assert auth.authenticate("kay", PASSWORD) == auth.User("kay", "analyst")
    assert auth.authenticate("kay", "wrong password!") is None
    assert auth.authenticate("nobody", PASSWORD) is None


def test_logins_recorded_without_password(var_dir):
    auth.add_user("kay", "viewer", PASSWORD)
    auth.authenticate("kay", PASSWORD)
    auth.authenticate("kay", "not the password")
    logins = audit.query(action="login")
    assert [(e.user, e.outcome) for e in logins] == [("kay", "denied"), ("kay", "ok")]
    raw = b"".join(p.read_bytes() for p in var_dir.glob("audit.sqlite3*"))
    assert PASSWORD.encode() not in raw and b"not the password" not in raw


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("viewer", {"investigations", "explore", "audit"}, {"console", "export", "load", "analytics", "users"}),
        ("analyst", {"console", "export"}, {"load", "analytics", "users", "audit_export"}),
        ("loader", {"console", "load", "analytics"}, {"users", "audit_all", "audit_export"}),
        ("admin", set(auth.PERMISSIONS), set()),
    ],
)
def test_role_permissions(role, allowed, refused):
    user = auth.User("u", role)
    assert all(user.can(p) for p in allowed)
    assert not any(user.can(p) for p in refused)


def test_bad_requests_give_a_sentence():
    auth.add_user("kay", "viewer", PASSWORD)
    with pytest.raises(UserError, match="already exists"):
        auth.add_user("kay", "admin", PASSWORD)
    with pytest.raises(UserError, match="too short"):
        auth.add_user("lee", "viewer", "short")
    with pytest.raises(UserError, match="too long"):
        auth.add_user("lee", "viewer", "x" * 73)
    with pytest.raises(UserError, match="Unknown role"):
        auth.add_user("lee", "superuser", PASSWORD)
    with pytest.raises(UserError, match="not allowed"):
        auth.add_user("<script>", "viewer", PASSWORD)
    assert auth.authenticate("kay", "x" * 100) is None


def test_role_change_and_removal():
    auth.add_user("kay", "viewer", PASSWORD)
    auth.set_role("kay", "loader")
    assert auth.get_user("kay") == auth.User("kay", "loader")
    auth.set_password("kay", "another long password")
    assert auth.authenticate("kay", "another long password")
    auth.remove_user("kay")
    assert auth.get_user("kay") is None and not auth.login_required()


def _auth_cli(var_dir, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`python -m explorer.auth ARGS` as an administrator runs it, with only the var dir configured."""
    return subprocess.run(
        [sys.executable, "-m", "explorer.auth", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"EXPLORER_VAR_DIR": str(var_dir), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_cli_reads_password_from_stdin(var_dir):
    run = _auth_cli(var_dir, "add-user", "kay", "--role", "admin", stdin=PASSWORD + "\n")
    assert run.returncode == 0, run.stderr
    assert "Added kay as admin" in run.stdout and PASSWORD not in run.stdout + run.stderr
    listed = _auth_cli(var_dir, "list-users")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "kay\tadmin"
    again = _auth_cli(var_dir, "add-user", "kay", "--role", "admin", stdin=PASSWORD + "\n")
    assert (
        again.returncode == 1
        and again.stderr.strip() == "The user kay already exists: use set-role or passwd to change it."
    )
