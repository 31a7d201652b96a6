"""The analytics on hand-made projections (no database): rings, hubs, brokerage, stable ids."""

from __future__ import annotations

import numpy as np

from explorer.analytics import Options, Projection, analyse, assign_roles, ring_id_for


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
    top = analysis.ranked("score", 1)[0]
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


def test_leaves_are_associates_not_members():
    edges = two_cliques_and_a_broker() + [(9, 0, 1.0)]
    analysis = analyse(projection(edges, 10))
    leaf = next(u for u in analysis.units if u.key == "p:09")
    assert leaf.ring_id is None


def test_resolution_is_the_partition_most_like_the_others():
    from explorer.analytics import _most_stable

    def cand(labels):
        return (0.0, None, np.array(labels), None, None)

    merged = cand([0, 0, 0, 0, 0, 0, 0, 0])  # low resolution: two rings merged
    split = cand([0, 0, 0, 0, 1, 1, 1, 1])  # the two rings
    split_again = cand([0, 0, 0, 0, 1, 1, 1, 1])
    shattered = cand([0, 0, 1, 1, 2, 2, 3, 3])  # high resolution: rings cut apart
    assert _most_stable([merged, split, split_again, shattered]) == 1
    # A resolution at which ring members fall out of every ring is not a candidate, however alike.
    lost = cand([0, 0, 0, -1, -1, -1, -1, -1])
    assert _most_stable([merged, lost, lost, lost]) == 0
