"""Every spelling the loaders accept reaches one key: through the loader, search, parameters and the watchlist."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import identifiers, model, queries, watchlist
from explorer.params import PARAM_TYPES
from loaders.normalise import NORMALISERS
from tests.identifier_spellings import (
    HANDLE,
    account_spelling,
    card_number,
    card_spelling,
    handle_spelling,
    mobile,
    phone_spelling,
)

PROPERTY_RUNS = settings(max_examples=200, deadline=None)


@PROPERTY_RUNS
@given(st.data(), mobile())
def test_every_phone_spelling_reaches_the_stored_key(data, national):
    spelling = data.draw(phone_spelling(national))
    key = "+86" + national
    assert NORMALISERS["phone"](spelling) == key  # what a load stores
    assert identifiers.canonical(spelling) == key  # an identifier parameter (find_identifier and the rest)
    assert identifiers.search_keys(spelling)[0] == key  # the search box
    assert watchlist.normalise("phone", spelling) == key


@PROPERTY_RUNS
@given(st.data(), card_number())
def test_every_card_spelling_reaches_the_stored_key(data, digits):
    spelling = data.draw(card_spelling(digits))
    assert NORMALISERS["card"](spelling) == digits  # the handle of a bank statement's account
    assert identifiers.canonical(spelling) == digits
    assert identifiers.search_keys(spelling)[0] == digits
    assert watchlist.normalise("account", f"bank:{spelling}") == f"bank:{digits}"


@PROPERTY_RUNS
@given(st.data(), HANDLE)
def test_every_handle_spelling_reaches_the_stored_key(data, handle):
    spelling = data.draw(handle_spelling(handle))
    account = data.draw(account_spelling(handle))
    assert NORMALISERS["handle"](spelling) == handle
    assert identifiers.canonical(spelling) == handle
    assert handle in identifiers.search_keys(spelling)
    # An account as chat exports key it: "{platform}:{handle}" of the two columns' normalisers.
    platform_cell, _, handle_cell = identifiers.fold(account).partition(":")
    stored = f"{NORMALISERS['platform'](platform_cell)}:{NORMALISERS['handle'](handle_cell)}"
    assert stored == f"wechat:{handle}"
    assert identifiers.canonical(account) == stored
    assert identifiers.search_keys(account)[0] == stored
    assert watchlist.normalise("account", account) == stored


@pytest.mark.parametrize(
    ("kind", "raw", "key"),
    [
        ("parcel", " sf 1002 3003 ", "SF10023003"),
        ("device", "86-123456-789012-3", "861234567890123"),
        ("ip", "2001:0DB8::1", "2001:db8::1"),
        ("name", "王\u3000强", "王强"),
        ("address", "广东省　深圳市  南山区", "广东省深圳市南山区"),
        ("case", " A2024-001 ", "A2024-001"),
    ],
)
def test_each_watch_kind_is_keyed_by_its_loader_normaliser(kind, raw, key):
    assert watchlist.normalise(kind, raw) == key
    assert NORMALISERS[model.IDENTIFIERS[kind].normaliser](raw) == key


@pytest.mark.parametrize(("kind", "raw"), [("phone", "12345"), ("account", "no platform"), ("device", "12")])
def test_a_watch_that_no_load_could_store_is_refused(kind, raw):
    with pytest.raises(watchlist.InvalidWatch, match=kind):
        watchlist.normalise(kind, raw)


def test_platforms_and_site_kinds_are_the_models():
    assert set(identifiers.platform_spellings().values()) == set(model.ACCOUNT_PLATFORMS)
    assert set(identifiers.site_kind_spellings().values()) == set(model.SITE_KINDS)
    for name in {kind.normaliser for kind in model.IDENTIFIER_KINDS}:
        assert NORMALISERS[name] is identifiers.NORMALISERS[name]  # the loader registers, not reimplements


def test_watchlist_and_catalog_take_their_kinds_and_types_from_the_model():
    assert tuple(watchlist.KINDS) == model.WATCH_KINDS
    for kind, (label, prop) in watchlist.KINDS.items():
        assert (label, prop) == (model.IDENTIFIERS[kind].label, model.IDENTIFIERS[kind].property)
        # The hits query looks each kind up by the same label and property.
        assert f"(n:{label} {{{prop}: w.value}}) WHERE w.kind = '{kind}'" in queries.WATCH_HITS
    assert queries.WATCH_HITS.count("WHERE w.kind =") == len(model.WATCH_KINDS)
    assert PARAM_TYPES == model.PARAM_TYPES


def test_search_looks_up_every_identifier_kind_by_its_label_and_property():
    for kind in model.IDENTIFIER_KINDS:
        assert f"MATCH (n:{kind.label} {{{kind.property}: value}})" in queries.SEARCH_KEYS, kind.name
