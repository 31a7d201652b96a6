"""Connection settings: `.env` (python-dotenv) first, environment variables win."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
    "EXPLORER_MAP_TILES": "",
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
    map_tiles: str = ""  # "" Streamlit's online basemap, "none" no basemap, else a tile URL template

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
    )
