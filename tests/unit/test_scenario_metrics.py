"""The accuracy measures used by `python -m devtools.scenario evaluate`."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from devtools.scenario.evaluate import (
    Identities,
    adjusted_rand_index,
    best_match_f1,
    fold_address,
    precision_recall_at_k,
    score,
)


def test_ari_is_one_for_the_same_partition_under_other_names():
    assert adjusted_rand_index(list("aabbcc"), [3, 3, 1, 1, 2, 2]) == pytest.approx(1.0)


def test_ari_matches_a_hand_computed_value():
    # Contingency [[2,1],[0,2]] : index 2, rows 4, cols 4, n=5 -> (2-1.6)/(4-1.6) = 1/6.
    assert adjusted_rand_index(list("aaabb"), [1, 1, 2, 2, 2]) == pytest.approx(1 / 6)


def test_ari_of_everyone_alone_against_real_groups_is_zero():
    assert adjusted_rand_index(list("aabb"), [1, 2, 3, 4]) == pytest.approx(0.0)


def test_best_match_f1_takes_the_best_overlap_per_planted_group():
    assert best_match_f1([{1, 2, 3, 4}], [{1, 2}, {3, 4, 5, 6}]) == pytest.approx(2 * 2 / 6)
    assert best_match_f1([{1, 2}, {3}], [{1, 2}]) == pytest.approx(0.5)


def test_precision_and_recall_count_distinct_items_only():
    assert precision_recall_at_k(["a", "a", "x", "b"], {"a", "b"}, 2) == (0.5, 0.5)
    assert precision_recall_at_k(["a", "b", "x"], {"a", "b", "c"}, 3) == (pytest.approx(2 / 3), pytest.approx(2 / 3))


def test_addresses_fold_as_the_loaders_fold_them():
    assert fold_address("广东省 深圳市１２号（出租屋）") == fold_address("广东省深圳市12号(出租屋)")


def test_units_are_matched_to_people_through_any_identifier():
    truth = {
        "people": {"id:1": {"phones": ["+8613800000001"], "accounts": ["bank:62220001"]}},
        "rings": [{"ring_id": "R0", "members": ["id:1"]}],
        "brokers": [],
        "drop_addresses": [],
        "mule_accounts": [],
    }
    ids = Identities(truth)
    assert ids.of("Person", "name:老王|+8613800000001") == "id:1"
    assert ids.of("Account", "bank:62220001") == "id:1"
    assert ids.of("Phone", "+8613999999999") is None
    unit = SimpleNamespace(label="Phone", key="+8613800000001", ring_id="ring-x", score=1.0)
    report = score(truth, [unit], [], [])
    assert report.members_in_graph == 1 and report.f1 == pytest.approx(1.0)


def test_seeds_are_a_list_or_a_count_of_the_default_list():
    from devtools.scenario.seeds import DEFAULT_SEEDS, parse_seeds

    assert parse_seeds("1,2,3,2026,7") == [1, 2, 3, 2026, 7]
    assert parse_seeds("5") == list(DEFAULT_SEEDS)
    assert parse_seeds("2") == list(DEFAULT_SEEDS[:2])
    assert len(set(parse_seeds("7"))) == 7
    with pytest.raises(ValueError, match="seeds"):
        parse_seeds("one")


def test_seed_table_marks_each_target_met_or_missed_on_the_minimum():
    from devtools.scenario.seeds import SeedRun, all_met, table

    def report(ari, brokers):
        r = score({"people": {}, "rings": [], "brokers": [], "drop_addresses": [], "mule_accounts": []}, [], [], [])
        r.ari = ari
        r.precision.update({"brokers": brokers, "drop addresses": 1.0, "mule accounts": 1.0})
        return r

    run = SeedRun("default knobs", {}, {1: report(0.95, 1.0), 2: report(0.91, 0.8)})
    assert run.minimum()["ari"] == pytest.approx(0.91)
    assert run.minimum()["brokers"] == pytest.approx(0.8)
    text = table(run)
    assert text.splitlines()[-1].split() == ["met", "MISSED", "met", "met"]
    assert not all_met(run)
    run.reports[2] = report(0.91, 0.9)
    assert all_met(run)


def test_mule_accounts_the_data_never_shows_are_not_counted_in_k():
    truth = {
        "people": {},
        "rings": [],
        "brokers": [],
        "drop_addresses": [],
        "mule_accounts": ["bank:1", "bank:2", "bank:3"],
    }
    # bank:3 took no transfer in the loaded data: k is 2, and the two seen ranked first is precision 1.
    report = score(truth, [], [], ["bank:2", "bank:1", "bank:9"], mules_seen=["bank:1", "bank:2", "bank:9"])
    assert report.k["mule accounts"] == 2
    assert report.precision["mule accounts"] == pytest.approx(1.0)
    everything = score(truth, [], [], ["bank:2", "bank:1", "bank:9"])
    assert everything.k["mule accounts"] == 3
    assert everything.precision["mule accounts"] == pytest.approx(2 / 3)
