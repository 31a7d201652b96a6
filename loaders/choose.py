"""Choosing the mapping of an export from its headers (or its shape, for a matrix)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from explorer.exceptions import FileRejected
from loaders.layout import header_rows
from loaders.mapping import HeaderMatch, Mapping, all_mappings
from loaders.readers import Export, head, relayout
from loaders.specs import Layout

# When no mapping fits the first non-blank row, the header is looked for in this many first rows.
TITLE_ROWS_SEARCHED = 30
# ... and taken only where a mapping reads at least this many of its columns, and this share of them.
MIN_MATCHED = 3
MIN_SHARE = 0.6


def headers_for(
    export: Export, layout: Layout, cache: dict[Layout, list[str] | None] | None = None
) -> list[str] | None:
    """The export's headers as a mapping with this layout reads them (None when its header is not there)."""
    if layout == export.layout:
        return export.headers
    cache = cache if cache is not None else {}
    if layout not in cache:
        try:
            cache[layout] = relayout(export, layout).headers
        except FileRejected:
            cache[layout] = None
    return cache[layout]


def rank_mappings(export: Export, mappings: dict[str, Mapping] | None = None) -> list[HeaderMatch]:
    """Every table mapping scored against the export's headers (read where its layout puts them), best first."""
    mappings = mappings if mappings is not None else all_mappings()
    cache: dict[Layout, list[str] | None] = {}
    matches = []
    for m in mappings.values():
        if m.format != "table":
            continue
        headers = headers_for(export, m.layout, cache)
        if headers is not None:
            match = m.match_headers(headers)
            match.headers = headers
            matches.append(match)
    return sorted(matches, key=lambda h: (h.fits, len(h.index), h.score), reverse=True)


def looks_like_matrix(export: Export) -> bool:
    """A square matrix: header labels (after the first cell) are the first column's labels."""
    labels = [h for h in export.headers[1:]]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        return False
    rows = export.first_column(limit=len(labels) + 1)
    return sorted(map(str, rows)) == sorted(labels)


def looks_like_two_mode(export: Export) -> bool:
    """A people x events matrix: an empty first header cell, event labels across, other labels down, and
    cells that count attendances (whole, non-negative, mostly zero)."""
    columns = set(export.headers[1:])
    if len(columns) < 2 or export.headers[0].strip():
        return False
    chunk = next(iter(export.chunks(1000)), None)
    if chunk is None or len(chunk.rows) < 2:
        return False
    labels = {str(row[0]).strip() for row in chunk.rows if row}
    if labels & columns:
        return False
    # Attendance: whole non-negative counts, mostly zeros (a table of amounts with an index column is not).
    cells = []
    for row in chunk.rows[:50]:
        for cell in row[1:]:
            try:
                value = float(cell or 0)
            except (TypeError, ValueError):
                return False
            if value < 0 or not value.is_integer():
                return False
            cells.append(value)
    return bool(cells) and cells.count(0) * 2 >= len(cells)


