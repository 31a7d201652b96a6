"""How well "Replacement phones" finds a burner's next number, scored against the scenario's swaps.

The ground truth lists each burner holder's numbers in order (`knobs.burners`). The investigation is
asked about every number that has a next one and the graph holds, and about as many ordinary phones
(numbers no one swaps, drawn in order of their key) that made a call. A claim is the investigation's
first newer number that is a mutual match, the reading docs/investigations.md tells analysts to act
on first. It is scored three ways:

- `same holder`: the claimed number belongs to the same holder (nearly always the very next number);
- `same ring`: it belongs to the same holder or to a member of the same planted ring;
- `recall`: the swaps whose next number was claimed, over the swaps asked about.

A claim from an ordinary phone is a wrong one; how many there were is reported beside the rest.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from explorer.catalog import Investigation, load_catalog

CALLING_PHONES = "MATCH (p:Phone) WHERE EXISTS { (p)-[:CALLED]-() } RETURN p.number AS number ORDER BY number"
IN_GRAPH = "UNWIND $numbers AS n MATCH (p:Phone {number: n}) WHERE EXISTS { (p)-[:CALLED|MESSAGED]-() } RETURN n"


@dataclass
class ReplacementScore:
    swaps: int  # planted swaps whose earlier number the graph holds
    claims: int  # mutual newer matches claimed from those numbers
    same_holder: float
    same_ring: float
    recall: float
    ordinary_asked: int
    ordinary_claims: int  # claims made from phones that were never swapped: all wrong

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}

    def line(self) -> str:
        return (f"replacement phones  {self.claims} mutual claims from {self.swaps} swaps: same holder "
                f"{self.same_holder:.3f}, same ring {self.same_ring:.3f}, recall {self.recall:.3f}; "
                f"{self.ordinary_claims} claims from {self.ordinary_asked} ordinary phones")  # fmt: skip


def claimed(graph: Any, investigation: Investigation, number: str) -> str | None:
    """The newer number `investigation` (Replacement phones) names first as a mutual match for `number`."""
    rows = investigation.run(graph, phone=number).rows()
    return next((r["number"] for r in rows if r["direction"] == "newer" and r["mutual"]), None)


def score_replacements(graph: Any, truth: dict[str, Any]) -> ReplacementScore:
    investigation = load_catalog()["replacement_phones"]  # parsed once, asked about every number
    burners: dict[str, list[dict[str, Any]]] = truth.get("knobs", {}).get("burners", {})
    holder = {b["phone"]: who for who, numbers in burners.items() for b in numbers}
    ring_of = {member: ring["ring_id"] for ring in truth["rings"] for member in ring["members"]}
    following = {a["phone"]: b["phone"] for numbers in burners.values() for a, b in itertools.pairwise(numbers)}
    held = {r["n"] for r in graph.read(IN_GRAPH, {"numbers": sorted(following)}, checked=True).rows()}
    asked = sorted(n for n in following if n in held)
    ordinary = [r["number"] for r in graph.read(CALLING_PHONES, checked=True).rows() if r["number"] not in holder]
    ordinary = ordinary[: len(asked)]
    claims = same_holder = same_ring = right = 0
    for number in asked:
        other = claimed(graph, investigation, number)
        if other is None:
            continue
        claims += 1
        right += other == following[number]
        same_holder += holder.get(other) == holder[number]
        ring = ring_of.get(holder[number])
        same_ring += holder.get(other) == holder[number] or (
            ring is not None and ring_of.get(holder.get(other)) == ring
        )
    ordinary_claims = sum(claimed(graph, investigation, number) is not None for number in ordinary)
    return ReplacementScore(
        swaps=len(asked), claims=claims, same_holder=same_holder / claims if claims else 0.0,
        same_ring=same_ring / claims if claims else 0.0, recall=right / len(asked) if asked else 0.0,
        ordinary_asked=len(ordinary), ordinary_claims=ordinary_claims,
    )  # fmt: skip
