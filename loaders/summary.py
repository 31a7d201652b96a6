"""What a load reports: its summary when it ends, its progress after every chunk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loaders.datasets import Overlap

SKIPPED_LISTED = 20


@dataclass
class LoadSummary:
    """What one load did; `rejects_path` is None when no row was rejected."""

    load_id: str
    file: str
    mapping: str
    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    duplicates_merged: int = 0
    rejects_path: Path | None = None
    nodes_created: int = 0
    relationships_created: int = 0
    elapsed_s: float = 0.0
    dry_run: bool = False
    same_as_candidates: int = 0
    addresses_placed: int = 0  # addresses given approximate coordinates from the gazetteer
    # For network files keyed by local id: their dataset, layer and the ids shared with earlier loads.
    overlap: Overlap | None = None
    sheet: str | None = None  # the workbook's sheet read, where it has several
    header_row: int = 0  # the header's (last) row when it is below title rows (0: the first non-blank row)
    rows_skipped: int = 0  # rows the mapping's skip_rows patterns matched (totals, footers)
    skipped_rows: list[int] = field(default_factory=list)  # their numbers, the first SKIPPED_LISTED
    unused_columns: list[str] = field(default_factory=list)  # headers of the file no mapping column reads
    warnings: list[str] = field(default_factory=list)  # unused columns whose values look like evidence
    blank_cells: dict[str, int] = field(default_factory=dict)  # cells read as empty (`empty_values`), by header

    mentions: int = 0  # identifiers read out of message and post texts (loaders.extract)
    alerts_raised: int | None = None  # new alerts the rules raised on this load (None: rules off)
    gave_way_s: float = 0.0  # time the load waited between chunks while investigations ran (loaders.pacing)
    chunks_split: int = 0  # chunks written in smaller transactions because investigations ran (loaders.write)

    @property
    def all_rejected(self) -> bool:
        """Every row read was rejected (the command exits 3)."""
        return self.rows_read > 0 and self.rows_written == 0 and self.rows_rejected > 0

    @property
    def rows_per_s(self) -> float:
        return self.rows_read / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejects_path"] = str(self.rejects_path) if self.rejects_path else None
        return d


@dataclass
class Progress:
    """Handed to the progress callback after every chunk."""

    file: str
    rows_read: int
    rows_rejected: int
    elapsed_s: float
    fraction: float | None

    @property
    def rows_per_s(self) -> float:
        return self.rows_read / self.elapsed_s if self.elapsed_s > 0 else 0.0


ProgressCallback = Callable[[Progress], None]
