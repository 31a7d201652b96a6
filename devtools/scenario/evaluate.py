"""How well the analytics recover what was planted: `python -m devtools.scenario evaluate`.

Loads a generated scenario through the loaders into the configured Neo4j,
runs the analytics (rings and intermediaries) and the saved investigations for
drop addresses and mule accounts, and scores them against `ground_truth.json`:

- rings: adjusted Rand index over the planted ring members (brokers, suppliers
  and buyers are not members) and best-match F1 (for each planted ring, the
  detected ring that overlaps it best; detected rings include whoever else the
  analytics put in them);
- intermediaries, drop addresses, mule accounts: precision and recall in the
  top k of each ranking, k = the number planted. Intermediaries are ranked as
  the app ranks them by default: by the property `RANKING_PROPERTY` that the
  analytics write back. Decoy hubs (docs/scenario.md) are negatives; how many
  got into each top k is reported too.

Graph units are matched to planted people through their keys: a Person keyed
`id:<ID number>`, a Person keyed by name and phone, a Phone, or an Account
that the ground truth gives to that person.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from math import comb
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from devtools.scenario import load_truth
from devtools.scenario.replacements import ReplacementScore, score_replacements

# The node property the analytics write as the app's default intermediary ranking:
# the position in the list the app shows, so 1 comes first.
RANKING_PROPERTY = "intermediary_rank"
RANKING_ASCENDING = True

GRAPH_UNITS = """
MATCH (n) WHERE (n:Person OR n:Phone OR n:Account) AND (n.ring_id IS NOT NULL OR n[$property] IS NOT NULL)
RETURN CASE WHEN n:Person THEN 'Person' WHEN n:Phone THEN 'Phone' ELSE 'Account' END AS label,
       coalesce(n.person_id, n.number, n.account_id) AS key, n.ring_id AS ring_id,
       coalesce(CASE WHEN $ascending THEN -toFloat(n[$property]) ELSE toFloat(n[$property]) END, -1.0e300) AS score
