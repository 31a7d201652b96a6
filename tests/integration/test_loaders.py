"""Every built-in mapping against the real Neo4j: exact counts, rejects, reloads, overlaps."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from explorer import human, table_files
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from explorer.exceptions import FileRejected
from explorer.queries import LOADS_BY_ID
from loaders import api, readahead
from loaders.run import Prepared
from tests.loader_helpers import counts, dump

pytestmark = pytest.mark.integration
SAMPLES = PROJECT_ROOT / "tests" / "data" / "samples"

# file, mapping picked from its headers, nodes, relationships, rejected rows (as a spreadsheet numbers them: header = row 1; JSONL: line), duplicates merged
CASES = [
    ("cdr_话单.csv", "cdr", 4, 6, [8, 9, 10], 1),
    # Each message is an event and a Message node (written by its sender, addressed to its receiver or group).
    ("messages_gbk.csv", "messages", 6, 9, [5], 0),
    ("chat_messages.csv", "chat_messages", 14, 18, [8, 9, 10], 1),
    ("contacts.xlsx", "contacts", 4, 4, [6], 0),
    ("bank_statement.csv", "bank_statement", 3, 3, [6, 7], 1),
    ("payments.jsonl", "payments", 5, 3, [5], 1),
    ("waybills.csv", "waybills", 17, 27, [5], 0),
    ("posts.tsv", "posts", 9, 12, [5], 0),
    ("roster.csv", "roster", 10, 9, [5, 6, 7], 0),
    ("logins.csv", "logins", 5, 6, [5], 0),
    ("edge_list.csv", "edge_list", 3, 2, [5], 1),
    ("matrix_4x4.csv", "adjacency", 4, 4, [], 0),
]


def rejected_rows(path: Path | None) -> list[int]:
    if path is None:
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [int(r["row"]) for r in csv.DictReader(f)]


@pytest.mark.parametrize(("name", "mapping", "nodes", "rels", "bad_rows", "dups"), CASES, ids=[c[0] for c in CASES])
def test_sample_loads_exactly(empty_graph, tmp_path, name, mapping, nodes, rels, bad_rows, dups):
    path = SAMPLES / name
    assert api.detect_mapping(path).name == mapping
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert summary.mapping == mapping
    assert counts(empty_graph) == (nodes, rels)
    assert rejected_rows(summary.rejects_path) == bad_rows
    assert summary.rows_rejected == len(bad_rows)
    assert summary.rows_written == summary.rows_read - len(bad_rows)
    assert summary.duplicates_merged == dups
    load = empty_graph.read("MATCH (l:Load) RETURN l", checked=True).records
    assert len(load) == 1
    assert load[0]["l"]["status"] == "complete" and load[0]["l"]["rows_rejected"] == len(bad_rows)
    # Provenance: every node the load wrote names it, every relationship names load and row, and its
    # sources start with that row's tag.
    unattributed = empty_graph.read_value(
        "MATCH (n) WHERE NOT n:Load AND NOT $id IN n.loads RETURN count(n)", {"id": summary.load_id}
    )
    assert unattributed == 0
    no_row = empty_graph.read_value(
        "MATCH ()-[r]->() WHERE type(r) <> 'SAME_AS' "
        "AND (r.load_id <> $id OR r.row IS NULL OR coalesce(r.sources[0], '') <> $id + '#' + toString(r.row)) "
        "RETURN count(r)",
        {"id": summary.load_id},
    )
    assert no_row == 0


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_reload_changes_nothing(empty_graph, tmp_path, name):
    api.load(empty_graph, SAMPLES / name, rejects_dir=tmp_path)
    before = dump(empty_graph)
    again = api.load(empty_graph, SAMPLES / name, rejects_dir=tmp_path)
    assert dump(empty_graph) == before
    assert again.nodes_created == 0 and again.relationships_created == 0


def test_events_keep_time_amount_and_direction(empty_graph, tmp_path):
    api.load(empty_graph, SAMPLES / "bank_statement.csv", rejects_dir=tmp_path)
    rows = empty_graph.read(
        "MATCH (a:Account)-[t:TRANSFERRED]->(b:Account) "
        "RETURN a.handle AS a, b.handle AS b, t.amount AS amount, toString(t.at) AS at, size(t.sources) AS seen "
        "ORDER BY at",
        checked=True,
    ).rows()
    assert rows == [
        {
            "a": "6222021234567890123",
            "b": "6228481234567890",
            "amount": 1200.0,
            "at": "2021-06-23T10:00:00+08:00",
            "seen": 2,
        },
        {
            "a": "6217001234567890",
            "b": "6222021234567890123",
            "amount": 350.5,
            "at": "2021-06-23T12:00:00+08:00",
            "seen": 1,
        },
        {
            "a": "6222021234567890123",
            "b": "6228481234567890",
            "amount": 500.0,
            "at": "2021-06-24T11:00:00+08:00",
            "seen": 1,
        },
    ]


def test_cdr_times_in_every_format(empty_graph, tmp_path):
    api.load(empty_graph, SAMPLES / "cdr_话单.csv", rejects_dir=tmp_path)
    times = empty_graph.read("MATCH ()-[c:CALLED]->() RETURN toString(c.at) AS at ORDER BY at", checked=True).rows()
    assert [t["at"] for t in times] == [
        "2021-06-23T14:05:00+08:00",
        "2021-06-23T15:00:00+08:00",
        "2021-06-24T09:30:00+08:00",
        "2021-06-24T10:00:00+08:00",  # 1624500000 Unix seconds
        "2021-06-24T12:00:00+08:00",  # 44371.5 Excel serial
        "2021-06-25T11:00:00+08:00",
    ]


def test_times_are_stored_as_zoned_datetimes(empty_graph, tmp_path):
    # Times travel as ISO text and become DATETIME on the server: the stored type is what the driver would send.
    for name in ("cdr_话单.csv", "waybills.csv", "posts.tsv", "payments.jsonl"):
        api.load(empty_graph, SAMPLES / name, rejects_dir=tmp_path)
    types = empty_graph.read(
        "CALL () { MATCH ()-[r]->() WHERE r.at IS NOT NULL RETURN valueType(r.at) AS t "
        "UNION ALL MATCH (n) WHERE n.sent_at IS NOT NULL OR n.posted_at IS NOT NULL "
        "RETURN valueType(coalesce(n.sent_at, n.posted_at)) AS t } RETURN t, count(*) AS n ORDER BY t",
        checked=True,
    ).rows()
    # CALLED 6; SENT 4, DELIVERED_TO 3, Parcel.sent_at 4; POSTED 3, Post.posted_at 3; TRANSFERRED 3.
    assert types == [{"t": "ZONED DATETIME NOT NULL", "n": 6 + 4 + 3 + 4 + 3 + 3 + 3}]
    sent = empty_graph.read_value("MATCH (p:Parcel {waybill: 'SF1001'}) RETURN toString(p.sent_at)")
    assert sent == "2021-06-20T10:00:00+08:00"


def test_overlapping_exports_meet_on_shared_phones(empty_graph, tmp_path):
    first = api.load(empty_graph, SAMPLES / "cdr_话单.csv", rejects_dir=tmp_path)
    second = api.load(empty_graph, SAMPLES / "messages_gbk.csv", rejects_dir=tmp_path)
    # Phones A-D from calls, E from messages, and the 3 Message nodes; 6 calls + 3 messages, and the
    # messages' WROTE and ADDRESSED_TO links.
    assert counts(empty_graph) == (8, 15)
    loads = empty_graph.read_value("MATCH (p:Phone {number: '+8613800138001'}) RETURN p.loads")
    assert loads == [first.load_id, second.load_id]


def test_roster_and_waybills_link_same_as_candidates(empty_graph, tmp_path):
    api.load(empty_graph, SAMPLES / "roster.csv", rejects_dir=tmp_path)
    summary = api.load(empty_graph, SAMPLES / "waybills.csv", rejects_dir=tmp_path)
    pairs = empty_graph.read(
        "MATCH (a:Person)-[s:SAME_AS]->(b:Person) RETURN a.person_id AS a, b.person_id AS b, s.score AS score, "
        "s.reason AS reason, s.status AS status ORDER BY a, b",
        checked=True,
    ).rows()
    assert [(p["a"], p["b"], p["score"]) for p in pairs] == [
        ("id:440301199001011234", "name:王强|+8613800138001", 0.95),
        ("id:530102198505052345", "name:李明|+8613600136006", 0.95),
        ("id:530102198505052345", "name:李明|+8615900159009", 0.7),
        ("name:李明|+8613600136006", "name:李明|+8615900159009", 0.7),
    ]
    assert all(p["status"] == "candidate" for p in pairs)
    assert pairs[0]["reason"] == f"same name 王强, shared phone +8613800138001, shared address {SZ}"
    assert summary.same_as_candidates == 4
    # One ID number, one person: 王强 appears twice in the roster with his ID.
    assert empty_graph.read_value("MATCH (p:Person {id_number: '440301199001011234'}) RETURN count(p)") == 1


def test_same_as_reasons_are_said_in_the_analysts_language(empty_graph, tmp_path):
    """The candidates keep what the two persons share, so the review and the profile say why in Chinese."""
    api.load(empty_graph, SAMPLES / "roster.csv", rejects_dir=tmp_path)
    api.load(empty_graph, SAMPLES / "waybills.csv", rejects_dir=tmp_path)
    shared = empty_graph.read(
        "MATCH (a:Person {name: '王强'})-[s:SAME_AS]->() RETURN s.shared_phones AS phones, "
        "s.shared_addresses AS addresses, s.reason AS reason"
    ).rows()[0]
    assert shared["phones"] == ["+8613800138001"] and shared["addresses"] == [SZ]
    review = load_catalog(empty_graph)["same_as_candidates"].run(empty_graph)
    zh = human.screen(table_files.raw_frame(review), "zh")
    en = human.screen(table_files.raw_frame(review), "en")
    reasons = dict(zip(zh[human.header("first_name", "zh")], zh[human.header("reason", "zh")], strict=True))
    assert reasons["王强"] == f"同名 王强，共用电话 +8613800138001，共用地址 {SZ}"
    assert list(en["reason"]) == [r["reason"] for r in review.rows()]  # the English said is the English stored
    phone = empty_graph.read_value("MATCH (p:Person {person_id: 'id:440301199001011234'}) RETURN p.person_id")
    profile = load_catalog(empty_graph)["person_profile"].run(empty_graph, person=phone)
    shown = human.screen(table_files.raw_frame(profile), "zh")
    same = shown[shown[human.header("fact", "zh")] == "疑似同一人？"]
    assert list(same[human.header("detail", "zh")]) == [
        f"0.95 同名 王强，共用电话 +8613800138001，共用地址 {SZ}（待核实）"
    ]
    assert set(shown[human.header("fact", "zh")]) <= {"身份标识", "疑似同一人？", "团伙", "案件", "认识", "评分"}
    assert all(re.search("[\u4e00-\u9fff]", item) for item in shown[human.header("item", "zh")]), shown


def test_same_as_candidates_trace_to_the_load_that_proposed_them(empty_graph, tmp_path):
    """A SAME_AS link comes from a load's resolution, not from one row: its source is that load."""
    api.load(empty_graph, SAMPLES / "roster.csv", rejects_dir=tmp_path)
    waybills = api.load(empty_graph, SAMPLES / "waybills.csv", rejects_dir=tmp_path)
    # A ring of the two 王强 records, as the analytics would write it, so the target package lists their link.
    empty_graph.write(
        "CREATE (r:Ring {ring_id: 'ring-test', size: 2}) WITH r "
        "MATCH (p:Person {name: '王强'}) CREATE (p)-[:MEMBER_OF {role: 'member'}]->(r)"
    )
    package = load_catalog(empty_graph)["target_package"].run(empty_graph, ring_id="ring-test").rows()
    same_as = [r for r in package if r["item_kind"] == "Person"]
    assert len(same_as) == 2  # each record lists the other
    assert all(r["sources"] == [waybills.load_id] for r in same_as)
    assert all(source for r in package for source in r["sources"])


