"""The names spliced into the loader's Cypher templates: checked, then backtick-quoted, in one place.

Values always travel as parameters, but a label, a relationship type or a property name cannot, so
the templates of `loaders.queries` take them as text. Every such name goes through `quote_name`: it
must be one the load allows and have the shape of an identifier, so that nothing but a name can reach
a template. What a load allows is, for now, what its mapping declares (`declared_names`); the graph
model's own lists can take that place by being passed as `allowed`.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

from explorer.exceptions import InvalidMapping
from loaders import extract
from loaders.mapping import IDENTIFIER, Mapping


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


def declared_names(mapping: Mapping) -> AllowedNames:
    """The names a table or adjacency mapping declares: its nodes' labels, keys and properties, its
    relationships' types and properties (types from a template: any identifier)."""
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
    return AllowedNames(NameSet(labels), NameSet(types, IDENTIFIER if templated else None), NameSet(properties))
