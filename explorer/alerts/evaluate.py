"""Running the rules: on what one load added (after every load), or on every load not yet seen (cron).

Each rule reads the graph through the read-only path; what it finds becomes alerts in the analysts'
store (explorer.analyst_store), whose identity (rule + evidence keys) keeps the same change from
raising the same alert twice. New alerts go to the webhook when one is set.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.alerts import queries
from explorer.alerts.rules import Rule, load_rules
from explorer.alerts.summary import sentence
from explorer.alerts.webhook import DeliveryFailed, deliver
from explorer.analyst_store import STORE_FILE, Alert, AnalystStore, Source
from explorer.db import Graph
from explorer.exceptions import ExplorerError
from explorer.model import STATE_PARAM_TYPES

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What an evaluation did: loads and rules seen, alerts raised (new only), timings."""

    loads: list[str] = field(default_factory=list)
    raised: list[Alert] = field(default_factory=list)
    found: int = 0  # alerts the rules returned, new or not
    seconds: float = 0.0
    delivered: int = 0
    delivery_error: str | None = None


def _tags(tags: Iterable[str], load_id: str) -> list[tuple[str, int]]:
    """`<load id>#<row>` tags as (load, row); the load itself (row 0) when no tag names a row."""
    pairs: list[tuple[str, int]] = []
    for tag in tags:
        if not tag:
            continue
        load, _, row = str(tag).rpartition("#")
        pairs.append((load, int(row)) if load and row.isdigit() else (str(tag), 0))
    return list(dict.fromkeys(pairs)) or [(load_id, 0)]


def _plain(value: Any) -> Any:
    """A fact as the store keeps it (JSON): text, a number or a truth value; anything else as text."""
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def evaluate_load(
    graph: Graph,
    load_id: str,
    store: AnalystStore,
    rules: Mapping[str, Rule] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    webhook: str | None = None,
) -> Outcome:
    """Every rule on what the load `load_id` added; store the alerts; return the new ones.

    `params` gives, per rule name, parameters other than the defaults of its header.
    """
    started = time.perf_counter()
    rules = rules if rules is not None else load_rules(graph)
    outcome = Outcome(loads=[load_id])
    found: list[tuple[Alert, list[tuple[str, int]]]] = []
    for rule in rules.values():
        # The analyst state a rule sees (the watch list) is this store's, as are the alerts it raises.
        given = {p.name: store.state(p.type) for p in rule.investigation.params if p.type in STATE_PARAM_TYPES}
        result = rule.run(graph, load_id, **{**given, **dict((params or {}).get(rule.name, {}))})
        for row in result.rows():
            evidence = [str(e) for e in row["evidence"] or [] if e is not None]
            if not evidence:
                continue
            said = row["summary"]
            facts = {str(k): _plain(v) for k, v in said.items()} if isinstance(said, dict) else {}
            alert = Alert(rule=rule.name, title=rule.title, evidence=evidence,
                          rings=[str(r) for r in row["rings"] or [] if r is not None],
                          summary=sentence(rule.name, facts) if facts else str(said or ""),
                          sources=[], load_id=load_id, facts=facts)  # fmt: skip
            found.append((alert, _tags(row["sources"] or [], load_id)))
    # The files behind every alert's rows, in one read.
    loads = sorted({load for _, pairs in found for load, _ in pairs})
    files = {r["load_id"]: r["file"] for r in graph.read(queries.LOAD_FILES, {"load_ids": loads}, checked=True).records}
    for alert, pairs in found:
        alert.sources = [Source(load, files.get(load, load), row) for load, row in pairs]
    unique = list({a.alert_id: a for a, _ in reversed(found)}.values())[::-1]  # first of each identity, in order
    outcome.found = len(unique)
    outcome.raised = store.add(unique)
    store.mark_evaluated(load_id, rules)
    outcome.seconds = time.perf_counter() - started
    _deliver(graph, outcome, webhook)
    return outcome


def _deliver(graph: Graph, outcome: Outcome, webhook: str | None) -> None:
    url = webhook if webhook is not None else graph.settings.alert_webhook
    if not url or not outcome.raised:
        return
    try:
        outcome.delivered = deliver(url, outcome.raised)
    except DeliveryFailed as e:
        # The alerts are stored whatever the agency system says; the analyst still sees them in the app.
        outcome.delivery_error = str(e)
        log.warning("%s", e)


def run_pending(
    graph: Graph,
    store: AnalystStore,
    *,
    everything: bool = False,
    webhook: str | None = None,
) -> Outcome:
    """Every rule on every completed load it has not seen yet (with `everything`, on every load again).

    Idempotent: a second run finds nothing to evaluate, and evaluating again raises nothing already raised.
    """
    started = time.perf_counter()
    rules = load_rules(graph)
    total = Outcome()
    for load in graph.read(queries.COMPLETED_LOADS, checked=True).rows():
        seen = set() if everything else store.evaluated(load["load_id"])
        pending = {name: rule for name, rule in rules.items() if name not in seen}
        if not pending:
            continue
        outcome = evaluate_load(graph, load["load_id"], store, pending, webhook=webhook)
        total.loads.append(load["load_id"])
        total.raised += outcome.raised
        total.found += outcome.found
        total.delivered += outcome.delivered
        total.delivery_error = outcome.delivery_error or total.delivery_error
    total.seconds = time.perf_counter() - started
    return total


def after_load(
    graph: Graph, load_id: str, store: AnalystStore | None = None, enabled: bool | None = None
) -> Outcome | None:
    """The hook the loaders call after a load: the rules on what it added, unless alerts are off
    (`enabled`, else the EXPLORER_ALERTS setting).

    A rule that fails does not fail the load: it is logged, and `python -m explorer.alerts run`
    evaluates the load later (it is not marked as seen).
    """
    if not (graph.settings.alerts if enabled is None else enabled):
        return None
    try:
        return evaluate_load(graph, load_id, store or AnalystStore(graph.settings.var_dir / STORE_FILE))
    except (ExplorerError, sqlite3.Error, OSError) as e:  # the load is written; alerts catch up on the next run
        log.warning("Alert rules on load %s failed (run `python -m explorer.alerts run` later): %s", load_id, e)
        return None
