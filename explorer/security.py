"""Read-only by construction: what a query offered for reading may not do.

Three independent gates; a query must pass all of them:

1. text rules, applied to the query's *tokens* (a small Cypher lexer, so
   comments, string literals and backtick-quoted names can neither hide a
   keyword nor cause a false refusal): no write or schema clause, no
   LOAD CSV, no CALL ... IN TRANSACTIONS, no USE, no administration command,
   a single statement, and only procedures and namespaced functions on a
   short read-only allowlist (no `dbms.*`, no APOC that writes or reaches
   files or the network);
2. Neo4j's own verdict from EXPLAIN: `summary.query_type` must be "r";
3. the query then runs in a READ transaction, which the server enforces too.

Every refusal is a `NotReadOnly` whose message says why, in one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from neo4j import ResultSummary

from explorer.exceptions import NotReadOnly

# Clause keywords that change data, schema, users, privileges or databases.
WRITE_KEYWORDS = {
    "CREATE": "it creates data, schema, users or databases",
    "MERGE": "it creates data",
    "DELETE": "it deletes data",
    "DETACH": "it deletes data",
    "SET": "it changes properties, labels or passwords",
    "REMOVE": "it removes properties or labels",
    "DROP": "it drops schema, users or databases",
    "FOREACH": "FOREACH is only used to write",
    "ALTER": "it changes users, aliases or databases",
    "GRANT": "it changes privileges",
    "DENY": "it changes privileges",
    "REVOKE": "it changes privileges",
    "RENAME": "it renames users, roles or servers",
    "START": "it starts databases",
    "STOP": "it stops databases",
    "TERMINATE": "it stops other people's transactions",
    "ENABLE": "it changes servers",
    "DEALLOCATE": "it moves databases between servers",
    "REALLOCATE": "it moves databases between servers",
    "INSERT": "it creates data",
    "PERIODIC": "USING PERIODIC COMMIT is only used to write in batches",
}
# Leading words that change how the query runs rather than what it reads.
PREFIX_KEYWORDS = {
    "EXPLAIN": "EXPLAIN is refused here: the product explains every query itself before running it",
    "PROFILE": "PROFILE is refused here: it executes the query outside the read-only checks' control",
    "CYPHER": "query options (CYPHER ...) are refused here: investigations run with the server's defaults",
}

# Procedures that only read the graph or its schema. Anything else is refused,
# including every `dbms.*` procedure and every APOC procedure not listed here.
READ_ONLY_PROCEDURES = {
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.schema.visualization",
    "db.schema.nodetypeproperties",
    "db.schema.reltypeproperties",
    "db.index.fulltext.querynodes",
    "db.index.fulltext.queryrelationships",
    "apoc.path.expand",
    "apoc.path.expandconfig",
    "apoc.path.subgraphall",
    "apoc.path.subgraphnodes",
    "apoc.path.spanningtree",
    "apoc.neighbors.tohop",
    "apoc.neighbors.byhop",
    "apoc.meta.schema",
}
# Namespaced functions: built-in namespaces that only compute values, and
# APOC families that only transform values (no I/O, no nested Cypher).
SAFE_FUNCTION_NAMESPACES = {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector"}
SAFE_FUNCTIONS = {"db.namefromelementid"}
SAFE_APOC_FUNCTION_PREFIXES = (
    "apoc.coll.",
    "apoc.map.",
    "apoc.text.",
    "apoc.date.",
    "apoc.temporal.",
    "apoc.math.",
    "apoc.number.",
    "apoc.agg.",
    "apoc.label.",
    "apoc.node.",
    "apoc.nodes.",
    "apoc.rel.",
    "apoc.any.",
    "apoc.meta.cypher.",
    "apoc.convert.to",
    "apoc.hashing.",
    "apoc.util.md5",
    "apoc.util.sha",
)
# What may follow SHOW: schema and the procedure/function catalogue, never users,
# roles, privileges, databases, servers, settings or transactions.
SHOW_QUALIFIERS = {
    "ALL", "RANGE", "TEXT", "POINT", "LOOKUP", "FULLTEXT", "VECTOR", "BTREE", "UNIQUE", "UNIQUENESS",
    "EXIST", "EXISTENCE", "NODE", "RELATIONSHIP", "REL", "PROPERTY", "KEY", "TYPE", "BUILT", "IN", "USER",
    "DEFINED",
}  # fmt: skip
SHOW_ALLOWED = {"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "PROCEDURE", "PROCEDURES", "FUNCTION", "FUNCTIONS"}


# Neo4j decodes \uXXXX escapes in the whole query text before it reads it (Java-style: only a
# backslash preceded by an even number of backslashes starts one), so `\u0053ET` is SET and
# `'\u0027` closes a string. The lexer reads the text the same way.
_UNICODE_ESCAPE = re.compile(r"(\\+)u([0-9a-fA-F]{4})")


def decode_unicode_escapes(cypher: str) -> str:
    """The query text as Neo4j's parser sees it, with \\uXXXX escapes decoded."""

    def replace(match: re.Match[str]) -> str:
        slashes = match.group(1)
        if len(slashes) % 2 == 0:  # an escaped backslash followed by 'u': not an escape
            return match.group(0)
        return slashes[:-1] + chr(int(match.group(2), 16))

    return _UNICODE_ESCAPE.sub(replace, cypher)