SZ = "广东省深圳市南山区科技园1号"


def test_posts_flag_drug_slang(empty_graph, tmp_path):
    api.load(empty_graph, SAMPLES / "posts.tsv", rejects_dir=tmp_path)
    rows = empty_graph.read(
        "MATCH (p:Post) RETURN p.text AS text, p.slang AS slang, p.slang_terms AS terms ORDER BY text", checked=True
    ).rows()
    assert rows == [
        {"text": "K粉到货", "slang": True, "terms": ["k粉", "到货"]},
        {"text": "上等冰毒 现货 包邮", "slang": True, "terms": ["冰毒", "现货", "包邮"]},
        {"text": "今天天气不错", "slang": False, "terms": None},
    ]


def test_caviar_matrix_loads_110_people_with_weights(empty_graph, tmp_path):
    path = PROJECT_ROOT / "tests" / "data" / "real" / "caviar" / "caviar_full_110x110.csv"
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert summary.mapping == "adjacency"
    cells = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)[1:]
        for row in reader:
            cells += [(row[0], col, int(v)) for col, v in zip(header, row[1:], strict=True) if int(v) != 0]
    assert counts(empty_graph) == (110, len(cells))
    stored = empty_graph.read(
        "MATCH (a:Person)-[r:CONTACT]->(b:Person) RETURN a.name AS a, b.name AS b, r.weight AS w", checked=True
    ).rows()
    assert sorted((r["a"], r["b"], r["w"]) for r in stored) == sorted(cells)


