"""The target package of a large ring: a briefing that prints on few A4 pages, with every fact's file and row."""

from __future__ import annotations

import re
import shutil

import pytest

from explorer import audit, pdf, report
from explorer.package_facts import MAX_KEY_MEMBERS, read_facts

pytestmark = pytest.mark.integration

MEMBERS = 72
CALLS_EACH = 30
RING = "ring-large"


@pytest.fixture(scope="module")
def large_ring(graph):
    """72 members (2 organisers, 4 brokers, 66 others) who call each other 30 times each, from one CDR file."""
    graph.clear()
    people = [
        {
            "key": f"p:{i:02d}",
            "name": f"成员{i:02d}",
            "phone": f"+86138{i:08d}",
            "role": "organiser" if i < 2 else "broker" if i < 6 else "member",
            "rank": i + 1,
        }
        for i in range(MEMBERS)
    ]
    calls = [
        {
            "a": people[i]["phone"],
            "b": people[(i + 1 + j) % MEMBERS]["phone"],
            "n": i * CALLS_EACH + j + 2,
            "day": 1 + j % 28,
        }
        for i in range(MEMBERS)
        for j in range(CALLS_EACH)
    ]
    graph.write(
        """
        CREATE (:Load {load_id: 'load-cdr', file: 'cdr_2024.csv', sha256: 'abc123'})
        CREATE (ring:Ring {ring_id: $ring, kind: 'ring', evidence: 'calls, parcels and transfers inside'})
        WITH ring
        UNWIND $people AS p
        CREATE (person:Person {person_id: p.key, name: p.name, intermediary_rank: p.rank, betweenness: 1.0 / p.rank})
        CREATE (person)-[:MEMBER_OF {role: p.role, reason: 'planted role ' + p.role}]->(ring)
        CREATE (person)-[:HAS_PHONE {load_id: 'load-cdr', row: 1, sources: ['load-cdr#1']}]->(:Phone {number: p.phone})
        """,
        {"ring": RING, "people": people},
    )
    graph.write(
        """
        UNWIND $calls AS c
        MATCH (a:Phone {number: c.a}), (b:Phone {number: c.b})
        CREATE (a)-[:CALLED {at: datetime({year: 2024, month: 5, day: c.day, hour: 9, timezone: '+08:00'}),
                             duration_s: 60, load_id: 'load-cdr', row: c.n, sources: ['load-cdr#' + toString(c.n)]}]->(b)
        """,
        {"calls": calls},
    )
    return graph


def test_key_members_are_the_organisers_brokers_and_best_ranked_others(large_ring):
    facts = read_facts(large_ring, RING)
    roles = [m.role for m in facts.key_members]
    assert roles[:6] == ["organiser"] * 2 + ["broker"] * 4
    assert len(facts.key_members) == min(MAX_KEY_MEMBERS, 6 + 10)
    assert [m.rank for m in facts.key_members[6:]] == list(range(7, 7 + len(facts.key_members) - 6))
    assert len(facts.members) == MEMBERS
    inside = facts.flows[(facts.flows["kind"] == "CALLED") & (facts.flows["towards"] == "inside")]
    assert int(inside["events"].iloc[0]) == MEMBERS * CALLS_EACH


def test_package_has_a_summary_a_page_per_key_member_a_captioned_figure_and_a_deduplicated_appendix(large_ring):
    page = report.target_package(large_ring, RING)
    assert page.count('<section class="page"><h2>成员') == len(read_facts(large_ring, RING).key_members)
    assert "<figcaption>Figure 1. Ring ring-large: 72 members" in page
    assert "<iframe" not in page and "<script" not in page  # a still figure: nothing runs, nothing is fetched
    assert "2024-05-28 09:00 (+08:00)" in page  # local times with their offset
    appendix = page[page.index('class="page appendix"') :]
    # One table row per member, each seized file once with its rows as ranges: no link is listed twice.
    lines = re.findall(r"<td>cdr_2024.csv: rows ([^<]*)</td>", appendix)
    assert len(lines) == MEMBERS
    assert all(len(set(line.split(", "))) == len(line.split(", ")) for line in lines)
    assert "cdr_2024.csv: SHA-256 abc123" in appendix


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (make chromium)")
def test_a_72_member_ring_prints_on_20_a4_pages_or_fewer(large_ring):
    printed = pdf.html_to_pdf(report.target_package(large_ring, RING))
    assert printed.startswith(b"%PDF")
    pages = pdf.page_count(printed)
    facts = read_facts(large_ring, RING)
    assert len(facts.key_members) + 2 <= pages <= 20  # summary, one page per key member, figure, members, appendix


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (make chromium)")
def test_the_command_line_writes_the_pdf_and_records_the_export(large_ring, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    out = tmp_path / "package.pdf"
    assert report.main(["--ring", RING, "--pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and pdf.page_count(out.read_bytes()) <= 20
    [entry] = audit.query(action="export")
    assert (entry.what, entry.params["format"], entry.params["ring"]) == (f"target-package-{RING}", "pdf", RING)
    assert report.main(["--ring", "no-such-ring", "--out", str(tmp_path / "none.html")]) == 1
    assert "There is no ring no-such-ring in the graph" in capsys.readouterr().err
    assert not (tmp_path / "none.html").exists()
