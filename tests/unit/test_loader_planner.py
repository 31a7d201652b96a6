"""The planner sends each node once per load, and again only when it has something new to say; its statement
texts do not change with the columns an export holds."""

from __future__ import annotations

import re
from pathlib import Path

from loaders import queries
from loaders.cypher_text import AllowedNames, NameSet, Shapes
from loaders.plan import Batch, Planner
from loaders.run import prepare_file

NAMES = AllowedNames(NameSet({"Account", "Person", "Phone"}), NameSet({"HAS_PHONE"}),
                     NameSet({"account_id", "person_id", "number", "holder_name", "aliases"}))  # fmt: skip


def _batch(*nodes: tuple[str, dict]) -> Batch:
    batch = Batch()
    for key, props in nodes:
        batch.add_node("Account", "account_id", key, dict(props))
    return batch


def _sent(planner: Planner, *nodes: tuple[str, dict]) -> list[list]:
    batch = planner.plan(_batch(*nodes))
    return [row for _, params in batch.statements or [] for row in params["rows"]]


def test_a_node_is_sent_again_only_when_its_properties_change():
    planner = Planner(NAMES)
    assert _sent(planner, ("bank:1", {"holder_name": "Li"}), ("bank:2", {})) == [["bank:1", "Li"], ["bank:2", None]]
    # The same properties again, or none: the MERGE would change nothing.
    assert _sent(planner, ("bank:1", {"holder_name": "Li"}), ("bank:2", {})) == []
    assert _sent(planner, ("bank:1", {"holder_name": "Wang"})) == [["bank:1", "Wang"]]
    # Back to the first value: it must be sent, or the graph would keep "Wang".
    assert _sent(planner, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
    # Properties where there were none, and fewer properties than last time, are both sent.
    assert _sent(planner, ("bank:2", {"holder_name": "Zhao"})) == [["bank:2", "Zhao"]]
    assert _sent(planner, ("bank:1", {})) == [["bank:1"]]


def test_list_values_are_compared_too():
    planner = Planner(NAMES)
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == [["bank:1", ["a", "b"]]]
    assert _sent(planner, ("bank:1", {"aliases": ["a", "b"]})) == []
    assert _sent(planner, ("bank:1", {"aliases": ["a"]})) == [["bank:1", ["a"]]]


def test_each_planner_is_one_load():
    first, second = Planner(NAMES), Planner(NAMES)
    assert _sent(first, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]
    assert _sent(second, ("bank:1", {"holder_name": "Li"})) == [["bank:1", "Li"]]


def _rel_rows(planner: Planner, *rels: tuple[str, int, str]) -> list[list]:
    """Plan HAS_PHONE links (source, row, tag) and return the rows sent."""
    batch = Batch()
    group = ("HAS_PHONE", "Person", "person_id", "Phone", "number", False)
    for source, row, tag in rels:
        batch.add_rel(group, (source, "+8613800000000"), source, "+8613800000000", row, tag, {})
    planner.plan(batch)
    return [row for _, params in batch.statements or [] for row in params["rows"]]


def test_a_big_statement_leaves_a_relationship_s_own_tag_to_the_statement(monkeypatch):
    monkeypatch.setattr(queries, "ENDS_ONCE_MIN_ROWS", 1)  # these rows make a big statement
    rels = (("p1", 7, "L1#7"), ("p2", 8, "L1#8"), ("p2", 9, "L1#9"), ("p3", 4, "other#4"))
    sent = _rel_rows(Planner(NAMES, "L1"), *rels)
    sources = {row[1]: row[4] for row in sent}  # REL_COLUMNS: source at 1, sources at 4
    # p1's tag is the statement's to write; p2 folds two rows, p3's tag is not this load's own form.
    assert sources == {"p1": None, "p2": ["L1#8", "L1#9"], "p3": ["other#4"]}
    # A planner that does not know its load sends every tag.
    assert [row[4] for row in _rel_rows(Planner(NAMES), ("p1", 7, "L1#7"))] == [["L1#7"]]


def test_a_small_statement_receives_every_tag_and_its_text_takes_them_as_sent():
    """Its text, without the choice between the row's own tag and the sources sent, plans in less time."""
    batch = Batch()
    group = ("HAS_PHONE", "Person", "person_id", "Phone", "number", False)
    for source, row in (("p1", 7), ("p2", 8)):
        batch.add_rel(group, (source, "+8613800000000"), source, "+8613800000000", row, f"L1#{row}", {})
    Planner(NAMES, "L1").plan(batch)
    [(cypher, params)] = batch.statements or []
    assert [row[4] for row in params["rows"]] == [["L1#7"], ["L1#8"]]
    assert "r.sources = row[4]" in cypher and "coalesce(row[4]" not in cypher and "WITH" not in cypher


def _texts(path: Path) -> dict[str, str]:
    """The statement text each node label's rows are written with, for one roster export."""
    prepared = prepare_file(path, "roster")
    planner = Planner(prepared.names, prepared.load_id, prepared.shapes)
    texts = {}
    for batch in prepared.batches(planner):
        for cypher, _ in batch.statements or []:
            label = re.search(r"MERGE \(n:`(\w+)`", cypher)
            if label:
                texts[label.group(1)] = cypher
    return texts


def test_two_exports_of_one_kind_with_different_columns_send_the_same_statements(tmp_path):
    full = tmp_path / "full.csv"
    full.write_text("姓名,身份证号,手机号,角色,账号平台,账号\n张三,110101199003071234,13800138000,主犯,wechat,zs01\n",
                    encoding="utf-8")  # fmt: skip
    bare = tmp_path / "bare.csv"
    bare.write_text("姓名,手机号,账号平台,账号\n李四,13900139000,qq,ls02\n", encoding="utf-8")
    first, second = _texts(full), _texts(bare)
    assert "`role`" in first["Person"] and "`Person`" in second["Person"] and "Account" in second
    # The second export holds no ID number and no role: its statements are the first one's all the same.
    assert first["Person"] == second["Person"]
    assert first["Account"] == second["Account"] and first["Phone"] == second["Phone"]


def test_a_shape_property_the_batch_lacks_travels_as_null():
    shapes = Shapes({"Account": frozenset({"holder_name", "aliases"})})
    batch = Planner(NAMES, shapes=shapes).plan(_batch(("bank:1", {"holder_name": "Li"})))
    cypher, params = batch.statements[0]
    assert params["rows"] == [["bank:1", None, "Li"]]  # aliases, holder_name: in name order
    assert "n.`aliases` = coalesce(row[1], n.`aliases`)" in cypher


def test_only_a_big_export_finds_a_big_statements_ends_once(monkeypatch):
    """The dearer plan of ENDS_ONCE pays back only over many rows: a small export looks each row's ends up."""
    monkeypatch.setattr(queries, "ENDS_ONCE_MIN_ROWS", 2)
    links = [("p1", 1, "L1#1"), ("p2", 2, "L1#2"), ("p3", 3, "L1#3")]

    def text(planner: Planner) -> str:
        batch = Batch()
        group = ("HAS_PHONE", "Person", "person_id", "Phone", "number", False)
        for source, row, tag in links:
            batch.add_rel(group, (source, "+8613800000000"), source, "+8613800000000", row, tag, {})
        return (planner.plan(batch).statements or [])[-1][0]

    small = text(Planner(NAMES, "L1", export_bytes=queries.ENDS_ONCE_MIN_EXPORT_BYTES - 1))
    big = text(Planner(NAMES, "L1", export_bytes=queries.ENDS_ONCE_MIN_EXPORT_BYTES))
    assert "$batch.froms" not in small and "$batch.froms" in big
    assert text(Planner(NAMES, "L1")) == big  # a planner told no size keeps to the row count alone
