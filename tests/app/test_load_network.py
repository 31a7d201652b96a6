"""The Load page names a network file's dataset and layer, and says when its people were already there."""

from __future__ import annotations

import pytest

from explorer.analytics import Options, run_analytics
from explorer.config import PROJECT_ROOT
from explorer.display import when
from explorer.i18n import text
from loaders import api, maintenance
from tests.app.rendered import shown
from tests.app.test_pages import no_trouble, open_page

pytestmark = pytest.mark.app
MONTAGNA = PROJECT_ROOT / "tests" / "data" / "real" / "montagna"


def load_from_folder(at, name: str, dataset: str):
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value(str(MONTAGNA)).run()
    path = MONTAGNA / name
    at.selectbox(key="load_folder_file").set_value(path).run()
    no_trouble(at)
    # The page proposes the file's own dataset and its layer; the analyst names one dataset for both files.
    assert at.text_input(key=f"load_dataset_{path}").value == path.stem.lower()
    at.text_input(key=f"load_dataset_{path}").set_value(dataset).run()
    at.button(key="load_go").click().run()
    no_trouble(at)
    return at.session_state["load_summary"]


def test_network_files_loaded_into_one_dataset_say_what_they_share(empty_graph, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(MONTAGNA))  # the server folders the Load page may read
    at = open_page("load")
    first = load_from_folder(at, "Montagna_meetings_edgelist.csv", "montagna")
    assert (first["overlap"]["dataset"], first["overlap"]["layer"], first["overlap"]["shared"]) == (
        "montagna", "meetings", 0)  # fmt: skip
    assert not at.warning
    second = load_from_folder(at, "Montagna_phonecalls_edgelist.csv", "montagna")
    assert (second["overlap"]["layer"], second["overlap"]["shared"]) == ("phonecalls", 47)
    expected = text("load.dataset_shared", dataset="montagna", layer="phonecalls", ids=100, shared=47,
                    files="Montagna_meetings_edgelist.csv")  # fmt: skip
    assert [shown(w.value) for w in at.warning] == [expected]
    assert empty_graph.read_value("MATCH (p:Person) RETURN count(p)") == 154


def test_rings_page_says_results_are_stale_after_an_unload(empty_graph, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    loaded = api.load_dir(empty_graph, MONTAGNA, rejects_dir=tmp_path).loaded
    run_analytics(empty_graph, Options(layers=("meetings",)))
    at = open_page("rings")
    no_trouble(at)
    assert not at.warning
    finished = empty_graph.read_value("MATCH (r:AnalyticsRun) RETURN r.finished_at")
    said = [shown(c.value) for c in at.caption if str(when(finished)) in shown(c.value)]
    assert said and str(finished) not in said[0], [c.value for c in at.caption]  # as the analyst reads a time
    calls = next(s for s in loaded if s.file == "Montagna_phonecalls_edgelist.csv")
    maintenance.unload(empty_graph, calls.load_id)
    at = open_page("rings")
    reason = f"load {calls.load_id} (Montagna_phonecalls_edgelist.csv) was unloaded"
    assert [shown(w.value) for w in at.warning] == [text("rings.stale", reason=reason)]
