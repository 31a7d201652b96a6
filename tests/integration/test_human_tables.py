"""Tables on screen read like a report; the same tables downloaded keep every value exact."""

from __future__ import annotations

import json

from explorer import human, table_files
from explorer.config import PROJECT_ROOT
from explorer.queries import LOADS_BY_ID
from loaders import api

ROSTER = PROJECT_ROOT / "tests" / "data" / "samples" / "roster.csv"
ROW = """
MATCH (p:Person {name: '王强'})-[r:HAS_PHONE]->(ph:Phone)
RETURN p AS person, r AS link, ph.number AS number, 0.123456789 AS score, 1234.5678 AS amount,
       datetime('2024-06-07T23:57:00Z') AS at, p.loads[0] + '#3' AS source, [p.loads[0] + '#4'] AS sources
LIMIT 1
"""


def files_of(graph):
    def look_up(ids):
        rows = graph.read(LOADS_BY_ID, {"ids": sorted(ids)}).rows()
        return {r["load_id"]: (r["file"], r["sha256"]) for r in rows}

    return look_up


def test_screen_shows_captions_files_local_times_and_rounded_numbers(empty_graph, tmp_path):
    api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    result = empty_graph.read(ROW)
    sha = empty_graph.read_value("MATCH (l:Load) RETURN l.sha256")

    en = human.screen(table_files.raw_frame(result), "en", files_of(empty_graph)).iloc[0].to_dict()
    assert en["person"] == "王强 (person)"
    assert en["time"] == "2024-06-08 07:57 (+08:00)"  # Asia/Shanghai, the next morning
    assert en["score"] == 0.123 and en["amount"] == 1234.57
    assert en["source"] == "roster.csv, row 3" and en["sources"] == "roster.csv, row 4"
    assert en["file SHA-256"] == sha

    zh = human.screen(table_files.raw_frame(result), "zh", files_of(empty_graph)).iloc[0].to_dict()
    assert zh["人员"] == "王强 (人员)"
    assert zh["来源"] == "roster.csv 第 3 行"
    assert {"得分", "金额", "时间"} <= set(zh)

    # Downloads: raw names, full precision, the source reference as stored.
    plain = table_files.to_frame(result).iloc[0].to_dict()
    assert plain["score"] == 0.123456789 and plain["amount"] == 1234.5678
    assert plain["source"].endswith("#3") and plain["at"].startswith("2024-06-07T23:57:00")
    assert json.loads(plain["person"])["name"] == "王强"


def test_unknown_load_reads_as_a_short_load_id(empty_graph):
    frame = table_files.raw_frame([{"source": "0123456789abcdef0123#7"}])
    shown = human.screen(frame, "en", files_of(empty_graph))
    assert shown.iloc[0]["source"] == "0123456789ab, row 7"


def test_a_profile_reads_every_source_as_its_file_and_row(empty_graph, tmp_path):
    """A link stated by two exports lists two sources: each reads as its file and row, none as a load id."""
    from explorer import browse

    api.load(empty_graph, ROSTER, rejects_dir=tmp_path)
    api.load(empty_graph, ROSTER.with_name("waybills.csv"), rejects_dir=tmp_path)
    node = empty_graph.read_value("MATCH (p:Person {name: '王强'})-[:HAS_PHONE]->() RETURN elementId(p) LIMIT 1")
    found = browse.profile(empty_graph, node)
    for table in (found.links, found.identifiers, found.events):
        if table.empty:
            continue
        shown = human.screen(table, "zh", files_of(empty_graph))
        for cell in shown[human.header("sources", "zh")]:
            assert cell and not human.SOURCE.search(cell.split("; ")[0]), cell
            assert all(part.endswith(("行", "（整批导入）")) for part in cell.split("; ")), cell
    links = human.screen(found.links, "zh", files_of(empty_graph))
    assert set(links[human.header("link", "zh")]) <= {human.link(t, "zh") for t in found.links["link"]}
    assert not any(t.isupper() for t in links[human.header("link", "zh")])  # no raw relationship type
