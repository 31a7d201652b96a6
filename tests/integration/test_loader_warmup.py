"""Planning ahead (loaders.warmup): the server plans exactly the statements the writer later sends, with
parameters of the same shape, and a warm-up that fails leaves the load as it would have been."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from explorer.config import DEFAULTS
from explorer.db import Graph
from loaders import queries
from loaders.api import load_dir
from loaders.run import load_file, prepare_file
from loaders.warmup import PlanWarmer, plan_key
from tests.conftest import DATA, free_port
from tests.loader_helpers import dump

SAMPLES = DATA / "samples"
EXPORTS = ["chat_messages.csv", "cdr_话单.csv", "waybills.csv"]


class RecordingGraph(Graph):
    """The real graph, keeping the statements the writer sends (text and parameters)."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.settings)
        self.sent: list[tuple[str, Mapping[str, Any]]] = []

    def write_together(self, statements: Sequence[tuple[str, Mapping[str, Any]]],
                       metadata: Mapping[str, Any] | None = None, then: Any = None) -> list[Any]:  # fmt: skip
        self.sent += statements
        return super().write_together(statements, metadata, then)


class KeptWarmer(PlanWarmer):
    """A warmer that also keeps the plan keys (text and parameter shape) it has had the server plan."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph)
        self.keys: list[tuple[Any, ...]] = []
        self.offered: list[tuple[Any, ...]] = []
        self.first_offer = threading.Event()

    def offer(self, statements, load_id):  # type: ignore[no-untyped-def]
        statements = list(statements or [])
        self.offered += [plan_key(c, queries.batch_parameters(p, load_id)) for c, p in statements]
        super().offer(statements, load_id)
        self.first_offer.set()


@pytest.mark.parametrize("export", EXPORTS)
def test_the_warm_up_plans_exactly_the_statements_the_writer_sends(empty_graph, tmp_path, export):
    recording = RecordingGraph(empty_graph)
    warmer = KeptWarmer(empty_graph)
    try:
        prepared = prepare_file(SAMPLES / export).read_ahead(warmer)
        # The export before it would be written now; here the test waits until the planning is done
        # (a sample export is one chunk: one offer).
        assert warmer.first_offer.wait(timeout=60) and warmer.wait_idle(timeout=60)
        summary = load_file(recording, SAMPLES / export, prepared=prepared, rejects_dir=tmp_path)
    finally:
        warmer.close()
    assert summary.rows_written > 0 and warmer.failures == 0
    # The rows' statements (the Load node's start goes with the first of them, planned by nobody ahead).
    rows_sent = [(c, p) for c, p in recording.sent if c != queries.LOAD_START]
    assert len(rows_sent) == len(recording.sent) - 1
    written = {cypher for cypher, _ in rows_sent}
    assert written and set(warmer.planned) == written
    assert len(warmer.planned) == len(set(warmer.planned)), "each text and shape is planned once"
    # Same shapes too: the server caches a plan per text and parameter types and sizes.
    assert {plan_key(c, p) for c, p in rows_sent} == set(warmer.offered)
    assert all(c.lstrip().startswith("CYPHER replan=skip") for c in warmer.planned)


def test_a_warm_up_that_fails_leaves_the_load_whole(empty_graph, settings, tmp_path, caplog):
    nowhere = Graph.connect(dataclasses.replace(settings, uri=f"bolt://127.0.0.1:{free_port()}"))
    warmer = KeptWarmer(nowhere)  # every EXPLAIN fails: nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="loaders.warmup"):
            prepared = prepare_file(SAMPLES / "chat_messages.csv").read_ahead(warmer)
            assert warmer.first_offer.wait(timeout=60) and warmer.wait_idle(timeout=60)
            summary = load_file(empty_graph, SAMPLES / "chat_messages.csv", prepared=prepared, rejects_dir=tmp_path)
    finally:
        warmer.close()
        nowhere.close()
    assert warmer.failures >= 1 and warmer.planned == []
    assert any("planning a statement ahead failed" in r.getMessage() for r in caplog.records)
    assert summary.rows_written > 0
    with_failed_warm_up = dump(empty_graph)
    empty_graph.clear()
    load_file(empty_graph, SAMPLES / "chat_messages.csv", rejects_dir=tmp_path)  # no warm-up at all
    assert with_failed_warm_up == dump(empty_graph)


@pytest.fixture
def warmers(monkeypatch) -> list[PlanWarmer]:
    """Every PlanWarmer a load makes, as it makes it."""
    made: list[PlanWarmer] = []
    original = PlanWarmer.__init__

    def keep(self: PlanWarmer, graph: Graph) -> None:
        original(self, graph)
        made.append(self)

    monkeypatch.setattr(PlanWarmer, "__init__", keep)
    return made


def test_a_folder_load_plans_each_export_ahead(empty_graph, tmp_path, warmers, monkeypatch):
    folder = tmp_path / "case"
    folder.mkdir()
    for name in EXPORTS:
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    offered: list[tuple[str, str]] = []  # (load id, statement text), in the order offered
    original = PlanWarmer.offer

    def keep(self: PlanWarmer, statements, load_id):  # type: ignore[no-untyped-def]
        statements = list(statements or [])
        offered.extend((load_id, cypher) for cypher, _ in statements)
        original(self, statements, load_id)

    monkeypatch.setattr(PlanWarmer, "offer", keep)
    on = Graph(empty_graph.driver, dataclasses.replace(empty_graph.settings, load_plan_ahead=True))
    loaded = load_dir(on, folder, rejects_dir=tmp_path / "rejects", alerts=False).loaded
    assert len(loaded) == len(EXPORTS) and all(s.rows_written > 0 for s in loaded)
    (warmer,) = warmers
    assert warmer.failures == 0
    # Every export's statements went to the one warmer. Whether the server planned a given one before
    # the writer sent it is a race the writer never waits on (the test above plans with time to spare),
    # so here: each text planned was one offered.
    assert {load_id for load_id, _ in offered} == {s.load_id for s in loaded}
    assert set(warmer.planned) <= {cypher for _, cypher in offered}
    assert not warmer._thread or not warmer._thread.is_alive(), "the load stops its warmer"


def test_planning_ahead_is_off_unless_asked_for(empty_graph, tmp_path, warmers):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / EXPORTS[0]).write_bytes((SAMPLES / EXPORTS[0]).read_bytes())
    made = warmers
    off = Graph(empty_graph.driver, dataclasses.replace(empty_graph.settings, load_plan_ahead=False))
    loaded = load_dir(off, folder, rejects_dir=tmp_path / "rejects", alerts=False).loaded
    assert loaded[0].rows_written > 0 and made == []  # EXPLORER_LOAD_PLAN_AHEAD=off
    assert DEFAULTS["EXPLORER_LOAD_PLAN_AHEAD"] == "off", "off by default"
