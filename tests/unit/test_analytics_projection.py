"""The analytics on hand-made projections (no database): rings, hubs, brokerage, stable ids."""

from __future__ import annotations

import numpy as np

from explorer.analytics import Options, Projection, analyse, assign_roles, ring_id_for
from explorer.catalog import CYPHER_DIR, parse_investigation


def projection(edges: list[tuple[int, int, float]], n: int, kind: str = "CALLED") -> Projection:
    src = np.array([min(a, b) for a, b, _ in edges], dtype=np.int64)
    dst = np.array([max(a, b) for a, b, _ in edges], dtype=np.int64)
    return Projection(
        ids=[f"e{i}" for i in range(n)],
        labels=["Person"] * n,
        keys=[f"p:{i:02d}" for i in range(n)],
        names=[f"n{i}" for i in range(n)],
        src=src,
        dst=dst,
        kind=np.zeros(len(edges), dtype=np.int64),
        count=np.array([c for _, _, c in edges], dtype=float),
        kinds=[kind],
    )


def two_cliques_and_a_broker() -> list[tuple[int, int, float]]:
    edges = []
    for group in ((0, 1, 2, 3), (4, 5, 6, 7)):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                edges.append((a, b, 6.0))
    # 8 is tied to two members of each clique, equally.
    edges += [(8, 0, 3.0), (8, 1, 3.0), (8, 4, 3.0), (8, 5, 3.0)]
    return edges


def test_two_planted_rings_and_their_broker():
    # At the classic resolution the broker joins one of the rings, so it gets a role there.
    analysis = analyse(projection(two_cliques_and_a_broker(), 9), Options(resolution=1.0))
    rings = {}
    for u in analysis.units:
        rings.setdefault(u.ring_id, set()).add(u.key)
    groups = sorted(sorted(m) for m in rings.values())
    assert ["p:00", "p:01", "p:02", "p:03"] in [g[:4] for g in groups]
    assert ["p:04", "p:05", "p:06", "p:07"] in [g[:4] for g in groups]
    top = analysis.ranked("brokerage_weight", 1)[0]
    assert top.key == "p:08" and top.brokerage == 2 and top.balanced_broker
    assert analysis.ranked("betweenness", 1)[0].key == "p:08"
    assign_roles(analysis, {})
    assert {u.key: u.role for u in analysis.units}["p:08"] == "broker"


def test_ring_id_is_stable_and_ignores_member_order():
    assert ring_id_for(["p:03", "p:01", "p:02"]) == ring_id_for(["p:01", "p:02", "p:03", "p:09"])
    assert ring_id_for(["p:01"]).startswith("ring-") and len(ring_id_for(["p:01"])) == 15


def test_hubs_are_left_out():
    edges = two_cliques_and_a_broker() + [(9, i, 1.0) for i in range(9)]
    analysis = analyse(projection(edges, 10), Options(max_degree=8))
    assert analysis.hubs == ["p:09"]
    assert "p:09" not in {u.key for u in analysis.units}


def test_a_person_only_the_ring_talks_to_is_a_member_a_contact_with_ties_elsewhere_is_not():
    # 9 is tied to ring member 0 alone; 10 to member 0 and to 11, who is tied to nobody in a ring.
    edges = two_cliques_and_a_broker() + [(9, 0, 1.0), (10, 0, 1.0), (10, 11, 1.0)]
    analysis = analyse(projection(edges, 12), Options(resolution=1.0))
    ring_of = {u.key: u.ring_id for u in analysis.units}
    assert ring_of["p:09"] == ring_of["p:00"] is not None
    assert ring_of["p:10"] is None


def test_an_identifier_known_from_one_link_stays_an_associate():
    edges = two_cliques_and_a_broker() + [(9, 0, 1.0)]
    pulled = projection(edges, 10)
    pulled.labels[9] = "Phone"
    leaf = next(u for u in analyse(pulled, Options(resolution=1.0)).units if u.key == "p:09")
    assert leaf.ring_id is None


