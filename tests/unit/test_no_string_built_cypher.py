"""No Cypher is assembled from values: a scan of the product's source.

Flags every f-string, `%` formatting, `.format()` call and `+` concatenation that builds a query
string (its text has a Cypher clause keyword next to pattern or parameter syntax), wherever it is:
passed straight to run/read/write/execute_query or kept in a variable first. The text of a
template held in a constant (`queries.MERGE_NODES.format(...)`, `SET_PROP % x`) counts: names are
followed to the constants and local variables they stand for, in the same module or the one they
are imported from. Values must travel as `$params`.

The few exceptions are listed in ALLOWED by module and function, with the reason each is safe; a
new site in a listed function is allowed with it, a site anywhere else fails, and an exception that
no longer matches anything fails the test too, so the list cannot rot.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from explorer.config import PROJECT_ROOT

SCANNED = ["explorer", "loaders", "pages", "app.py"]
CLAUSE = re.compile(
    r"\b(MATCH|MERGE|UNWIND|RETURN|CREATE|DELETE|DETACH|REMOVE|SET|WITH|CALL|YIELD|WHERE|FOREACH|LOAD CSV|EXPLAIN)\b"
)
CYPHER_SYNTAX = re.compile(r"[()\[\]{}]|\$\w|->|<-|\bAS\b|\bIN\b|\bORDER BY\b|\bLIMIT\b")
QUERY_CALLS = {"run", "read", "read_value", "write", "write_batches", "execute_query", "check_read_only", "Query"}

# The loader's templates take names (labels, types, property names), never values, and every name
# they take has been through loaders.cypher_text.quote_name (one of the load's names, an identifier).
QUOTED_NAMES = "fills a loaders.queries template with names quoted by loaders.cypher_text.quote_name only"

# (file, function, "" for module level) -> why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("explorer/db.py", "Graph.check_read_only"): (
        "prefixes EXPLAIN to the very text that is being checked; no value is inserted"
    ),
    ("explorer/db.py", "Graph.planning_session.plan"): (
        "prefixes EXPLAIN to the very text that is to be planned; no value is inserted"
    ),
    ("explorer/analytics_queries.py", ""): (
        "module level, built at import from fixed literals, never a value: CLEAR_STALE_UNITS (one constant per "
        "label of the fixed tuple Person, Phone, Account) and KIND_QUERIES (each fixed MATCH with the fixed columns)"
    ),
    **{
        ("explorer/model.py", function): (
            "schema statements (constraints and indexes take no parameters) built from the model's own constant "
            "labels, keys and names; never a value"
        )
        for function in ("_node_constraint", "_index", "_fulltext_index", "_schema_sections")
    },
    ("explorer/audit.py", "query"): (
        "SQL for the audit trail's SQLite file, not Cypher: fixed clauses joined, every value a `?` parameter"
    ),
    ("loaders/queries.py", "set_props"): QUOTED_NAMES,
    ("loaders/queries.py", ""): (
        "MERGE_RELATIONSHIPS joins the module's own constant texts (a way of finding the ends, a way of "
        "merging); no value is inserted, and the names are filled in later as for every template"
    ),
    ("loaders/plan.py", "Planner.plan"): QUOTED_NAMES,
    ("loaders/write.py", "Writer._resumed"): QUOTED_NAMES,
    ("loaders/write.py", "ensure_schema"): QUOTED_NAMES,
    ("loaders/datasets.py", "record_overlap"): QUOTED_NAMES,
}


def _module_file(module: str) -> Path | None:
    base = PROJECT_ROOT / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _assigned(body: list[ast.stmt] | ast.AST) -> dict[str, list[ast.AST]]:
    """Name -> the expressions assigned to it (module level: the statements of `body`; a function: all of it)."""
    nodes = body if isinstance(body, list) else list(ast.walk(body))
    found: dict[str, list[ast.AST]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and isinstance(node.target, ast.Name) and node.value:
            found.setdefault(node.target.id, []).append(node.value)
    return found


class Module:
    """One scanned source file: its constants, what its imported names stand for, its functions."""

    def __init__(self, path: Path):
        self.path = path
        self.source = path.read_text(encoding="utf-8")
        self.tree = ast.parse(self.source)
        self.constants = _assigned(self.tree.body)
        self.modules: dict[str, str] = {}  # local name -> module
        self.names: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
        for node in self.tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.modules[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if _module_file(full) is not None:
                        self.modules[a.asname or a.name] = full
                    else:
                        self.names[a.asname or a.name] = (node.module, a.name)
        self.function_of: dict[ast.AST, str] = {}
        self.locals: dict[str, dict[str, list[ast.AST]]] = {}
        self._index(self.tree, "")

    def _index(self, node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}.{child.name}" if prefix else child.name
                if not isinstance(child, ast.ClassDef):
                    self.locals[name] = _assigned(child)
                for sub in ast.walk(child):
                    self.function_of[sub] = name  # the innermost wins: inner definitions are indexed after
                self._index(child, name)
            else:
                self._index(child, prefix)

    def text(self, node: ast.AST, function: str = "", seen: frozenset[str] = frozenset()) -> str:
        """The string text an expression is built from: its literals, and what the names in it stand for."""
        parts = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                parts.append(sub.value)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in seen:
                parts.append(self.resolve(sub.id, function, seen | {sub.id}))
            elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id in self.modules:
                other = _module_file(self.modules[sub.value.id])
                if other is not None and other != self.path:
                    parts.append(_module(other).resolve(sub.attr, "", seen))
        return " ".join(p for p in parts if p)

    def resolve(self, name: str, function: str, seen: frozenset[str]) -> str:
        """The text a name stands for: a local variable's values, else a constant here or where it was imported."""
        values = self.locals.get(function, {}).get(name) or self.constants.get(name)
        values = [v for v in values or () if _stringish(v)]
        if values:
            return " ".join(self.text(v, function, seen) for v in values)
        if name in self.names:
            module, original = self.names[name]
            other = _module_file(module)
            if other is not None and other != self.path:
                return _module(other).resolve(original, "", seen)
        return ""


