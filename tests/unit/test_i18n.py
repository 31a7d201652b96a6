"""Both interface catalogues hold the same keys, and pages hold no interface text of their own."""

from __future__ import annotations

import ast
import re
import string

import pytest

from explorer import human
from explorer.config import PROJECT_ROOT
from explorer.i18n import LANGUAGES, catalogue, text

SOURCES = [
    PROJECT_ROOT / "app.py",
    *sorted((PROJECT_ROOT / "pages").glob("*.py")),
    *sorted((PROJECT_ROOT / "explorer" / "ui").glob("*.py")),
]
# Streamlit calls whose first argument (or label/title keyword) is text shown to the analyst.
TEXT_CALLS = {
    "title", "header", "subheader", "caption", "markdown", "write", "info", "warning", "error", "success",
    "button", "download_button", "form_submit_button", "text_input", "text_area", "number_input", "selectbox",
    "multiselect", "radio", "checkbox", "date_input", "expander", "metric", "page_link", "file_uploader", "Page",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "title", "help", "placeholder"}


def test_catalogues_have_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["en"] == keys["zh"], keys["en"] ^ keys["zh"]
    assert len(keys["en"]) > 100


def test_placeholders_agree_between_languages():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key, english in catalogue("en").items():
        assert fields(english) == fields(catalogue("zh")[key]), key


def test_chinese_catalogue_is_translated():
    same = [k for k, v in catalogue("zh").items() if v == catalogue("en")[k] and re.search(r"[a-z]{4,}", v)]
    assert len(same) < 5, same
    assert text("page.overview", "zh") == "总览"


def _used_keys() -> set[str]:
    keys = set()
    for path in SOURCES + sorted((PROJECT_ROOT / "explorer").glob("*.py")):
        keys |= set(re.findall(r'\bt(?:ext)?\("([a-z_]+\.[a-z_.0-9]+)"', path.read_text(encoding="utf-8")))
    return keys


def test_every_key_used_in_code_is_in_the_catalogue():
    missing = _used_keys() - set(catalogue("en"))
    assert not missing


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_inline_interface_text(path):
    """No string literal is handed to a Streamlit call that shows text: it comes from t(key)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in TEXT_CALLS:
            continue
        candidates = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for arg in candidates:
            if (
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and re.search(r"[A-Za-z\u4e00-\u9fff]", arg.value)
            ):
                if node.func.attr in {"Page", "page_link"} and arg is node.args[0]:
                    continue  # the page's file path, not text
                offenders.append(f"{path.name}:{node.lineno} {arg.value!r}")
            if isinstance(arg, ast.JoinedStr) and any(
                isinstance(v, ast.Constant) and re.search(r"[A-Za-z]{3,}", v.value) for v in arg.values
            ):
                offenders.append(f"{path.name}:{node.lineno} f-string with text")
    assert not offenders, offenders


def test_every_label_and_link_of_the_model_has_a_name_in_each_language():
    """Tables and tooltips name nodes and links through explorer.human: none is shown as its raw type."""
    from explorer import model

    for lang in LANGUAGES:
        raw_labels = [lb.name for lb in model.LABELS if human.kind(lb.name, lang) == lb.name]
        raw_types = [t for t in model.RELATIONSHIP_TYPES if human.link(t, lang) == t]
        assert not raw_labels and not raw_types, (lang, raw_labels, raw_types)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_investigation_heads_two_of_its_columns_alike(lang):
    """Two columns under one heading would leave the analyst to guess which is which."""
    from explorer.catalog import load_catalog

    for inv in load_catalog().values():
        shown = [human.header(c, lang) for c in inv.columns or [] if not c.endswith(human.FACTS)]
        assert len(shown) == len(set(shown)), (inv.name, lang, sorted(h for h in shown if shown.count(h) > 1))


def test_every_column_an_investigation_returns_has_a_heading_in_each_language():
    """Result tables head each column with its name in the interface language, never the field name (a
    column of another column's facts is not shown: the screen says that column from them)."""
    from explorer.catalog import load_catalog

    missing = {(inv.name, c) for inv in load_catalog().values() for c in inv.columns or []
               if f"col.{str(c).strip('_')}" not in catalogue("en") and not c.endswith(human.FACTS)}  # fmt: skip
    assert not missing, sorted(missing)
    han = re.compile(r"[\u4e00-\u9fff]")
    untranslated = [k for k, v in catalogue("zh").items() if k.startswith("col.") and not han.search(v)]
    assert not untranslated, untranslated
