"""A crackdown plan in words: each person's reason, the strategies side by side, as JSON or a table."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from explorer import audit
from explorer.crackdown.network import Scope, pull_network
from explorer.crackdown.search import STRATEGIES, CrackdownResult, Evaluator, Network, SearchOptions, plan_crackdown
from explorer.db import Graph
from explorer.explain import phrase, say
from explorer.i18n import text
from explorer.subgraph import GraphEdge, GraphNode, Subgraph

STRATEGY_TITLES = {
    "degree": "degree",
    "betweenness": "betweenness (once)",
    "betweenness_recomputed": "betweenness (recomputed)",
    "greedy": "greedy",
    "plan": "plan (set search)",
}


@dataclass(frozen=True)
class Arrest:
    """One person of the plan, in the order to act."""

    index: int  # vertex in the network
    key: str
    name: str
    id: str | None  # element id in the evidence graph
    reason: str  # in the language asked for; `facts` are its facts (explorer.explain)
    facts: list[dict[str, Any]] = field(default_factory=list)


def explain(result: CrackdownResult, k: int | None = None, lang: str = "en") -> list[Arrest]:
    """Why each person of the plan (for k people; default the largest k) is in it: what their removal cuts,
    after those before them, in `lang`."""
    network = result.network
    ev = Evaluator(network)
    plan = result.plan_for(k)
    final = ev.outcome(plan)
    arrests: list[Arrest] = []
    for i, v in enumerate(plan):
        before = plan[:i]
        keep = [u for u in range(network.size) if u not in set(before)]
        parts = ev.graph.induced_subgraph(keep).connected_components()
        at = keep.index(v)
        group = next(c for c in parts if at in c)
        members = [keep[j] for j in group if keep[j] != v]
        size = len(group)
        pieces = sorted(ev.graph.induced_subgraph(members).connected_components().sizes(), reverse=True)
        if len(pieces) >= 2:
            cut_off = size - 1 - pieces[0]
            why = [phrase("cut.separates", people=cut_off, size=size, parts=len(pieces), largest=pieces[0])]
        elif size > 1:
            why = [phrase("cut.one_out", size=size)]
        else:
            why = [phrase("cut.alone")]
        if i:
            why[0]["after"] = True
        without = ev.outcome([u for u in plan if u != v])
        if without.lcc > final.lcc:
            why.append(phrase("cut.needed", without=without.lcc, final=final.lcc))
        cut_now, cut_before = ev.outcome(plan[: i + 1]).buyers_cut, ev.outcome(before).buyers_cut
        if cut_now is not None and cut_before is not None and cut_now > cut_before:
            why.append(phrase("cut.buyers", n=cut_now - cut_before))
        ident = network.ids[v] if network.ids else None
        arrests.append(Arrest(v, network.keys[v], network.names[v], ident, say(why, lang), why))
    return arrests


def components_subgraph(network: Network, removed: Collection[int], lang: str = "en") -> Subgraph:
    """The network as a picture's subgraph: the removed people kept (without their ties) and marked, every
    group left a colour of its own (`ring_id` carries the group, so `color_by="ring"` colours them)."""
    gone = set(removed)
    ev = Evaluator(network)
    keep = [v for v in range(network.size) if v not in gone]
    parts = ev.graph.induced_subgraph(keep).connected_components()
    label: dict[int, str] = {v: text("crackdown.removed", lang) for v in gone}
    for rank, group in enumerate(sorted(parts, key=len, reverse=True), start=1):
        name = (
            text("crackdown.group", lang, n=rank, size=len(group)) if len(group) > 1 else text("crackdown.alone", lang)
        )
        label.update((keep[j], name) for j in group)
    ids = network.ids or network.keys
    out = Subgraph()
    for v in range(network.size):
        props = {"name": network.names[v], "key": network.keys[v], "ring_id": label[v]}
        out.add_node(GraphNode(ids[v], ["Person"], props))
    for a, b in network.edges:
        if a not in gone and b not in gone:
            out.add_edge(GraphEdge(f"{ids[a]}~{ids[b]}", ids[a], ids[b], "TIE", {}))
    return out


def crackdown(graph: Graph, scope: Scope | None, k: int, options: SearchOptions | None = None) -> CrackdownResult:
    """Read the scope's person graph (read-only) and plan k removals with every strategy.

    Recorded in the audit trail (scope, k, duration, outcome).
    """
    scope = scope or Scope()
    with audit.timed("analytics", f"crackdown plan for {scope.describe()}", {"k": k}) as entry:
        result = plan_crackdown(pull_network(graph, scope), k, options)
        entry.rows = len(result.plan)
    return result


def as_json(result: CrackdownResult) -> dict[str, Any]:
    """The plan with reasons, and each strategy's outcome for k = 1..K."""
    return {
        "plan": [{"name": a.name, "key": a.key, "reason": a.reason} for a in explain(result)],
        "strategies": {
            name: [o.as_dict() for o in result.strategies[name].outcomes]
            for name in STRATEGIES
            if name in result.strategies
        },
    }


def curves(result: CrackdownResult) -> dict[str, list[float]]:
    """Share of the largest component left, per strategy, for k = 0..K (k = 0: nothing removed)."""
    start = 1.0 if result.network.edges or result.network.size else 0.0
    return {
        STRATEGY_TITLES[name]: [start] + [o.lcc_share for o in result.strategies[name].outcomes]
        for name in STRATEGIES
        if name in result.strategies
    }


def as_table(result: CrackdownResult) -> str:
    """A readable table: the plan with reasons, then the largest component's share per strategy and k."""
    network = result.network
    lines = [f"{network.size} people, {len(network.edges)} ties"
             + (f", {network.left_out} hubs left out" if network.left_out else "")]  # fmt: skip
    lines.append("")
    lines.append("Plan (in the order to act):")
    for i, a in enumerate(explain(result), start=1):
        lines.append(f"  {i:>2}. {a.name} [{a.key}]: {a.reason}")
    k = len(result.plan)
    lines.append("")
    lines.append("Largest component left (share of the original) after k removals:")
    width = max(len(t) for t in STRATEGY_TITLES.values())
    lines.append(" " * (width + 2) + "".join(f"{f'k={i}':>8}" for i in range(1, k + 1)))
    for name in STRATEGIES:
        outcomes = result.strategies[name].outcomes
        lines.append(f"  {STRATEGY_TITLES[name]:<{width}}" + "".join(f"{o.lcc_share:>8.3f}" for o in outcomes))
    buyers = result.strategies["plan"].outcomes[-1].buyers_cut if k else None
    if buyers is not None:
        lines.append("")
        lines.append(f"Buyers cut off from every source by the plan: {buyers}")
    return "\n".join(lines)
