"""Where an uploaded export is kept on the server: `<var>/uploads/<content hash>/<file name>`.

The file name comes from the browser, so it is reduced to one plain name that stays inside
its folder: no folder parts (`a/../b`, `C:\\fakepath\\calls.csv`), not `.` or `..`, no
control characters. A name with nothing left becomes `upload` (with the original suffix,
if any), so a refusal later names that file, never a server path.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from explorer.config import load_settings

UPLOADS = "uploads"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME_CHARS = 200


def safe_file_name(name: str) -> str:
    """The last part of a browser-given file name, safe to write inside one folder."""
    last = re.split(r"[\\/]", _CONTROL.sub("", name or ""))[-1].strip()
    if last.strip(".") == "":  # "", ".", "..", "..." name a folder or nothing
        return "upload"
    if last.startswith("."):  # ".csv": keep the suffix, but no hidden file
        last = "upload" + last
    stem, dot, suffix = last.rpartition(".")
    if dot and len(suffix) <= 10:
        return stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix
    return last[:MAX_NAME_CHARS]


def upload_destination(name: str, data: bytes) -> Path:
    """The path an upload is written to: one folder per content hash, its safe file name inside."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    folder = load_settings().var_dir / UPLOADS / digest
    path = folder / safe_file_name(name)
    if path.parent != folder:  # safe_file_name keeps one plain name; this holds whatever it returns
        raise ValueError(f"unsafe upload name {name!r}")
    return path
