"""No Cypher is assembled from values: a scan of the packages' source.

Flags every f-string, `%` formatting, `.format()` call and `+` concatenation
whose literal text looks like Cypher (a clause keyword next to pattern or
parameter syntax), wherever it is: passed straight to run/read/write/
execute_query or kept in a variable first. Values must travel as `$params`.

The few exceptions are listed in ALLOWED with the reason each is safe; an
exception that no longer matches anything fails the test too, so the list
cannot rot.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from explorer.config import PROJECT_ROOT

SCANNED = ["explorer", "loaders", "pages", "app.py"]
CLAUSE = re.compile(
    r"\b(MATCH|MERGE|UNWIND|RETURN|CREATE|DELETE|DETACH|REMOVE|SET|WITH|CALL|YIELD|WHERE|FOREACH|LOAD CSV|EXPLAIN)\b"
)
CYPHER_SYNTAX = re.compile(r"[()\[\]{}]|\$\w|->|<-|\bAS\b|\bIN\b|\bORDER BY\b|\bLIMIT\b")
QUERY_CALLS = {"run", "read", "read_value", "write", "write_batches", "execute_query", "check_read_only", "Query"}

# (file, text found in the flagged source line) -> why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("explorer/db.py", '"EXPLAIN " + cypher'): (
        "prefixes EXPLAIN to the very text that is being checked; no value is inserted"
    ),
    ("explorer/analytics_queries.py", 'label: f"""'): (
        "CLEAR_STALE_UNITS: one constant per label of the fixed tuple (Person, Phone, Account), built at import; "
        "never a value"
    ),
    ("explorer/model.py", 'f"CREATE '): (
        "schema statements (constraints and indexes, which take no parameters) built from the model's own "
        "constant labels, keys and names; never a value"
    ),
}


def _literal_text(node: ast.AST) -> str:
    """The constant string parts of a string-building expression."""
    parts = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            parts.append(sub.value)
    return " ".join(parts)


def _builds_string(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return isinstance(node.left, (ast.Constant, ast.JoinedStr))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        sides = (node.left, node.right)
        has_text = any(isinstance(s, (ast.Constant, ast.JoinedStr, ast.BinOp)) for s in sides)
        has_value = any(not isinstance(s, ast.Constant) for s in sides)
        return has_text and has_value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format" and isinstance(node.func.value, (ast.Constant, ast.JoinedStr)):
            return True
        if node.func.attr == "join" and isinstance(node.func.value, ast.Constant):
            return False  # joining fixed fragments is judged by the fragments themselves
    return False


def _looks_like_cypher(text: str) -> bool:
    return bool(CLAUSE.search(text) and CYPHER_SYNTAX.search(text))


def _files() -> list[Path]:
    out: list[Path] = []
    for name in SCANNED:
        path = PROJECT_ROOT / name
        out.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else [])
    return out


def _findings() -> list[tuple[str, int, str]]:
    found = []
    for path in _files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        for node in ast.walk(ast.parse(source, filename=rel)):
            candidates: list[ast.AST] = []
            if _builds_string(node) and _looks_like_cypher(_literal_text(node)):
                candidates.append(node)
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in QUERY_CALLS:
                    # Any Cypher keyword suffices here: the text is on its way to the database.
                    args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in {"query", "cypher"}]
                    candidates.extend(a for a in args if _builds_string(a) and CLAUSE.search(_literal_text(a)))
            for cand in candidates:
                found.append((rel, cand.lineno, lines[cand.lineno - 1].strip()))
    return sorted(set(found))


def _allowed(rel: str, line: str) -> bool:
    return any(rel == f and snippet in line for (f, snippet) in ALLOWED)


def test_scanner_sees_string_built_cypher():
    """The scan itself must catch the usual ways of formatting values into Cypher."""
    bad = """
def f(graph, name, label, n):
    graph.read(f"MATCH (p:Person) WHERE p.name = '{name}' RETURN p")
    graph.write("MATCH (p:%s) SET p.x = 1" % label)
    q = "MATCH (p) WHERE p.id = {} RETURN p".format(n)
    graph.run("MATCH (p) WHERE p.id = " + str(n) + " RETURN p")
    graph.execute_query(q)
"""
    tree = ast.parse(bad)
    hits = [n for n in ast.walk(tree) if _builds_string(n) and _looks_like_cypher(_literal_text(n))]
    assert len(hits) >= 4


def test_no_string_built_cypher_in_packages():
    offending = [f"{rel}:{line}: {text}" for rel, line, text in _findings() if not _allowed(rel, text)]
    assert offending == [], "Cypher built from values (pass $params instead):\n" + "\n".join(offending)


def test_every_exception_still_needed():
    findings = _findings()
    unused = [key for key in ALLOWED if not any(rel == key[0] and key[1] in text for rel, _, text in findings)]
    assert unused == []


# Helpers that hand their `cypher` argument to `read(..., checked=True)`; their callers are checked instead.
UNCHECKED_PASS_THROUGH = {("explorer/browse.py", "frame"): 1}  # (file, function) -> index of the cypher argument


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
