"""Tables on screen and their downloads (CSV, XLSX, JSON; spreadsheet formulas neutralised)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from explorer import audit, downloads
from explorer.ui.i18n import t

# (file extension, encoder, MIME type) of each download offered under a table.
EXPORT_FORMATS: tuple[tuple[str, Callable[[pd.DataFrame], bytes], str], ...] = (
    ("csv", downloads.to_csv_bytes, "text/csv"),
    ("xlsx", downloads.to_xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("json", downloads.to_json_bytes, "application/json"),
)


def _record(what: str, fmt: str, rows: int) -> None:
    # The download itself must not fail because the trail is unwritable.
    with contextlib.suppress(audit.AuditError):
        audit.record("export", what, {"format": fmt}, rows=rows)


def export_buttons(data: Any, basename: str, key: str) -> None:
    """One download button per format, side by side; each download is recorded in the audit trail."""
    frame = downloads.to_frame(data) if not isinstance(data, pd.DataFrame) else data
    for column, (fmt, encode, mime) in zip(st.columns(len(EXPORT_FORMATS)), EXPORT_FORMATS, strict=True):
        column.download_button(
            t(f"export.{fmt}"),
            encode(frame),
            f"{basename}.{fmt}",
            mime,
            key=f"{key}_{fmt}",
            on_click=_record,
            args=(basename, fmt, len(frame)),
        )


def show(data: Any, key: str, height: int | None = None) -> pd.DataFrame:
    """A sortable table of plain values (nodes shown as their properties)."""
    frame = downloads.to_frame(data) if not isinstance(data, pd.DataFrame) else data
    if height:
        st.dataframe(frame, hide_index=True, key=key, height=height)
    else:
        st.dataframe(frame, hide_index=True, key=key)
    return frame
