"""The app's pages with users signed in, against what the red team broke (issue 22).

Rows 1 and 4 (roles on the Rings page and on exports), 5 (no file before an audited click), 8 (lookups
audited), 9 (hostile names shown as text), 10 (a control character in the audit), 13 (Load page folders),
15 (sign-out), and each load and analytics run recorded once.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from explorer import audit, auth
from explorer.config import PROJECT_ROOT
from tests.app.rendered import shown
from tests.app.seed import seed

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")
PASSWORD = "a long enough password"
BEACON = "![x](http://127.0.0.1:9/beacon.png)"


@pytest.fixture(autouse=True)
def users(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    for name, role in (("vic", "viewer"), ("ana", "analyst"), ("lou", "loader"), ("root", "admin")):
        auth.add_user(name, role, PASSWORD)
    return tmp_path


@pytest.fixture
def seeded(empty_graph):
    return seed(empty_graph)


def open_as(user: str, page: str = "overview", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["auth_user"] = user
    for key, value in state.items():
        at.session_state[key] = value
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return at.run()


def no_trouble(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def keys(at: AppTest, prefix: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(prefix)]


def records(action: str) -> list[tuple[str, str]]:
    return [(e.user, e.what) for e in reversed(audit.query(action=action))]


def test_row1_a_viewer_gets_no_analytics_button_and_a_loader_runs_it_recorded_once(seeded):
    viewer = open_as("vic", "rings")
    no_trouble(viewer)
    assert keys(viewer, "rings_run_analytics") == []
    loader = open_as("lou", "rings")
    loader.button(key="rings_run_analytics").click().run()
    no_trouble(loader)
    assert records("analytics") == [("lou", "rings and intermediaries")]


def test_row4_a_viewer_is_offered_no_export_of_any_kind(seeded):
    for user, expected in (("vic", []), ("ana", ["rings_package_make", "rings_package_pdf_make"])):
        at = open_as(user, "rings")
        at.selectbox(key="rings_choice").set_value("ring-2").run()
        no_trouble(at)
        assert keys(at, "rings_package") == expected
        assert bool(keys(at, "rings_graph_html")) == (user == "ana")
        assert bool(keys(at, "rings_members")) is False  # tables without an export stay without one


def test_row5_no_file_exists_before_the_audited_click_and_it_names_the_real_user(seeded, served):
    at = open_as("ana", "console")
    at.text_area(key="console_query").set_value("MATCH (p:Person) RETURN p.name AS name ORDER BY name")
    at.text_area(key="console_params").set_value("{}")
    at.button[0].click().run()
    no_trouble(at)
    assert keys(at, "console_export") == [
        "console_export_csv_make",
        "console_export_xlsx_make",
        "console_export_json_make",
    ]
    assert not at.get("download_button") and not served and records("export") == []
    at.button(key="console_export_csv_make").click().run()
    no_trouble(at)
    assert len(at.get("download_button")) == 1
    assert records("export") == [("ana", "console")]
    [csv] = served
    assert csv.file_name == "console.csv" and "'=HYPERLINK" in csv.data.decode("utf-8-sig")
    at.text_area(key="console_params").set_value("{}")
    at.run()  # any other click: the file is gone from the page and nothing more is recorded
    assert not at.get("download_button") and records("export") == [("ana", "console")]


def test_row10_a_control_character_in_the_audit_breaks_neither_the_page_nor_its_export(served):
    audit.record("console", "MATCH (n) RETURN n // \x01\x02\x1b", {"note": "bell\x07"}, user="ana")
    at = open_as("root", "audit")
    no_trouble(at)
    at.button(key="audit_export_xlsx_make").click().run()
    no_trouble(at)
    sheet = openpyxl.load_workbook(io.BytesIO(served[-1].data)).active
    whats = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "MATCH (n) RETURN n // " in whats
    assert records("export")[-1] == ("root", "audit")


def test_row8_profile_and_explore_lookups_are_recorded_with_what_was_looked_up(seeded):
    wang = seeded.read_value("MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = open_as("ana", "profile")
    at.text_input(key="profile_query").set_value("Wang").run()
    no_trouble(at)
    at.run()  # a rerun of the same lookup is not a new one
    search, opened = [(e.user, e.what, e.params) for e in reversed(audit.query(action="explore"))]
    assert search == ("ana", "search", {"text": "Wang"})
    # The page opens the first of the matches (Wang Wei or his account wangwei88): recorded with what it is.
    assert opened[:2] == ("ana", "profile") and set(opened[2]) == {"node", "label", "caption"}
    assert (opened[2]["label"], opened[2]["caption"]) in {("Person", "Wang Wei"), ("Account", "alipay:wangwei88")}
    explore = open_as("vic", "explore", explore_seed=wang)
    no_trouble(explore)
    explore.button(key="explore_expand").click().run()
    no_trouble(explore)
    vic = [(e.what, e.params["node"]) for e in reversed(audit.query(action="explore", user="vic"))]
    assert vic == [("open", wang), ("expand", wang)]


def test_row9_a_hostile_name_is_shown_as_text_in_headers(seeded):
    seeded.write("CREATE (:Person {person_id: 'beacon', name: $name})", {"name": BEACON})
    hostile = seeded.read_value("MATCH (p:Person {person_id: 'beacon'}) RETURN elementId(p)")
    profile = open_as("vic", "profile", profile_node=hostile)
    no_trouble(profile)
    header = profile.header[0].value
    assert shown(header) == f"Person: {BEACON}" and "![" not in header
    explore = open_as("vic", "explore", explore_seed=hostile)
    no_trouble(explore)
    assert [shown(s.value) for s in explore.subheader] == [f"Person: {BEACON}"]
    assert all("![" not in s.value for s in explore.subheader)


def test_row9_and_13_load_page_warnings_are_text_and_folders_stay_inside_the_roots(empty_graph, tmp_path, monkeypatch):
    root = tmp_path / "cases"
    root.mkdir()
    (root / "![b](beacon.png).csv").write_text("x,y\n1,2\n", encoding="utf-8")
    (root / "passwd.csv").symlink_to("/etc/passwd")
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(root))
    at = open_as("lou", "load")
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value("/etc").run()
    assert not at.exception
    assert "is outside the folders the Load page may read" in shown(at.warning[0].value)
    assert not [s for s in at.selectbox if s.key == "load_folder_file"]
    at.text_input(key="load_folder").set_value(str(root)).run()
    files = next(s for s in at.selectbox if s.key == "load_folder_file")
    assert files.options == ["![b](beacon.png).csv"]  # the link to /etc/passwd is not offered
    warning = at.warning[0].value
    assert shown(warning).startswith("![b](beacon.png).csv: no mapping recognises") and "![" not in warning


def _signed_in_page():
    import streamlit as st

    from explorer.ui import login

    user = login.require_login()
    login.sidebar(user)
    st.markdown(f"profile shown: {st.session_state.get('profile_node')}")


def _callback_page():
    import streamlit as st

    from explorer import audit
    from explorer.ui import login

    st.button("go", key="go", on_click=audit.record, args=("export", "from a callback"))
    login.require_login()


def test_row2_a_callback_that_runs_before_the_login_gate_is_recorded_under_the_signed_in_user():
    """Streamlit runs a widget's callback before the script, so before the login gate names the user."""
    at = AppTest.from_function(_callback_page)
    at.session_state["auth_user"] = "ana"
    at.run()
    at.button(key="go").click().run()
    at.button(key="go").click().run()
    assert records("export") == [("ana", "from a callback")] * 2


