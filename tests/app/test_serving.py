"""The app listens on this machine only unless told otherwise (issue 22, row 14)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.app


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on `port`, from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: TCP_LISTEN
                found.add(address)
    return found


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_streamlit_started_in_the_project_binds_to_loopback_only():
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc/net/tcp to see what a socket is bound to")
    port = free_port()
    # No --server.address: what the project's own configuration decides.
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _healthy(f"http://127.0.0.1:{port}"):
            assert process.poll() is None, "streamlit exited early"
            assert time.monotonic() < deadline, "streamlit did not answer within 60 s"
            time.sleep(0.2)  # polling interval of the health check, not a synchronisation delay
        # 0100007F is 127.0.0.1 as the kernel writes it; 00000000 would be every interface.
        assert _listening_addresses(port) == {"0100007F"}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_make_serve_binds_to_loopback_unless_configured():
    def serve_line(*args: str) -> str:
        out = subprocess.run(["make", "-n", "serve", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
        return next(line for line in out.stdout.splitlines() if "streamlit run" in line)

    assert "--server.address 127.0.0.1 " in serve_line()
    assert "--server.address 0.0.0.0 " in serve_line("ADDRESS=0.0.0.0")
