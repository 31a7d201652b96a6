"""The Load data page's steps over the loaders' Python API.

Upload an export (or pick a file in a server-side folder inside the load roots, for large files),
accept or pick the mapping, preview the first rows as mapped, validate (a
dry run), load with a progress bar, then the summary, the rejects and any
watchlist hits the load touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from explorer import downloads, uploads, watchlist
from explorer.config import load_settings
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from explorer.ui import tables
from explorer.ui.i18n import t
from explorer.ui.login import current_user
from explorer.ui.markdown import escape, tr
from loaders import api, saved_mappings
from loaders.mapping import Mapping
from loaders.readers import SUPPORTED

# What the last validation or load reported, kept for the next run of the Load page.
SUMMARY = "load_summary"

OWN_DONE = "load_own_mapping_done"  # the upload whose mapping is already saved


def _var_dir(name: str) -> Path:
    path = load_settings().var_dir / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_upload(name: str, data: bytes) -> Path:
    """Keep an uploaded export on the server (one folder per content hash, original file name kept)."""
    path = uploads.upload_destination(name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    return path


def _choose_file() -> Path | None:
    source = st.radio(
        t("load.source"),
        ["upload", "folder"],
        format_func=lambda s: t(f"load.source.{s}"),
        key="load_source",
        horizontal=True,
    )
    if source == "upload":
        uploaded = st.file_uploader(t("load.upload"), key="load_upload")
        if uploaded is None:
            st.caption(t("load.upload_hint"))
            return None
        return save_upload(uploaded.name, uploaded.getvalue())
    folder = st.text_input(t("load.folder"), key="load_folder")
    if not folder.strip():
        return None
    try:
        root = uploads.server_folder(folder)
    except ExplorerError as e:
        st.warning(escape(e))
        return None
    files = uploads.folder_files(root, SUPPORTED)
    if not files:
        st.info(t("load.no_files"))
        return None
    return st.selectbox(t("load.file"), files, format_func=lambda p: str(p.relative_to(root)), key="load_folder_file")


def _choose_sheet(path: Path) -> str | None:
    """The workbook's sheet to load, where it has several (each is an export of its own); else None."""
    sheets = api.sheets_of(path)
    if len(sheets) < 2:
        return None
    st.caption(t("load.sheets", n=len(sheets)))
    return st.selectbox(t("load.sheet"), sheets, key=f"load_sheet_{path}")


def _choose_mapping(path: Path, sheet: str | None) -> str | None:
    mappings = {m.name: m for m in api.list_mappings()}
    detected = None
    try:
        detected = api.detect_mapping(path, sheet=sheet).name
        st.success(tr("load.detected", mapping=detected, title=mappings[detected].title))
    except ExplorerError as e:
        st.warning(escape(e))
        close = api.close_mappings(path, sheet=sheet)
        if close:
            st.caption(t("load.close_mappings"))
            tables.show(pd.DataFrame(close), key="load_close")
    names = list(mappings)
    key = f"load_mapping_{path}_{sheet}"
    if (own := _own_mapping()) is not None:  # saved and chosen: offered with the others from now on
        mappings[own.name] = own
        names = list(dict.fromkeys([*names, own.name]))
        st.session_state[key] = own.name
    if key in st.session_state and st.session_state[key] not in names:
        del st.session_state[key]  # a saved mapping forgotten since it was chosen
    # The detected mapping first, unless the choice is already made (a default and a value set would clash).
    first = {} if key in st.session_state else {"index": names.index(detected) if detected in names else 0}
    return st.selectbox(t("load.mapping"), names, format_func=lambda n: f"{n} · {mappings[n].title}", key=key, **first)


def _own_mapping() -> Mapping | None:
    """An analyst's own mapping (YAML), checked as every mapping is and kept for later loads
    (loaders.saved_mappings); the mapping once saved, on the run that saved it."""
    with st.expander(t("load.own_mapping")):
        st.caption(t("load.own_mapping_help"))
        uploaded = st.file_uploader(t("load.own_mapping_file"), type=["yaml", "yml"], key="load_own_mapping")
        _saved_mappings()
    if uploaded is None or st.session_state.get(OWN_DONE) == uploaded.file_id:
        return None
    # Saved once per upload: the file stays in the uploader, and a mapping forgotten since must not come back.
    st.session_state[OWN_DONE] = uploaded.file_id
    try:
        mapping, _ = saved_mappings.save(uploaded.getvalue(), uploaded.name, user=current_user())
    except ExplorerError as e:
        st.error(escape(e))
        return None
    st.success(tr("load.own_mapping_saved", mapping=mapping.name, title=mapping.title))
    return mapping


def _saved_mappings() -> None:
    """The mappings saved so far, and forgetting one (a mistaken upload would otherwise stay offered)."""
    kept = {m.name: m for m in saved_mappings.saved()}
    if not kept:
        return
    name_col, button_col = st.columns([3, 1])
    name = name_col.selectbox(t("load.own_mapping_saved_list"), list(kept), key="load_own_mapping_forget",
                              format_func=lambda n: f"{n} · {kept[n].title}")  # fmt: skip
    if button_col.button(t("load.own_mapping_forget"), key="load_own_mapping_forget_button"):
        saved_mappings.remove(name, user=current_user())
        st.rerun()