def test_without_signal_communities_are_groups_and_each_has_a_tie_inside():
    analysis = analyse(projection(two_cliques_and_a_broker(), 9), Options(resolution=1.0))
    assert {info["kind"] for info in analysis.rings.values()} == {"group"}
    assert all(info["internal_links"] >= 1 for info in analysis.rings.values())
    declared = analyse(projection(two_cliques_and_a_broker(), 9), Options(resolution=1.0, require_signal=False))
    assert {info["kind"] for info in declared.rings.values()} == {"ring"}


def test_weighted_betweenness_takes_the_strong_detour():
    # 0-1-2 by weak direct ties (weight 1 each) and 0-3-2 by strong ones: by hops both paths are equal,
    # by strength (distance 1 / weight) every shortest path from 0 to 2 runs through 3.
    edges = [(0, 1, 1.0), (1, 2, 1.0), (0, 3, 50.0), (3, 2, 50.0)]
    units = {u.key: u for u in analyse(projection(edges, 4), Options(resolution=1.0)).units}
    assert units["p:01"].betweenness == units["p:03"].betweenness == 0.5
    assert units["p:03"].betweenness_weighted == 1.0 and units["p:01"].betweenness_weighted == 0.0


def test_the_default_ranking_follows_betweenness_and_says_why():
    analysis = analyse(projection(two_cliques_and_a_broker(), 9), Options(resolution=1.0))
    first = analysis.ranked(limit=1)[0]
    assert first.rank == 1 and first.key == "p:08"
    assert first.reason.startswith("lies on ") and "% of shortest paths between others" in first.reason
    assert [u.rank for u in analysis.ranked()] == list(range(1, len(analysis.units) + 1))


def test_brokers_are_capped_and_a_hub_of_its_ring_is_its_organiser():
    # A star: 0 tied to 1..5, who are tied in a chain; 6..8 a second group bridged by 1 and 2.
    edges = [(0, i, 5.0) for i in range(1, 6)] + [(1, 2, 2.0), (2, 3, 2.0), (3, 4, 2.0), (4, 5, 2.0)]
    edges += [(6, 7, 5.0), (7, 8, 5.0), (6, 8, 5.0), (1, 6, 5.0), (1, 7, 5.0), (2, 7, 5.0), (2, 8, 5.0)]
    analysis = analyse(projection(edges, 9), Options(resolution=1.0))
    assign_roles(analysis, {})
    by_ring: dict[str, list] = {}
    for u in analysis.units:
        by_ring.setdefault(u.ring_id, []).append(u)
    for members in by_ring.values():
        brokers = [u for u in members if u.role == "broker"]
        assert len(brokers) <= max(1, int(0.2 * len(members)))
        assert all(u.role_reason for u in members)
    assert {u.key: u.role for u in analysis.units}["p:00"] == "organiser"


def test_resolution_is_the_partition_most_like_the_others():
    from explorer.analytics import most_stable

    def cand(labels):
        return (0.0, None, np.array(labels), None, None)

    merged = cand([0, 0, 0, 0, 0, 0, 0, 0])  # low resolution: two rings merged
    split = cand([0, 0, 0, 0, 1, 1, 1, 1])  # the two rings
    split_again = cand([0, 0, 0, 0, 1, 1, 1, 1])
    shattered = cand([0, 0, 1, 1, 2, 2, 3, 3])  # high resolution: rings cut apart
    assert most_stable([merged, split, split_again, shattered]) == 1
    # A resolution at which ring members fall out of every ring is not a candidate, however alike.
    lost = cand([0, 0, 0, -1, -1, -1, -1, -1])
    assert most_stable([merged, lost, lost, lost]) == 0


