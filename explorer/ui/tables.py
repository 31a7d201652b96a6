"""Tables on screen and their downloads (CSV, XLSX, JSON; spreadsheet formulas neutralised)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from explorer import downloads, human, table_files
from explorer.downloads import Download
from explorer.ui.i18n import lang, t
from explorer.ui.login import current_user


def offer(label: str, key: str, make: Callable[[], Download]) -> None:
    """A button that builds a file only when pressed (`make` checks the role and records the export),
    then a second button that hands exactly those bytes to the browser.

    Nothing is built, and no download address exists, before that audited press; the file is kept
    for this run of the page only.
    """
    if not st.button(label, key=f"{key}_make"):
        return
    made = make()
    st.download_button(
        t("export.save", file=made.file_name), made.data, made.file_name, made.mime, key=f"{key}_file",
        on_click="ignore", type="primary",
    )  # fmt: skip


def export_buttons(data: Any, basename: str, key: str, permission: str = "export") -> None:
    """One export button per format, side by side, for users whose role allows `permission`."""
    user = current_user()
    if user is None or not user.can(permission):
        return
    for column, fmt in zip(st.columns(len(downloads.TABLE_FORMATS)), downloads.TABLE_FORMATS, strict=True):
        with column:
            offer(
                t(f"export.{fmt}"),
                f"{key}_{fmt}",
                lambda fmt=fmt: downloads.table(user, data, basename, fmt, permission=permission),
            )


def _files_of(load_ids: set[str]) -> human.Files:
    from explorer.queries import LOADS_BY_ID
    from explorer.ui.connection import get_graph

    rows = get_graph().read(LOADS_BY_ID, {"ids": sorted(load_ids)}, checked=True).rows()
    return {r["load_id"]: (r["file"], r["sha256"]) for r in rows}


ROW_PX = 35  # the height of one row of st.dataframe, the header's too
# What an empty cell shows: a mark in no language (Streamlit's default is the English word "None").
MISSING = "—"


def show(data: Any, key: str, height: int | None = None) -> pd.DataFrame:
    """A sortable table as people read it (explorer.human); returns the plain, exact values for downloads."""
    raw = table_files.raw_frame(data)
    shown = human.screen(raw, lang(), _files_of)
    sized = {"height": height} if height else {}
    st.dataframe(shown, hide_index=True, key=key, placeholder=MISSING, **sized)
    return raw.map(table_files.plain_cell)
