"""Alert rules: one `.cypher` file each in `cypher/alerts/`, with the typed header of a saved investigation.

A rule is parsed and validated by the investigations' own catalog (`explorer.catalog`): the header is
well formed, the `$params` used equal the declared ones, and, given a graph, EXPLAIN says the query only
reads. On top of that a rule must take the load it checks as `$load_id` and return the alert columns
`evidence` (the keys that make the alert's identity), `rings`, `summary` and `sources` (the
`<load id>#<row>` tags behind it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.catalog import CYPHER_DIR, Investigation, parse_investigation
from explorer.db import Graph, Result
from explorer.exceptions import InvalidInvestigation

RULES_DIR = CYPHER_DIR / "alerts"
RULE_COLUMNS = ["evidence", "rings", "summary", "sources"]
LOAD_PARAM = "load_id"


@dataclass
class Rule:
    """One alert rule: the investigation that finds what a load brought."""

    investigation: Investigation

    @property
    def name(self) -> str:
        return self.investigation.name

    @property
    def title(self) -> str:
        return self.investigation.title

    @property
    def description(self) -> str:
        return self.investigation.description

    def run(self, graph: Graph, load_id: str, **params: Any) -> Result:
        """The rule on one load (read-only), with its declared defaults for the other parameters."""
        return self.investigation.run(graph, **{LOAD_PARAM: load_id, **params})


def parse_rule(path: Path | str) -> Rule:
    """Parse one rule file and check it has the shape of a rule (no database needed)."""
    inv = parse_investigation(path)
    if inv.columns != RULE_COLUMNS:
        raise InvalidInvestigation(
            f"{inv.path}:1: an alert rule returns the columns {RULE_COLUMNS}, but this one declares {inv.columns}."
        )
    load = next((p for p in inv.params if p.name == LOAD_PARAM), None)
    if load is None or load.type != "string" or not load.required:
        raise InvalidInvestigation(
            f"{inv.path}:1: an alert rule takes the load it checks as a required string parameter ${LOAD_PARAM}."
        )
    return Rule(inv)


# Rules already checked on a server, by (server, database, files and their modification times): the
# loaders evaluate the rules after every export and need not EXPLAIN unchanged files each time.
_CHECKED: dict[tuple[Any, ...], dict[str, Rule]] = {}


def load_rules(graph: Graph | None = None, directory: Path | str = RULES_DIR) -> dict[str, Rule]:
    """Every rule of `directory` by name (file stem), parsed; with `graph`, each checked by EXPLAIN too.

    Raises InvalidInvestigation naming the file and line of the first problem.
    """
    paths = sorted(Path(directory).glob("*.cypher"))
    key = None
    if graph is not None:
        key = (graph.settings.uri, graph.database, tuple((str(p), p.stat().st_mtime_ns) for p in paths))
        if key in _CHECKED:
            return dict(_CHECKED[key])
    rules = [parse_rule(p) for p in paths]
    if graph is not None:
        for rule in rules:
            rule.investigation.validate(graph)
    found = {rule.name: rule for rule in rules}
    if key is not None:
        _CHECKED[key] = dict(found)
    return found
