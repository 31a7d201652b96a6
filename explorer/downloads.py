"""The one way data leaves the product as a file: role checked, cells made safe, the real user recorded.

Every download the app offers (a table as CSV, XLSX or JSON, a network picture
as HTML, a target package, a load's rejects file, the audit trail itself) is
built here, and only when the user asks for it:

    file = downloads.table(user, frame, "brokers", "xlsx")
    file = downloads.page(user, html, "target-package-ring-3", {"ring": 3})

Each call checks the acting user's role first (`explorer.auth.require`: a
refusal raises PermissionDenied and is recorded as "denied"), then builds the
bytes (`explorer.table_files`: formulas neutralised, control characters removed
from XLSX), then records the export under the user's own name, with its
format and row count. No bytes exist before the record: a failure to write the
audit trail is a failure of the export.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer import audit, auth, table_files
from explorer.auth import User
from explorer.uploads import safe_file_name

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Table formats: (encoder, MIME type).
TABLE_FORMATS: dict[str, tuple[Callable[[Any], bytes], str]] = {
    "csv": (table_files.to_csv_bytes, "text/csv"),
    "xlsx": (table_files.to_xlsx_bytes, XLSX_MIME),
    "json": (table_files.to_json_bytes, "application/json"),
}


@dataclass(frozen=True)
class Download:
    """Bytes ready to hand to the browser, with the name and type to offer them under."""

    data: bytes
    file_name: str
    mime: str


def table(user: User | None, data: Any, basename: str, fmt: str, *, permission: str = "export") -> Download:
    """A table as `fmt` (csv, xlsx, json), for `user`; `permission` is "audit_export" for the audit trail."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(TABLE_FORMATS)}")
    acting = auth.require(user, permission, f"{basename} as {fmt}")
    encode, mime = TABLE_FORMATS[fmt]
    frame = table_files.to_frame(data)
    data = _recorded(acting, basename, {"format": fmt}, len(frame), lambda: encode(frame))
    return Download(data, safe_file_name(f"{basename}.{fmt}"), mime)


def page(user: User | None, html: str, basename: str, params: Mapping[str, Any] | None = None) -> Download:
    """A self-contained HTML page (a network picture, a target package), for `user`."""
    acting = auth.require(user, "export", f"{basename} as html")
    data = _recorded(acting, basename, {"format": "html", **(params or {})}, None, lambda: html.encode("utf-8"))
    return Download(data, safe_file_name(f"{basename}.html"), "text/html")


def pdf(user: User | None, html: str, basename: str, params: Mapping[str, Any] | None = None) -> Download:
    """A page printed to PDF by headless Chromium (its print CSS decides the pages), for `user`."""
    from explorer.pdf import html_to_pdf  # runs a browser: only when a PDF is asked for

    acting = auth.require(user, "export", f"{basename} as pdf")
    data = _recorded(acting, basename, {"format": "pdf", **(params or {})}, None, lambda: html_to_pdf(html))
    return Download(data, safe_file_name(f"{basename}.pdf"), "application/pdf")


def rejects(user: User | None, path: str | Path) -> Download:
    """A load's rejects file (rows of a seized export the load refused), for a user who may load."""
    path = Path(path)
    acting = auth.require(user, "load", f"rejects file {path.name}")
    data = _recorded(acting, path.name, {"format": "csv", "rejects": True}, None, path.read_bytes)
    return Download(data, safe_file_name(path.name), "text/csv")


def _recorded(acting: User, what: str, params: dict[str, Any], rows: int | None, build: Callable[[], bytes]) -> bytes:
    """Build the bytes inside one audit record (an error is recorded as such and re-raised)."""
    with audit.timed("export", what, params, user=auth.audit_name(acting)) as entry:
        entry.rows = rows
        data = build()
    return data
