"""The layers' one-way arrows, checked from every import in the source, including imports inside functions.

    app (app.py, pages/, explorer/ui/)  ->  loaders/  ->  core (explorer/ without ui/)
    devtools/, bench/, tests/            ->  anything; nothing in the product imports them

docs/architecture.md draws the same picture.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from explorer.config import PROJECT_ROOT

PRODUCT_MAX_LINES = 520  # "about 500": a module may end a little past it, not grow far past it

# What each layer may import from the project's own packages.
MAY_IMPORT = {
    "core": {"core"},
    "loaders": {"core", "loaders"},
    "app": {"core", "loaders", "app"},
}
# Third-party packages that belong to one layer only.
ONLY_IN = {"streamlit": {"app"}}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "explorer":
        return "app" if parts[1:2] == ["ui"] else "core"
    if parts[0] == "loaders":
        return "loaders"
    if parts[0] in {"app", "pages"}:
        return "app"
    if parts[0] in {"devtools", "bench", "tests"}:
        return parts[0]
    return None


def product_files() -> list[Path]:
    files = [PROJECT_ROOT / "app.py"]
    for package in ("explorer", "loaders", "pages"):
        files += sorted((PROJECT_ROOT / package).rglob("*.py"))
    return files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str | None = None, known: set[str] | None = None) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement anywhere in the file, relative ones resolved.

    With `known` modules, `from package import submodule` counts as importing the submodule only.
    """
    package = (module or module_name(path)).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            # `from explorer import audit` imports the module explorer.audit.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            if not (known and all(f"{module}.{alias.name}" in known for alias in node.names)):
                found.append((node.lineno, module))
    return found


def own_module(imported: str, known: set[str]) -> str | None:
    """The project module an import names (longest known prefix), or None for third-party code."""
    parts = imported.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def import_graph() -> dict[str, set[str]]:
    files = product_files()
    for package in ("devtools", "bench"):
        files += sorted((PROJECT_ROOT / package).rglob("*.py"))
    known = {module_name(f) for f in files}
    edges: dict[str, set[str]] = defaultdict(set)
    for path in files:
        here = module_name(path)
        for _, imported in imports_of(path, known=known):
            target = own_module(imported, known)
            if target and target != here:
                edges[here].add(target)
    return edges


def violations(module: str, imports: list[tuple[int, str]]) -> list[str]:
    """The imports of `module` that point against the layers' arrows."""
    layer = layer_of(module)
    wrong = []
    for line, imported in imports:
        top = imported.split(".")[0]
        if top in ONLY_IN and layer not in ONLY_IN[top]:
            wrong.append(f"{module}:{line} imports {imported} ({layer} layer)")
        target = layer_of(imported)
        if target is not None and layer in MAY_IMPORT and target not in MAY_IMPORT[layer]:
            wrong.append(f"{module}:{line} ({layer}) imports {imported} ({target})")
    return wrong


def test_each_layer_imports_only_what_it_may():
    wrong = [v for path in product_files() for v in violations(module_name(path), imports_of(path))]
    assert not wrong, "imports against the layers:\n" + "\n".join(sorted(set(wrong)))


def test_no_import_circles():
    edges = import_graph()
    # Package __init__ modules that re-export their submodules form trivial package<->child loops; ignore those.
    circles = []
    for start in sorted(edges):
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start and len(path) > 1 and not _package_loop(path):
                    circles.append(" -> ".join(path + [start]))
                elif nxt not in seen and nxt > start:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    assert not circles, "import circles:\n" + "\n".join(circles)


def _package_loop(path: list[str]) -> bool:
    return len(path) == 2 and (path[1].startswith(path[0] + ".") or path[0].startswith(path[1] + "."))


def test_no_private_names_imported_across_modules():
    wrong = []
    for path in product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {"explorer", "loaders"}:
                wrong += [
                    f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} imports {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                ]
    assert not wrong, "private names imported from another module:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_product_modules_stay_readable_in_size(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= PRODUCT_MAX_LINES, f"{path.relative_to(PROJECT_ROOT)} has {lines} lines: split it by concern"


def test_the_rules_catch_wrong_imports_even_inside_functions(tmp_path):
    """The checker itself: hidden imports of loaders, devtools or streamlit from the core are reported."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from explorer import db\n"
        "def f():\n    from loaders import api\n    import streamlit as st\n"
        "def g():\n    from devtools.scenario import generate\n"
    )
    found = violations("explorer.sample", imports_of(sample, "explorer.sample"))
    assert any("loaders.api" in v for v in found)
    assert any("streamlit" in v for v in found)
    assert any("devtools.scenario" in v for v in found)
    assert not any("explorer.db" in v for v in found)
    assert violations("pages.sample", imports_of(sample, "pages.sample")) == [
        v.replace("explorer.sample", "pages.sample").replace("(core)", "(app)") for v in found if "devtools" in v
    ]
