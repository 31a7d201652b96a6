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


class FakeClock:
    """The throttle's clock, moved by hand: the tests never sleep."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(auth, "clock", fake)
    return fake


def _fail(name: str, client: str | None = "10.0.0.9") -> None:
    assert auth.authenticate(name, "wrong password", client=client) is None


def test_failed_logins_close_the_door_for_a_growing_delay(clock):
    auth.add_user("kay", "analyst", PASSWORD)
    for _ in range(auth.FREE_FAILURES):
        _fail("kay")  # the first failures cost nothing
    delays = []
    for _ in range(4):
        _fail("kay")
        with pytest.raises(auth.LoginThrottled, match=r"^Too many failed sign-ins .*try again in \d+ s\.$"):
            auth.authenticate("kay", PASSWORD, client="10.0.0.9")  # even the right password waits
        delay = auth.throttle_delay(auth.FREE_FAILURES + len(delays) + 1)
        delays.append(delay)
        clock.now += delay - 0.5
        with pytest.raises(auth.LoginThrottled):
            auth.authenticate("kay", PASSWORD, client="10.0.0.9")
        clock.now += 0.5
    assert delays == [2.0, 4.0, 8.0, 16.0]
    assert auth.throttle_delay(1000) == auth.MAX_DELAY_S
    assert auth.authenticate("kay", PASSWORD, client="10.0.0.9") == auth.User("kay", "analyst")
    _fail("kay", client="10.0.0.10")  # a success cleared the user's count: no wait after one failure
    assert auth.authenticate("kay", PASSWORD, client="10.0.0.10") == auth.User("kay", "analyst")
    throttled = [e for e in audit.query(action="login") if e.detail == "throttled"]
    assert len(throttled) == 8 and {e.outcome for e in throttled} == {"denied"}


def test_one_client_trying_many_names_is_throttled(clock):
    auth.add_user("kay", "analyst", PASSWORD)
    for i in range(auth.FREE_FAILURES + 1):
        _fail(f"guess{i}", client="10.0.0.66")
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate("kay", PASSWORD, client="10.0.0.66")
    # Another client is not held up by this one, and the user's own count is clean.
    assert auth.authenticate("kay", PASSWORD, client="10.0.0.7") == auth.User("kay", "analyst")


def test_one_name_tried_from_many_clients_is_throttled(clock):
    auth.add_user("kay", "analyst", PASSWORD)
    for i in range(auth.FREE_FAILURES + 1):
        _fail("kay", client=f"10.0.1.{i}")
    with pytest.raises(auth.LoginThrottled):
        auth.authenticate("kay", PASSWORD, client="10.0.2.1")


def test_old_failures_are_forgotten(clock):
    auth.add_user("kay", "analyst", PASSWORD)
    for _ in range(auth.FREE_FAILURES + 3):
        clock.now += auth.MAX_DELAY_S
        _fail("kay")
    clock.now += auth.FORGET_AFTER_S
    _fail("kay")  # counts as the first failure again: no wait
    assert auth.authenticate("kay", PASSWORD, client="10.0.0.9") == auth.User("kay", "analyst")
