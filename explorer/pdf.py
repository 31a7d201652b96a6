"""HTML to PDF with the headless Chromium the Makefile installs (Debian's `chromium`).

The page's own print CSS decides the pages (A4, breaks, no buttons), exactly as the analyst's browser
would print it. The HTML is written to a private temporary folder and Chromium is given no network
use: the package holds everything it shows.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from explorer.exceptions import ExplorerError

PRINT_TIMEOUT_S = 120


class PdfError(ExplorerError):
    """The PDF could not be made (no Chromium, or it failed)."""


def chromium() -> str:
    """The Chromium binary: EXPLORER_CHROMIUM, else `chromium` on the PATH."""
    found = os.environ.get("EXPLORER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise PdfError(
            "No Chromium to print the PDF with: install Debian's chromium (`make chromium`) or set "
            "EXPLORER_CHROMIUM; the HTML package prints from any browser."
        )
    return found


def html_to_pdf(page: str) -> bytes:
    """The page printed to PDF by headless Chromium."""
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="explorer-pdf-") as folder:
        source, target = Path(folder) / "package.html", Path(folder) / "package.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--proxy-server=127.0.0.1:9",  # nothing to fetch: any attempt fails at once
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"Chromium did not finish printing the PDF within {PRINT_TIMEOUT_S} s.") from e
        if not target.exists() or target.stat().st_size == 0:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfError(f"Chromium could not print the PDF (exit {done.returncode}): {why[0]}")
        return target.read_bytes()


def page_count(pdf: bytes) -> int:
    """Pages in a PDF (its page objects), enough to check a printout's length."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
