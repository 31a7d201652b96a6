"""A second local server: start twice is harmless, a busy port gives one line."""

import socket

import pytest

from devtools import local_neo4j as server
from explorer.config import load_settings
from explorer.exceptions import ServerSetupError

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _settings(monkeypatch, bolt: int, http: int):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{bolt}")
    monkeypatch.setenv("NEO4J_HTTP_PORT", str(http))
    monkeypatch.setenv("NEO4J_HEAP", "512m")
    monkeypatch.setenv("NEO4J_PAGECACHE", "128m")
    return load_settings()


def test_busy_port_is_one_line(monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        settings = _settings(monkeypatch, busy, 7491)
        with pytest.raises(ServerSetupError) as err:
            server.start(settings)
    message = str(err.value)
    assert f"Port {busy} is already in use" in message and "\n" not in message


def test_status_when_nothing_listens(monkeypatch):
    settings = _settings(monkeypatch, 7493, 7494)
    ok, line = server.status(settings)
    assert not ok and "not running" in line and "python -m devtools.local_neo4j start" in line
