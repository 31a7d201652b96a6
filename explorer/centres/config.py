"""The centres file (`centres.yaml`): which centres exist, where their graphs and services are.

The path is the setting `EXPLORER_CENTRES` (default `./centres.yaml`). Each entry names a centre,
its role (national or provincial), its Neo4j URI and database, and the names of the environment
variables holding its database credentials and its service tokens: no secret is ever written in
the file. Every mistake is reported as one sentence naming the file, the entry and the reason.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from explorer.config import Settings, load_settings
from explorer.exceptions import ExplorerError

ROLES = ("national", "provincial")
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_FILE = "centres.yaml"
DEFAULT_SERVICE_HOST = "127.0.0.1"
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENTRY_KEYS = {"name", "role", "uri", "database", "username_env", "password_env", "service"}
_SERVICE_KEYS = {"address", "token_env", "detail_token_env"}


class CentresError(ExplorerError):
    """The centres file, an entry of it, or a secret it names is missing or malformed."""


@dataclass(frozen=True)
class Service:
    """Where a centre's live hit / no-hit service listens, and the variables naming its tokens."""

    host: str
    port: int
    token_env: str
    detail_token_env: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class Centre:
    name: str
    role: str
    uri: str
    database: str
    username_env: str
    password_env: str
    service: Service | None = None
    source: str = ""  # the file it came from, for sentences

    def settings(self, base: Settings | None = None) -> Settings:
        """Settings to connect to this centre's graph, with the credentials read from the environment now."""
        base = base or load_settings()
        return dataclasses.replace(
            base,
            uri=self.uri,
            database=self.database,
            username=secret(self.username_env, f"centre {self.name}'s database user"),
            password=secret(self.password_env, f"centre {self.name}'s database password"),
        )

    def token(self, detail: bool = False) -> str:
        """The bearer token for this centre's service (the detail token when asked for)."""
        if self.service is None:
            raise CentresError(f"{self.source}: centre {self.name} has no service: add a `service` section.")
        env = self.service.detail_token_env if detail else self.service.token_env
        if env is None:
            raise CentresError(f"{self.source}: centre {self.name}'s service gives no detail token (detail_token_env).")
        return secret(env, f"centre {self.name}'s {'detail ' if detail else ''}service token")


def secret(env: str, what: str) -> str:
    """The value of environment variable `env`, or a sentence saying it is unset."""
    value = os.environ.get(env, "")
    if not value:
        raise CentresError(f"The environment variable {env} ({what}) is not set.")
    return value


def centres_path() -> Path:
    return Path(os.environ.get("EXPLORER_CENTRES") or DEFAULT_FILE)


def load_centres(path: str | os.PathLike[str] | None = None) -> dict[str, Centre]:
    """Read and check the centres file; return its centres by name, in file order."""
    path = Path(path) if path else centres_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise CentresError(
            f"{path}: no centres file here: copy docs/examples/centres/centres.yaml, or set EXPLORER_CENTRES."
        ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise CentresError(f"{path}: cannot be read: {e}.") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CentresError(f"{path}: is not valid YAML: {e}.") from e
    if not isinstance(data, dict) or not isinstance(data.get("centres"), list) or not data["centres"]:
        raise CentresError(f"{path}: needs a `centres:` list with at least one entry.")
    centres: dict[str, Centre] = {}
    for i, entry in enumerate(data["centres"], start=1):
        centre = _centre(path, i, entry)
        if centre.name in centres:
            raise CentresError(f"{path}: entry {i}: the name {centre.name!r} is used by an earlier entry.")
        centres[centre.name] = centre
    addresses = [(c.service.host, c.service.port) for c in centres.values() if c.service]
    if len(addresses) != len(set(addresses)):
        raise CentresError(f"{path}: two centres' services listen on the same address.")
    return centres


def centre_named(name: str, path: str | os.PathLike[str] | None = None) -> Centre:
    centres = load_centres(path)
    if name not in centres:
        raise CentresError(f"{path or centres_path()}: no centre named {name!r} (known: {', '.join(centres)}).")
    return centres[name]


def _centre(path: Path, i: int, entry: Any) -> Centre:
    where = f"{path}: entry {i}"
    if not isinstance(entry, dict):
        raise CentresError(f"{where}: is not a mapping of keys (name, role, uri ...).")
    name = entry.get("name")
    if isinstance(name, str):
        where = f"{path}: centre {name!r}"
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise CentresError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_ENTRY_KEYS))}).")
    for key in ("name", "role", "uri", "username_env", "password_env"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise CentresError(f"{where}: `{key}` is missing or not text.")
    if not _NAME.fullmatch(name):
        raise CentresError(f"{where}: the name must be lower-case letters, digits, '-' or '_' (at most 40).")
    if entry["role"] not in ROLES:
        raise CentresError(f"{where}: role {entry['role']!r} is not one of {', '.join(ROLES)}.")
    uri = urlsplit(entry["uri"])
    if uri.scheme not in SCHEMES or not uri.hostname:
        raise CentresError(
            f"{where}: uri {entry['uri']!r} is not a Neo4j URI such as bolt://host:7687 or neo4j://host."
        )
    for key in ("username_env", "password_env"):
        _env_name(where, key, entry[key])
    database = entry.get("database", "neo4j")
    if not isinstance(database, str) or not database.strip():
        raise CentresError(f"{where}: `database` must be a database name.")
    return Centre(
        name=name,
        role=entry["role"],
        uri=entry["uri"],
        database=database,
        username_env=entry["username_env"],
        password_env=entry["password_env"],
        service=_service(where, entry.get("service")),
        source=str(path),
    )


def _env_name(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        raise CentresError(
            f"{where}: `{key}` must name an environment variable (letters, digits, '_'), not hold a secret."
        )
    return value


def _service(where: str, section: Any) -> Service | None:
    if section is None:
        return None
    if not isinstance(section, dict):
        raise CentresError(f"{where}: `service` must be a mapping (address, token_env, detail_token_env).")
    unknown = sorted(set(section) - _SERVICE_KEYS)
    if unknown:
        raise CentresError(f"{where}: service: unknown key {unknown[0]!r} (known: {', '.join(sorted(_SERVICE_KEYS))}).")
    address = str(section.get("address", ""))
    host, sep, port = address.rpartition(":")
    if not sep:
        host, port = DEFAULT_SERVICE_HOST, address
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CentresError(f"{where}: service address {address!r} needs a port, as 127.0.0.1:8801.")
    token_env = _env_name(where, "service.token_env", section.get("token_env"))
    detail = section.get("detail_token_env")
    detail_env = _env_name(where, "service.detail_token_env", detail) if detail is not None else None
    return Service(host or DEFAULT_SERVICE_HOST, int(port), token_env, detail_env)