@dataclass(frozen=True)
class Token:
    kind: str  # "word" (bare identifier or keyword), "name" (backtick-quoted), "string", "number", "param", "punct"
    text: str  # the identifier (unquoted), the punctuation character, or "" for literals

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(cypher: str) -> list[Token]:
    """Split Cypher into tokens; comments and whitespace vanish, literals keep no text.

    Raises NotReadOnly for text a lexer cannot read safely: an unterminated
    string, comment or quoted name, or a backslash outside a string (Cypher
    has no escapes there, so it could only be an attempt to spell a keyword).
    """
    cypher = decode_unicode_escapes(cypher)
    out: list[Token] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        if ch.isspace() or ch in "\u200b\u200c\u200d\u2060\ufeff":
            i += 1
        elif cypher.startswith("//", i):
            end = cypher.find("\n", i)
            i = n if end < 0 else end + 1
        elif cypher.startswith("/*", i):
            end = cypher.find("*/", i + 2)
            if end < 0:
                raise NotReadOnly(
                    "The query has a comment that is never closed ('/*' without '*/'), so it is refused.",
                    "refuse.comment",
                )
            i = end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and cypher[j] != ch:
                j += 2 if cypher[j] == "\\" else 1
            if j >= n:
                raise NotReadOnly("The query has a string that is never closed, so it is refused.", "refuse.string")
            out.append(Token("string", ""))
            i = j + 1
        elif ch == "`":
            j, name = i + 1, []
            while True:
                end = cypher.find("`", j)
                if end < 0:
                    raise NotReadOnly(
                        "The query has a `quoted name` that is never closed, so it is refused.", "refuse.quoted"
                    )
                name.append(cypher[j:end])
                if cypher.startswith("``", end):  # a doubled backtick is a literal backtick
                    name.append("`")
                    j = end + 2
                    continue
                i = end + 1
                break
            out.append(Token("name", "".join(name)))
        elif ch == "$":
            j = i + 1
            while j < n and (cypher[j].isalnum() or cypher[j] == "_"):
                j += 1
            out.append(Token("param", cypher[i + 1 : j]))
            i = max(j, i + 1)
        elif ch.isdigit():
            j = i
            while j < n and (cypher[j].isalnum() or cypher[j] in "._"):
                j += 1
            out.append(Token("number", ""))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < n and (cypher[j].isalnum() or cypher[j] == "_"):
                j += 1
            out.append(Token("word", cypher[i:j]))
            i = j
        elif ch == "\\":
            raise NotReadOnly(
                "A backslash outside a string is refused: Cypher has no escapes there.", "refuse.backslash"
            )
        else:
            out.append(Token("punct", ch))
            i += 1
    return out


def _is_keyword(toks: list[Token], k: int) -> bool:
    """A bare word in keyword position: not a property (`n.set`), label (`:Set`), parameter or map key."""
    if toks[k].kind != "word":
        return False
    prev = toks[k - 1].text if k > 0 and toks[k - 1].kind == "punct" else ""
    nxt = toks[k + 1].text if k + 1 < len(toks) and toks[k + 1].kind == "punct" else ""
    if prev in {".", ":"}:
        return False
    # Followed by '.' or ':' it is a variable (`load.load_id`, `(set:Label)`) or a map key: no clause looks like that.
    return nxt not in {".", ":"}


def _dotted_name(toks: list[Token], k: int) -> tuple[str, int]:
    """The dotted name starting at token k (words or `quoted` parts) and the index after it."""
    parts: list[str] = []
    while k < len(toks) and toks[k].kind in {"word", "name"}:
        parts.append(toks[k].text)
        if k + 2 < len(toks) and toks[k + 1].text == "." and toks[k + 1].kind == "punct":
            k += 2
        else:
            k += 1
            break
    return ".".join(parts), k


def _function_allowed(name: str) -> bool:
    lower = name.lower()
    if lower in SAFE_FUNCTIONS or lower.split(".")[0] in SAFE_FUNCTION_NAMESPACES:
        return True
    return lower.startswith("apoc.") and lower.startswith(SAFE_APOC_FUNCTION_PREFIXES)


