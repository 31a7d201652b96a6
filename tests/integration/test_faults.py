"""Faults: a load killed at random points, then run again, always ends equal to a clean load.

Each run forks a loader process (fast: the parent already imported everything)
that SIGKILLs itself at a chosen write transaction and at a chosen moment of it:

- `before-commit`: the batch was sent, the transaction is open, nothing committed;
- `mid-commit`: COMMIT was sent but its answer never read (Neo4j may or may not
  have committed: the loader cannot know, and must not care);
- `after-commit`: the batch committed, the next one never started.

Then the load runs again to completion and the whole graph (every node and
relationship with every property, Load timing left out) must equal the graph
of one clean load: nothing missing, nothing duplicated.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading

import pytest

from explorer.config import load_settings
from explorer.db import Graph
from loaders import api
from tests.loader_helpers import call_record_lines, dump

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RUNS = 24
BATCH = 40
MODES = ("before-commit", "mid-commit", "after-commit")
KILLED = -signal.SIGKILL


def _calls_csv(path, rows: int = 400) -> None:
    lines = call_record_lines(seed=8, prefix="139", phones=60, rows=rows, month="2024-05", min_duration=1)
    lines.append("not a phone,13900000000,2024-05-01 10:00:00,5")  # one reject, written on every run
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _on_write_commits(before_commit) -> None:
    """In a child: call `before_commit(transaction, commit)` at each write transaction's commit, where
    `commit()` commits it. Read transactions commit too (the load's status read, its looks at running
    reads, whose number depends on timing): they pass untouched, so the count is the load's writes.

    The access mode is kept per thread: the looks at running reads run in a thread of their own while
    the writer's transaction is open, and a mode shared between threads let a look's end hide a write's
    commit from the count (the kill then fell on a later write, even the load's last)."""
    from neo4j import WRITE_ACCESS
    from neo4j._sync.work.session import Session
    from neo4j._sync.work.transaction import TransactionBase

    run_transaction, original = Session._run_transaction, TransactionBase._commit
    mode = threading.local()

    def tracked(self, access_mode, *args, **kwargs):
        mode.access = access_mode
        try:
            return run_transaction(self, access_mode, *args, **kwargs)
        finally:
            mode.access = None

    def commit(self):
        if getattr(mode, "access", None) != WRITE_ACCESS:
            return original(self)
        return before_commit(self, lambda: original(self))

    Session._run_transaction = tracked
    TransactionBase._commit = commit


def _die_at(commit_number: int, mode: str) -> None:
    """In the child: SIGKILL this process at the given write transaction, at the given moment."""
    seen = {"commits": 0}

    def commit(self, original_commit):
        seen["commits"] += 1
        if seen["commits"] < commit_number:
            return original_commit()
        if mode == "before-commit":
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "mid-commit":
            self._consume_results()
            self._connection.commit(on_success=lambda _: None)
            self._connection.send_all()
            os.kill(os.getpid(), signal.SIGKILL)
        result = original_commit()
        os.kill(os.getpid(), signal.SIGKILL)
        return result

    _on_write_commits(commit)


def _load(path, rejects_dir, kill: tuple[int, str] | None = None) -> None:
    if kill:
        _die_at(*kill)
    graph = Graph.connect(load_settings())
    try:
        # The alert rules' reads after the load would count as commits too: the kills aim at the load's writes.
        api.load(graph, path, batch_size=BATCH, rejects_dir=rejects_dir, alerts=False)
    finally:
        graph.close()


def _run_in_child(path, rejects_dir, kill: tuple[int, str] | None = None) -> int:
    child = multiprocessing.get_context("fork").Process(target=_load, args=(path, rejects_dir, kill))
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail("the loader did not finish within 120 s")
    return child.exitcode


def _counting_load(path, rejects_dir, counter) -> None:
    def commit(_transaction, original_commit):
        with counter.get_lock():
            counter.value += 1
        return original_commit()

    _on_write_commits(commit)
    _load(path, rejects_dir)


def _count_commits(path, rejects_dir) -> int:
    """Write transactions of one clean load, counted in a forked child exactly as the killed runs count them."""
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    child = ctx.Process(target=_counting_load, args=(path, rejects_dir, counter))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 0
    return counter.value


def _count_beside_a_read(counter) -> None:
    """In a child: one write transaction kept open while another thread runs and ends a read."""

    def commit(_transaction, original_commit):
        counter.value += 1
        return original_commit()

    _on_write_commits(commit)
    graph = Graph.connect(load_settings())
    inside, read_done = threading.Event(), threading.Event()

    def reader() -> None:
        inside.wait()
        graph.read("RETURN 1")
        read_done.set()

    thread = threading.Thread(target=reader)
    thread.start()

    def work(tx) -> None:
        tx.run("RETURN 1").consume()
        inside.set()
        read_done.wait(timeout=60)

    try:
        with graph.driver.session(database=graph.database) as session:
            session.execute_write(work)
        thread.join()
    finally:
        graph.close()


def test_the_count_of_writes_sees_a_write_that_a_read_overlaps(graph):
    """The kills below aim by this count: a read ending in another thread while a write is open (as the
    load's looks at running reads do) must neither hide the write's commit nor be counted itself."""
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    child = ctx.Process(target=_count_beside_a_read, args=(counter,))
    child.start()
    child.join(timeout=120)
    assert child.exitcode == 0
    assert counter.value == 1


@pytest.fixture(scope="module")
def clean_load(graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    path = folder / "calls.csv"
    _calls_csv(path)
    graph.clear()
    graph.apply_schema()
    commits = _count_commits(path, folder)
    clean = dump(graph)
    assert commits >= 6 and len(clean[1]) >= 400
    return path, folder, commits, clean


def test_killed_loads_rerun_equal_a_clean_load(graph, clean_load, artifacts_dir):
    path, folder, commits, clean = clean_load
    rng = random.Random(20261129)
    plan = [(rng.randint(1, commits), MODES[i % len(MODES)]) for i in range(RUNS)]
    survived = []
    for commit_number, mode in plan:
        graph.clear()
        assert _run_in_child(path, folder, (commit_number, mode)) == KILLED
        if commit_number < commits:  # at least one write never happened: the kill really cut the load short
            assert dump(graph) != clean
        assert _run_in_child(path, folder) == 0
        assert dump(graph) == clean, f"after a kill at write {commit_number} ({mode}) the rerun differs"
        survived.append((commit_number, mode))
    assert len(survived) == RUNS >= 20
    assert {m for _, m in survived} == set(MODES)
    (artifacts_dir / "fault-runs.txt").write_text(
        "\n".join(f"write {n} of {commits}: {m}" for n, m in survived) + "\n", encoding="utf-8"
    )
