"""Deciding on same-person candidates on the profile: the decision is the analyst's own state (the analyst
store), the evidence graph is untouched, and the review investigation reads the decision."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer import auth
from explorer.analyst_store import AnalystStore
from explorer.catalog import load_catalog
from explorer.config import PROJECT_ROOT
from explorer.i18n import text
from tests.app.seed import seed
from tests.loader_helpers import dump

APP = str(PROJECT_ROOT / "app.py")
WANG = "id:110101199001011234"
OTHER = "name:wang wei|+8613800138000"
OTHER_RECORD = """
MATCH (a:Person {person_id: $a})
CREATE (b:Person {person_id: $b, name: 'Wang Wei', loads: ['abc123:cdr']})
CREATE (a)-[:SAME_AS {score: 0.9, reason: 'same name, shared phone', status: 'candidate', load_id: 'abc123:cdr',
                     shared_phones: ['+8613800138000'], shared_addresses: []}]->(b)
"""


@pytest.fixture
def candidate(empty_graph, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    seed(empty_graph)
    empty_graph.write(OTHER_RECORD, {"a": WANG, "b": OTHER})
    return empty_graph


def profile(graph, user: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["profile_node"] = graph.read_value("MATCH (p:Person {person_id: $id}) RETURN elementId(p)",
                                                        {"id": WANG})  # fmt: skip
    if user:
        at.session_state["auth_user"] = user
    at.switch_page("pages/profile.py")
    return at.run()


def same_as_table(at: AppTest) -> str:
    return next(d.value.to_string() for d in at.dataframe if "+8613800138000" in d.value.to_string()
                and "0.9" in d.value.to_string())  # fmt: skip


def test_an_analyst_rejects_a_candidate_and_the_graph_is_untouched(candidate):
    evidence = dump(candidate)
    at = profile(candidate)
    assert not at.exception and not at.error
    assert "candidate" in same_as_table(at)
    at.selectbox(key="profile_review_other").set_value(OTHER)
    at.radio(key="profile_review_status").set_value("rejected")
    at.text_input(key="profile_review_note").set_value("different birth date in the roster")
    at.button[0].click().run()  # the form's button (the first on the page)
    assert not at.exception and not at.error
    assert any("rejected" in s.value for s in at.success)
    table = same_as_table(at)
    assert "rejected" in table and "different birth date in the roster" in table
    (decision,) = AnalystStore().reviews()
    assert (decision["first"], decision["second"], decision["status"]) == (WANG, OTHER, "rejected")
    assert dump(candidate) == evidence, "the decision is not written to the evidence graph"

    # The review investigation reads the decision: the pair is no longer waiting, and is listed as rejected.
    review = load_catalog(candidate)["same_as_candidates"]
    graph = candidate
    assert review.run(graph, reviews=AnalystStore().reviews()).rows() == []
    (rejected,) = review.run(graph, status="rejected", reviews=AnalystStore().reviews()).rows()
    assert (rejected["status"], rejected["reviewed_by"]) == ("rejected", decision["reviewer"])

    # Back to a candidate: the decision is withdrawn.
    at.radio(key="profile_review_status").set_value("candidate")
    at.button[0].click().run()
    assert AnalystStore().reviews() == []
    assert "candidate" in same_as_table(at)


def test_a_viewer_reads_the_decisions_but_cannot_decide(candidate):
    auth.add_user("zhou", "viewer", "a long enough password")
    AnalystStore().review(OTHER, WANG, "confirmed", "li", "same ID card photo")
    at = profile(candidate, user="zhou")
    assert not at.exception and not at.error
    table = same_as_table(at)
    assert "confirmed" in table and "li" in table
    assert text("profile.review_viewer") in [c.value for c in at.caption]
    assert not [s for s in at.selectbox if s.key == "profile_review_other"]


def test_the_store_keeps_one_decision_per_pair(tmp_path):
    store = AnalystStore(tmp_path / "analyst.sqlite3")
    store.review(OTHER, WANG, "confirmed", "li")
    store.review(WANG, OTHER, "rejected", "wang", "second look")  # the same pair, either way round
    (only,) = store.reviews(WANG)
    assert (only["first"], only["status"], only["reviewer"], only["note"]) == (WANG, "rejected", "wang", "second look")
    assert store.reviews("someone else") == []
    with pytest.raises(Exception, match="confirmed, rejected"):
        store.review(WANG, OTHER, "merged", "li")
    with pytest.raises(Exception, match="two different persons"):
        store.review(WANG, WANG, "confirmed", "li")


def test_the_candidates_reason_and_the_form_read_in_chinese(candidate):
    at = profile(candidate, lang="zh")
    assert not at.exception and not at.error
    table = same_as_table(at)
    assert "同名" in table and "共用电话 +8613800138000" in table and "same name" not in table
    assert "待核实" in table  # the status, in the analyst's language
    assert at.radio(key="profile_review_status").options == ["已确认", "已否定", "待核实"]


def test_the_overview_counts_the_candidates_waiting_for_a_decision(candidate):
    def overview_caption() -> str:
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception and not at.error
        return next(c.value for c in at.caption if c.value.startswith("Waiting for a decision"))

    assert overview_caption().startswith("Waiting for a decision: 1; decided: 0.")
    AnalystStore().review(WANG, OTHER, "confirmed", "li")
    AnalystStore().review(WANG, "name:nobody", "rejected", "li")  # a pair no longer in the graph counts for nothing
    assert overview_caption().startswith("Waiting for a decision: 0; decided: 1.")
