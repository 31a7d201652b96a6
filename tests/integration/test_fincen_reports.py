"""ICIJ's FinCEN Files, both files of ../shared/datasets/fincen loaded as a folder: the reports (bank
connections) and the money they describe (transactions map) meet on the same bank accounts, and the
reports that name the same bank are linked as cases. (The published counts are checked by `make accuracy`.)"""

from __future__ import annotations

import shutil

import pytest

from explorer.catalog import load_catalog
from loaders.api import load_dir

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def fincen(graph, datasets_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fincen")
    for name in ("download_bank_connections.csv", "download_transactions_map.csv"):
        shutil.copy(datasets_dir / "fincen" / name, folder / name)
    graph.clear()
    graph.apply_schema()
    loaded = load_dir(graph, folder, rejects_dir=tmp_path_factory.mktemp("rejects"), alerts=False).loaded
    return graph, {s.mapping: s for s in loaded}


def test_each_file_is_read_by_its_own_mapping_with_nothing_rejected(fincen):
    graph, loaded = fincen
    assert sorted(loaded) == ["fincen", "fincen_connections"]
    assert (loaded["fincen_connections"].rows_read, loaded["fincen_connections"].rows_rejected) == (5498, 0)
    assert graph.read_value("MATCH (c:Case) WHERE c.case_id STARTS WITH 'sar:' RETURN count(c)") == 1401


def test_a_report_meets_the_money_of_the_banks_it_names(fincen):
    graph, _ = fincen
    # Rosbank, the largest beneficiary of the transactions map, is also a bank the reports name.
    row = graph.read(
        """
        MATCH (report:Case)-[:INVOLVES {role: 'named'}]->(bank:Account {holder_name: 'Rosbank'})
        RETURN count(DISTINCT report) AS reports, COUNT { (bank)<-[:TRANSFERRED]-() } AS received
        """,
        checked=True,
    ).rows()[0]
    assert row["reports"] > 0 and row["received"] > 0


def test_reports_naming_the_same_bank_are_linked_as_cases(fincen):
    graph, _ = fincen
    pairs = load_catalog(graph)["case_linkage"].run(graph, limit=5).rows()
    assert pairs and all(p["case_a"].startswith("sar:") and p["case_b"].startswith("sar:") for p in pairs)
    first = pairs[0]
    # The banks both reports name, leaving out those named by more than 20 reports (the investigation's
    # hub bound: a correspondent bank every report names links nothing).
    shared = graph.read_value(
        "MATCH (:Case {case_id: $a})-[:INVOLVES]->(x:Account)<-[:INVOLVES]-(:Case {case_id: $b}) "
        "WHERE COUNT { (x)<-[:INVOLVES]-(:Case) } <= 20 RETURN count(x)",
        {"a": first["case_a"], "b": first["case_b"]},
    )
    assert shared == first["shared_count"] >= 1