def test_an_organiser_called_by_two_outside_brokers_bridges_nothing_itself():
    from explorer.analytics.ranking import _brokerage

    # Rings A (0-3) and B (4-7); brokers 8 and 9 sit in B and are tied to A's organiser 0 and member 1 as
    # strongly as to B's 4 and 5. Seen from 0, two members of B (the brokers) are within reach.
    edges = [(a, b, 6.0) for group in ((0, 1, 2, 3), (4, 5, 6, 7)) for i, a in enumerate(group) for b in group[i + 1 :]]
    edges += [(x, y, 3.0) for x in (8, 9) for y in (0, 1, 4, 5)]
    a = np.array([e[0] for e in edges])
    b = np.array([e[1] for e in edges])
    ring_of = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    brokerage, weight, connects, balanced = _brokerage(a, b, np.array([e[2] for e in edges]), ring_of, 10, Options())
    assert brokerage[0] == brokerage[1] == 0 and weight[0] == weight[1] == 0.0
    assert brokerage[8] == brokerage[9] == 2 and weight[8] == weight[9] == 6.0
    assert connects[8] == [1, 0] and balanced[8] and balanced[9]


def test_members_gained_at_a_higher_resolution_do_not_rule_out_the_lower_ones():
    from explorer.analytics import most_stable

    def cand(labels):
        return (0.0, None, np.array(labels), None, None)

    # Two rings kept whole at the two lower resolutions; higher up, ring 0 is cut in two and an ordinary
    # crowd (the last four units) falls into pieces that pass for rings, so more units are in rings.
    whole = cand([0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1])
    cut = cand([0, 0, 2, 2, 1, 1, 1, 1, 3, 3, 4, 4])
    assert most_stable([whole, whole, cut]) == 0


def test_the_trade_signal_draws_the_drop_line_the_investigation_draws():
    """The analytics' collection-point line and the saved investigation `drop_addresses` keep one set of values."""
    drops = parse_investigation(CYPHER_DIR / "drop_addresses.cypher")
    options = Options()
    assert drops.param("collection_parcels").default == options.drop_collection_parcels
    assert drops.param("min_out_share").default == options.drop_min_out_share


def test_the_automatic_hub_limit_spares_persons():
    # 9 (a person) and 10 (a phone nobody holds) each have 120 contacts: over the automatic limit of 100.
    # The phone is a hub such as a courier depot's; the person (an organiser with many buyers) is kept.
    edges = two_cliques_and_a_broker() + [(9, i, 1.0) for i in range(11, 131)] + [(10, i, 1.0) for i in range(11, 131)]
    edges += [(9, i, 6.0) for i in range(4)]
    p = projection(edges, 131)
    p.labels[10] = "Phone"
    analysis = analyse(p)
    assert analysis.hubs == ["p:10"]
    assert "p:09" in {u.key for u in analysis.units}
    explicit = analyse(p, Options(max_degree=100))
    assert sorted(explicit.hubs) == ["p:09", "p:10"]


def test_a_ring_cut_the_same_way_at_every_higher_resolution_is_two_rings():
    from explorer.analytics.communities import persistent_splits

    def candidate(gamma: float, parts: list[list[int]]):
        ring_of = np.full(30, -1, dtype=np.int64)
        for r, part in enumerate(parts):
            ring_of[part] = r
        return (gamma, ring_of, ring_of, [np.array(p) for p in parts], [{"kind": "ring", "at": gamma, "r": r}
                                                                        for r in range(len(parts))])  # fmt: skip

    pair, whole, late = list(range(0, 8)), list(range(10, 22)), list(range(22, 30))
    candidates = [
        candidate(1.0, [pair, whole, late]),
        # The two rings joined through a broker come apart, and stay apart; the large ring is cut once,
        # then into more pieces; the last ring is cut at the highest resolution only.
        candidate(2.0, [pair[:4], pair[4:], whole[:6], whole[6:], late]),
        candidate(4.0, [pair[:4], pair[4:], whole[:4], whole[4:8], whole[8:], late[:4], late[4:]]),
    ]
    ring_of, members, evidence = persistent_splits(candidates, 0, 3)
    assert sorted(m.tolist() for m in members) == sorted([pair[:4], pair[4:], whole, late])
    assert {ev["at"] for ev, m in zip(evidence, members, strict=True) if m.tolist() in (pair[:4], pair[4:])} == {2.0}
    assert ring_of[0] != ring_of[4] and ring_of[10] == ring_of[21]
