"""A centre's live hit / no-hit service, and the client other centres' apps use to ask it.

`python -m explorer.centres serve --centre NAME` indexes the centre's own graph in memory and
answers over HTTP (standard library `http.server`, on the configured address, 127.0.0.1 unless
told otherwise). Every request carries a bearer token:

- `POST /hits` with `{"hashes": [...], "requester": ..., "user": ...}` answers, for each keyed
  hash, whether this centre holds it: yes or no, nothing more. Any configured token may ask.
- `POST /detail` with `{"hash": ..., ...}` answers what the owning centre decides to send for a
  hit: the matched identifier, the case numbers that involve its holders, and the holders' names.
  Only the detail token may ask.

Both are recorded in the serving centre's audit trail (with the requesting centre and user), and
the client records each request in the requesting app's own audit trail.
"""

from __future__ import annotations

import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from explorer import audit
from explorer.centres import queries
from explorer.centres.config import Centre, CentresError
from explorer.centres.index import Identifier, identifier_rows, scan_identifiers
from explorer.centres.linkage import HASH_HEX, LinkageKey
from explorer.db import Graph
from explorer.exceptions import ExplorerError

ACTION = "centres"  # in audit.ACTIONS: look-ups and detail requests, asked or answered
MAX_BODY = 1 << 20
MAX_HASHES = 10_000
CLIENT_TIMEOUT_S = 5.0


@dataclass
class Holdings:
    """What the serving centre looked up in its own graph at start: hash -> its identifier."""

    centre: Centre
    by_hash: dict[str, Identifier]

    @classmethod
    def of(cls, graph: Graph, centre: Centre, key: LinkageKey) -> Holdings:
        return cls(centre, {item.hash: item for item in scan_identifiers(identifier_rows(graph), key)})


def _valid_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == HASH_HEX and all(c in "0123456789abcdef" for c in value)


class CentreService(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, holdings: Holdings, graph: Graph, tokens: dict[str, str]):
        service = holdings.centre.service
        if service is None:
            raise CentresError(f"{holdings.centre.source}: centre {holdings.centre.name} has no `service` section.")
        self.holdings = holdings
        self.graph = graph
        self.tokens = tokens  # token -> permission ("hit" or "detail")
        super().__init__((service.host, service.port), _Handler)

    def permission(self, header: str | None) -> str | None:
        if not header or not header.startswith("Bearer "):
            return None
        offered = header[len("Bearer ") :].strip()
        granted = None
        for token, permission in self.tokens.items():
            if hmac.compare_digest(offered.encode(), token.encode()):
                granted = permission
        return granted

    def details(self, item: Identifier) -> dict[str, Any]:
        """What this centre sends for one of its identifiers: the identifier, its cases, its holders' names."""
        holders: list[dict[str, Any]] = []
        if item.kind in queries.HOLDERS:
            for row in self.graph.read(queries.HOLDERS[item.kind], {"value": item.value}).rows():
                holders.append({"name": row["name"], "cases": sorted(set(row["cases"]))})
        return {
            "centre": self.holdings.centre.name,
            "hash": item.hash,
            "kind": item.kind,
            "identifier": item.value,
            "cases": list(item.cases),
            "holders": holders,
        }


def tokens_of(centre: Centre) -> dict[str, str]:
    """The service's tokens from the environment: the hit token, and the detail token if configured."""
    tokens = {centre.token(): "hit"}
    if centre.service and centre.service.detail_token_env:
        tokens[centre.token(detail=True)] = "detail"
    return tokens


