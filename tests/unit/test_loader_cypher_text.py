"""Names reach the loader's Cypher only through quote_name: declared, shaped like an identifier, backtick-quoted."""

from __future__ import annotations

import pytest

from explorer.exceptions import InvalidMapping
from loaders.cypher_text import AllowedNames, NameSet, declared_names, quote_name
from loaders.mapping import IDENTIFIER, get_mapping
from loaders.plan import Batch, Planner


def test_a_declared_identifier_is_quoted():
    assert quote_name("Phone", {"Phone", "Person"}) == "`Phone`"


@pytest.mark.parametrize("name", ["Person` {x: 1}) DETACH DELETE n //", "has space", "1st", "", "a`b", "名字"])
def test_a_name_not_shaped_like_an_identifier_is_refused_even_when_allowed(name):
    with pytest.raises(InvalidMapping, match="cannot be a label"):
        quote_name(name, {name})


def test_an_undeclared_name_is_refused():
    with pytest.raises(InvalidMapping, match="not one of the names"):
        quote_name("Officer", NameSet({"Person", "Phone"}))


def test_a_pattern_admits_names_from_the_data():
    types = NameSet({"CALLED"}, IDENTIFIER)
    assert quote_name("MET_WITH", types) == "`MET_WITH`"
    assert "MET WITH" not in types


def test_a_mapping_declares_its_labels_keys_types_and_properties():
    names = declared_names(get_mapping("cdr"))
    assert "Phone" in names.labels and "number" in names.properties and "CALLED" in names.types
    assert "Officer" not in names.labels and "MET_WITH" not in names.types
    # edge_list reads its relationship type from a column: any identifier, nothing else.
    assert "MET_WITH" in declared_names(get_mapping("edge_list")).types


def test_the_planner_refuses_a_label_the_load_does_not_declare():
    batch = Batch()
    batch.add_node("Person` {x: 1}) DETACH DELETE n //", "person_id", "p1", {})
    names = AllowedNames(NameSet({"Person"}), NameSet(), NameSet({"person_id"}))
    with pytest.raises(InvalidMapping):
        Planner(names).plan(batch)
    batch = Batch()
    batch.add_node("Person", "person_id", "p1", {"nick name": "x"})
    with pytest.raises(InvalidMapping):
        Planner(names).plan(batch)
