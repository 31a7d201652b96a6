"""What a load reports: its summary when it ends, its progress after every chunk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


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
    mentions: int = 0  # identifiers read out of message and post texts (loaders.extract)

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
