"""Adjacency matrices (CAVIAR style): one weighted link per non-zero cell."""

from __future__ import annotations

from typing import Any

from loaders.mapping import Mapping
from loaders.normalise import decimal, fold
from loaders.plan import Batch
from loaders.readers import Chunk
from loaders.transform import render_value


class MatrixTransformer:
    """Turns matrix rows into Person nodes and one relationship per non-zero cell, weight kept."""

    def __init__(self, mapping: Mapping, headers: list[str], variables: dict[str, str], load_id: str):
        self.mapping = mapping
        self.node = mapping.options["node"]
        self.rel_type = mapping.options["rel_type"]
        self.weight = mapping.options["weight"]
        self.variables = variables
        self.load_id = load_id
        self.labels = [fold(h) for h in headers[1:]]
        self.header_corner = headers[0] if headers else ""
        self.columns_written = False

    def _key(self, label: str) -> str:
        text = self.node.values[0].text or ""
        for name, value in {**self.variables, "label": label}.items():
            text = text.replace("{" + name + "}", render_value(value))
        return text

    def _props(self, label: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, p in self.node.properties.items():
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
        node = self.node
        if not self.columns_written:
            # Column people exist even when their row is all zeros or missing.
            for label in self.labels:
                batch.add_node(node.label, node.key, self._key(label), self._props(label))
            self.columns_written = True
        group = (self.rel_type, node.label, node.key, node.label, node.key, False)
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
            source = self._key(row_label)
            batch.add_node(node.label, node.key, source, self._props(row_label))
            tag = f"{self.load_id}#{number}"
            for label, weight in cells:
                target = self._key(label)
                value: Any = int(weight) if weight.is_integer() else weight
                batch.add_rel(group, (source, target), source, target, number, tag, {self.weight: value})
        return batch
