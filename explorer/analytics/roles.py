"""Roles of ring and group members, each a claim with its reason, or none where the data says too little."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from explorer import analytics_queries as q
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
        unit.role, unit.role_reason = None, None
        if unit.ring_id is None:
            continue
        by_ring.setdefault(unit.ring_id, []).append(unit)
        b = behaviour.get(unit.id, {})
        posts, sent, received = b.get("posts", 0), b.get("parcels_sent", 0), b.get("parcels_received", 0)
        t_in, t_out = b.get("transfers_in", 0), b.get("transfers_out", 0)
        if posts >= 1:
            unit.role, unit.role_reason = "seller", f"posted {posts} adverts"
        elif sent >= 2 and sent > received:
            unit.role, unit.role_reason = "courier", f"sent {sent} parcels (received {received})"
        elif t_in >= 3 and t_out >= 1:
            unit.role, unit.role_reason = "mule", f"received {t_in} transfers and made {t_out}"
    for ring_id, members in by_ring.items():
        info = analysis.rings[ring_id]
        kind = info.get("kind", "ring")
        others = len(members) - 1
        open_ = [u for u in members if u.role is None]
        if open_:
            top = max(open_, key=lambda u: (strength.get(u.id, 0.0), u.ties_inside, u.betweenness, u.key))
            if top.ties_inside >= 2 and top.ties_inside >= options.organiser_reach * others:
                top.role = "organiser"
                top.role_reason = (
                    f"tied directly to {top.ties_inside} of the {others} other members, the most tie weight "
                    f"inside the {kind} ({strength.get(top.id, 0.0):.1f}), without selling, shipping or moving money"
                )
        bridges = sorted(
            (u for u in members if u.role is None and u.brokerage >= 2 and u.balanced_broker),
            key=lambda u: (-u.brokerage_weight, u.key),
        )
        for u in bridges[: max(1, int(options.max_broker_share * len(members)))]:
            u.role = "broker"
            bridging = (u.reason or "").partition("; bridges ")[2]
            u.role_reason = f"ties of weight {u.brokerage_weight:.1f} beyond its {kind}; bridges {bridging}"
        for u in members:
            if u.role is None:
                u.role = "member"
                u.role_reason = (
                    f"tied to {u.ties_inside} of the {others} other members; no behaviour or position sets it apart"
                )
        tally: dict[str, int] = {}
        for u in members:
            tally[u.role or "member"] = tally.get(u.role or "member", 0) + 1
        info["roles"] = ", ".join(f"{r}: {tally[r]}" for r in ROLE_ORDER if r in tally)


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
