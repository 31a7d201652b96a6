"""What the red team showed in a real browser, against the real server, with users signed in (issue 22).

Row 2: a download is recorded under the signed-in user. Row 3: tables offer no built-in CSV download.
Row 5: no file address exists before the audited click. Row 9: a name written as a Markdown image is
shown as text, and the browser fetches nothing. Row 15: after sign-out, the next user on the same tab
starts from nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from explorer import audit, auth
from tests.app.seed import seed
from tests.browser.conftest import serve, stop
from tests.browser.steps import idle, search_and_show, wait_tables

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"
BEACON = "![x](http://127.0.0.1:9/beacon.png)"


@pytest.fixture(scope="module")
def trust_app(graph, tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    before = os.environ.get("EXPLORER_VAR_DIR")
    os.environ["EXPLORER_VAR_DIR"] = str(var)  # this process reads the same users and audit trail as the app
    for name, role in (("ana", "analyst"), ("vic", "viewer")):
        auth.add_user(name, role, PASSWORD)
    graph.clear()
    graph.apply_schema()
    seed(graph)
    graph.write("CREATE (:Person {person_id: 'beacon', name: $name, aliases: [$name]})", {"name": BEACON})
    process, url = serve({"EXPLORER_VAR_DIR": str(var)})
    yield url
    stop(process)
    if before is None:
        os.environ.pop("EXPLORER_VAR_DIR", None)
    else:
        os.environ["EXPLORER_VAR_DIR"] = before


def sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {name}").wait_for()
    idle(page)


def go(page, title: str) -> None:
    """Open a page from the sidebar (a new address would start a new session, signed out)."""
    page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=title).click()
    page.locator("h1").filter(has_text=title).wait_for()
    idle(page)


def beacon_requests(page) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "beacon" in request.url else None)
    return fetched


def test_rows_3_and_9_hostile_names_are_text_and_tables_offer_no_builtin_download(trust_app, page, artifacts_dir):
    fetched = beacon_requests(page)
    sign_in(page, trust_app, "vic")
    go(page, "Entity profile")
    page.get_by_label("Find the entity").fill("beacon")
    page.keyboard.press("Enter")
    header = page.locator("h2").filter(has_text="Person: ")
    header.wait_for()
    assert header.inner_text().strip() == f"Person: {BEACON}"
    wait_tables(page)
    table = page.locator("[data-testid='stDataFrame']").first
    table.hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    assert page.locator("[data-testid='stElementToolbarButton']").filter(has_text="Download").count() == 0

    go(page, "Explore")
    search_and_show(page, "beacon")
    page.locator("h3").filter(has_text="Person: ").wait_for()
    assert page.locator("h3").filter(has_text="Person: ").inner_text().strip() == f"Person: {BEACON}"
    idle(page)
    page.screenshot(path=str(artifacts_dir / "trust-hostile-name.png"), full_page=True)
    assert page.locator("img[src*='beacon']").count() == 0
    assert fetched == []


def test_rows_2_5_and_15_exports_after_an_audited_click_then_sign_out(trust_app, page):
    sign_in(page, trust_app, "ana")
    go(page, "Cypher console")
    page.get_by_role("button", name="Run read-only").click()
    wait_tables(page)
    idle(page)
    assert page.locator("[data-testid='stDownloadButton']").count() == 0  # nothing built yet
    assert not re.search(r"/media/[0-9a-f]{32,}", page.content())  # no file address of Streamlit's media store
    exports_before = len(audit.query(action="export"))
    page.get_by_role("button", name="Export CSV").first.click()
    save = page.get_by_role("button", name="Save console.csv")
    save.wait_for()
    with page.expect_download() as download:
        save.click()
    data = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Wang Wei" in data
    recorded = audit.query(action="export")
    assert len(recorded) == exports_before + 1
    assert (recorded[0].user, recorded[0].what, recorded[0].params) == ("ana", "console", {"format": "csv"})

    go(page, "Entity profile")
    page.get_by_label("Find the entity").fill("Wang Wei")
    page.keyboard.press("Enter")
    page.locator("h2").filter(has_text="Wang Wei").wait_for()
    vic_profiles = len(audit.query(action="explore", user="vic"))
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, trust_app, "vic")
    go(page, "Entity profile")
    page.get_by_label("Find the entity").wait_for()
    idle(page)
    assert page.locator("h2").filter(has_text="Wang Wei").count() == 0
    assert page.get_by_label("Find the entity").input_value() == ""
    assert audit.query(action="explore", user="ana")[0].params["caption"] == "Wang Wei"
    assert len(audit.query(action="explore", user="vic")) == vic_profiles  # vic looked nobody up
