"""Settings: `.env` (python-dotenv) first, environment variables win."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "NEO4J_URI": "bolt://127.0.0.1:7687",
    "NEO4J_USERNAME": "neo4j",
    "NEO4J_PASSWORD": "explorer-dev-password",
    "NEO4J_DATABASE": "neo4j",
    "NEO4J_HTTP_PORT": "7474",
    "NEO4J_HEAP": "4g",
    "NEO4J_PAGECACHE": "4g",
    "EXPLORER_VAR_DIR": str(PROJECT_ROOT / "var"),
    # The Map page draws its points on a blank background unless told where its tiles come from.
    "EXPLORER_MAP_TILES": "none",
    # Where the exports come from: a phone written without a country code is read in this
    # region (ISO 3166 code), and a time written without an offset in this time zone (IANA name).
    "EXPLORER_REGION": "CN",
    "EXPLORER_TIMEZONE": "Asia/Shanghai",
    # Server folders the Load page may read from, separated by the OS path separator (":" on Linux).
    # Empty: the uploads folder (<EXPLORER_VAR_DIR>/uploads) and the project's demo-data folder.
    "EXPLORER_LOAD_ROOTS": "",
    # Alert rules (cypher/alerts/) run after every load unless this is off; new alerts are also
    # posted as JSON to the webhook when one is given.
    "EXPLORER_ALERTS": "on",
    "EXPLORER_ALERT_WEBHOOK": "",
    # While analysts' investigations run, a load writes its chunks in transactions of at most
    # EXPLORER_LOAD_BUSY_ROWS rows and waits after each, for at most EXPLORER_LOAD_GIVE_WAY times the
    # time it took to write (0: neither). With nobody reading, a chunk is one transaction and the load
    # never waits. The benchmark that chose these values: docs/benchmarks.md, "Analysts during a load".
    # See loaders/pacing.py and loaders/write.py.
    "EXPLORER_LOAD_GIVE_WAY": "1",
    "EXPLORER_LOAD_BUSY_ROWS": "2000",
    # How much lower than the analysts' work a load runs on this machine's cores: the nice value (0-19)
    # its thread and reading processes take. With nobody else wanting the cores a load runs as fast at
    # 19 as at 0; beside the analysts, 19 lets their investigations go first (docs/benchmarks.md). See
    # loaders/pacing.py.
    "EXPLORER_LOAD_NICE": "19",
    # On, a folder load has the server plan each export's write statements while the export before it
    # is written (loaders/warmup.py). Off, the default: each statement is planned when first sent; on the
    # benchmark machine planning ahead did not make a folder load faster (docs/benchmarks.md).
    "EXPLORER_LOAD_PLAN_AHEAD": "off",
}


@dataclass(frozen=True)
class Settings:
    uri: str
    username: str
    password: str = field(repr=False)
    database: str
    http_port: int
    heap: str
    pagecache: str
    var_dir: Path
    map_tiles: str = "none"  # "none" no basemap, "" Streamlit's online basemap, else a tile URL template
    region: str = DEFAULTS["EXPLORER_REGION"]
    timezone: str = DEFAULTS["EXPLORER_TIMEZONE"]
    load_roots: tuple[Path, ...] = ()
    alerts: bool = True  # run the alert rules after every load
    alert_webhook: str = ""  # URL new alerts are posted to ("" none)
    load_give_way: float = 1.0  # share of a transaction's write time a load may wait while investigations run
    load_busy_rows: int = 2000  # rows per write transaction while investigations run (0: chunks stay whole)
    load_nice: int = 19  # the nice value a load's thread and reading processes run at (0-19)
    load_plan_ahead: bool = False  # a folder load plans each export's statements while the one before writes

    @property
    def server_folders(self) -> tuple[Path, ...]:
        """The folders the Load page may read from (EXPLORER_LOAD_ROOTS, else uploads and demo-data)."""
        return self.load_roots or (self.var_dir / "uploads", PROJECT_ROOT / "demo-data")

    @property
    def bolt_port(self) -> int:
        return urlsplit(self.uri).port or 7687

    @property
    def host(self) -> str:
        return urlsplit(self.uri).hostname or "127.0.0.1"

    @property
    def is_local(self) -> bool:
        return self.host in {"127.0.0.1", "localhost", "::1"}


def load_settings(env_file: str | os.PathLike[str] | None = None) -> Settings:
    """Read settings from `.env` (or `env_file`), overridden by the environment."""
    path = Path(env_file) if env_file else PROJECT_ROOT / ".env"
    values = dict(DEFAULTS)
    if path.is_file():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    values.update({k: os.environ[k] for k in DEFAULTS if k in os.environ})
    return Settings(
        uri=values["NEO4J_URI"],
        username=values["NEO4J_USERNAME"],
        password=values["NEO4J_PASSWORD"],
        database=values["NEO4J_DATABASE"],
        http_port=int(values["NEO4J_HTTP_PORT"]),
        heap=values["NEO4J_HEAP"],
        pagecache=values["NEO4J_PAGECACHE"],
        var_dir=Path(values["EXPLORER_VAR_DIR"]),
        map_tiles=values["EXPLORER_MAP_TILES"].strip(),
        region=values["EXPLORER_REGION"].strip().upper(),
        timezone=values["EXPLORER_TIMEZONE"].strip(),
        load_roots=tuple(Path(p).expanduser() for p in values["EXPLORER_LOAD_ROOTS"].split(os.pathsep) if p.strip()),
        alerts=values["EXPLORER_ALERTS"].strip().lower() not in {"off", "false", "no", "0"},
        alert_webhook=values["EXPLORER_ALERT_WEBHOOK"].strip(),
        load_give_way=float(values["EXPLORER_LOAD_GIVE_WAY"] or 0),
        load_busy_rows=max(0, int(values["EXPLORER_LOAD_BUSY_ROWS"] or 0)),
        load_nice=min(19, max(0, int(values["EXPLORER_LOAD_NICE"] or 0))),
        load_plan_ahead=values["EXPLORER_LOAD_PLAN_AHEAD"].strip().lower() in {"on", "true", "yes", "1"},
    )


# The region and time zone are read once per process: normalisers run per cell, and keys
# written under one setting must not change halfway through a load.
@functools.cache
def region() -> str:
    """The default region of phone numbers (`EXPLORER_REGION`, ISO 3166 code such as CN)."""
    return load_settings().region


@functools.cache
def local_timezone() -> ZoneInfo:
    """The time zone of times written without an offset (`EXPLORER_TIMEZONE`, such as Asia/Shanghai)."""
    name = load_settings().timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"EXPLORER_TIMEZONE={name!r} is not a time zone name such as Asia/Shanghai.") from e


def localise(moment: datetime) -> datetime:
    """A naive time read in the local time zone, with the fixed UTC offset in force at that moment.

    A fixed offset (not the zone's name) is what the exports mean and what Neo4j stores for them,
    as `+08:00`, so a time reads the same in the database, in Cypher and in a downloaded table.
    """
    return moment.replace(tzinfo=fixed_offset(local_timezone().utcoffset(moment)))


@functools.lru_cache(maxsize=256)
def fixed_offset(offset: timedelta | None) -> tzinfo:
    """The fixed-offset zone of `offset` (UTC for None), one object per offset: loads build one per time read."""
    return timezone(offset) if offset is not None else UTC
