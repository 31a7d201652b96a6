"""Rules of the app's code that keep roles, exports and hostile text in check (issue 22).

Read from the source, so a new page or widget that bypasses them fails here before any review.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT

APP_SOURCES = [
    PROJECT_ROOT / "app.py",
    *sorted((PROJECT_ROOT / "pages").glob("*.py")),
    *sorted((PROJECT_ROOT / "explorer" / "ui").glob("*.py")),
]
# Core functions that check a role, as the app calls them: it must say who acts (left out, the
# acting user would be the command line's local administrator).
ACTING = {
    ("api", "load"),
    ("api", "load_dir"),
    ("analytics", "run_analytics"),
    ("save_investigation", "save_investigation"),
}
# Streamlit calls that render their first argument as Markdown.
MARKDOWN_CALLS = {"title", "header", "subheader", "caption", "markdown", "write", "info", "warning", "error", "success"}
SAFE_TEXT = {"t", "tr", "escape", "escape_keeping_code", "said"}  # said(): an error sentence, escaped


def _calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            yield name, node


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            yield from node.names


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: p.name)
def test_the_app_names_the_acting_user(path):
    assert "api" in {alias.asname or alias.name for alias in _imports(PROJECT_ROOT / "explorer" / "ui" / "loading.py")}
    missing = [
        f"{path.name}:{node.lineno} {name}()"
        for name, node in _calls(path)
        if isinstance(node.func, ast.Attribute)
        and (getattr(node.func.value, "id", ""), name) in ACTING
        and not any(k.arg == "user" for k in node.keywords)
    ]
    assert not missing, missing


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: p.name)
def test_downloads_go_through_the_audited_offer(path):
    """Only `tables.offer` hands bytes to the browser, after its button built them through explorer.downloads."""
    found = [node.lineno for name, node in _calls(path) if name == "download_button"]
    allowed = 1 if path.name == "tables.py" else 0
    assert len(found) == allowed, (path.name, found)


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: p.name)
def test_data_reaches_markdown_only_escaped(path):
    """No f-string, str(), describe() or attribute goes straight into a call that renders Markdown."""
    offenders = []
    for name, node in _calls(path):
        if name not in MARKDOWN_CALLS or not isinstance(node.func, ast.Attribute) or not node.args:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Call):
            called = arg.func.attr if isinstance(arg.func, ast.Attribute) else getattr(arg.func, "id", "")
            if called not in SAFE_TEXT:
                offenders.append(f"{path.name}:{node.lineno} {called}()")
        elif isinstance(arg, (ast.JoinedStr, ast.Attribute, ast.BinOp, ast.Subscript)):
            offenders.append(f"{path.name}:{node.lineno} {type(arg).__name__}")
    assert not offenders, offenders


def test_streamlit_table_export_is_off():
    """Streamlit's own "Download as CSV" and copy on tables would bypass roles, neutralising and the audit."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["address"] == "127.0.0.1"


def test_a_picture_for_a_role_without_exports_has_no_save_button():
    from explorer.picture import Picture
    from explorer.subgraph import GraphNode, Subgraph

    graph = Subgraph({"a": GraphNode("a", ["Person"], {"name": "Wang Wei"})}, {})
    assert 'id="png-button"' in Picture(graph, png_label="Save PNG").html()
    assert 'id="png-button"' not in Picture(graph, png_label=None).html()
