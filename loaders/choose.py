"""Choosing the mapping of an export from its headers (or its shape, for a matrix)."""

from __future__ import annotations

from explorer.exceptions import FileRejected
from loaders.mapping import HeaderMatch, Mapping, all_mappings
from loaders.readers import Export


def rank_mappings(export: Export, mappings: dict[str, Mapping] | None = None) -> list[HeaderMatch]:
    """Every table mapping scored against the export's headers, best first."""
    mappings = mappings if mappings is not None else all_mappings()
    matches = [m.match_headers(export.headers) for m in mappings.values() if m.format == "table"]
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
    adjacency = [m for m in mappings.values() if m.format == "adjacency"]
    if adjacency and looks_like_matrix(export):
        return adjacency[0]
    two_mode = [m for m in mappings.values() if m.format == "two_mode"]
    if two_mode and looks_like_two_mode(export):
        return two_mode[0]
    close = [h for h in ranked if h.index][:3]
    if not close:
        raise FileRejected(
            f"{export.path.name}: no mapping recognises its headers ({', '.join(export.headers[:12])}); "
            "write a mapping for this export (docs/mappings.md) or choose one with --mapping."
        )
    hints = "; ".join(f"{h.mapping.name} is missing {', '.join(h.missing)}" for h in close)
    raise FileRejected(f"{export.path.name}: no mapping fits its headers. Closest: {hints}.")
