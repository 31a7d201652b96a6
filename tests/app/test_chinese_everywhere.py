"""In 简体中文, every page speaks Chinese: no English word outside identifiers, code and a short allowlist."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer.config import PROJECT_ROOT
from tests.app.seed import seed

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")
PAGES = [
    "overview",
    "investigations",
    "explore",
    "profile",
    "rings",
    "load",
    "console",
    "watchlist",
    "map_timeline",
    "audit",
    "alerts",
    "centres",
]
# Names of products and formats, kept as they are in Chinese software.
ALLOWED = {"Neo4j", "Cypher", "CSV", "XLSX", "JSON", "PDF", "HTML", "IMEI", "IP", "SHA", "English", "APOC"}
# Widgets whose options are interface words (other options are data: ring ids, user names, files).
WORDED_OPTIONS = {"inv_category", "audit_action", "explore_labels", "explore_types", "map_types", "watch_kind"}
_CODE = re.compile(r"`[^`]*`|\\`[^`]*\\`")
_WORD = re.compile(r"(?<![\w:./+=\\-])[A-Za-z][A-Za-z']+(?![\w:./+=-])")


def english_words(value: str) -> list[str]:
    """English words in `value`, leaving out code spans, identifiers (with digits, _ : . - +), capitals
    (relationship kinds and labels written as in Cypher) and the allowlist."""
    plain = _CODE.sub(" ", value.replace("\\", ""))
    plain = _CODE.sub(" ", plain)
    words = [w for w in _WORD.findall(plain) if w not in ALLOWED and not w.isupper()]
    return [w for w in words if not re.fullmatch(r"[A-Z][a-z]*[A-Z]\w*", w)]  # CamelCase: a label (IPAddress)


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        texts += [(kind, str(e.value)) for e in getattr(at, kind) if "bolt:" not in str(e.value).replace("\\", "")]
    for kind in ("button", "text_input", "number_input", "selectbox", "multiselect", "radio", "checkbox",
                 "text_area", "date_input", "slider", "toggle"):  # fmt: skip
        for widget in getattr(at, kind):
            texts.append((f"{kind} label", str(widget.label)))
            if getattr(widget, "help", None):
                texts.append((f"{kind} help", str(widget.help)))
            if getattr(widget, "key", None) in WORDED_OPTIONS:
                texts += [(f"{kind} option", str(o)) for o in widget.options]
    for frame in at.dataframe:
        texts += [("column", str(c)) for c in frame.value.columns]
    return texts


def test_english_words_are_found_and_identifiers_are_not():
    assert english_words("团伙 ring\\-1（按角色着色）") == []
    assert english_words("用 `python -m explorer.auth add-user NAME` 添加") == []
    assert english_words("导出 CSV、Neo4j 与 Cypher") == []
    assert english_words("rows read") == ["rows", "read"]
    assert english_words("Ring detail, IPAddress") == ["Ring", "detail"]
    assert english_words("未使用底图（EXPLORER_MAP_TILES=none）") == []


@pytest.fixture(scope="module")
def seeded_once(graph):
    graph.clear()
    graph.apply_schema()
    seed(graph)
    return graph


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_english_in_chinese(seeded_once, page, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))  # the analysts' own store, empty
    monkeypatch.delenv("EXPLORER_CENTRE", raising=False)  # a centre not set up yet
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "zh"
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = [(kind, value) for kind, value in page_texts(at) if english_words(value)]
    assert not found, found


def test_profile_of_a_person_has_no_english_in_chinese(seeded_once):
    wang = seeded_once.read_value("MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "zh"
    at.session_state["profile_node"] = wang
    at.switch_page("pages/profile.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    found = [
        (kind, value) for kind, value in page_texts(at) if english_words(re.sub("Wang Wei|Lao Wang", "", value))
    ]  # names from the data
    assert not found, found