"""

# Which of the given accounts take part in a transfer in the loaded data.
ACCOUNTS_SEEN = """
MATCH (a:Account) WHERE a.account_id IN $ids AND EXISTS { (a)-[:TRANSFERRED]-() } RETURN a.account_id AS id
"""

# -- metrics (pure) -------------------------------------------------------------------------


def adjusted_rand_index(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same items (Hubert and Arabie, 1985)."""
    if len(truth) != len(predicted):
        raise ValueError("Both labelings must cover the same items.")
    n = len(truth)
    if n < 2:
        return 1.0
    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(c, 2) for c in pairs.values())
    rows = sum(comb(c, 2) for c in Counter(truth).values())
    cols = sum(comb(c, 2) for c in Counter(predicted).values())
    expected = rows * cols / comb(n, 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def best_match_f1(truth: Iterable[set], predicted: Iterable[set]) -> float:
    """Mean over planted groups of the best F1 any detected group reaches against it."""
    predicted = [p for p in predicted if p]
    scores = []
    for t in truth:
        best = max((2 * len(t & p) / (len(t) + len(p)) for p in predicted), default=0.0)
        scores.append(best)
    return sum(scores) / len(scores) if scores else 0.0


def precision_recall_at_k(ranked: Sequence[Hashable], relevant: set, k: int) -> tuple[float, float]:
    """Precision and recall of the first k distinct items of a ranking."""
    top: list[Hashable] = []
    for item in ranked:
        if item not in top:
            top.append(item)
        if len(top) == k:
            break
    hits = sum(1 for item in top if item in relevant)
    return (hits / k if k else 0.0), (hits / len(relevant) if relevant else 0.0)


def fold_address(text: str) -> str:
    """The loaders' address key: NFKC (full-width folded), whitespace collapsed, none between Chinese."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", folded)


# -- matching graph units to planted people -----------------------------------------------------


class Identities:
    """Which planted person an identifier (person key, phone, account) belongs to."""

    def __init__(self, truth: dict[str, Any]):
        self.owner: dict[str, str] = {}
        for key, person in truth["people"].items():
            self.owner[key] = key
            for phone in person["phones"]:
                self.owner.setdefault(phone, key)
            for account in person["accounts"]:
                self.owner.setdefault(account, key)

    def of(self, label: str, key: str) -> str | None:
        if key in self.owner:
            return self.owner[key]
        if label == "Person" and key.startswith("name:") and "|" in key:
            return self.owner.get(key.rsplit("|", 1)[1])
        return None


@dataclass
class Report:
    scenario: str
    rings_planted: int
    rings_found: int
    members: int
    members_in_graph: int
    ari: float
    f1: float
    k: dict[str, int] = field(default_factory=dict)
    precision: dict[str, float] = field(default_factory=dict)
    recall: dict[str, float] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    decoys: dict[str, int] = field(default_factory=dict)  # decoy hubs in the top k, by ranking
    planted: dict[str, int] = field(default_factory=dict)  # where k counts only those the data shows
    replacements: ReplacementScore | None = None  # "Replacement phones" against the planted burner swaps

    def lines(self) -> list[str]:
        out = [
            f"scenario            {self.scenario}",
            f"rings planted/found {self.rings_planted} / {self.rings_found}",
            f"ring members        {self.members} planted, {self.members_in_graph} in the graph",
            f"ring ARI            {self.ari:.3f}",
            f"ring best-match F1  {self.f1:.3f}",
        ]
        for what in self.k:
            decoys = f"  decoys in top k {self.decoys[what]}" if what in self.decoys else ""
            if what in self.planted:
                decoys += f"  (k: those in the data, of {self.planted[what]} planted)"
            out.append(
                f"{what:<19} k={self.k[what]:<4} precision@k {self.precision[what]:.3f}  "
                f"recall@k {self.recall[what]:.3f}{decoys}"
            )
        if self.replacements is not None:
            out.append(self.replacements.line())
        if self.timings:
            out.append("timings             " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        return out


def score(truth: dict[str, Any], units: Sequence[Any], drops: Sequence[str], mules: Sequence[str],
          scenario: str = "", mules_seen: Iterable[str] | None = None) -> Report:  # fmt: skip
    """Score analytics units (key, label, ring_id, score) and two rankings against the ground truth.

    `mules_seen`, when given, are the accounts with a transfer in the loaded data: a planted mule account
    no buyer or broker ever paid (and none left out of the exports) leaves no trace, so the relevant mule
    accounts, and k, are the planted ones among them.
    """
    ids = Identities(truth)
    person_rings: dict[str, Counter] = defaultdict(Counter)
    detected: dict[str, set] = defaultdict(set)
    ranked_people: list[Hashable] = []
    present: set[str] = set()
    for u in units:
        who = ids.of(u.label, u.key)
        if who:
            present.add(who)
        if u.ring_id:
            detected[u.ring_id].add(who or ("unit", u.key))
            if who:
                person_rings[who][u.ring_id] += 1
    for u in sorted(units, key=lambda u: (-u.score, u.key)):
        ranked_people.append(ids.of(u.label, u.key) or ("unit", u.key))

    members = [(key, ring["ring_id"]) for ring in truth["rings"] for key in ring["members"]]
    labels_true, labels_pred = [], []
    for key, ring in members:
        labels_true.append(ring)
        found = person_rings.get(key)
        labels_pred.append(found.most_common(1)[0][0] if found else ("alone", key))
    in_graph = sum(1 for key, _ in members if key in present)
    planted_rings = [set(r["members"]) for r in truth["rings"]]
    report = Report(
        scenario=scenario, rings_planted=len(truth["rings"]), rings_found=len(detected), members=len(members),
        members_in_graph=in_graph, ari=adjusted_rand_index(labels_true, labels_pred),
        f1=best_match_f1(planted_rings, detected.values()),
    )  # fmt: skip
    brokers = set(truth["brokers"])
    planted_drops = {fold_address(a) for a in truth["drop_addresses"]}
    planted_mules = set(truth["mule_accounts"])
    if mules_seen is not None:
        planted_mules &= set(mules_seen)
    decoys = truth.get("knobs", {}).get("decoys", {})
    decoy_sets = {
        "drop addresses": {fold_address(a) for a in decoys.get("addresses", [])},
        "mule accounts": set(decoys.get("accounts", [])),
    }
    for what, ranking, relevant in (
        ("brokers", ranked_people, brokers),
        ("drop addresses", [fold_address(a) for a in drops], planted_drops),
        ("mule accounts", list(mules), planted_mules),
    ):
        k = len(relevant)
        report.k[what] = k
        report.precision[what], report.recall[what] = precision_recall_at_k(ranking, relevant, k)
        if decoy_sets.get(what):
            top = list(dict.fromkeys(ranking))[:k]
            report.decoys[what] = sum(1 for item in top if item in decoy_sets[what])
    return report


def graph_units(graph: Any, prop: str = RANKING_PROPERTY, ascending: bool = RANKING_ASCENDING) -> list[Any]:
    """Units as the analytics wrote them back: key, label, ring and a score that is higher for the app's first."""
    rows = graph.read(GRAPH_UNITS, {"property": prop, "ascending": ascending}, checked=True).rows()
    return [SimpleNamespace(**row) for row in rows]


# -- the command ----------------------------------------------------------------------------


def evaluate(directory: str | Path, *, load: bool = True, clear: bool = True) -> Report:
    """Load (optionally), analyse and score the scenario in `directory` against the configured Neo4j."""
    from explorer.db import Graph

    directory = Path(directory)
    truth = load_truth(directory)
    timings: dict[str, float] = {}
    with Graph.connect() as graph:
        if load:
            from loaders.api import load_dir

            started = time.perf_counter()
            if clear:
                graph.clear()
            graph.apply_schema()
            load_dir(graph, directory)
            timings["load"] = time.perf_counter() - started
        from explorer.analytics import run_analytics

        started = time.perf_counter()
        run_analytics(graph)
        timings["analytics"] = time.perf_counter() - started
        units = graph_units(graph)
        drops, mules = _rankings(graph, len(truth["drop_addresses"]), len(truth["mule_accounts"]))
        seen = graph.read(ACCOUNTS_SEEN, {"ids": list(truth["mule_accounts"])}, checked=True).rows()
        started = time.perf_counter()
        replacements = score_replacements(graph, truth)
        timings["replacement phones"] = time.perf_counter() - started
    report = score(truth, units, drops, mules, scenario=f"{directory} (seed {truth['seed']}, "
                   f"{truth['scale']:,} people)", mules_seen=[r["id"] for r in seen])  # fmt: skip
    report.planted["mule accounts"] = len(truth["mule_accounts"])
    report.replacements = replacements
    report.timings = timings
    return report


def _rankings(graph: Any, n_drops: int, n_mules: int) -> tuple[list[str], list[str]]:
    """Drop addresses and mule accounts as the saved investigations rank them (default parameters)."""
    from explorer.catalog import load_catalog

    catalog = load_catalog()
    drop_rows = catalog["drop_addresses"].run(graph, limit=max(50, 4 * n_drops)).rows()
    mule_rows = catalog["mule_accounts"].run(graph, limit=max(50, 4 * n_mules)).rows()
    drops = [r["text"] for r in drop_rows]
    mules = [r["account_id"] for r in mule_rows]
    return drops, mules


def evaluate_command(directory: str | Path, *, load: bool = True, clear: bool = True) -> int:
    report = evaluate(directory, load=load, clear=clear)
    print("\n".join(report.lines()))
    return 0
