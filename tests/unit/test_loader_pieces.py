"""While analysts read, a chunk is written in pieces: every row exactly once, in order, each piece standing alone."""

from __future__ import annotations

import pytest

from loaders.plan import Batch, Planner, pieces
from tests.unit.test_loader_planner import NAMES

GROUP = ("HAS_PHONE", "Person", "person_id", "Phone", "number", False)


def _planned(people: int, phones_each: int) -> list[tuple[str, dict]]:
    batch = Batch()
    for p in range(people):
        batch.add_node("Person", "person_id", f"p{p}", {})
        for k in range(phones_each):
            phone = f"+86138{(p * 7 + k) % 23:08d}"  # phones shared between people
            batch.add_node("Phone", "number", phone, {})
            batch.add_rel(GROUP, (f"p{p}", phone), f"p{p}", phone, p * 10 + k, f"load#{p * 10 + k}", {}, main=True)
    return Planner(NAMES).plan(batch).statements or []


def _ends(cypher_params: dict) -> list[tuple]:
    """A relationship statement's rows with their ends written out instead of numbered."""
    froms, tos = cypher_params["froms"], cypher_params["tos"]
    return [(row[1], row[2], froms[row[5]], tos[row[6]], row[3]) for row in cypher_params["rows"]]


@pytest.mark.parametrize("most_rows", [1, 7, 50, 1000])
def test_every_row_is_in_exactly_one_piece_in_order(most_rows):
    statements = _planned(people=20, phones_each=3)
    cut = pieces(statements, most_rows)
    assert all(sum(len(p["rows"]) for _, _, p in piece) <= most_rows for piece in cut)
    flat = [(i, cypher, params) for piece in cut for i, cypher, params in piece]
    assert [i for i, _, _ in flat] == sorted(i for i, _, _ in flat)  # statements keep their order
    for index, (cypher, params) in enumerate(statements):
        mine = [p for i, c, p in flat if i == index]
        assert all(c == cypher for i, c, _ in flat if i == index)
        if "froms" in params:
            assert [e for p in mine for e in _ends(p)] == _ends(params)
            # A piece carries only the ends its rows name, each once.
            for p in mine:
                assert sorted(set(p["froms"])) == sorted(p["froms"]) == sorted({e[2] for e in _ends(p)})
                assert sorted(set(p["tos"])) == sorted(p["tos"]) == sorted({e[3] for e in _ends(p)})
        else:
            assert [r for p in mine for r in p["rows"]] == params["rows"]


def test_a_chunk_that_fits_is_one_piece_with_its_own_parameters():
    statements = _planned(people=4, phones_each=2)
    (only,) = pieces(statements, 10_000)
    assert [(c, p) for _, c, p in only] == statements
    assert all(p is statements[i][1] for i, _, p in only)
