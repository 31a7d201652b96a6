"""The analysts' own state: the watch list (identifiers watched, why and by whom), decisions on
same-person candidates (confirmed or rejected, by whom, why), alerts (raised, read or acknowledged,
assigned, commented) and workspaces (saved canvases: nodes on screen, positions, pins, filters, notes).

It lives in a SQLite file under the var folder (`EXPLORER_VAR_DIR/analyst.sqlite3`), apart from the
evidence graph: nothing here is ever written as a property of an evidence node, and an analyst's
note cannot change what a load brought. This module is the only writer of that file.

An alert's identity is its rule and the keys of its evidence (`alert_id`), so adding the same alert
again changes nothing: a rule evaluated twice on the same load, or a load run again, raises nothing new.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.config import load_settings
from explorer.exceptions import ExplorerError

STORE_FILE = "analyst.sqlite3"
STATES = ("unread", "acknowledged")
# An analyst's decision on a SAME_AS candidate (the loaders propose it as `candidate`).
REVIEW_STATUSES = ("confirmed", "rejected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    alert_id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    title TEXT NOT NULL,
    evidence TEXT NOT NULL,
    rings TEXT NOT NULL,
    summary TEXT NOT NULL,
    sources TEXT NOT NULL,
    load_id TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'unread',
    assignee TEXT,
    acknowledged_by TEXT,
    acknowledged_at TEXT,
    facts TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);
CREATE TABLE IF NOT EXISTS alert_comments (
    comment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL REFERENCES alerts (alert_id),
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workspaces (
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    canvas TEXT NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (owner, name)
);
CREATE TABLE IF NOT EXISTS watches (
    watch_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS same_person_reviews (
    first TEXT NOT NULL,
    second TEXT NOT NULL,
    status TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (first, second)
);
CREATE TABLE IF NOT EXISTS alert_evaluations (
    load_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    evaluated_at TEXT NOT NULL,
    PRIMARY KEY (load_id, rule)
);
"""


class AlertNotFound(ExplorerError):
    """No alert has the id given."""


class InvalidAlertAction(ExplorerError):
    """An action on an alert lacks what it needs (who, what)."""


class WorkspaceNotFound(ExplorerError):
    """No workspace of that owner and name, or not one the reader may open."""


# The workspace a signed-in user's current canvas is kept in between reloads.
AUTOSAVE = "(current)"
MAX_WORKSPACE_NAME = 80


@dataclass(frozen=True)
class Workspace:
    owner: str
    name: str
    canvas: dict[str, Any]
    shared: bool
    saved_at: str

    @property
    def link(self) -> str:
        """The `?workspace=` value that opens it."""
        return f"{self.owner}/{self.name}"


def alert_id(rule: str, evidence: Iterable[str]) -> str:
    """The identity of an alert: a hash of its rule and its evidence keys, in order."""
    text = json.dumps([rule, [str(e) for e in evidence]], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Source:
    """A file and row behind an alert (row 0 when the load wrote the node but no row names it)."""

    load_id: str
    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file} row {self.row}" if self.row else self.file


@dataclass
class Alert:
    rule: str
    title: str
    evidence: list[str]
    rings: list[str]
    summary: str
    sources: list[Source]
    load_id: str
    raised_at: str = field(default_factory=now)
    state: str = "unread"
    assignee: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: str | None = None
    # What the summary says, by name, when the rule returned it as a map: the summary in any language.
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def alert_id(self) -> str:
        return alert_id(self.rule, self.evidence)

    def as_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "rule": self.rule,
            "title": self.title,
            "evidence": self.evidence,
            "rings": self.rings,
            "summary": self.summary,
            "sources": [{"load_id": s.load_id, "file": s.file, "row": s.row} for s in self.sources],
            "load_id": self.load_id,
            "raised_at": self.raised_at,
            "state": self.state,
            "assignee": self.assignee,
            "facts": self.facts,
        }


@dataclass(frozen=True)
class Comment:
    alert_id: str
    author: str
    at: str
    text: str


