"""The model is the one source: schema.cypher, the mappings, the watchlist and the catalog agree with it."""

from __future__ import annotations

import re

import pytest

from explorer import model
from explorer.config import PROJECT_ROOT
from loaders.mapping import all_mappings

SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"
NODE_CONSTRAINT = re.compile(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE;")
EVENT_CONSTRAINT = re.compile(
    r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(\)-\[r:(\w+)\]-\(\) REQUIRE r\.event_id IS UNIQUE;"
)


def _schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def test_schema_file_is_the_generated_text():
    assert _schema_text() == model.schema_cypher(), "run: python -m explorer.model > cypher/schema.cypher"


def test_schema_file_keys_equal_the_model_both_ways():
    in_file = {label: key for _, label, key in NODE_CONSTRAINT.findall(_schema_text())}
    assert in_file == model.NODE_KEYS
    assert len(NODE_CONSTRAINT.findall(_schema_text())) == len(model.NODE_KEYS)  # no label constrained twice
    events = {rel_type for _, rel_type in EVENT_CONSTRAINT.findall(_schema_text())}
    assert events == set(model.EVENT_TYPES)


def test_schema_file_statements_are_the_applied_ones():
    body = "\n".join(line for line in _schema_text().splitlines() if not line.startswith("//"))
    statements = [s.strip() for s in body.split(";") if s.strip()]
    assert statements == model.schema_statements()
    names = [s.split()[2] if " FULLTEXT " not in s else s.split()[3] for s in statements]
    assert len(names) == len(set(names)), "two schema statements share a name"


def test_indexed_and_searched_labels_are_model_labels():
    labels = {i.label for i in model.INDEXES + model.SCORE_INDEXES if not i.relationship}
    assert labels <= set(model.NODE_KEYS)
    assert {i.label for i in model.INDEXES if i.relationship} <= set(model.RELATIONSHIP_TYPES)
    assert set(model.FULLTEXT_LABELS) <= set(model.NODE_KEYS)


def test_every_identifier_kind_is_looked_up_by_an_index():
    indexed = set(model.NODE_KEYS.items()) | {(i.label, i.property) for i in model.INDEXES if not i.relationship}
    for kind in model.IDENTIFIER_KINDS:
        assert (kind.label, kind.property) in indexed, kind


@pytest.mark.parametrize("mapping", sorted(all_mappings().values(), key=lambda m: m.name), ids=lambda m: m.name)
def test_every_builtin_mapping_uses_only_the_model(mapping):
    for label, key in mapping.labels():
        assert model.NODE_KEYS.get(label) == key, (mapping.name, label, key)
    literal_types = [r.type for r in mapping.relationships if r.type_template is None]
    assert set(literal_types) <= set(model.RELATIONSHIP_TYPES), mapping.name
    if mapping.format == "adjacency":
        assert mapping.options["rel_type"] in model.RELATIONSHIP_TYPES
    if mapping.format == "neo4j_admin":
        for label, (key, _) in mapping.options["labels"].items():
            assert model.NODE_KEYS.get(label, model.POLE_KEY) == key, (label, key)
