"""The audit trail: who ran what, when, with which parameters, and how it ended.

Every investigation run, console query, export, load and analytics run is
recorded in an SQLite file in the var folder (`EXPLORER_VAR_DIR`, default
`var/audit.sqlite3`). From the product's point of view the trail is
append-only: this module offers only `record()` (and `timed()`, which calls
it, and `written_behind()`, in which a thread of its own writes the records
in order) and `query()`, and triggers in the file itself abort any UPDATE or
DELETE, so even a careless SQL statement cannot rewrite history.

    from explorer import audit
    audit.record("export", "target package ring 3", params={"ring": 3}, rows=41)
    with audit.timed("investigation", "brokers", {"min_degree": 3}) as entry:
        result = graph.read(cypher, params)
        entry.rows = len(result)

The user is whoever is signed in to the app session the code runs for (the
app registers how to find it with `use_user_source`, read afresh on every
record, so a button's callback that runs before the login gate is recorded
under the right name too), else the user `set_user` named for this thread,
else `EXPLORER_USER`, else the operating-system account: loaders and
analytics run from the command line are recorded too.

What the caller passes is stored whole and as given: the query text however
long (padding cannot push the query out of the record), and every parameter
value whatever its name. Nothing is scrubbed either: a scrubber that replaced
the Neo4j password in user-written text would tell a user whether a guessed
string is that password. Instead the password never reaches anything that is
recorded: it is only the driver's auth token, never a query, a parameter or
an error sentence (docs/security.md).
"""

from __future__ import annotations

import contextvars
import functools
import getpass
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.config import load_settings
from explorer.exceptions import ExplorerError, NotReadOnly

log = logging.getLogger(__name__)

AUDIT_FILE = "audit.sqlite3"

