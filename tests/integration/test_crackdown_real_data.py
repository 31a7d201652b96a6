"""Crackdown plans on real criminal networks, loaded into Neo4j through the loaders, against networkx.

The baselines are computed here with networkx from the files themselves (not from the
graph), as the literature runs them (Cavallaro et al. 2020, Ficara et al. 2022 on
Montagna; Duijn et al. 2014 on CAVIAR): the plan must leave a largest component no
larger than the best of them at every k from 1 to 10, and a smaller one at some k.
"""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from explorer.analytics import Options, run_analytics
from explorer.config import PROJECT_ROOT
from explorer.crackdown import Scope, as_json, crackdown, pull_network
from explorer.crackdown.__main__ import main
from loaders.api import load

pytestmark = pytest.mark.integration

REAL = PROJECT_ROOT / "tests" / "data" / "real"
CALLS = REAL / "montagna" / "Montagna_phonecalls_edgelist.csv"
MEETINGS = REAL / "montagna" / "Montagna_meetings_edgelist.csv"
CAVIAR = REAL / "caviar" / "caviar_full_110x110.csv"
K = 10
# Betweenness recomputed after each removal, largest component left as a share of the original at
# k = 1, 3, 5, 10, as issue 25 reports it from networkx on these files.
PUBLISHED = {
    "calls": (0.764, 0.427, 0.247, 0.045),
    "meetings": (0.957, 0.717, 0.424, 0.207),
    "caviar": (0.791, 0.618, 0.391, 0.055),
}


def edge_list(path) -> nx.Graph:
    g = nx.Graph()
    with path.open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["from"] != row["to"] and float(row.get("weight") or 1) != 0:
                g.add_edge(row["from"], row["to"])
    return g


def matrix(path) -> nx.Graph:
    g = nx.Graph()
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    heads = rows[0][1:]
    g.add_nodes_from(r[0] for r in rows[1:])
    for row in rows[1:]:
        for head, cell in zip(heads, row[1:], strict=True):
            if cell.strip() and float(cell) != 0 and row[0] != head:
                g.add_edge(row[0], head)
    return g


def lcc(g: nx.Graph) -> int:
    return max((len(c) for c in nx.connected_components(g)), default=0)


def pairs(g: nx.Graph) -> int:
    return sum(len(c) * (len(c) - 1) // 2 for c in nx.connected_components(g))


def networkx_baselines(g: nx.Graph, k: int) -> dict[str, list[int]]:
    """Largest component left after 1..k removals, for each of the four baselines."""
    out: dict[str, list[int]] = {}
    for name, scores in (("degree", dict(g.degree())), ("betweenness", nx.betweenness_centrality(g))):
        order = sorted(scores, key=lambda v: -scores[v])[:k]
        out[name] = [lcc(g.subgraph(set(g) - set(order[:i]))) for i in range(1, k + 1)]
    h = g.copy()
    out["betweenness_recomputed"] = []
    for _ in range(k):
        scores = nx.betweenness_centrality(h)
        h.remove_node(max(scores, key=scores.get))
        out["betweenness_recomputed"].append(lcc(h))
    h = g.copy()
    out["greedy"] = []
    for _ in range(k):
        best = min(h, key=lambda v: (lcc(h.subgraph(set(h) - {v})), pairs(h.subgraph(set(h) - {v}))))
        h.remove_node(best)
        out["greedy"].append(lcc(h))
    return out


def load_alone(graph, path, mapping, tmp_path_factory) -> None:
    graph.clear()
    graph.apply_schema()
    summary = load(graph, path, mapping, rejects_dir=tmp_path_factory.mktemp("rejects"))
    assert summary.rows_rejected == 0


@pytest.mark.parametrize(
    ("name", "path", "mapping", "reference"),
    [("calls", CALLS, "edge_list", edge_list), ("meetings", MEETINGS, "edge_list", edge_list),
     ("caviar", CAVIAR, "adjacency", matrix)],
)  # fmt: skip
def test_plan_beats_the_best_networkx_baseline(graph, tmp_path_factory, name, path, mapping, reference):
    load_alone(graph, path, mapping, tmp_path_factory)
    g = reference(path)
    baselines = networkx_baselines(g, K)
    original = lcc(g)
    recomputed = [round(baselines["betweenness_recomputed"][k - 1] / original, 3) for k in (1, 3, 5, 10)]
    assert recomputed == list(PUBLISHED[name])

    before = graph.counts()
    result = crackdown(graph, Scope(), K)
    assert graph.counts() == before  # read-only
    assert result.network.size == g.number_of_nodes()
    assert len(result.network.edges) == g.number_of_edges()
    plan = [o.lcc for o in result.strategies["plan"].outcomes]
    best = [min(values[k] for values in baselines.values()) for k in range(K)]
    assert all(p <= b for p, b in zip(plan, best, strict=True)), (plan, best)
    assert any(p < b for p, b in zip(plan, best, strict=True)), (plan, best)
    # The product's own baselines agree with networkx's where the ranking has no ties to break differently.
    assert [o.lcc for o in result.strategies["betweenness_recomputed"].outcomes][0] == baselines[
        "betweenness_recomputed"
    ][0]
    # The plan's people exist in the file, with a reason each.
    report = as_json(result)
    assert len(report["plan"]) == K
    assert {p["name"] for p in report["plan"]} <= set(g.nodes)
    assert all(p["reason"] for p in report["plan"])


@pytest.fixture(scope="module")
def caviar_rings(graph, tmp_path_factory):
    load_alone(graph, CAVIAR, "adjacency", tmp_path_factory)
    analysis = run_analytics(graph, Options(layers=("CONTACT",)))
    assert analysis.rings
    return graph, analysis


def test_a_ring_plan_stays_inside_the_ring(caviar_rings):
    graph, analysis = caviar_rings
    ring_id, info = max(analysis.rings.items(), key=lambda kv: kv[1]["size"])
    members = {key for key, ring in analysis.membership().items() if ring == ring_id}
    network = pull_network(graph, Scope(ring=ring_id))
    assert set(network.keys) == members
    result = crackdown(graph, Scope(ring=ring_id), 3)
    assert {network.keys[v] for v in result.plan} <= members
    assert result.strategies["plan"].outcomes[-1].lcc < network.size - 3


def test_a_selection_of_people_is_planned_on_those_people_only(caviar_rings):
    graph, _ = caviar_rings
    keys = [k for k in pull_network(graph).keys][:30]
    network = pull_network(graph, Scope(persons=tuple(keys)))
    assert sorted(network.keys) == sorted(keys)


def test_layers_that_hold_no_link_leave_everyone_apart(caviar_rings):
    graph, _ = caviar_rings
    network = pull_network(graph, Scope(layers=("CALLED",)))
    assert network.edges == []
    assert len(pull_network(graph, Scope(layers=("CONTACT",))).edges) > 0


def test_command_line_prints_the_json_the_issue_gives(caviar_rings, capsys):
    assert main(["--graph", "--k", "3", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"plan", "strategies"}
    assert [set(p) for p in out["plan"]] == [{"name", "key", "reason"}] * 3
    assert set(out["strategies"]) == {"degree", "betweenness", "betweenness_recomputed", "greedy", "plan"}
    for rows in out["strategies"].values():
        assert len(rows) == 3
        assert all(set(r) == {"lcc_share", "pairwise_connectivity", "buyers_cut"} for r in rows)
        assert rows[0]["lcc_share"] == pytest.approx(0.791, abs=0.001)  # n1 first, by every strategy
    assert main(["--ring", "no-such-ring", "--k", "2"]) == 1
    assert "no members" in capsys.readouterr().err