STRING_METHODS = {"format", "replace", "join", "strip", "lstrip", "rstrip", "upper", "lower"}


def _stringish(node: ast.AST) -> bool:
    """An expression that gives a string when names stand for strings: what a name's value may be to count."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.IfExp):
        return _stringish(node.body) or _stringish(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_stringish(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _stringish(node.left) or _stringish(node.right)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr in STRING_METHODS
    return isinstance(node, ast.JoinedStr | ast.Name | ast.Attribute)


@cache
def _module(path: Path) -> Module:
    return Module(path)


def _builds_string(node: ast.AST) -> bool:
    """A string put together at run time: an f-string with a value, `%`, `+` with a non-literal side, `.format()`."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return not (isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant))
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def _looks_like_cypher(text: str) -> bool:
    return bool(CLAUSE.search(text) and CYPHER_SYNTAX.search(text))


def _files() -> list[Path]:
    out: list[Path] = []
    for name in SCANNED:
        path = PROJECT_ROOT / name
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else [])
    return out


def _scan(module: Module) -> list[tuple[int, str, str]]:
    """(line, function, source line) of every query string the module builds."""
    lines = module.source.splitlines()
    found = []
    for node in ast.walk(module.tree):
        function = module.function_of.get(node, "")
        candidates: list[ast.AST] = []
        if _builds_string(node) and _looks_like_cypher(module.text(node, function)):
            candidates.append(node)
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in QUERY_CALLS:
                # Any Cypher keyword suffices here: the text is on its way to the database.
                args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in {"query", "cypher"}]
                candidates.extend(a for a in args if _builds_string(a) and CLAUSE.search(module.text(a, function)))
        found += [(c.lineno, function, lines[c.lineno - 1].strip()) for c in candidates]
    return found


def _findings() -> list[tuple[str, str, int, str]]:
    found = set()
    for path in _files():
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        found |= {(rel, function, line, text) for line, function, text in _scan(_module(path))}
    return sorted(found)


