"""App users, roles and passwords.

Users live in `<EXPLORER_VAR_DIR>/users.yaml` (git-ignored, mode 0600), one
entry per user with a role and a bcrypt hash; the password itself is never
stored, logged or recorded. When the file has no users the app runs as the
local demo, without login, and says so in its sidebar.

Roles are ordered, each with everything the previous one may do:

    viewer   saved investigations and explore
    analyst  also the Cypher console and exports
    loader   also loading exports and running analytics
    admin    also managing users, everyone's audit records and the audit export

Command line (the password is prompted, or read from stdin when piped):

    python -m explorer.auth add-user NAME --role analyst
    python -m explorer.auth set-role NAME --role loader
    python -m explorer.auth passwd NAME
    python -m explorer.auth remove-user NAME
    python -m explorer.auth list-users
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import getpass
import math
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import yaml

from explorer import audit
from explorer.config import load_settings
from explorer.exceptions import ExplorerError

USERS_FILE = "users.yaml"
ROLES = ("viewer", "analyst", "loader", "admin")
# The least role that may do each thing.
PERMISSIONS = {
    "investigations": "viewer",
    "explore": "viewer",
    "audit": "viewer",  # everyone sees their own records; admins see everyone's
    "console": "analyst",
    "export": "analyst",
    "watchlist": "analyst",
    "alerts": "viewer",  # viewers read the alerts; analysts acknowledge, assign and comment
    "alerts_act": "analyst",
    "centres": "viewer",  # the matches: keyed references and counts only
    "centres_detail": "analyst",  # asking another centre for the details of a hit
    "load": "loader",
    "analytics": "loader",
    "users": "admin",
    "audit_all": "admin",
    "audit_export": "admin",
    "save_investigation": "analyst",
    "workspaces": "analyst",  # naming and sharing canvases; everyone's current canvas is kept
    "same_person": "analyst",  # confirming or rejecting same-person candidates
}
# What each permission is called in a refusal ("A viewer may not <verb>").
ACTIONS = {
    "console": "run Cypher in the console",
    "export": "export data",
    "watchlist": "change the watch list",
    "same_person": "decide on same-person candidates",
    "load": "load data",
    "analytics": "run analytics",
    "users": "manage users",
    "audit_all": "read other users' audit records",
    "audit_export": "export the audit trail",
    "save_investigation": "save investigations",
    "workspaces": "save workspaces",
}
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; longer passwords are refused, not silently cut
BCRYPT_ROUNDS = 12
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

# Failed sign-ins are throttled per user name and per client (the browser's address), each on its own
# count: the first FREE_FAILURES failures cost nothing, then each one closes the door for a delay
# that doubles, from FIRST_DELAY_S up to MAX_DELAY_S. While the door is closed no password is checked,
# so guessing costs time whichever name or client is used. A success clears the user's count; a
# count not added to for FORGET_AFTER_S starts afresh.
THROTTLE_FILE = "logins.sqlite3"
FREE_FAILURES = 3
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 15 * 60.0
FORGET_AFTER_S = 24 * 3600.0
clock: Callable[[], float] = time.time  # the throttle's clock; tests replace it instead of sleeping


@functools.cache
def _dummy_hash() -> bytes:
    """Checked when the user name is unknown, so a wrong name costs as much time as a wrong password."""
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds=BCRYPT_ROUNDS))


class UserError(ExplorerError):
    """A user cannot be added, changed or found; the message says why."""


class PermissionDenied(ExplorerError):
    """The acting user's role does not allow the action; the message says who, what and which role would."""


class LoginThrottled(UserError):
    """Too many failed sign-ins for this user name or from this client; the message says how long to wait."""


@dataclass(frozen=True)
class User:
    """Someone using the app. `demo` means nobody logged in because no users are configured."""

    name: str
    role: str
    demo: bool = False

    def has_role(self, role: str) -> bool:
        return role_rank(self.role) >= role_rank(role)

    def can(self, permission: str) -> bool:
        return self.has_role(PERMISSIONS[permission])


DEMO_USER = User("local demo", "admin", demo=True)


