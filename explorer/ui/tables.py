"""Tables on screen and their downloads (CSV, XLSX, JSON; spreadsheet formulas neutralised)."""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd
import streamlit as st

from explorer import audit, downloads
from explorer.ui.i18n import t


def _record(what: str, fmt: str, rows: int) -> None:
    # The download itself must not fail because the trail is unwritable.
    with contextlib.suppress(audit.AuditError):
        audit.record("export", what, {"format": fmt}, rows=rows)


def export_buttons(data: Any, basename: str, key: str) -> None:
    """Three download buttons side by side."""
    frame = downloads.to_frame(data) if not isinstance(data, pd.DataFrame) else data
    rows = len(frame)
    csv_col, xlsx_col, json_col = st.columns(3)
    csv_col.download_button(
        t("export.csv"),
        downloads.to_csv_bytes(frame),
        f"{basename}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click=_record,
        args=(basename, "csv", rows),
    )
    xlsx_col.download_button(
        t("export.xlsx"),
        downloads.to_xlsx_bytes(frame),
        f"{basename}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click=_record,
        args=(basename, "xlsx", rows),
    )
    json_col.download_button(
        t("export.json"),
        downloads.to_json_bytes(frame),
        f"{basename}.json",
        "application/json",
        key=f"{key}_json",
        on_click=_record,
        args=(basename, "json", rows),
    )


def show(data: Any, key: str, height: int | None = None) -> pd.DataFrame:
    """A sortable table of plain values (nodes shown as their properties)."""
    frame = downloads.to_frame(data) if not isinstance(data, pd.DataFrame) else data
    if height:
        st.dataframe(frame, hide_index=True, key=key, height=height)
    else:
        st.dataframe(frame, hide_index=True, key=key)
    return frame