def _scan_text(source: str) -> list[tuple[int, str, str]]:
    path = PROJECT_ROOT / "tests" / "unit" / "_scanned_example.py"
    module = Module.__new__(Module)
    module.path, module.source = path, source
    module.tree = ast.parse(source)
    module.constants, module.modules, module.names = _assigned(module.tree.body), {}, {}
    module.function_of, module.locals = {}, {}
    module._index(module.tree, "")
    return _scan(module)


def test_scanner_sees_string_built_cypher():
    """The scan itself must catch the usual ways of formatting values into Cypher."""
    bad = """
TEMPLATE = "MATCH (p:{label}) RETURN p"
BY_ID = "MATCH (p) WHERE p.id = %s RETURN p"

def f(graph, name, label, n):
    graph.read(f"MATCH (p:Person) WHERE p.name = '{name}' RETURN p")
    graph.write("MATCH (p:%s) SET p.x = 1" % label)
    q = "MATCH (p) WHERE p.id = {} RETURN p".format(n)
    graph.run("MATCH (p) WHERE p.id = " + str(n) + " RETURN p")
    graph.execute_query(q)

def g(graph, label, n, limit):
    graph.read(TEMPLATE.format(label=label))
    graph.read(BY_ID % n)
    cypher = TEMPLATE
    graph.read(cypher.format(label=label))
    graph.read(TEMPLATE + f" LIMIT {limit}")
"""
    hits = {line for line, _, _ in _scan_text(bad)}
    assert hits == {6, 7, 8, 9, 13, 14, 16, 17}
    assert {function for _, function, _ in _scan_text(bad)} == {"f", "g"}


def test_scanner_leaves_text_that_is_not_cypher_alone():
    fine = """
MESSAGE = "{name} is not a complete workbook: {e}."

def f(name, e, parts):
    text = MESSAGE.format(name=name, e=e)
    pattern = "{0}-{1}".replace("-", ":")
    return text + pattern.format(*parts) + f"{name} (set aside)" + "%d rows" % 3
"""
    assert _scan_text(fine) == []


def test_no_string_built_cypher_in_the_product():
    offending = [f"{rel}:{line} in {function or 'module'}: {text}" for rel, function, line, text in _findings()
                 if (rel, function) not in ALLOWED]  # fmt: skip
    assert offending == [], "Cypher built from values (pass $params instead):\n" + "\n".join(offending)


def test_every_exception_still_needed():
    sites = {(rel, function) for rel, function, _, _ in _findings()}
    assert [key for key in ALLOWED if key not in sites] == []


# Helpers that hand their `cypher` argument to `read(..., checked=True)`; their callers are checked instead.
UNCHECKED_PASS_THROUGH = {
    ("explorer/browse.py", "frame"): 1,
    ("explorer/package_facts.py", "_rows"): 1,
}  # (file, function) -> index of the cypher argument


def _named(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Attribute) or (isinstance(node, ast.Name) and node.id.isupper())


def test_unchecked_reads_only_run_named_constants():
    """`read(..., checked=True)` skips the text and EXPLAIN gates, so it may only run app-internal constants
    (`queries.X`, `q.X`, an UPPER_CASE name) or a catalog file validated at start-up (`self.cypher`)."""
    loose = []
    helpers = {name: index for (_, name), index in UNCHECKED_PASS_THROUGH.items()}
    for path in _files():
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n: f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in helpers and len(node.args) > helpers[name]:
                if not _named(node.args[helpers[name]]):
                    loose.append(f"{rel}:{node.lineno} {name}()")
                continue
            if name != "read" or not any(
                k.arg == "checked" and getattr(k.value, "value", False) is True for k in node.keywords
            ):
                continue
            inside = functions.get(node)
            if rel == "explorer/db.py" or (rel, inside) in UNCHECKED_PASS_THROUGH:
                continue
            if not _named(node.args[0] if node.args else None):
                loose.append(f"{rel}:{node.lineno}")
    assert loose == []
