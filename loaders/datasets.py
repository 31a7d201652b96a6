"""Datasets and layers of network files (edge lists, adjacency and two-mode matrices).

A network file names its people by local ids (`1`, `N18`, `n12`): they mean something only within
their dataset, so their keys are `<dataset>:<id>`. By default a folder is one dataset (its files
describe the same people, such as Montagna's meetings and calls); `--dataset-per-file` makes each file
its own dataset (siren-togo holds two networks). Real identifiers (phones, accounts, ID numbers) are
keyed by their normalised value and meet across datasets whatever the dataset.

Each file's ties form a layer (`meetings`, `calls`, `phase3`): the relationship's key includes it, so
two files never share, and never overwrite, one relationship's weight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.db import Graph
from loaders import queries
from loaders.cypher_text import quote_name
from loaders.mapping import Mapping

# Words of a network file's name that say what the file is, not which layer it holds.
FORMAT_WORDS = frozenset({"edgelist", "edgelists", "edges", "edge", "list", "matrix", "adjacency", "network", "net"})
_DIMENSIONS = re.compile(r"\d+x\d+")
_WORD_SPLIT = re.compile(r"[\s_\-.]+")


def folder_dataset(path: Path) -> str:
    """The default dataset: the folder the file sits in, in lower case."""
    return path.resolve().parent.name.lower() or "dataset"


def file_dataset(path: Path) -> str:
    """The dataset of a file that is a dataset of its own (`--dataset-per-file`): its stem, in lower case."""
    return path.stem.lower() or "dataset"


def default_layer(path: Path) -> str:
    """The default layer of a network file: its stem in lower case, less the folder's name, matrix sizes
    (`44x44`) and format words (`edgelist`, `matrix`), e.g. `Montagna_meetings_edgelist.csv` -> `meetings`,
    `phase3.csv` -> `phase3`, `caviar_full_110x110.csv` -> `full`. The whole stem when nothing is left."""
    stem = path.stem.lower()
    folder = path.resolve().parent.name.lower()
    words = [w for w in _WORD_SPLIT.split(stem) if w]
    kept = [w for w in words if w != folder and w not in FORMAT_WORDS and not _DIMENSIONS.fullmatch(w)]
    return "_".join(kept) or stem or "layer"


def local_keys(mapping: Mapping) -> list[tuple[str, str]]:
    """(label, key) of the nodes a mapping keys by local id (`{dataset}:...` templates)."""
    specs = list(mapping.nodes.values())
    specs += [mapping.options[part] for part in ("node", "event") if part in mapping.options]
    found = {(s.label, s.key) for s in specs if any((t.text or "").startswith("{dataset}:") for t in s.values)}
    return sorted(found)


def uses_layer(mapping: Mapping) -> bool:
    """Whether a mapping's relationships carry the file's layer (matrices always; tables through `{layer}`)."""
    if mapping.format in ("adjacency", "two_mode"):
        return True
    return any(
        p.template is not None and "layer" in p.template.fields
        for r in mapping.relationships
        for p in r.properties.values()
    )


@dataclass
class Overlap:
    """What a load's local ids share with what its dataset already held (other loads' nodes)."""

    dataset: str
    layer: str | None
    ids: int = 0  # local ids this load wrote
    shared: int = 0  # of them, already written by another load
    shared_with: list[str] = field(default_factory=list)  # those loads' files

    def sentence(self) -> str:
        layer = f", layer {self.layer}" if self.layer else ""
        if not self.shared:
            return f"dataset {self.dataset}{layer}: {self.ids:,} ids, none shared with earlier loads"
        files = ", ".join(self.shared_with) or "earlier loads"
        return (
            f"dataset {self.dataset}{layer}: shares {self.shared:,} of its {self.ids:,} ids with {files} "
            f"(each shared id is one node: use --dataset-per-file or --dataset if these are different networks)"
        )


def record_overlap(graph: Graph, mapping: Mapping, load_id: str, dataset: str, layer: str | None) -> Overlap | None:
    """After a load of local ids: count those another load also wrote, and note dataset and layer on the Load.

    None when the mapping keys nothing by local id.
    """
    keys = local_keys(mapping)
    if not keys:
        return None
    overlap = Overlap(dataset, layer)
    labels, props = {label for label, _ in keys}, {key for _, key in keys}
    others: set[str] = set()
    for label, key in keys:
        cypher = queries.LOCAL_ID_OVERLAP.format(label=quote_name(label, labels), key=quote_name(key, props))
        # Built from a template (label and key filled in), so it goes through the read-only gate.
        for record in graph.read(cypher, {"load_id": load_id, "prefix": f"{dataset}:"}).records:
            overlap.ids += int(record["ids"])
            overlap.shared += int(record["shared"])
            others.update(record["others"])
    if others:
        found = graph.read(queries.LOAD_FILES, {"load_ids": sorted(others)}, checked=True).records
        overlap.shared_with = sorted({r["file"] for r in found if r["file"]})
    graph.write(queries.LOAD_DATASET, {"load_id": load_id, "dataset": dataset, "layer": layer})
    return overlap
