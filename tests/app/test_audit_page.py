"""The Audit page: admins see and export everyone's records, others only their own; pages follow roles."""

import pytest
from streamlit.testing.v1 import AppTest

from explorer import audit, auth, human
from explorer.config import PROJECT_ROOT

pytestmark = pytest.mark.app
AUDIT_PAGE = str(PROJECT_ROOT / "pages" / "audit.py")
APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    for name, role in (("root", "admin"), ("vic", "viewer"), ("ana", "analyst")):
        auth.add_user(name, role, "a long enough password")
    audit.record("investigation", "brokers", {"min_degree": 3}, rows=4, duration_ms=12.5, user="vic")
    audit.record("console", "MATCH (n) RETURN n", rows=10, user="ana")
    audit.record("export", "<img src=x onerror=alert(1)>", {"format": "csv"}, rows=3, user="ana")
    return tmp_path


def _page(user: str) -> AppTest:
    at = AppTest.from_file(AUDIT_PAGE, default_timeout=30)
    at.session_state["auth_user"] = user
    return at.run()


def _table(at):
    return at.dataframe[0].value


def test_admin_sees_everyone_filters_and_exports():
    at = _page("root")
    assert not at.exception and not at.error
    frame = _table(at)
    assert {"vic", "ana"} <= set(frame["user"])
    assert list(frame.columns) == [human.header(c, "en") for c in audit.COLUMNS]  # captions from the catalogue
    assert len(at.get("download_button")) == 0  # nothing is built before the admin asks
    assert [b.key for b in at.button if b.key and b.key.startswith("audit_export")] == [
        "audit_export_csv_make",
        "audit_export_xlsx_make",
        "audit_export_json_make",
    ]
    at.selectbox(key="audit_user").select("vic").run()
    assert set(_table(at)["user"]) == {"vic"}
    row = _table(at).iloc[0]
    assert (row["what"], row["rows"], row["outcome"]) == ("brokers", 4, "ok")
    at.selectbox(key="audit_user").select("*").run()
    at.selectbox(key="audit_action").select("export").run()
    assert list(_table(at)["what"]) == ["<img src=x onerror=alert(1)>"]


def test_viewer_sees_only_own_records_and_cannot_export():
    at = _page("vic")
    assert not at.exception and not at.error
    assert set(_table(at)["user"]) == {"vic"}
    assert len(at.get("download_button")) == 0
    assert not [b for b in at.button if b.key and b.key.startswith("audit_export")]


def test_pages_follow_roles(graph):
    """A viewer asking for the console by its address gets the default page instead."""

    def open_as(user, path):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["auth_user"] = user
        at.run()
        at.switch_page(path).run()
        return at

    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_as("vic", "pages/console.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_as("ana", "pages/load.py")
    analyst = open_as("ana", "pages/console.py")
    assert not analyst.exception
    assert "Cypher console" in [t.value for t in analyst.title]