def command_line_user() -> User:
    """Whoever runs the command line (or a script): a local administrator, recorded under their own name.

    The operating-system account (or EXPLORER_USER) already owns the files and the database
    credentials, so a role check cannot hold it back; its actions are still recorded under its name.
    """
    return User(audit.current_user(), "admin")


def audit_name(user: User) -> str:
    """The name `user`'s actions are recorded under (the local demo: the operating-system account)."""
    return audit.current_user() if user.demo else user.name


def require(user: User | None, permission: str, what: str = "") -> User:
    """`user` (the command-line user when None) if their role allows `permission`, else PermissionDenied.

    A refusal is recorded in the audit trail as "denied" under the user's name, with what was asked.
    """
    acting = user if user is not None else command_line_user()
    if acting.can(permission):
        return acting
    needed = PERMISSIONS[permission]
    audit.record(
        permission, what or ACTIONS.get(permission, permission), outcome=audit.DENIED,
        detail=f"needs {needed}", user=audit_name(acting),
    )  # fmt: skip
    raise PermissionDenied(
        f"{acting.name} is signed in as {acting.role} and may not {ACTIONS.get(permission, permission)}: "
        f"that needs the {needed} role."
    )


def role_rank(role: str) -> int:
    try:
        return ROLES.index(role)
    except ValueError as e:
        raise UserError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.") from e


def users_path() -> Path:
    return load_settings().var_dir / USERS_FILE


def _load(path: Path | None = None) -> dict[str, dict[str, str]]:
    path = path or users_path()
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise UserError(f"The users file {path} cannot be read: {type(e).__name__}.") from e
    users = data.get("users") or {}
    if not isinstance(users, dict):
        raise UserError(f"The users file {path} has no 'users' mapping.")
    return users


def _save(users: dict[str, dict[str, str]], path: Path | None = None) -> None:
    """Write the file atomically, readable by its owner only."""
    path = path or users_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# App users: bcrypt hashes only. Manage with `python -m explorer.auth`.\n" + yaml.safe_dump(
        {"users": users}, sort_keys=True, allow_unicode=True
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".users-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def login_required() -> bool:
    """True once at least one user is configured."""
    return bool(_load())


def list_users() -> list[User]:
    return [User(name, entry["role"]) for name, entry in sorted(_load().items())]


def get_user(name: str) -> User | None:
    entry = _load().get(name)
    return User(name, entry["role"]) if entry else None


def _check_password(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise UserError(f"The password is too long: bcrypt uses at most {MAX_PASSWORD_BYTES} bytes.")
    return raw


def _hash(password: str) -> str:
    return bcrypt.hashpw(_check_password(password), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")


def add_user(name: str, role: str, password: str) -> User:
    """Add a user; refuses an existing name, an unknown role or a weak password."""
    if not _NAME.fullmatch(name):
        raise UserError(
            f"The user name {name!r} is not allowed: use letters, digits and . _ @ - (at most 64 characters)."
        )
    role_rank(role)
    users = _load()
    if name in users:
        raise UserError(f"The user {name} already exists: use set-role or passwd to change it.")
    users[name] = {"role": role, "password_hash": _hash(password)}
    _save(users)
    audit.record("users", f"add-user {name}", {"role": role})
    return User(name, role)


def set_role(name: str, role: str) -> User:
    role_rank(role)
    users = _load()
    if name not in users:
        raise UserError(f"There is no user {name}.")
    users[name]["role"] = role
    _save(users)
    audit.record("users", f"set-role {name}", {"role": role})
    return User(name, role)


def set_password(name: str, password: str) -> None:
    users = _load()
    if name not in users:
        raise UserError(f"There is no user {name}.")
    users[name]["password_hash"] = _hash(password)
    _save(users)
    audit.record("users", f"passwd {name}")


def remove_user(name: str) -> None:
    users = _load()
    if users.pop(name, None) is None:
        raise UserError(f"There is no user {name}.")
    _save(users)
    audit.record("users", f"remove-user {name}")


def throttle_delay(failures: int) -> float:
    """Seconds the door stays closed after `failures` failures in a row."""
    if failures <= FREE_FAILURES:
        return 0.0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - FREE_FAILURES - 1))