# What a record is about; free text is allowed, these are the ones the product writes.
ACTIONS = (
    "investigation",
    "console",
    "explore",
    "export",
    "load",
    "unload",
    "clear",
    "analytics",
    "login",
    "users",
    "centres",
)
# How it ended.
OK, REFUSED, ERROR, DENIED = "ok", "refused", "error", "denied"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,          -- ISO 8601, UTC, milliseconds
    user        TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    what        TEXT    NOT NULL,          -- investigation name, query text, file name ...
    params      TEXT    NOT NULL,          -- JSON object
    rows        INTEGER,
    duration_ms REAL,
    outcome     TEXT    NOT NULL,          -- ok | refused | error | denied
    detail      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE INDEX IF NOT EXISTS audit_user_at ON audit(user, at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: records cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: records cannot be deleted'); END;
"""

_user: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_user", default=None)
_user_source: list[Callable[[], str | None]] = []


class AuditError(ExplorerError):
    """The audit trail cannot be written or read."""


@dataclass
class Entry:
    """One audit record. `timed()` yields one so the caller can fill in `rows`."""

    action: str
    what: str
    params: dict[str, Any] = field(default_factory=dict)
    rows: int | None = None
    duration_ms: float | None = None
    outcome: str = OK
    detail: str = ""
    user: str = ""
    at: str = ""
    id: int | None = None


def audit_path() -> Path:
    """Where the trail lives: `<EXPLORER_VAR_DIR>/audit.sqlite3`."""
    return load_settings().var_dir / AUDIT_FILE


def set_user(name: str | None) -> None:
    """Who is acting in this thread (the app's login gate calls this on every run)."""
    _user.set(name)


def use_user_source(source: Callable[[], str | None]) -> None:
    """How to find who is signed in where the code runs (the app's session); None when nobody or nowhere."""
    _user_source[:] = [source]


def current_user() -> str:
    """The user signed in to this app session, else the thread's user, else EXPLORER_USER, else the OS account."""
    name = next((found for source in _user_source if (found := source())), None)
    name = name or _user.get() or os.environ.get("EXPLORER_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _connect(path: Path | None = None) -> sqlite3.Connection:
    path = path or audit_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
    except (OSError, sqlite3.Error) as e:
        raise AuditError(f"The audit trail {path} cannot be opened: {e}.") from e
    return conn


def _clean_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters as JSON-safe values, every value as given.

    No value is masked because of its parameter's name: an analyst could
    otherwise hide a searched value by naming its parameter `password`.
    """
    if not params:
        return {}
    cleaned = {str(key): value for key, value in params.items()}
    return json.loads(json.dumps(cleaned, default=str, ensure_ascii=False))


def record(
    action: str,
    what: str,
    params: Mapping[str, Any] | None = None,
    *,
    rows: int | None = None,
    duration_ms: float | None = None,
    outcome: str = OK,
    detail: str = "",
    user: str | None = None,
) -> Entry:
    """Append one record to the trail and return it (with its id and time)."""
    entry = Entry(
        action=action,
        what=str(what),
        params=_clean_params(params),
        rows=rows,
        duration_ms=None if duration_ms is None else round(float(duration_ms), 3),
        outcome=outcome,
        detail=str(detail),
        user=user or current_user(),
        at=datetime.now(UTC).isoformat(timespec="milliseconds"),
    )
    params_json = json.dumps(entry.params, ensure_ascii=False, sort_keys=True)
    behind = _behind.get()
    if behind is not None:
        behind.append(behind_pool().submit(_write, entry, params_json, audit_path()))
        return entry
    _write(entry, params_json, audit_path())
    return entry


def _write(entry: Entry, params_json: str, path: Path) -> None:
    """Insert the record, synced to disk (the file's own transaction), and note its id in `entry`."""
    conn = _connect(path)
    try:
        with conn:
            cur = conn.execute(
                "INSERT INTO audit (at, user, action, what, params, rows, duration_ms, outcome, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.at,
                    entry.user,
                    entry.action,
                    entry.what,
                    params_json,
                    entry.rows,
                    entry.duration_ms,
                    entry.outcome,
                    entry.detail,
                ),
            )
            entry.id = cur.lastrowid
    except sqlite3.Error as e:
        raise AuditError(f"The audit trail {path} cannot be written: {e}.") from e
    finally:
        conn.close()


# Records written by a thread of their own, in the order made, while a block goes on (`written_behind`).
_behind: contextvars.ContextVar[list[Future[None]] | None] = contextvars.ContextVar("audit_behind", default=None)


@functools.cache
def behind_pool() -> ThreadPoolExecutor:
    """The one thread that writes records behind their callers: one at a time, in the order handed over."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit")


os.register_at_fork(after_in_child=behind_pool.cache_clear)  # a forked child has not the parent's thread


@contextmanager
def written_behind() -> Iterator[None]:
    """Within the block, this thread's records are written to disk by a thread of their own, in order, while
    the block goes on; leaving the block waits until every one of them is written, and raises the first that
    failed (AuditError). A folder load's exports thus follow one another without waiting on the disk's sync
    (docs/benchmarks.md); the trail is whole when the command returns, as before.
    """
    pending: list[Future[None]] = []
    token = _behind.set(pending)
    try:
        yield
    except BaseException:
        for error in _written(pending):  # the block's own error is the one raised
            log.error("%s", error)
        raise
    finally:
        _behind.reset(token)
    errors = _written(pending)
    if errors:
        raise errors[0]


def _written(pending: list[Future[None]]) -> list[BaseException]:
    """Wait for these records to be written; the failures, in order."""
    return [error for error in (future.exception() for future in pending) if error is not None]


@contextmanager
def timed(
    action: str, what: str, params: Mapping[str, Any] | None = None, *, user: str | None = None
) -> Iterator[Entry]:
    """Time a block and record it; set `entry.rows` inside the block.

    A `NotReadOnly` refusal is recorded as "refused", any other exception as
    "error" with its sentence; the exception is then re-raised unchanged.
    """
    entry = Entry(action=action, what=what, params=dict(params or {}))
    started = time.perf_counter()
    try:
        yield entry
    except BaseException as e:
        outcome = REFUSED if isinstance(e, NotReadOnly) else ERROR
        detail = str(e) if isinstance(e, ExplorerError) else f"{type(e).__name__}: {e}"
        record(
            action,
            what,
            params,
            rows=entry.rows,
            duration_ms=(time.perf_counter() - started) * 1000,
            outcome=outcome,
            detail=detail,
            user=user,
        )
        raise
    record(
        action,
        what,
        params,
        rows=entry.rows,
        duration_ms=(time.perf_counter() - started) * 1000,
        outcome=entry.outcome,
        detail=entry.detail,
        user=user,
    )


def query(
    *,
    user: str | None = None,
    action: str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    limit: int | None = 10_000,
) -> list[Entry]:
    """Records, newest first, filtered by user, action and time range [since, until)."""
    clauses, args = [], []
    if user:
        clauses.append("user = ?")
        args.append(user)
    if action:
        clauses.append("action = ?")
        args.append(action)
    if since is not None:
        clauses.append("at >= ?")
        args.append(_iso(since))
    if until is not None:
        clauses.append("at < ?")
        args.append(_iso(until))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        "SELECT id, at, user, action, what, params, rows, duration_ms, outcome, detail FROM audit"
        + where
        + " ORDER BY id DESC"
        + (" LIMIT ?" if limit else "")
    )
    if limit:
        args.append(int(limit))
    conn = _connect()
    try:
        rows = conn.execute(sql, args).fetchall()
    except sqlite3.Error as e:
        raise AuditError(f"The audit trail {audit_path()} cannot be read: {e}.") from e
    finally:
        conn.close()
    return [
        Entry(
            id=r[0],
            at=r[1],
            user=r[2],
            action=r[3],
            what=r[4],
            params=json.loads(r[5]),
            rows=r[6],
            duration_ms=r[7],
            outcome=r[8],
            detail=r[9],
        )
        for r in rows
    ]


def users() -> list[str]:
    """Every user name that appears in the trail, sorted."""
    conn = _connect()
    try:
        return [r[0] for r in conn.execute("SELECT DISTINCT user FROM audit ORDER BY user")]
    finally:
        conn.close()


COLUMNS = ["id", "at", "user", "action", "what", "params", "rows", "duration_ms", "outcome", "detail"]


def as_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """Entries as flat dicts (params as JSON text), in COLUMNS order, for tables and exports."""
    return [
        {
            "id": e.id,
            "at": e.at,
            "user": e.user,
            "action": e.action,
            "what": e.what,
            "params": json.dumps(e.params, ensure_ascii=False, sort_keys=True),
            "rows": e.rows,
            "duration_ms": e.duration_ms,
            "outcome": e.outcome,
            "detail": e.detail,
        }
        for e in entries
    ]


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds")
