"""Where an uploaded export is kept on the server: `<var>/uploads/<content hash>/<file name>`.

The file name comes from the browser, so it is reduced to one plain name that stays inside
its folder: no folder parts (`a/../b`, `C:\\fakepath\\calls.csv`), not `.` or `..`, no
control characters. A name with nothing left becomes `upload` (with the original suffix,
if any), so a refusal later names that file, never a server path.

A folder typed on the Load page is read only inside the configured load roots
(`EXPLORER_LOAD_ROOTS`, by default the uploads folder and the project's
demo-data): `server_folder()` resolves it (symbolic links and `..` included) and
refuses anything that ends up outside them, and `folder_files()` leaves out files
whose real place is outside them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from explorer.config import load_settings
from explorer.exceptions import FileRejected

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


def load_roots() -> list[Path]:
    """The configured load roots, resolved (symbolic links followed), that exist as folders."""
    return [root.resolve() for root in load_settings().server_folders if root.is_dir()]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def server_folder(text: str) -> Path:
    """The folder `text` names, resolved, if it lies inside a load root; FileRejected saying why otherwise.

    A relative name is read inside the first load root. The sentence names the folder as typed and the
    roots, never where a symbolic link leads.
    """
    roots = load_roots()
    typed = (text or "").strip()
    if not roots:
        raise FileRejected("No server folder may be read: EXPLORER_LOAD_ROOTS names no existing folder.")
    given = Path(typed).expanduser()
    resolved = (given if given.is_absolute() else roots[0] / given).resolve()
    if not _inside(resolved, roots):
        raise FileRejected(
            f"{typed} is outside the folders the Load page may read ({', '.join(str(r) for r in roots)}); "
            "set EXPLORER_LOAD_ROOTS to add one."
        )
    if not resolved.is_dir():
        raise FileRejected(f"{typed} is not a folder on the server.")
    return resolved


def folder_files(folder: Path, suffixes: set[str] | frozenset[str]) -> list[Path]:
    """Files with these suffixes under `folder` whose real place (links resolved) is inside a load root."""
    roots = load_roots()
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in suffixes and path.is_file() and _inside(path.resolve(), roots):
            found.append(path)
    return found