class _Handler(BaseHTTPRequestHandler):
    server: CentreService
    server_version = "explorer-centre"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # the audit trail is the log
        return

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any] | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        try:
            body = json.loads(self.rfile.read(length))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        started = time.perf_counter()
        centre = self.server.holdings.centre.name
        permission = self.server.permission(self.headers.get("Authorization"))
        body = self._body()
        route = self.path.rstrip("/")
        who = {
            "requester": str((body or {}).get("requester", "?"))[:80],
            "user": str((body or {}).get("user", "?"))[:80],
        }
        user = f"{who['requester']}/{who['user']}"

        def record(what: str, outcome: str, detail: str = "", rows: int | None = None) -> None:
            audit.record(ACTION, f"{what} at {centre}", who, rows=rows, outcome=outcome, detail=detail, user=user,
                         duration_ms=(time.perf_counter() - started) * 1000)  # fmt: skip

        if route not in ("/hits", "/detail"):
            self._send(404, {"error": "Unknown path: use /hits or /detail."})
            return
        what = route[1:]
        if permission is None:
            record(what, audit.DENIED, "no valid bearer token")
            self._send(401, {"error": "A valid bearer token is needed."})
            return
        if body is None:
            record(what, audit.REFUSED, "malformed request body")
            self._send(400, {"error": f"The request body must be a JSON object of at most {MAX_BODY} bytes."})
            return
        if route == "/hits":
            hashes = body.get("hashes")
            if not isinstance(hashes, list) or len(hashes) > MAX_HASHES or not all(map(_valid_hash, hashes)):
                record(what, audit.REFUSED, "hashes missing or malformed")
                self._send(400, {"error": f"`hashes` must be a list of at most {MAX_HASHES} keyed hashes."})
                return
            hits = {h: h in self.server.holdings.by_hash for h in hashes}
            record(what, audit.OK, f"{sum(hits.values())} of {len(hits)} hashes held", rows=sum(hits.values()))
            self._send(200, {"centre": centre, "hits": hits})
            return
        if permission != "detail":
            record(what, audit.DENIED, "the token does not permit details")
            self._send(403, {"error": "This token may ask for hits only, not details."})
            return
        h = body.get("hash")
        item = self.server.holdings.by_hash.get(h) if _valid_hash(h) else None
        if item is None:
            record(what, audit.REFUSED, "no such hash held")
            self._send(404, {"error": "This centre holds no identifier with that hash."})
            return
        try:
            details = self.server.details(item)
        except ExplorerError as e:  # the centre's own database is down: say so, and record it
            record(what, audit.ERROR, str(e))
            self._send(503, {"error": f"Centre {centre} cannot read its own graph now."})
            return
        record(what, audit.OK, f"{item.kind} sent with {len(details['cases'])} cases", rows=len(details["holders"]))
        self._send(200, details)


# -- the client ----------------------------------------------------------------------------


def _post(centre: Centre, route: str, body: dict[str, Any], token: str) -> dict[str, Any]:
    if centre.service is None:
        raise CentresError(f"{centre.source}: centre {centre.name} has no service to ask.")
    request = urllib.request.Request(
        centre.service.url + route,
        data=json.dumps(body).encode("utf-8"),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT_S) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as e:
        try:
            reason = json.loads(e.read()).get("error", e.reason)
        except (json.JSONDecodeError, AttributeError):
            reason = e.reason
        raise CentresError(f"Centre {centre.name} refused the request ({e.code}): {reason}") from e
    except (urllib.error.URLError, OSError) as e:
        raise CentresError(f"Centre {centre.name}'s service at {centre.service.url} does not answer: {e}.") from e


def ask_hits(centre: Centre, hashes: Iterable[str], *, requester: str) -> dict[str, bool]:
    """Ask a centre which of these keyed hashes it holds; recorded in this app's audit trail."""
    hashes = list(hashes)
    params = {"centre": centre.name, "hashes": len(hashes)}
    with audit.timed(ACTION, f"hits asked of {centre.name}", params) as entry:
        answer = _post(centre, "/hits", {"hashes": hashes, "requester": requester, "user": audit.current_user()},
                       centre.token())  # fmt: skip
        hits = {h: bool(answer["hits"].get(h)) for h in hashes}
        entry.rows = sum(hits.values())
    return hits


def ask_everywhere(centres: Iterable[Centre], hashes: Iterable[str], *, requester: str) -> dict[str, dict[str, bool]]:
    """Ask every centre at once which of these hashes it holds: centre -> hash -> held.

    The centres answer side by side (one thread each), so a look-up takes as long as the slowest
    centre, not their sum; it is one record in this app's audit trail, naming every centre asked.
    """
    centres, hashes = list(centres), list(hashes)
    params = {"centres": [c.name for c in centres], "hashes": len(hashes)}
    body = {"hashes": hashes, "requester": requester, "user": audit.current_user()}
    with audit.timed(ACTION, f"hits asked of {', '.join(c.name for c in centres)}", params) as entry:
        with ThreadPoolExecutor(max_workers=max(1, len(centres))) as pool:
            answers = list(pool.map(lambda c: _post(c, "/hits", body, c.token()), centres))
        found = {c.name: {h: bool(a["hits"].get(h)) for h in hashes} for c, a in zip(centres, answers, strict=True)}
        entry.rows = sum(sum(held.values()) for held in found.values())
    return found


def ask_detail(centre: Centre, hash_: str, *, requester: str) -> dict[str, Any]:
    """Ask the owning centre for the details of one hit; recorded in this app's audit trail."""
    with audit.timed(ACTION, f"detail asked of {centre.name}", {"centre": centre.name, "hash": hash_}) as entry:
        answer = _post(centre, "/detail", {"hash": hash_, "requester": requester, "user": audit.current_user()},
                       centre.token(detail=True))  # fmt: skip
        entry.rows = len(answer.get("holders", []))
    return answer