def _summary(graph: Graph, summary: dict[str, Any]) -> None:
    st.subheader(tr("load.summary", file=summary["file"]))
    cols = st.columns(6)
    for col, key in zip(
        cols,
        ["rows_read", "rows_written", "rows_rejected", "nodes_created", "relationships_created", "elapsed_s"],
        strict=True,
    ):
        value = summary.get(key)
        col.metric(t(f"load.{key}"), f"{value:.1f}" if isinstance(value, float) else f"{value:,}")
    if summary.get("mentions"):
        st.caption(t("load.mentions", n=f"{summary['mentions']:,}"))
    if summary.get("chunks_split"):
        st.caption(t("load.chunks_split", n=f"{summary['chunks_split']:,}", s=f"{summary.get('gave_way_s', 0):.1f}"))
    if summary.get("dry_run"):
        st.info(t("load.dry_run_done"))
    if summary.get("rows_read") and not summary.get("rows_written") and summary.get("rows_rejected"):
        st.error(t("load.all_rejected", file=summary["file"]))
    for warning in summary.get("warnings") or []:
        st.warning(warning)  # an unused column whose values look like evidence
    if summary.get("unused_columns"):
        st.caption(t("load.unused_columns", columns=", ".join(summary["unused_columns"])))
    if summary.get("rows_skipped"):
        st.caption(t("load.rows_skipped", n=summary["rows_skipped"], rows=", ".join(map(str, summary["skipped_rows"]))))
    if summary.get("blank_cells"):
        counts = ", ".join(f"{header} {n:,}" for header, n in summary["blank_cells"].items())
        st.caption(t("load.blank_cells", counts=counts))
    rejects = summary.get("rejects_path")
    if rejects and Path(rejects).is_file():
        user = current_user()
        tables.offer(t("load.rejects", n=summary["rows_rejected"]), "load_rejects",
                     lambda: downloads.rejects(user, rejects))  # fmt: skip
    if not summary.get("dry_run") and summary.get("overlap"):
        _overlap(summary["overlap"])
    if summary.get("alerts_raised"):
        st.warning(t("load.alerts_raised", n=summary["alerts_raised"]))
    if not summary.get("dry_run"):
        hits = watchlist.hits(graph)
        touched = hits[hits["last_file"] == summary["file"]] if not hits.empty else hits
        if touched.empty:
            st.caption(t("load.no_watch_hits"))
        else:
            st.warning(tr("load.watch_hits", n=len(touched)))
            tables.show(touched.drop(columns=["node_id"]), key="load_hits")


def _network_options(path: Path, mapping: str) -> dict[str, str]:
    """Dataset and layer of a network file (edge list, matrix), as the analyst names them; {} for other exports."""
    defaults = api.network_defaults(path, mapping)
    if defaults is None:
        return {}
    dataset_col, layer_col = st.columns(2)
    dataset = dataset_col.text_input(t("load.dataset_name"), defaults[0], key=f"load_dataset_{path}",
                                     help=t("load.dataset_help"))  # fmt: skip
    layer = layer_col.text_input(t("load.layer_name"), defaults[1], key=f"load_layer_{path}", help=t("load.layer_help"))
    chosen = {"dataset": dataset.strip(), "layer": layer.strip()}
    return {k: v for k, v in chosen.items() if v}


def _overlap(overlap: dict[str, Any]) -> None:
    """Which dataset and layer a network file went to, and how many of its ids were already there."""
    values = {**overlap, "layer": overlap.get("layer") or "-", "files": ", ".join(overlap.get("shared_with") or [])}
    if overlap.get("shared"):
        st.warning(t("load.dataset_shared", **values))
    else:
        st.caption(t("load.dataset", **values))


def load_page(graph: Graph) -> None:
    """The Load page's body: choose, map, preview, validate or load, then the summary."""
    path = _choose_file()
    if path is None:
        stored = st.session_state.get(SUMMARY)
        if stored:
            _summary(graph, stored)
        return
    sheet = _choose_sheet(path)
    mapping = _choose_mapping(path, sheet)
    st.subheader(t("load.preview"))
    tables.show(api.preview(path, mapping, n=20, sheet=sheet), key="load_preview")
    network = _network_options(path, mapping)
    validate_col, load_col = st.columns(2)
    rejects_dir = _var_dir("rejects")
    user = current_user()
    if validate_col.button(t("load.validate"), key="load_validate"):
        st.session_state[SUMMARY] = api.validate(path, mapping, rejects_dir=rejects_dir, sheet=sheet).as_dict()
    if load_col.button(t("load.load"), key="load_go", type="primary"):
        bar = st.progress(0.0, text=t("load.starting"))

        def progress(p: api.Progress) -> None:
            fraction = min(max(p.fraction or 0.0, 0.0), 1.0)
            bar.progress(
                fraction,
                text=t("load.progress", rows=f"{p.rows_read:,}", rejected=p.rows_rejected, rate=f"{p.rows_per_s:,.0f}"),
            )

        # Recorded once, by the loaders' API, under the signed-in user; it checks the role too.
        summary = api.load(graph, path, mapping, progress=progress, rejects_dir=rejects_dir, user=user, sheet=sheet,
                           **network)  # fmt: skip
        bar.progress(1.0, text=t("load.done"))
        st.session_state[SUMMARY] = summary.as_dict()
    stored = st.session_state.get(SUMMARY)
    if stored and stored.get("file") == path.name and stored.get("sheet") in (None, sheet):
        _summary(graph, stored)