def test_pole_export_loads_exactly(empty_graph, datasets_dir, tmp_path):
    folder = datasets_dir / "pole" / "csv"
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing from the datasets folder")
    summary = api.load(empty_graph, folder, "pole", rejects_dir=tmp_path)
    assert summary.rows_rejected == 0
    assert counts(empty_graph) == (61_521, 105_840)
    labels = empty_graph.label_counts()
    assert labels["Person"] == 369 and labels["Crime"] == 28_762 and labels["Phone"] == 328
    # The published POLE facts hold on the loaded graph.
    assert (
        empty_graph.read_value(
            "MATCH (o:Officer {badge_no: '57-9485435'})<-[:INVESTIGATED_BY]-(c:Crime) RETURN count(c)"
        )
        == 32
    )
    assert (
        empty_graph.read_value("MATCH (l:Location {address: 'Piccadilly'})<-[:OCCURRED_AT]-(c:Crime) RETURN count(c)")
        == 166
    )
    assert empty_graph.read_value("MATCH (p:Person {person_id: 'pole:0'}) RETURN p.surname") == "Hamilton"


# -- file-level problems write nothing -----------------------------------------


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.csv", b"", "is empty"),
        ("calls.pdf", b"%PDF-1.4", "unknown format"),
        (
            "calls.csv",
            "主叫号码,开始时间\n13800138001,2021-06-23 10:00\n".encode(),
            r"Closest: cdr \(matched caller=主叫号码, start_time=开始时间; missing callee\)",
        ),
        ("blank.csv", b"\n\n  \n", "no header"),
        ("unknown.csv", b"foo,bar\n1,2\n", "no mapping recognises"),
    ],
)
def test_file_level_problems_write_nothing(empty_graph, tmp_path, name, data, says):
    path = _write(tmp_path / name, data)
    with pytest.raises(FileRejected, match=says):
        api.load(empty_graph, path, rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


def test_missing_required_columns_named(empty_graph, tmp_path):
    path = _write(tmp_path / "calls.csv", b"caller,start_time\n13800138001,2021-06-23 10:00\n")
    with pytest.raises(FileRejected, match="lacks the columns callee") as e:
        api.load(empty_graph, path, "cdr", rejects_dir=tmp_path)
    assert "expects caller, callee, start_time, duration_s" in str(e.value)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


def test_truncated_xlsx_writes_nothing(empty_graph, tmp_path):
    data = (SAMPLES / "contacts.xlsx").read_bytes()
    path = _write(tmp_path / "contacts.xlsx", data[: len(data) // 2])
    with pytest.raises(FileRejected, match="not a complete XLSX"):
        api.load(empty_graph, path, rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


def test_encoding_error_late_in_file_writes_nothing(empty_graph, tmp_path):
    # Valid UTF-8 for 2 MB, then a byte that no encoding of the family can read.
    rows = "".join(f"13800138001,13800138002,2021-06-23 10:00,{i}\n" for i in range(50_000))
    data = b"caller,callee,start_time,duration_s\n" + rows.encode() + b"\xff\xff\xff\n"
    path = _write(tmp_path / "calls.csv", data)
    with pytest.raises(FileRejected, match="cannot read the text encoding"):
        api.load(empty_graph, path, rejects_dir=tmp_path)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


def test_dry_run_writes_nothing(empty_graph, tmp_path):
    summary = api.validate(SAMPLES / "cdr_话单.csv", rejects_dir=tmp_path)
    assert (summary.rows_read, summary.rows_rejected) == (10, 3)
    assert empty_graph.counts() == {"nodes": 0, "relationships": 0}


def test_preview_shows_rows_as_mapped():
    frame = api.preview(SAMPLES / "cdr_话单.csv", n=5)
    assert list(frame.columns[:4]) == ["_row", "_rejected", "caller", "callee"]
    assert frame["caller"].tolist()[:5] == ["+8613800138001"] * 2 + [
        "+8613800138002",
        "+8613800138001",
        "+8613800138002",
    ]
    assert frame["_row"].tolist() == [2, 3, 4, 5, 6]


def test_load_dir_loads_rosters_first(empty_graph, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("roster.csv", "waybills.csv", "cdr_话单.csv"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "notes.csv").write_text("foo,bar\n1,2\n")
    result = api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    assert [s.mapping for s in result.loaded] == ["roster", "waybills", "cdr"]
    assert [name for name, _ in result.skipped] == ["notes.csv"]


def test_load_dir_leaves_out_exports_already_loaded(empty_graph, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    for name in ("roster.csv", "cdr_话单.csv"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    first = api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    before = dump(empty_graph)
    (folder / "waybills.csv").write_bytes((SAMPLES / "waybills.csv").read_bytes())
    loaded = empty_graph.read_value("MATCH (l:Load {status: 'complete'}) RETURN collect(l.sha256)")
    second = api.load_dir(empty_graph, folder, rejects_dir=tmp_path, skip_sha256=loaded)
    assert [s.mapping for s in first.loaded] == ["roster", "cdr"]
    assert [s.mapping for s in second.loaded] == ["waybills"]
    assert dump(empty_graph) != before


def test_load_dir_equals_loading_each_export_alone(empty_graph, tmp_path):
    # The next export is read while the current one is written: the graph must not notice.
    folder = tmp_path / "case"
    folder.mkdir()
    names = ("roster.csv", "waybills.csv", "cdr_话单.csv", "messages_gbk.csv", "contacts.xlsx")
    for name in names:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    together = dump(empty_graph)
    empty_graph.clear()
    for path, mapping, sheet in api.plan_dir(folder)[0]:
        api.load(empty_graph, path, mapping, sheet=sheet, rejects_dir=tmp_path)
    assert dump(empty_graph) == together


def test_load_dir_reads_further_ahead_behind_a_small_export(empty_graph, tmp_path, monkeypatch):
    """A big export's reader (a worker process) needs longer for its first chunk than a small export takes
    to write: behind a small export, the one after it starts reading while the two before it are written;
    behind a big one, while the one before it is."""
    folder = tmp_path / "case"
    folder.mkdir()
    names = ("roster.csv", "waybills.csv", "cdr_话单.csv", "messages_gbk.csv")
    for name in names:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    events: list[tuple[str, str]] = []
    read_ahead, audited_load = Prepared.read_ahead, api._audited_load

    def reading(self, *args, **kwargs):
        if self.reading is None:
            events.append(("read", self.path.name))
        return read_ahead(self, *args, **kwargs)

    def writing(graph, path, *args, **kwargs):
        events.append(("write", Path(path).name))
        return audited_load(graph, path, *args, **kwargs)

    monkeypatch.setattr(Prepared, "read_ahead", reading)
    monkeypatch.setattr(api, "_audited_load", writing)
    for small_below, ahead in ((1 << 40, 2), (1, 1)):  # every sample small, then every one big
        monkeypatch.setattr(readahead, "PROCESS_MIN_BYTES", small_below)
        events.clear()
        empty_graph.clear()
        loaded = [s.file for s in api.load_dir(empty_graph, folder, rejects_dir=tmp_path).loaded]
        assert sorted(loaded) == sorted(names)
        assert [e for e in events if e[0] == "read"] == [("read", name) for name in loaded]  # each once, in order
        for i, name in enumerate(loaded[:-ahead]):
            assert events.index(("read", loaded[i + ahead])) < events.index(("write", name)), (ahead, name)
            if i + ahead + 1 < len(loaded):  # and no further
                assert events.index(("write", name)) < events.index(("read", loaded[i + ahead + 1])), (ahead, name)


@pytest.mark.parametrize("batch_size", [1, 10_000])
def test_a_holder_named_again_in_later_chunks_keeps_the_last_name(empty_graph, tmp_path, batch_size):
    # One chunk per row or one for all: an account repeated with the same holder is sent once, and a
    # holder that changes and changes back ends as the last non-empty name, as in one chunk.
    path = tmp_path / "statement.csv"
    names = ["张三", "张三", "", "张小三", "张三", "张三"]
    path.write_text(
        "账号,户名,对方账号,对方户名,收付标志,交易金额,交易时间\n"
        + "".join(f"6222021234567890123,{n},62284812345678{i:02d},李四,支,{i + 1}00,2021-06-2{i} 10:00\n"
                  for i, n in enumerate(names)),
        encoding="utf-8",
    )  # fmt: skip
    summary = api.load(empty_graph, path, "bank_statement", rejects_dir=tmp_path, batch_size=batch_size)
    assert (summary.rows_written, summary.rows_rejected) == (6, 0)
    holder = empty_graph.read(
        "MATCH (a:Account {account_id: 'bank:6222021234567890123'}) RETURN a.holder_name AS name, a.loads AS loads",
        checked=True,
    ).rows()
    assert holder == [{"name": "张三", "loads": [summary.load_id]}]
    path.write_text(path.read_text(encoding="utf-8").replace("10:00\n", "11:00\n", 5), encoding="utf-8")
    again = api.load(empty_graph, path, "bank_statement", rejects_dir=tmp_path, batch_size=batch_size)
    loads = empty_graph.read_value("MATCH (a:Account {account_id: 'bank:6222021234567890123'}) RETURN a.loads")
    assert loads == [summary.load_id, again.load_id]


def test_an_address_written_as_a_slash_is_no_drop_address(empty_graph, tmp_path):
    """Couriers write `/`, `-` or `N/A` where they have no address or name. Read as values, those cells
    would make one Address "/" that unrelated parcels meet at, the very shape of a drop address; they are
    read as empty, counted in the summary, and the real address alone is written."""
    path = tmp_path / "waybills_placeholders.csv"
    rows = [("SF9001", "13812345678", "李明", "13600136006", "/"),
            ("SF9002", "13912345678", "-", "13700137007", "-"),
            ("SF9003", "15012345678", "赵六", "13500135005", "N/A"),
            ("SF9004", "15112345678", "钱七", "13400134004", "/"),
            ("SF9005", "15212345678", "孙八", "13300133003", "云南省昆明市五华区青年路2号")]  # fmt: skip
    lines = ["运单号,寄件人电话,收件人,收件人电话,收件地址"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.mapping, summary.rows_written, summary.rows_rejected) == ("waybills", 5, 0)
    assert summary.blank_cells == {"收件地址": 4, "收件人": 1}
    addresses = empty_graph.read_value("MATCH (a:Address) RETURN collect(a.address_id)")
    assert addresses == ["云南省昆明市五华区青年路2号"]
    assert empty_graph.read_value("MATCH (p:Person) WHERE p.name IN ['/', '-', 'N/A'] RETURN count(p)") == 0
    assert empty_graph.read_value("MATCH (:Parcel)-[r:RECEIVED_BY]->() RETURN count(r)") == 5
    drops = load_catalog()["drop_addresses"].run(empty_graph, min_senders=2, min_names=1).rows()
    assert drops == []


def test_one_call_written_two_ways_is_one_event(empty_graph, tmp_path):
    """The operator's call record writes seconds and ISO times; a phone extraction writes `00:01:23`,
    `1分23秒` and `2024/3/5 下午9:02:03(UTC+8)`. Both load with no reject, and each call is one event."""
    operator = tmp_path / "operator_cdr.csv"
    operator.write_text(
        "主叫号码,被叫号码,开始时间,通话时长\n"
        "13812345678,13600136006,2024-03-05 21:02:03,83\n"
        "13600136006,13812345678,2024-03-06 08:15:00,3723\n",
        encoding="utf-8",
    )
    phone = tmp_path / "phone_call_log.csv"
    phone.write_text(
        "主叫号码,被叫号码,开始时间,通话时长\n"
        "138 1234 5678,136 0013 6006,2024/3/5 下午9:02:03(UTC+8),00:01:23\n"
        "136 0013 6006,138 1234 5678,2024/3/6 上午8:15:00(UTC+8),1小时2分3秒\n",
        encoding="utf-8",
    )
    first = api.load(empty_graph, operator, rejects_dir=tmp_path)
    second = api.load(empty_graph, phone, rejects_dir=tmp_path)
    assert (first.mapping, second.mapping) == ("cdr", "cdr")
    assert (first.rows_rejected, second.rows_rejected, second.duplicates_merged) == (0, 0, 2)
    calls = empty_graph.read(
        "MATCH ()-[c:CALLED]->() RETURN c.duration_s AS s, toString(c.at) AS at, size(c.sources) AS n ORDER BY at"
    ).records
    assert [(r["s"], r["at"], r["n"]) for r in calls] == [
        (83, "2024-03-05T21:02:03+08:00", 2),
        (3723, "2024-03-06T08:15:00+08:00", 2),
    ]


def test_a_contact_saved_with_several_numbers_links_each_and_a_bad_one_rejects_the_row(empty_graph, tmp_path):
    """Phone extractions list a contact's numbers in one cell. The contacts mapping splits the cell
    (`split`): one HAS_CONTACT per number, all from the same row; a row with one bad number is rejected
    whole, saying which value, and the preview shows the row once per number as the load reads it."""
    path = tmp_path / "通讯录.csv"
    path.write_text(
        "机主号码,联系人,联系人号码\n"
        '13812345678,老K,"13600136006\n13700137007"\n'
        "13812345678,阿强,13500135005；13400134004、13300133003\n"
        "13812345678,小李,13200132002;12345\n",
        encoding="utf-8",
    )
    frame = api.preview(path)
    assert list(frame["_row"]) == [2, 2, 3, 3, 3, 4, 4]
    assert list(frame["contact_phone"][:2]) == ["+8613600136006", "+8613700137007"]
    summary = api.load(empty_graph, path, rejects_dir=tmp_path)
    assert (summary.mapping, summary.rows_read, summary.rows_written, summary.rows_rejected) == ("contacts", 3, 2, 1)
    links = empty_graph.read(
        "MATCH (:Phone {number: '+8613812345678'})-[r:HAS_CONTACT]->(c:Phone) "
        "RETURN c.number AS number, r.saved_name AS name, r.sources AS sources ORDER BY number"
    ).records
    assert [(r["number"], r["name"]) for r in links] == [
        ("+8613300133003", "阿强"), ("+8613400134004", "阿强"), ("+8613500135005", "阿强"),
        ("+8613600136006", "老K"), ("+8613700137007", "老K"),
    ]  # fmt: skip
    assert {tuple(r["sources"]) for r in links} == {(f"{summary.load_id}#2",), (f"{summary.load_id}#3",)}
    reject = next(csv.reader(summary.rejects_path.read_text(encoding="utf-8-sig").splitlines()[1:]))
    assert reject[:2] == ["4", "联系人号码"] and "(value 2 of the 2 in the cell)" in reject[2]
    assert empty_graph.read_value("MATCH (p:Phone {number: '+8613200132002'}) RETURN count(p)") == 0


def _phone_report(path: Path) -> Path:
    """A phone extraction report: calls, contacts, a second call log (another SIM), and a notes sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    calls = wb.active
    calls.title = "通话记录"
    calls.append(["主叫号码", "被叫号码", "开始时间", "通话时长"])
    calls.append(["13812345678", "13600136006", "2024-03-05 21:02:03", "00:01:23"])
    contacts = wb.create_sheet("通讯录")
    contacts.append(["机主号码", "联系人", "联系人号码"])
    contacts.append(["13812345678", "老K", "13600136006"])
    sim2 = wb.create_sheet("卡2通话记录")
    sim2.append(["主叫号码", "被叫号码", "开始时间", "通话时长"])
    sim2.append(["13912345678", "13600136006", "2024-03-06 10:00:00", "12"])
    sim2.append(["13912345678", "bad", "2024-03-06 11:00:00", "12"])
    wb.create_sheet("说明").append(["本报告由取证软件生成"])
    wb.create_sheet("空白")
    wb.save(path)
    return path


def test_every_sheet_of_a_workbook_is_an_export_of_its_own(empty_graph, tmp_path):
    """A phone report keeps calls, contacts and a second SIM's calls on separate sheets. A folder's load
    reads each sheet through its own mapping, as a load of its own (two sheets of one mapping do not meet
    as one load), says which sheet no mapping fits, and every source names its sheet."""
    folder = tmp_path / "case"
    folder.mkdir()
    report = _phone_report(folder / "手机取证报告.xlsx")
    planned = [(path.name, mapping.name, sheet) for path, mapping, sheet in api.plan_dir(folder)[0]]
    assert planned == [("手机取证报告.xlsx", "contacts", "通讯录"), ("手机取证报告.xlsx", "cdr", "通话记录"),
                       ("手机取证报告.xlsx", "cdr", "卡2通话记录")]  # fmt: skip
    result = api.load_dir(empty_graph, folder, rejects_dir=tmp_path)
    loaded = {(s.sheet, s.mapping): s for s in result.loaded}
    assert set(loaded) == {("通话记录", "cdr"), ("通讯录", "contacts"), ("卡2通话记录", "cdr")}
    assert [name for name, _ in result.skipped] == ["手机取证报告.xlsx › 说明", "手机取证报告.xlsx › 空白"]
    sha = loaded["通话记录", "cdr"].load_id.split(":")[0]
    assert loaded["通话记录", "cdr"].load_id == f"{sha}:cdr"
    assert loaded["通讯录", "contacts"].load_id == f"{sha}:contacts.sheet2"
    assert loaded["卡2通话记录", "cdr"].load_id == f"{sha}:cdr.sheet3"
    assert loaded["卡2通话记录", "cdr"].rows_rejected == 1
    assert loaded["卡2通话记录", "cdr"].rejects_path.name == "手机取证报告.cdr.sheet3.rejects.csv"
    assert empty_graph.read_value("MATCH ()-[r:CALLED]->() RETURN count(r)") == 2
    assert all(s.warnings == [] for s in result.loaded)  # the folder's load reads every sheet: nothing to warn of
    files = {
        r["load_id"]: r["file"]
        for r in empty_graph.read(LOADS_BY_ID, {"ids": [s.load_id for s in result.loaded]}).rows()
    }
    assert files[f"{sha}:contacts.sheet2"] == "手机取证报告.xlsx › 通讯录"
    # The same sheet loaded alone is the same load again, not a second one.
    again = api.load(empty_graph, report, sheet="通讯录", rejects_dir=tmp_path)
    assert again.load_id == f"{sha}:contacts.sheet2" and again.duplicates_merged == 1
    assert empty_graph.read_value("MATCH (l:Load) RETURN count(l)") == 3


def test_loading_one_sheet_names_the_other_sheets_it_leaves(tmp_path):
    report = _phone_report(tmp_path / "手机取证报告.xlsx")
    summary = api.validate(report, rejects_dir=tmp_path)
    assert (summary.sheet, summary.mapping) == ("通话记录", "cdr")
    assert [w.split(" holds")[0] for w in summary.warnings] == [
        "sheet '通讯录' of 手机取证报告.xlsx", "sheet '卡2通话记录' of 手机取证报告.xlsx", "sheet '说明' of 手机取证报告.xlsx"
    ]  # fmt: skip
    assert "(it fits mapping contacts)" in summary.warnings[0] and "--sheet '通讯录'" in summary.warnings[0]
    assert "(no mapping fits it)" in summary.warnings[2]