def _row_alert(row: sqlite3.Row) -> Alert:
    return Alert(
        rule=row["rule"],
        title=row["title"],
        evidence=json.loads(row["evidence"]),
        rings=json.loads(row["rings"]),
        summary=row["summary"],
        sources=[Source(**s) for s in json.loads(row["sources"])],
        load_id=row["load_id"],
        raised_at=row["raised_at"],
        state=row["state"],
        assignee=row["assignee"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=row["acknowledged_at"],
        facts=json.loads(row["facts"]),
    )


class AnalystStore:
    """The watch list; decisions on same-person candidates; alerts, their state, assignees and comments,
    and which loads each rule has seen; workspaces."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else load_settings().var_dir / STORE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            # A store from before alerts kept their facts: every other column is as it was.
            if "facts" not in {r["name"] for r in db.execute("PRAGMA table_info(alerts)")}:
                db.execute("ALTER TABLE alerts ADD COLUMN facts TEXT NOT NULL DEFAULT '{}'")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    # -- the watch list ---------------------------------------------------------------

    def watch(self, kind: str, value: str, reason: str, added_by: str, added_at: str | None = None) -> str:
        """Watch `value` (normalised already, explorer.watchlist) as a `kind`; watching it again updates the
        reason and who, and keeps when it was first added. Returns the watch id, `<kind>:<value>`."""
        watch_id = f"{kind}:{value}"
        with self._connect() as db:
            db.execute(
                "INSERT INTO watches (watch_id, kind, value, reason, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (watch_id) DO UPDATE SET reason = excluded.reason, added_by = excluded.added_by",
                (watch_id, kind, value, reason, added_by, added_at or now()),
            )
        return watch_id

    def unwatch(self, watch_id: str) -> bool:
        with self._connect() as db:
            return bool(db.execute("DELETE FROM watches WHERE watch_id = ?", (watch_id,)).rowcount)

    def watches(self) -> list[dict[str, str]]:
        """Every watch, newest first, as maps (the form the watch-list queries take as `$watches`)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT watch_id, kind, value, reason, added_by, added_at FROM watches ORDER BY added_at DESC, watch_id"
            ).fetchall()
        return [dict(r) for r in rows]

    # -- decisions on same-person candidates -----------------------------------------

    def review(self, person: str, other: str, status: str, reviewer: str, note: str = "") -> dict[str, str]:
        """Record that `person` and `other` (person ids) are the same person (`confirmed`) or not (`rejected`);
        a second decision on the pair replaces the first. The pair is stored smaller id first, as SAME_AS points."""
        if status not in REVIEW_STATUSES:
            raise InvalidAlertAction(f"A decision is one of {', '.join(REVIEW_STATUSES)}, not {status!r}.")
        if not (reviewer or "").strip() or not person or not other or person == other:
            raise InvalidAlertAction("A decision needs two different persons and who decides.")
        first, second = sorted((person, other))
        entry = {"first": first, "second": second, "status": status, "reviewer": reviewer.strip(),
                 "reviewed_at": now(), "note": (note or "").strip()}  # fmt: skip
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO same_person_reviews (first, second, status, reviewer, reviewed_at, note)"
                " VALUES (:first, :second, :status, :reviewer, :reviewed_at, :note)",
                entry,
            )
        return entry

    def withdraw_review(self, person: str, other: str) -> bool:
        """Back to a candidate: forget the decision on the pair."""
        first, second = sorted((person, other))
        with self._connect() as db:
            sql = "DELETE FROM same_person_reviews WHERE first = ? AND second = ?"
            return bool(db.execute(sql, (first, second)).rowcount)

    def reviews(self, person: str | None = None) -> list[dict[str, str]]:
        """The decisions (those on `person`'s pairs only, when given), newest first, as maps (the form
        the same-person queries take as `$reviews`)."""
        sql = "SELECT first, second, status, reviewer, reviewed_at, note FROM same_person_reviews"
        args: tuple[str, ...] = ()
        if person is not None:
            sql, args = sql + " WHERE first = ? OR second = ?", (person, person)
        with self._connect() as db:
            return [dict(r) for r in db.execute(sql + " ORDER BY reviewed_at DESC, first, second", args)]

    def state(self, kind: str) -> list[dict[str, str]]:
        """The analyst state a query parameter of type `kind` receives (explorer.catalog)."""
        return {"watchlist": self.watches, "reviews": self.reviews}[kind]()

    # -- alerts -------------------------------------------------------------------

    def add(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Store the alerts not stored yet; return those (the ones that are new)."""
        added: list[Alert] = []
        with self._connect() as db:
            for a in alerts:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO alerts (alert_id, rule, title, evidence, rings, summary, sources, load_id,"
                    " raised_at, state, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'unread', ?)",
                    (
                        a.alert_id,
                        a.rule,
                        a.title,
                        json.dumps(a.evidence, ensure_ascii=False),
                        json.dumps(a.rings, ensure_ascii=False),
                        a.summary,
                        json.dumps([s.__dict__ for s in a.sources], ensure_ascii=False),
                        a.load_id,
                        a.raised_at,
                        json.dumps(a.facts, ensure_ascii=False),
                    ),
                )
                if cursor.rowcount:
                    added.append(a)
        return added

    def alerts(
        self,
        *,
        rules: Iterable[str] | None = None,
        ring: str | None = None,
        since: str | None = None,
        until: str | None = None,
        state: str | None = None,
        limit: int | None = None,
    ) -> list[Alert]:
        """Alerts, unread first, then newest first; filtered by rule, ring, raised time (ISO) and state."""
        where, params = [], []
        rules = list(rules) if rules is not None else None
        if rules is not None:
            where.append(f"rule IN ({', '.join('?' for _ in rules)})" if rules else "0")
            params += rules
        if since:
            where.append("raised_at >= ?")
            params.append(since)
        if until:
            where.append("raised_at < ?")
            params.append(until)
        if state:
            where.append("state = ?")
            params.append(state)
        sql = "SELECT * FROM alerts" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY state = 'unread' DESC, raised_at DESC, alert_id"
        with self._connect() as db:
            found = [_row_alert(r) for r in db.execute(sql, params)]
        if ring:
            found = [a for a in found if ring in a.rings]
        return found[:limit] if limit is not None else found

    def get(self, alert_id: str) -> Alert:
        with self._connect() as db:
            row = db.execute("SELECT * FROM alerts WHERE alert_id = ?", (alert_id,)).fetchone()
        if row is None:
            raise AlertNotFound(f"No alert {alert_id!r}: `python -m explorer.alerts list` shows the alerts.")
        return _row_alert(row)

    def unread_count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT count(*) FROM alerts WHERE state = 'unread'").fetchone()[0])

    def count_since(self, since: str | None) -> int:
        """How many alerts were raised at or after `since` (ISO time; every alert when None)."""
        with self._connect() as db:
            if since is None:
                return int(db.execute("SELECT count(*) FROM alerts").fetchone()[0])
            return int(db.execute("SELECT count(*) FROM alerts WHERE raised_at >= ?", (since,)).fetchone()[0])

    def rings(self) -> list[str]:
        """Every ring some alert names, sorted."""
        with self._connect() as db:
            found = {r for (text,) in db.execute("SELECT rings FROM alerts") for r in json.loads(text)}
        return sorted(found)

    def _update(self, alert_id: str, sql: str, params: tuple[Any, ...]) -> None:
        with self._connect() as db:
            if db.execute(sql, (*params, alert_id)).rowcount == 0:
                raise AlertNotFound(f"No alert {alert_id!r}: `python -m explorer.alerts list` shows the alerts.")

    def acknowledge(self, alert_id: str, user: str) -> None:
        if not (user or "").strip():
            raise InvalidAlertAction("Say who acknowledges the alert.")
        self._update(
            alert_id,
            "UPDATE alerts SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? WHERE alert_id = ?",
            (user.strip(), now()),
        )

    def mark_unread(self, alert_id: str) -> None:
        self._update(
            alert_id,
            "UPDATE alerts SET state = 'unread', acknowledged_by = NULL, acknowledged_at = NULL WHERE alert_id = ?",
            (),
        )

    def assign(self, alert_id: str, assignee: str | None) -> None:
        """Assign the alert to a user (None or blank: to nobody)."""
        who = (assignee or "").strip() or None
        self._update(alert_id, "UPDATE alerts SET assignee = ? WHERE alert_id = ?", (who,))

    def comment(self, alert_id: str, author: str, text: str) -> Comment:
        if not (text or "").strip():
            raise InvalidAlertAction("The comment is empty.")
        if not (author or "").strip():
            raise InvalidAlertAction("Say who writes the comment.")
        self.get(alert_id)
        entry = Comment(alert_id, author.strip(), now(), text.strip())
        with self._connect() as db:
            db.execute(
                "INSERT INTO alert_comments (alert_id, author, at, text) VALUES (?, ?, ?, ?)",
                (entry.alert_id, entry.author, entry.at, entry.text),
            )
        return entry

    def comments(self, alert_id: str) -> list[Comment]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT alert_id, author, at, text FROM alert_comments WHERE alert_id = ? ORDER BY comment_id",
                (alert_id,),
            ).fetchall()
        return [Comment(*r) for r in rows]

    # -- which loads each rule has seen ---------------------------------------------

    def evaluated(self, load_id: str) -> set[str]:
        """The rules already evaluated on this load."""
        with self._connect() as db:
            rows = db.execute("SELECT rule FROM alert_evaluations WHERE load_id = ?", (load_id,)).fetchall()
        return {r[0] for r in rows}

    def mark_evaluated(self, load_id: str, rules: Iterable[str]) -> None:
        at = now()
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO alert_evaluations (load_id, rule, evaluated_at) VALUES (?, ?, ?)",
                [(load_id, rule, at) for rule in rules],
            )

    # -- workspaces -----------------------------------------------------------------

    def save_workspace(self, owner: str, name: str, canvas: dict[str, Any], *, shared: bool = False) -> Workspace:
        """Save (or replace) `owner`'s workspace `name`; `shared` lets other signed-in users open it."""
        name = " ".join(str(name).split())
        if not owner or not name:
            raise InvalidAlertAction("A workspace needs an owner and a name.")
        if len(name) > MAX_WORKSPACE_NAME or "/" in name:
            raise InvalidAlertAction(f"A workspace name has at most {MAX_WORKSPACE_NAME} characters and no '/'.")
        entry = Workspace(owner, name, canvas, shared, now())
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO workspaces (owner, name, canvas, shared, saved_at) VALUES (?, ?, ?, ?, ?)",
                (owner, name, json.dumps(canvas, ensure_ascii=False), int(shared), entry.saved_at),
            )
        return entry

    def workspace(self, owner: str, name: str, *, reader: str | None = None, admin: bool = False) -> Workspace:
        """The workspace, if `reader` (the owner by default) may open it: their own, a shared one, or any for an admin."""
        with self._connect() as db:
            row = db.execute(
                "SELECT owner, name, canvas, shared, saved_at FROM workspaces WHERE owner = ? AND name = ?",
                (owner, name),
            ).fetchone()
        reader = owner if reader is None else reader
        if row is None or not (reader == owner or row["shared"] or admin):
            raise WorkspaceNotFound(f"No workspace {name!r} of {owner} that {reader} may open.")
        return Workspace(row["owner"], row["name"], json.loads(row["canvas"]), bool(row["shared"]), row["saved_at"])

    def workspaces(self, reader: str, *, admin: bool = False) -> list[Workspace]:
        """The workspaces `reader` may open (own first, then shared ones), newest first; not the autosave."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT owner, name, canvas, shared, saved_at FROM workspaces"
                " WHERE name <> ? AND (owner = ? OR shared = 1 OR ?) ORDER BY owner <> ?, saved_at DESC, name",
                (AUTOSAVE, reader, int(admin), reader),
            ).fetchall()
        return [
            Workspace(r["owner"], r["name"], json.loads(r["canvas"]), bool(r["shared"]), r["saved_at"]) for r in rows
        ]

    def delete_workspace(self, owner: str, name: str) -> bool:
        with self._connect() as db:
            return bool(db.execute("DELETE FROM workspaces WHERE owner = ? AND name = ?", (owner, name)).rowcount)
