"""The names spliced into the loader's Cypher templates: checked, then backtick-quoted, in one place.

Values always travel as parameters, but a label, a relationship type or a property name cannot, so
the templates of `loaders.queries` take them as text. Every such name goes through `quote_name`: it
must be one the load allows and have the shape of an identifier, so that nothing but a name can reach
a template. What a load allows is what its mapping declares (`declared_names`), plus the properties
other mappings give the same labels and types (`Shapes`); the graph model's own lists can take that
place by being passed as `allowed`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from functools import cache

from explorer.exceptions import InvalidMapping
from loaders import extract
from loaders.mapping import IDENTIFIER, Mapping, all_mappings, mapping_dirs


class NameSet(Container[str]):
    """Names one by one, plus (when `pattern` is given) every name the pattern matches whole.

    A pattern stands for names that come from the data rather than from the mapping, such as a
    relationship type read from a column (the `rel_type` normaliser gives only identifiers).
    """

    def __init__(self, names: Iterable[str] = (), pattern: re.Pattern[str] | None = None):
        self.names = frozenset(names)
        self.pattern = pattern

    def __contains__(self, name: object) -> bool:
        if name in self.names:
            return True
        return self.pattern is not None and isinstance(name, str) and self.pattern.fullmatch(name) is not None

    def __repr__(self) -> str:
        more = f" and any name matching {self.pattern.pattern}" if self.pattern is not None else ""
        return f"{', '.join(sorted(self.names)) or '(none)'}{more}"


@dataclass(frozen=True)
class AllowedNames:
    """The labels, relationship types and property names one load may write."""

    labels: Container[str]
    types: Container[str]
    properties: Container[str]


def quote_name(name: str, allowed: Container[str]) -> str:
    """`name` as a backtick-quoted Cypher name, once it is in `allowed` and shaped like an identifier.

    Raises InvalidMapping otherwise: the name did not come from the load's declared names.
    """
    if not isinstance(name, str) or IDENTIFIER.fullmatch(name) is None:
        raise InvalidMapping(f"{name!r} cannot be a label, relationship type or property name (letters, digits, _).")
    if name not in allowed:
        raise InvalidMapping(f"{name!r} is not one of the names this load declares ({allowed!r}).")
    return f"`{name}`"


def declared_names(mapping: Mapping, shapes: Shapes | None = None) -> AllowedNames:
    """The names a table or adjacency mapping declares: its nodes' labels, keys and properties, its
    relationships' types and properties (types from a template: any identifier).

    With `shapes`, also the properties the shapes list for the mapping's labels and types.
    """
    labels = {label for label, _ in mapping.labels()}
    properties = {key for _, key in mapping.labels()}
    types = set()
    templated = False
    for spec in mapping.nodes.values():
        properties.update(spec.properties)
    for rel in mapping.relationships:
        properties.update(rel.properties)
        if rel.type_template is not None:
            templated = True
        else:
            types.add(rel.type)
    if mapping.extract:
        labels.update(extract.LABELS)
        properties.update(extract.LABELS.values(), extract.NODE_PROPERTIES, extract.LINK_PROPERTIES)
        types.add(extract.REL_TYPE)
    if mapping.format in ("adjacency", "two_mode"):
        for part in ("node", "event"):
            if part in mapping.options:
                properties.update(mapping.options[part].properties)
        properties.update((mapping.options["weight"], "layer"))
        types.add(mapping.options["rel_type"])
    if shapes is not None:
        properties.update(shapes.properties(labels, types))
    return AllowedNames(NameSet(labels), NameSet(types, IDENTIFIER if templated else None), NameSet(properties))


@dataclass(frozen=True)
class Shapes:
    """The properties a write statement lists, whatever its batch carries.

    Per node label, and per relationship type, end labels and kind (event or not): every property
    any known mapping gives it. Two exports of the same kind then send the same statement text
    whichever columns they hold, and the server plans it once (an absent property travels as null
    and changes nothing). A property a batch carries beyond its shape is still written: it makes a
    statement text of its own.
    """

    nodes: dict[str, frozenset[str]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str, bool], frozenset[str]] = field(default_factory=dict)

    def properties(self, labels: Iterable[str], types: Container[str]) -> set[str]:
        """The properties these shapes list for `labels` and for relationships of `types`."""
        found: set[str] = set()
        for label in labels:
            found.update(self.nodes.get(label, ()))
        for (rel_type, _, _, _), names in self.rels.items():
            if rel_type in types:
                found.update(names)
        return found


def shapes_of(mappings: Iterable[Mapping]) -> Shapes:
    """The statement shapes of these mappings' table relationships, nodes and extracted mentions."""
    nodes: dict[str, set[str]] = {}
    rels: dict[tuple[str, str, str, bool], set[str]] = {}
    for m in mappings:
        for spec in m.nodes.values():
            nodes.setdefault(spec.label, set()).update(spec.properties)
        for rel in m.relationships:
            if rel.type_template is not None:
                continue  # its types come from the data: those statements keep the batch's own properties
            a, b = m.nodes[rel.source].label, m.nodes[rel.target].label
            ends = [(a, b), (b, a)] if rel.reverse_when else [(a, b)]
            for start, end in ends:
                rels.setdefault((rel.type, start, end, rel.event is not None), set()).update(rel.properties)
        if m.extract:
            for label, names in extract.LABEL_PROPERTIES.items():
                nodes.setdefault(label, set()).update(names)
            for alias in m.extract:
                for label in extract.LABELS:
                    key = (extract.REL_TYPE, m.nodes[alias].label, label, False)
                    rels.setdefault(key, set()).update(extract.LINK_PROPERTIES)
    return Shapes({k: frozenset(v) for k, v in nodes.items()}, {k: frozenset(v) for k, v in rels.items()})


@cache
def _known_shapes(dirs: tuple[str, ...]) -> Shapes:
    """Read once per set of mapping folders (`dirs` is the cache's key: the folders all_mappings reads)."""
    try:
        return shapes_of(all_mappings().values())
    except InvalidMapping:
        return Shapes()  # a broken mapping elsewhere: each load's statements then follow its own mapping


def statement_shapes(mapping: Mapping) -> Shapes:
    """The shapes of every known mapping (built in and in EXPLORER_MAPPINGS folders) and of `mapping`."""
    known = _known_shapes(tuple(str(d) for d in mapping_dirs()))
    own = shapes_of([mapping])
    return Shapes(
        {k: known.nodes.get(k, frozenset()) | own.nodes.get(k, frozenset()) for k in known.nodes.keys() | own.nodes},
        {k: known.rels.get(k, frozenset()) | own.rels.get(k, frozenset()) for k in known.rels.keys() | own.rels},
    )