def rows_below_title(export: Export) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row of the first TITLE_ROWS_SEARCHED, below the first non-blank one, that could be a
    header: its number and its headers as a mapping with that `header_row` reads them. A row with repeated
    names (the lower row of a header over several rows, which needs `header_row: [r, r+1]`) is left out."""
    rows = head(export, TITLE_ROWS_SEARCHED) if export.layout.default else []
    first = next((number for number, cells in rows if any(str(c or "").strip() for c in cells)), None)
    for number, cells in rows:
        if first is None or number <= first or not any(str(c or "").strip() for c in cells):
            continue
        headers, _title, _end = header_rows(iter(rows), Layout(header_row=number), export.path.name)
        named = [h for h in headers if h]
        if len(set(named)) == len(named):
            yield number, headers


def matches_below_title(export: Export, mappings: dict[str, Mapping]) -> Iterator[tuple[int, list[HeaderMatch]]]:
    """For each row `rows_below_title` gives, its number and how every table mapping without a layout of
    its own reads it as the header, the most columns read first."""
    candidates = [m for m in mappings.values() if m.format == "table" and m.layout.default]
    for number, headers in rows_below_title(export) if candidates else ():
        matches = sorted((m.match_headers(headers) for m in candidates), key=lambda h: len(h.index), reverse=True)
        for h in matches:
            h.headers = headers
        yield number, matches


def header_below_title(export: Export, mappings: dict[str, Mapping]) -> Mapping | None:
    """A mapping (without a layout of its own) that fits a header found under title rows, with that row
    as its `header_row`; None when no row of the first TITLE_ROWS_SEARCHED makes one mapping fit well."""
    for number, matches in matches_below_title(export, mappings):
        named = sum(1 for h in matches[0].headers if h)
        fitting = [h for h in matches if _strong(h, named)]
        if len(fitting) == 1 or (fitting and len(fitting[0].index) > len(fitting[1].index)):
            return dataclasses.replace(fitting[0].mapping, layout=Layout(header_row=number))
        if fitting:
            return None  # several fit equally: the caller's message asks for --mapping
    return None


def closest_below_title(export: Export, mappings: dict[str, Mapping]) -> tuple[int, list[HeaderMatch]] | None:
    """The row under the title that the mappings read most columns of (at least MIN_MATCHED), and the
    three closest mappings there, for the message when nothing fits: a bill whose header is on row 17
    should say so rather than quote its title as its headers."""
    best: tuple[int, list[HeaderMatch]] | None = None
    for number, matches in matches_below_title(export, mappings):
        if len(matches[0].index) >= MIN_MATCHED and (best is None or len(matches[0].index) > len(best[1][0].index)):
            best = number, [h for h in matches if h.index][:3]
    return best


def _strong(h: HeaderMatch, named: int) -> bool:
    """A fit good enough to take a row under the title for the header: the mapping's required columns,
    at least MIN_MATCHED columns in all, and most of the row's named columns."""
    return h.fits and len(h.index) >= MIN_MATCHED and len(h.index) >= MIN_SHARE * named


def describe_match(h: HeaderMatch) -> str:
    """`waybills (matched waybill=运单号, sender_phone=寄件电话; missing receiver_phone)`."""
    found = ", ".join(f"{c}={h.headers[i]}" if h.headers[i] != c else c for c, i in h.index.items()) or "none"
    missing = f"; missing {', '.join(h.missing)}" if h.missing else ""
    return f"{h.mapping.name} (matched {found}{missing})"


def choose_mapping(export: Export, mappings: dict[str, Mapping] | None = None) -> Mapping:
    """The one mapping that fits the headers, or FileRejected naming the near misses and missing columns."""
    mappings = mappings if mappings is not None else all_mappings()
    ranked = rank_mappings(export, mappings)
    fitting = [h for h in ranked if h.fits]
    if fitting:
        best = fitting[0]
        if len(fitting) == 1 or len(best.index) > len(fitting[1].index):
            return best.mapping
        names = ", ".join(h.mapping.name for h in fitting if len(h.index) == len(best.index))
        raise FileRejected(f"{export.path.name} fits several mappings equally ({names}); choose one with --mapping.")
    below_title = header_below_title(export, mappings)
    if below_title is not None:
        return below_title
    adjacency = [m for m in mappings.values() if m.format == "adjacency"]
    if adjacency and looks_like_matrix(export):
        return adjacency[0]
    two_mode = [m for m in mappings.values() if m.format == "two_mode"]
    if two_mode and looks_like_two_mode(export):
        return two_mode[0]
    close = [h for h in ranked if h.index][:3]
    below = closest_below_title(export, mappings)
    if below is not None and (not close or len(below[1][0].index) > len(close[0].index)):
        number, near = below
        headers = [h for h in near[0].headers if h]
        raise FileRejected(
            f"{export.path.name}: no mapping fits it. Its header looks to be on row {number} "
            f"({', '.join(headers[:12])}), under a title; closest there: "
            f"{'; '.join(describe_match(h) for h in near)}. Write a mapping with `header_row: {number}` "
            "(docs/mappings.md), or choose one with --mapping."
        )
    if not close:
        # One field in the first line of a text file: no table at all, such as a chat app's .txt export.
        text = export.kind == "csv" and len(export.headers) == 1
        raise FileRejected(
            f"{export.path.name}: no mapping recognises its headers ({', '.join(export.headers[:12])}); "
            "write a mapping for this export (docs/mappings.md"
            + ("; for plain text whose records span lines, see `lines`" if text else "")
            + ") or choose one with --mapping."
        )
    hints = "; ".join(describe_match(h) for h in close)
    raise FileRejected(
        f"{export.path.name}: no mapping fits its headers ({', '.join(export.headers[:12])}). Closest: {hints}. "
        "Add the missing headers as aliases or write a mapping (docs/mappings.md), or choose one with --mapping."
    )
