"""The tests and the accuracy run never empty a database that holds data unless they were given it."""

import subprocess
import sys

import pytest

from devtools import throwaway
from explorer.config import PROJECT_ROOT

pytestmark = pytest.mark.integration


def test_a_database_with_data_is_refused_unless_given(empty_graph, monkeypatch):
    uri = empty_graph.settings.uri
    monkeypatch.delenv(throwaway.MAY_CLEAR, raising=False)
    assert throwaway.refusal(empty_graph) is None  # nothing to lose
    empty_graph.write("CREATE (:Phone {number: '+8613800138000'})")
    why = throwaway.refusal(empty_graph)
    assert why is not None and uri in why and "holds 1 node," in why and "make test" in why
    monkeypatch.setenv(throwaway.MAY_CLEAR, "bolt://127.0.0.1:1")  # another server given: not this one
    assert throwaway.refusal(empty_graph) is not None
    monkeypatch.setenv(throwaway.MAY_CLEAR, uri)
    assert throwaway.refusal(empty_graph) is None


def test_the_accuracy_run_stops_before_emptying_a_database_with_data(empty_graph, monkeypatch):
    empty_graph.write("CREATE (:Phone {number: '+8613800138000'})")
    monkeypatch.delenv(throwaway.MAY_CLEAR, raising=False)
    done = subprocess.run(
        [sys.executable, "-m", "devtools.accuracy", "--small"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "holds 1 node," in done.stderr and "Traceback" not in done.stderr
    assert empty_graph.read_value("MATCH (p:Phone) RETURN count(p)") == 1  # untouched
