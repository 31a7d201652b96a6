"""Every investigation, parameter and category of the catalogue has its Chinese text."""

from __future__ import annotations

import re

from explorer import catalog_text
from explorer.catalog import load_catalog


def test_chinese_catalogue_is_complete():
    catalog = load_catalog()
    assert catalog_text.missing(catalog, "zh") == []


def test_chinese_texts_are_chinese_and_english_stays_as_written():
    catalog = load_catalog()
    han = re.compile(r"[\u4e00-\u9fff]")
    for inv in catalog.values():
        assert han.search(catalog_text.title_in(inv, "zh")), inv.name
        assert han.search(catalog_text.description(inv, "zh")), inv.name
        assert han.search(catalog_text.category(inv.category, "zh")), inv.category
        assert catalog_text.title_in(inv, "en") == inv.title
        for param in inv.params:
            assert han.search(catalog_text.param_label(inv, param, "zh")), (inv.name, param.name)
            assert han.search(catalog_text.param_help(inv, param, "zh")), (inv.name, param.name)
            assert catalog_text.param_label(inv, param, "en") == param.name


def test_every_alert_rule_has_its_chinese_text():
    from explorer.alerts import load_rules

    han = re.compile(r"[\u4e00-\u9fff]")
    rules = load_rules()
    assert not set(rules) & set(load_catalog()), "a rule and an investigation share a name (one text each)"
    for rule in rules.values():
        inv = rule.investigation
        assert han.search(catalog_text.title_in(inv, "zh")), rule.name
        assert han.search(catalog_text.description(inv, "zh")), rule.name
        assert catalog_text.title_in(inv, "en") == inv.title
        for param in inv.params:
            assert han.search(catalog_text.param_help(inv, param, "zh")), (rule.name, param.name)
