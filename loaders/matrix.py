"""Matrices: adjacency (CAVIAR style, people x the same people) and two-mode (people x events).

One weighted relationship per non-zero cell, its value kept as the weight and the file's layer on it.
"""

from __future__ import annotations

from typing import Any

from explorer.exceptions import FileRejected
from loaders.mapping import Mapping, NodeSpec
from loaders.normalise import decimal, fold
from loaders.plan import Batch
from loaders.readers import Chunk, Export
from loaders.transform import render_value

# Row labels a square-matrix check reads at most (a matrix of research data has a few hundred).
MAX_CHECKED_ROWS = 100_000


def check_square(export: Export, mapping: Mapping) -> None:
    """Refuse an adjacency mapping on a matrix whose rows are not its columns (people x events, say):
    it would turn the columns into people."""
    columns = {fold(h) for h in export.headers[1:]}
    rows = [fold(r) for r in export.first_column(limit=MAX_CHECKED_ROWS)]
    strangers = [r for r in rows if r and r not in columns]
    if strangers:
        shown = ", ".join(repr(s[:40]) for s in strangers[:3])
        raise FileRejected(
            f"{export.path.name} is not a square matrix: {len(strangers)} of its {len(rows)} row labels "
            f"({shown}{', ...' if len(strangers) > 3 else ''}) are not among its {len(columns)} column labels, "
            f"so mapping {mapping.name} would make people of its columns; a people x events matrix loads with "
            "--mapping two_mode."
        )


class MatrixTransformer:
    """Turns matrix rows into nodes (rows: `node`; columns: `event` for two-mode, else `node`) and one
    relationship per non-zero cell, weight and layer kept."""

    def __init__(self, mapping: Mapping, headers: list[str], variables: dict[str, str], load_id: str):
        self.mapping = mapping
        self.node: NodeSpec = mapping.options["node"]
        self.column_node: NodeSpec = mapping.options.get("event", self.node)
        self.rel_type = mapping.options["rel_type"]
        self.weight = mapping.options["weight"]
        self.variables = variables
        self.layer = variables.get("layer")
        self.load_id = load_id
        self.labels = [fold(h) for h in headers[1:]]
        self.header_corner = headers[0] if headers else ""
        self.columns_written = False

    def _key(self, spec: NodeSpec, label: str) -> str:
        text = spec.values[0].text or ""
        for name, value in {**self.variables, "label": label}.items():
            text = text.replace("{" + name + "}", render_value(value))
        return text

    def _props(self, spec: NodeSpec, label: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, p in spec.properties.items():
            if p.const is not None:
                out[name] = p.const
            elif p.column == "label":
                out[name] = label
            elif p.column:
                out[name] = self.variables.get(p.column)
        return out

    def transform(self, chunk: Chunk) -> Batch:
        batch = Batch(rows_read=len(chunk.rows) + len(chunk.broken))
        for number, reason, raw in chunk.broken:
            batch.rejects.append((number, "", reason, raw))
        node, column_node = self.node, self.column_node
        if not self.columns_written:
            # Column nodes exist even when their row is all zeros or missing.
            for label in self.labels:
                batch.add_node(column_node.label, column_node.key, self._key(column_node, label),
                               self._props(column_node, label))  # fmt: skip
            self.columns_written = True
        group = (self.rel_type, node.label, node.key, column_node.label, column_node.key, False)
        for number, raw in zip(chunk.numbers, chunk.rows, strict=True):
            row_label = fold(raw[0])
            if not row_label:
                batch.rejects.append((number, self.header_corner, "the row has no label", raw))
                continue
            cells: list[tuple[str, float]] = []
            error = None
            for label, cell in zip(self.labels, raw[1:], strict=False):
                if cell is None or (isinstance(cell, str) and not cell.strip()):
                    continue
                try:
                    weight = decimal(cell)
                except ValueError as e:
                    error = (label, str(e))
                    break
                if weight != 0:
                    cells.append((label, weight))
            if error:
                batch.rejects.append((number, error[0], error[1], raw))
                continue
            batch.rows_ok += 1
            source = self._key(node, row_label)
            batch.add_node(node.label, node.key, source, self._props(node, row_label))
            tag = f"{self.load_id}#{number}"
            for label, weight in cells:
                target = self._key(column_node, label)
                value: Any = int(weight) if weight.is_integer() else weight
                props = {self.weight: value, "layer": self.layer} if self.layer else {self.weight: value}
                batch.add_rel(group, (source, target), source, target, number, tag, props)
        return batch