def _throttle_db() -> sqlite3.Connection:
    path = load_settings().var_dir / THROTTLE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10.0)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, "
        "last_at REAL NOT NULL, open_at REAL NOT NULL)"
    )
    return conn


def _throttle_keys(name: str, client: str | None) -> list[str]:
    keys = ["user:" + name.lower()]
    if isinstance(client, str) and client:  # Streamlit knows no address outside a browser session
        keys.append("client:" + client)
    return keys


def _closed_until(conn: sqlite3.Connection, keys: list[str], now: float) -> float:
    until = 0.0
    for key in keys:
        row = conn.execute("SELECT last_at, open_at FROM failures WHERE key = ?", (key,)).fetchone()
        if row and now - row[0] < FORGET_AFTER_S:
            until = max(until, row[1])
    return until


def _count_failure(conn: sqlite3.Connection, keys: list[str], now: float) -> None:
    for key in keys:
        row = conn.execute("SELECT count, last_at FROM failures WHERE key = ?", (key,)).fetchone()
        count = row[0] + 1 if row and now - row[1] < FORGET_AFTER_S else 1
        conn.execute(
            "INSERT OR REPLACE INTO failures (key, count, last_at, open_at) VALUES (?, ?, ?, ?)",
            (key, count, now, now + throttle_delay(count)),
        )


def authenticate(name: str, password: str, client: str | None = None) -> User | None:
    """The user if name and password match, else None. Every attempt is recorded (never the password).

    `client` names where the attempt comes from (the app passes the browser's address). Raises
    LoginThrottled, without checking the password, while this name or this client must wait after
    repeated failures.
    """
    shown = name if _NAME.fullmatch(name or "") else "(invalid name)"
    keys = _throttle_keys(shown, client)
    now = clock()
    with contextlib.closing(_throttle_db()) as conn, conn:
        until = _closed_until(conn, keys, now)
        if until > now:
            wait = max(1, math.ceil(until - now))
            audit.record("login", shown, outcome=audit.DENIED, detail="throttled", user=shown)
            raise LoginThrottled(f"Too many failed sign-ins for this user or from this browser: try again in {wait} s.")
    entry = _load().get(name)
    raw = password.encode("utf-8")
    ok = False
    if len(raw) <= MAX_PASSWORD_BYTES:
        stored = entry["password_hash"].encode("ascii") if entry else _dummy_hash()
        try:
            ok = bcrypt.checkpw(raw, stored) and entry is not None
        except ValueError:
            ok = False
    with contextlib.closing(_throttle_db()) as conn, conn:
        if ok:
            conn.execute("DELETE FROM failures WHERE key = ?", (keys[0],))
        else:
            _count_failure(conn, keys, now)
    audit.record("login", shown, outcome=audit.OK if ok else audit.DENIED, user=shown)
    return User(name, entry["role"]) if ok and entry else None


def _read_password(ask_twice: bool) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if ask_twice and getpass.getpass("Again: ") != first:
        raise UserError("The two passwords differ.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.auth", description="Manage the app's users.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-user", help="add a user (password prompted, or read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    role = sub.add_parser("set-role", help="change a user's role")
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=ROLES)
    pw = sub.add_parser("passwd", help="change a user's password")
    pw.add_argument("name")
    rm = sub.add_parser("remove-user", help="remove a user")
    rm.add_argument("name")
    sub.add_parser("list-users", help="list users and roles")
    args = parser.parse_args(argv)
    try:
        if args.command == "add-user":
            user = add_user(args.name, args.role, _read_password(ask_twice=True))
            print(f"Added {user.name} as {user.role}; the app now requires a login.")
        elif args.command == "set-role":
            user = set_role(args.name, args.role)
            print(f"{user.name} is now {user.role}.")
        elif args.command == "passwd":
            set_password(args.name, _read_password(ask_twice=True))
            print(f"Changed the password of {args.name}.")
        elif args.command == "remove-user":
            remove_user(args.name)
            print(f"Removed {args.name}.")
        else:
            users = list_users()
            if not users:
                print("No users: the app runs as the local demo, without login.")
            for user in users:
                print(f"{user.name}\t{user.role}")
    except ExplorerError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
