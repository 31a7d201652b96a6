"""Roles of ring and group members, each a claim with its reason, or none where the data says too little."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from explorer import analytics_queries as q
from explorer import explain
from explorer.analytics.options import ROLE_ORDER, Options
from explorer.analytics.results import Analysis, Unit
from explorer.db import Graph


def assign_roles(
    analysis: Analysis, behaviour: Mapping[str, Mapping[str, int]], options: Options | None = None
) -> None:
    """Roles of ring and group members, each with its reason; `behaviour` maps unit id to counts.

    In order of evidence: what a member does (seller: posts adverts; courier: sends parcels; mule: money
    in from several payers and out again); then position. Organiser: the member with the most tie
    weight inside, when it is tied directly to at least `organiser_reach` of the others (a hub of its
    community, not merely its busiest corner). Broker: ties of real weight into two or more communities
    (see `Unit.balanced_broker`), at most `max_broker_share` of a community, the strongest bridges first.
    Everyone else is a plain member: the data shows no role.
    """
    options = options or Options()
    strength = analysis.strength_inside
    by_ring: dict[str, list[Unit]] = {}
    for unit in analysis.units:
        _give(unit, None, None)
        if unit.ring_id is None:
            continue
        by_ring.setdefault(unit.ring_id, []).append(unit)
        b = behaviour.get(unit.id, {})
        posts, sent, received = b.get("posts", 0), b.get("parcels_sent", 0), b.get("parcels_received", 0)
        t_in, t_out = b.get("transfers_in", 0), b.get("transfers_out", 0)
        if posts >= 1:
            _give(unit, "seller", explain.phrase("seller", n=posts))
        elif sent >= 2 and sent > received:
            _give(unit, "courier", explain.phrase("courier", n=sent, received=received))
        elif t_in >= 3 and t_out >= 1:
            _give(unit, "mule", explain.phrase("mule", n=t_in, made=t_out))
    for ring_id, members in by_ring.items():
        info = analysis.rings[ring_id]
        kind = info.get("kind", "ring")
        others = len(members) - 1
        open_ = [u for u in members if u.role is None]
        if open_:
            top = max(open_, key=lambda u: (strength.get(u.id, 0.0), u.ties_inside, u.betweenness, u.key))
            if top.ties_inside >= 2 and top.ties_inside >= options.organiser_reach * others:
                why = explain.phrase(
                    "organiser", n=top.ties_inside, others=others, kind=kind, strength=strength.get(top.id, 0.0)
                )
                _give(top, "organiser", why)
        bridges = sorted(
            (u for u in members if u.role is None and u.brokerage >= 2 and u.balanced_broker),
            key=lambda u: (-u.brokerage_weight, u.key),
        )
        for u in bridges[: max(1, int(options.max_broker_share * len(members)))]:
            bridged = next((p["bridged"] for p in u.reason_facts or [] if p["say"] == "bridges"), [])
            _give(u, "broker", explain.phrase("broker", weight=u.brokerage_weight, kind=kind, bridged=bridged))
        for u in members:
            if u.role is None:
                _give(u, "member", explain.phrase("member", n=u.ties_inside, others=others))
        tally: dict[str, int] = {}
        for u in members:
            tally[u.role or "member"] = tally.get(u.role or "member", 0) + 1
        info["roles_facts"] = [explain.phrase("role_count", role=r, n=tally[r]) for r in ROLE_ORDER if r in tally]
        info["roles"] = explain.say(info["roles_facts"])


def _give(unit: Unit, role: str | None, why: dict[str, Any] | None) -> None:
    """The unit's role, its reason's facts and their English sentence."""
    unit.role = role
    unit.role_facts = [why] if why else None
    unit.role_reason = explain.say(unit.role_facts) if why else None


def pull_behaviour(graph: Graph, unit_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """What each unit does (adverts, parcels, transfers) on the identifiers it holds, for its role."""
    out: dict[str, dict[str, int]] = {}
    for start in range(0, len(unit_ids), 5000):
        batch = list(unit_ids[start : start + 5000])
        for eid, posts, sent, received, t_in, t_out in graph.stream(q.MEMBER_BEHAVIOUR, {"ids": batch}):
            out[eid] = {
                "posts": posts,
                "parcels_sent": sent,
                "parcels_received": received,
                "transfers_in": t_in,
                "transfers_out": t_out,
            }
    return out
