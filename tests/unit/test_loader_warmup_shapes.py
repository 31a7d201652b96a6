"""The warm-up's stand-in parameters have the shape the server caches a plan under (loaders.warmup)."""

from __future__ import annotations

from loaders import queries
from loaders.warmup import plan_key, stand_ins


def test_stand_ins_keep_the_plan_key_and_drop_the_values():
    params = {
        "rows": [["e1", "+861", "+862", 3, None, 0, 0, "2024-01-01T00:00:00"]] * 1500,
        "froms": ["+861", "+8613"],
        "tos": ["+862"],
        "load_id": "ab" * 32 + ":cdr",
    }
    standing = stand_ins(params)
    assert plan_key("T", standing) == plan_key("T", params)
    assert standing["rows"][0] == [] and standing["froms"] == ["", ""] and standing["load_id"] == params["load_id"]


def test_the_plan_key_tells_sizes_apart_as_the_server_does():
    def key(n: int) -> tuple:
        return plan_key("T", {"rows": [[]] * n})

    # The server's size classes, measured: 1, 2-10, 11-100, 101-1,000, 1,001-10,000 (docs/benchmarks.md).
    assert key(2) == key(10) != key(11) == key(100) != key(101) == key(1000) != key(1001) == key(10000)
    assert key(1) != key(2) and key(0) != key(1)
    assert plan_key("T", {"k": ["a"]}) != plan_key("T", {"k": [1]}), "the items' type counts"
    assert plan_key("T", {"id": "a" * 9}) != plan_key("T", {"id": "a" * 80}), "so does a string's size"
    assert plan_key("T", {}) != plan_key("U", {})


def test_each_write_text_has_one_plan_key_whatever_its_batch_size():
    """The writer sends its rows inside one map, which the server does not size: a text met with 3 rows
    and with 3,000 is planned once, not once per size class (loaders.queries.batch_parameters)."""
    from tests.unit.test_loader_pieces import _planned

    load_id = "ab" * 32 + ":contacts"
    keys: dict[str, set] = {}
    for people, phones in ((1, 1), (4, 3), (300, 10)):  # 1, 12 and 3,000 relationships: three size classes
        for cypher, params in _planned(people, phones):
            keys.setdefault(cypher, set()).add(plan_key(cypher, queries.batch_parameters(params, load_id)))
    assert len(keys) == 3  # Person, Phone and HAS_PHONE
    assert all(len(k) == 1 for k in keys.values())
    # Sent as bare lists, the same batches would have needed a plan per size class.
    bare = {plan_key(c, {**p, "load_id": load_id}) for n, k in ((1, 1), (300, 10)) for c, p in _planned(n, k)}
    assert len(bare) == 6


def test_stand_ins_of_a_batch_empty_its_lists():
    params = queries.batch_parameters({"rows": [["a", 1]] * 50, "froms": ["a"], "tos": ["b"]}, "x" * 70)
    standing = stand_ins(params)
    assert standing["batch"] == {"rows": [], "froms": [], "tos": []}
    assert plan_key("T", standing) == plan_key("T", params)