def test_row15_sign_out_clears_the_whole_session():
    at = AppTest.from_function(_signed_in_page)
    state = {"auth_user": "ana", "profile_node": "4:x:1", "profile_query": "Wang", "explore_state": object(),
             "lookups_last": {"profile_node": "4:x:1"}, "console_result": ("MATCH (n) RETURN n", {}, [])}  # fmt: skip
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert "profile shown: 4:x:1" in [m.value for m in at.markdown]
    at.button(key="logout_button").click().run()
    assert not at.exception
    assert [key for key in state if key in at.session_state] == []
    assert records("login")[-1] == ("ana", "sign out")
    at.text_input(key="login_name").input("vic")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert "profile shown: None" in [m.value for m in at.markdown]  # the next user starts from nothing


def test_a_load_from_the_page_is_recorded_once_under_the_loader(empty_graph, monkeypatch):
    samples = PROJECT_ROOT / "tests" / "data" / "samples"
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(samples))
    cdr = next(p for p in samples.iterdir() if p.name.startswith("cdr_"))
    at = open_as("lou", "load")
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value(str(samples)).run()
    at.selectbox(key="load_folder_file").set_value(cdr).run()
    at.button(key="load_go").click().run()
    no_trouble(at)
    assert records("load") == [("lou", str(cdr))]