def ensure_read_only_text(cypher: str) -> None:
    """Refuse, with a sentence, any query whose text could write or reach outside the graph."""
    toks = tokens(cypher)
    meaningful = [t for t in toks if not (t.kind == "punct" and t.text == ";")]
    if not meaningful:
        raise NotReadOnly("The query is empty.", "refuse.empty")
    # Several statements: a ';' with anything after it.
    for k, tok in enumerate(toks):
        if tok.kind == "punct" and tok.text == ";" and any(not (t.kind == "punct" and t.text == ";") for t in toks[k:]):
            raise NotReadOnly(
                "Only one statement can run at a time: remove the ';' between statements.", "refuse.statements"
            )
    first = meaningful[0].upper
    if first in PREFIX_KEYWORDS:
        raise NotReadOnly(PREFIX_KEYWORDS[first] + ".", f"refuse.prefix.{first}")
    words = [(k, t.upper) for k, t in enumerate(toks) if _is_keyword(toks, k)]
    uppers = {w for _, w in words}
    if any(word == "LOAD" and k + 1 < len(toks) and toks[k + 1].upper == "CSV" for k, word in words):
        raise NotReadOnly(
            "LOAD CSV is refused here: it reads files or URLs from the server; "
            "load exports through the Load data page or `python -m loaders`.",
            "refuse.load_csv",
        )
    for k, word in words:
        # IN TRANSACTIONS, IN CONCURRENT TRANSACTIONS, IN 4 CONCURRENT TRANSACTIONS, IN $n CONCURRENT ...
        if word == "TRANSACTIONS" and any(t.upper == "IN" for t in toks[max(0, k - 3) : k]):
            raise NotReadOnly(
                "CALL ... IN TRANSACTIONS is refused: it commits in batches and is only used to write.",
                "refuse.transactions",
            )
    if "USE" in uppers:
        raise NotReadOnly(
            "USE is refused: queries run against the configured database only, never `system` or another.",
            "refuse.use",
        )
    for k, word in words:
        if word == "SHOW":
            _check_show(toks, k)
        elif word in {"CALL"}:
            _check_call(toks, k)
    for _k, word in words:
        if word in WRITE_KEYWORDS:
            raise NotReadOnly(
                f"The query uses {word}, which is refused because {WRITE_KEYWORDS[word]}; "
                "investigations and the console only read.",
                "refuse.write",
                word=word,
                why=f"@refuse.why.{word}",
            )
    _check_functions(toks)


def _check_show(toks: list[Token], k: int) -> None:
    j = k + 1
    while j < len(toks) and toks[j].upper in SHOW_QUALIFIERS:
        j += 1
    target = toks[j].upper if j < len(toks) else ""
    if target not in SHOW_ALLOWED:
        shown = " ".join(t.text for t in toks[k : j + 1] if t.kind == "word")
        raise NotReadOnly(
            f"{shown} is an administration command and is refused here; "
            "only SHOW INDEXES, CONSTRAINTS, PROCEDURES and FUNCTIONS are allowed.",
            "refuse.show",
            command=shown,
        )


def _check_call(toks: list[Token], k: int) -> None:
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    if nxt is None:
        raise NotReadOnly("CALL without a procedure or subquery is refused.", "refuse.call_empty")
    if nxt.kind == "punct" and nxt.text in "{(":
        return  # a subquery: its clauses are checked like the rest of the query
    name, _ = _dotted_name(toks, k + 1)
    if not name:
        raise NotReadOnly(
            "CALL must name a procedure or open a subquery; anything else is refused.", "refuse.call_name"
        )
    if name.lower() not in READ_ONLY_PROCEDURES:
        root = name.split(".")[0].lower()
        why = {
            "dbms": "dbms procedures administer the server",
            "apoc": "this APOC procedure can write, or reach files or the network",
            "gds": "Graph Data Science procedures change the projected-graph catalogue or write results",
        }.get(root, "it is not on the read-only list")
        reason = root if root in {"dbms", "apoc", "gds"} else "other"
        raise NotReadOnly(
            f"The procedure {name} is refused: {why}.", "refuse.procedure", name=name, why=f"@refuse.procedure.{reason}"
        )


def _check_functions(toks: list[Token]) -> None:
    """Namespaced function calls (`ns.fn(`) outside CALL must be on the safe list."""
    k = 0
    while k < len(toks):
        tok = toks[k]
        starts_name = tok.kind in {"word", "name"} and not (
            k > 0 and toks[k - 1].kind == "punct" and toks[k - 1].text in {".", ":"}
        )
        after_call = k > 0 and toks[k - 1].upper == "CALL"
        if starts_name and not after_call:
            name, end = _dotted_name(toks, k)
            is_call = end < len(toks) and toks[end].kind == "punct" and toks[end].text == "("
            if is_call and ("." in name) and not _function_allowed(name):
                raise NotReadOnly(
                    f"The function {name} is refused: it is not on the list of functions that only compute values.",
                    "refuse.function",
                    name=name,
                )
            k = max(end, k + 1)
        else:
            k += 1


def ensure_read_only_plan(summary: ResultSummary) -> None:
    """Refuse unless Neo4j's EXPLAIN says the query only reads."""
    if summary.query_type != "r":
        kinds = {"w": "writes data", "rw": "reads and writes data", "s": "changes the schema"}
        kind = summary.query_type if summary.query_type in kinds else "other"
        raise NotReadOnly(
            f"Neo4j reports that this query {kinds.get(summary.query_type or '', 'is not a plain read')}; it is refused.",
            "refuse.plan",
            what=f"@refuse.plan.{kind}",
        )
