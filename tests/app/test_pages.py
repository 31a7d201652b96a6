"""Every page of the app, with data, with an empty database, and with the database down."""

from __future__ import annotations

import json
import re
import shutil
import socket

import pytest
from streamlit.testing.v1 import AppTest

from explorer import pdf, watchlist
from explorer.analyst_store import AnalystStore
from explorer.config import PROJECT_ROOT
from explorer.i18n import text
from tests.app.rendered import shown
from tests.app.seed import NODES, seed
from tests.loader_helpers import dump

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")
PAGES = {
    "overview": "page.overview",
    "investigations": "page.investigations",
    "explore": "page.explore",
    "profile": "page.profile",
    "rings": "page.rings",
    "load": "page.load",
    "console": "page.console",
    "watchlist": "page.watchlist",
    "alerts": "page.alerts",
    "map_timeline": "page.map",
    "centres": "page.centres",
}


def open_page(page: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    if page != "overview":  # the default page
        at.switch_page(f"pages/{page}.py")
    return at.run()


def no_trouble(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def node_id(graph, cypher: str) -> str:
    return graph.read_value(cypher)


@pytest.fixture(autouse=True)
def own_var_dir(tmp_path, monkeypatch):
    """Analyst state (workspaces, alerts, audit) of each test in its own folder."""
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))


@pytest.fixture
def seeded(empty_graph):
    return seed(empty_graph, AnalystStore())  # the watch list in this test's own var folder


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_data(seeded, page):
    at = open_page(page)
    no_trouble(at)
    assert at.title[0].value == text(PAGES[page])


def test_sidebar_counts_and_language_switch(seeded):
    at = open_page("overview")
    assert f"{NODES} nodes" in " ".join(m.value for m in at.sidebar.markdown)
    assert at.sidebar.radio(key="lang").value == "en"
    at = open_page("overview", lang="zh")  # what the sidebar switch sets
    no_trouble(at)
    assert at.title[0].value == text("page.overview", "zh") == "总览"
    assert at.subheader[0].value == "实体"
    assert f"{NODES} 个节点" in " ".join(m.value for m in at.sidebar.markdown)


def test_the_language_rides_in_the_address(seeded):
    """A reload, a bookmark or a shared link opens in the language the analyst chose (the browser test
    follows the address through a switch, a page change and a reload)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    no_trouble(at)
    assert at.title[0].value == "总览" and at.sidebar.radio(key="lang").value == "zh"
    other = AppTest.from_file(APP, default_timeout=60)
    other.query_params["lang"] = "xx"  # an unknown language: the default
    other.run()
    assert other.title[0].value == "Overview"


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_empty_database(empty_graph, page):
    at = open_page(page)
    no_trouble(at)
    assert at.title[0].value == text(PAGES[page])


@pytest.mark.parametrize("page", PAGES)
def test_page_says_one_sentence_when_database_is_down(monkeypatch, page):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    at = open_page(page)
    assert not at.exception
    messages = [shown(e.value) for e in at.error]
    assert any(f"Neo4j is not answering at bolt://127.0.0.1:{port}" in m for m in messages), messages
    assert all("Traceback" not in m for m in messages)


def test_overview_shows_counts_loads_rings_and_watch_hits(seeded):
    at = open_page("overview")
    no_trouble(at)
    values = [d.value for d in at.dataframe]
    labels = values[0]
    assert dict(zip(labels.iloc[:, 0], labels.iloc[:, 1], strict=True))[text("label.Person")] == 4
    assert any("cdr_2024.csv" in f.to_string() for f in values)  # latest loads
    assert any("Broker Chen" in f.to_string() for f in values)  # top intermediary
    assert any("phone:+8613800138003" in f.to_string() for f in values)  # watchlist hit


def test_explore_search_then_expand(seeded):
    at = open_page("explore")
    phone = node_id(seeded, "MATCH (p:Phone {number: '+8613800138003'}) RETURN elementId(p)")
    # What the search box sends: the text typed (the page looks up its matches), then the match picked.
    at.session_state["explore_search"] = {"text": "138 0013 8003", "nonce": "1"}
    at.run()
    no_trouble(at)
    at.session_state["explore_search"] = {"text": "138 0013 8003", "choice": phone, "nonce": "2"}
    at.run()
    no_trouble(at)
    # The phone, its holder, the two phones it called, and the case that involves it.
    assert any(c.value.startswith(text("explore.on_screen", n=5, m=4)[:20]) for c in at.caption)
    canvas = at.session_state["explore_canvas"]
    broker = node_id(seeded, "MATCH (p:Person {name: 'Broker Chen'}) RETURN elementId(p)")
    at.session_state["explore_selection"] = [broker]
    at.run()
    at.button(key="explore_expand").click().run()
    no_trouble(at)
    assert len(canvas.visible) == 7  # his bank account and his ring were added
    at.button(key="explore_undo").click().run()
    assert len(at.session_state["explore_canvas"].visible) == 5


def test_profile_shows_aliases_events_cases_and_sources(seeded):
    wang = node_id(seeded, "MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = open_page("profile", profile_node=wang)
    no_trouble(at)
    assert shown(at.header[0].value) == "Person: Wang Wei"
    assert any("老王" in m.value for m in at.markdown)
    tables = " ".join(d.value.to_string() for d in at.dataframe)
    assert "SZ-2024-001" in tables  # the case
    assert "cdr_2024.csv" in tables  # the source file
    assert "+8613800138000" in tables  # his phone
    # An empty cell shows a mark in no language, not Streamlit's English "None".
    assert at.dataframe and all(d.proto.placeholder == "—" for d in at.dataframe)


def test_the_profile_names_the_kind_in_the_analysts_language(seeded):
    wang = node_id(seeded, "MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = open_page("profile", profile_node=wang, lang="zh")
    no_trouble(at)
    assert shown(at.header[0].value) == "人员: Wang Wei"


def test_a_phones_profile_lists_the_number_that_took_over_from_it(seeded):
    # Wang Wei's phone called Li Na and Broker Chen on 1 and 2 February, then went quiet; a new number
    # calls both from 5 February. Li Na's phone, which called no one else, has no replacement.
    seeded.write("""
    MATCH (pb:Phone {number: '+8613800138001'}), (pd:Phone {number: '+8613800138003'})
    CREATE (n:Phone {number: '+8613999990000'})
    CREATE (n)-[:CALLED {event_id: 'e9', at: datetime('2024-02-05T08:00:00Z')}]->(pb)
    CREATE (n)-[:CALLED {event_id: 'e10', at: datetime('2024-02-06T08:00:00Z')}]->(pd)
    """)
    wang_phone = node_id(seeded, "MATCH (p:Phone {number: '+8613800138000'}) RETURN elementId(p)")
    at = open_page("profile", profile_node=wang_phone, lang="zh")
    no_trouble(at)
    assert text("profile.replacements", "zh") in [shown(s.value) for s in at.subheader]
    table = next(d.value for d in at.dataframe if text("col.new_first_use", "zh") in d.value.columns)
    assert table[text("col.number", "zh")].tolist() == ["+8613999990000"]
    assert table[text("col.direction", "zh")].tolist() == [text("value.direction.newer", "zh")]
    assert table[text("col.shared", "zh")].tolist() == [2]
    li_phone = node_id(seeded, "MATCH (p:Phone {number: '+8613800138001'}) RETURN elementId(p)")
    at = open_page("profile", profile_node=li_phone)
    no_trouble(at)
    assert text("profile.no_replacements") in [c.value for c in at.caption]


def test_rings_page_builds_an_escaped_target_package(seeded, served):
    at = open_page("rings")
    no_trouble(at)
    at.selectbox(key="rings_choice").set_value("ring-2").run()
    at.button(key="rings_package_make").click().run()
    no_trouble(at)
    assert [f.file_name for f in served] == ["target-package-ring-ring-2.html"]
    page = served[0].data.decode("utf-8")
    assert "Broker Chen" in page and "+8613800138003" in page
    assert '=HYPERLINK("x")' not in page  # hostile names are escaped
    assert "=HYPERLINK(&quot;x&quot;)" in page
    assert "@media print" in page
    brokers = at.dataframe[-1].value
    assert brokers.iloc[0]["name"] == "Broker Chen"
    assert brokers.iloc[0]["reason"] == "ties into ring ring-1 through 1 contact"  # the analytics' reason
    assert brokers.iloc[1]["reason"] == text("rings.reason_betweenness")  # no reason recorded


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (make chromium)")
def test_rings_page_prints_the_target_package_to_pdf(seeded, served):
    at = open_page("rings")
    at.selectbox(key="rings_choice").set_value("ring-2").run()
    at.button(key="rings_package_pdf_make").click().run()
    no_trouble(at)
    [made] = served
    assert (made.file_name, made.mimetype) == ("target-package-ring-ring-2.pdf", "application/pdf")
    assert made.data.startswith(b"%PDF") and pdf.page_count(made.data) >= 3


def test_rings_page_plans_a_crackdown_with_a_slider_and_the_package_names_it(seeded, served):
    at = open_page("rings")
    at.selectbox(key="rings_choice").set_value("ring-2").run()
    at.button(key="rings_crackdown_plan").click().run()
    no_trouble(at)
    ring, result = at.session_state["rings_crackdown"]
    assert ring == "ring-2" and result.network.size == 2
    at.slider(key="rings_crackdown_k").set_value(1).run()
    no_trouble(at)
    plan = next(d.value for d in at.dataframe if text("col.reason") in d.value.columns)
    assert len(plan) == 1 and plan.iloc[0][text("col.name")] in {"Broker Chen", '=HYPERLINK("x")'}
    at.button(key="rings_package_make").click().run()
    page = served[-1].data.decode("utf-8")
    assert text("report.crackdown") in page


def test_console_runs_reads_and_refuses_writes(seeded):
    at = open_page("console")
    at.text_area(key="console_query").set_value("MATCH (p:Person) RETURN p.name AS name ORDER BY name")
    at.text_area(key="console_params").set_value("{}")
    at.button[0].click().run()
    no_trouble(at)
    assert list(at.dataframe[0].value["name"]) == ['=HYPERLINK("x")', "Broker Chen", "Li Na", "Wang Wei"]
    at.text_area(key="console_query").set_value("MATCH (p:Person) SET p.name = 'x' RETURN p")
    at.button[0].click().run()
    assert not at.exception
    assert any("refused" in e.value for e in at.error)
    assert seeded.read_value("MATCH (p:Person {name: 'x'}) RETURN count(p)") == 0


def test_watchlist_add_and_remove(seeded):
    evidence = dump(seeded)
    at = open_page("watchlist")
    no_trouble(at)
    at.selectbox(key="watch_kind").set_value("phone")
    at.text_input(key="watch_value").set_value("138-0013-8001")
    at.text_input(key="watch_reason").set_value("courier phone")
    at.text_input(key="watch_who").set_value("analyst 7")
    at.button[0].click().run()
    no_trouble(at)
    watches = {w["watch_id"]: w for w in AnalystStore().watches()}
    assert (watches["phone:+8613800138001"]["reason"], watches["phone:+8613800138001"]["added_by"]) == (
        "courier phone",
        "analyst 7",
    )
    # The watch is the analyst's own state: the evidence graph is as it was, to the property.
    assert dump(seeded) == evidence
    hits = " ".join(d.value.to_string() for d in at.dataframe)
    assert "phone:+8613800138001" in hits and "phone:+8613800138003" in hits  # both phones are in the graph
    at.selectbox(key="watch_remove_choice").set_value("phone:+8613800138001")
    at.button(key="watch_remove").click().run()
    no_trouble(at)
    assert [w["watch_id"] for w in AnalystStore().watches()] == ["phone:+8613800138003"]


def test_watchlist_takes_a_list_and_names_the_lines_it_refused(seeded):
    at = open_page("watchlist")
    at.selectbox(key="watch_list_kind").set_value("phone")
    at.text_area(key="watch_values").set_value("138 0013 8001\n138****5678\n\n(+86)138-0013-8002")
    at.text_input(key="watch_list_reason").set_value("list from the border unit")
    at.button[1].click().run()  # the list form's button
    no_trouble(at)
    assert any("Watched from the list: 2." in s.value for s in at.success)
    assert any("Lines not added: 1;" in w.value for w in at.warning)
    refused = next(d.value for d in at.dataframe if "138****5678" in d.value.to_string())
    assert refused.iloc[0, 0] == 2  # the line it was on
    watched = {w["watch_id"]: w["reason"] for w in AnalystStore().watches()}
    assert watched["phone:+8613800138001"] == watched["phone:+8613800138002"] == "list from the border unit"


def test_watch_entry_names_the_signed_in_user(seeded, tmp_path, monkeypatch):
    from explorer import auth

    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user("lin", "analyst", "a long enough password")
    at = open_page("watchlist", auth_user="lin")
    no_trouble(at)
    assert at.text_input(key="watch_who").disabled
    at.text_input(key="watch_value").set_value("138-0013-8002")
    at.text_input(key="watch_reason").set_value("seller phone")
    at.session_state["watch_who"] = "someone else"  # even a forged field value is ignored
    at.button[0].click().run()
    no_trouble(at)
    who = {w["watch_id"]: w["added_by"] for w in AnalystStore().watches()}["phone:+8613800138002"]
    assert who == "lin"


def test_watches_an_earlier_version_left_in_the_graph_are_named_and_adopted(seeded):
    seeded.write(
        "CREATE (:Watch {watch_id: 'phone:+8613800138000', value: '+8613800138000', reason: 'tip-off',"
        " added_by: 'old analyst', added_at: datetime('2023-05-01T08:00:00Z')})"
    )
    at = open_page("watchlist")
    no_trouble(at)
    assert any("Watches an earlier version stored in the graph: 1." in w.value for w in at.warning)
    at.button(key="watch_adopt").click().run()
    no_trouble(at)
    assert seeded.read_value("MATCH (w:Watch) RETURN count(w)") == 0
    assert any("Moved into the watch list: 1." in s.value for s in at.success)
    assert not at.warning
    adopted = {w["watch_id"]: w for w in AnalystStore().watches()}["phone:+8613800138000"]
    assert (adopted["kind"], adopted["reason"], adopted["added_by"]) == ("phone", "tip-off", "old analyst")
    assert adopted["added_at"].startswith("2023-05-01T08:00:00")
    assert "phone:+8613800138000" in " ".join(d.value.to_string() for d in at.dataframe)
    assert watchlist.adopt(seeded, AnalystStore()) == 0  # nothing left to move


def test_map_and_timeline(seeded):
    at = open_page("map_timeline")
    no_trouble(at)
    tables = " ".join(d.value.to_string() for d in at.dataframe)
    assert "深圳" in tables  # the address with coordinates
    assert text("rel.TRANSFERRED") in tables and text("rel.CALLED") in tables  # link types as words


@pytest.mark.parametrize("tiles", ["none", "https://tiles.example.local/{z}/{x}/{y}.png"])
def test_map_works_without_the_internet_basemap(seeded, monkeypatch, tiles):
    monkeypatch.setenv("EXPLORER_MAP_TILES", tiles)
    at = open_page("map_timeline")
    no_trouble(at)
    deck = at.get("deck_gl_json_chart")
    assert len(deck) == 1
    spec = deck[0].proto.json
    assert '"ScatterplotLayer"' in spec and "carto" not in spec.lower()
    assert ('"TileLayer"' in spec) == (tiles != "none")
    assert (tiles == "none") == any("No basemap" in c.value for c in at.caption)


def test_load_from_a_server_folder(empty_graph, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    samples = PROJECT_ROOT / "tests" / "data" / "samples"
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(samples))
    at = open_page("load")
    no_trouble(at)
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value(str(samples)).run()
    cdr = next(p for p in samples.iterdir() if p.name.startswith("cdr_"))
    at.selectbox(key="load_folder_file").set_value(cdr).run()
    no_trouble(at)
    assert any("cdr" in s.value for s in at.success)  # the detected mapping
    preview = at.dataframe[0].value
    assert text("col.row") in preview.columns and len(preview) > 0
    at.button(key="load_go").click().run()
    no_trouble(at)
    summary = at.session_state["load_summary"]
    assert summary["file"] == cdr.name and summary["rows_read"] > 0
    assert summary["rows_written"] + summary["rows_rejected"] <= summary["rows_read"]
    assert empty_graph.read_value("MATCH (l:Load) RETURN l.file") == cdr.name
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[text("load.rows_read")] == f"{summary['rows_read']:,}"


def _unseen_on_load_page(name: str, tmp_path, monkeypatch):
    """The Load page with a file of the unseen corpus chosen from its server folder, the example mappings
    being the analyst's own."""
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    unseen = PROJECT_ROOT / "tests" / "data" / "unseen"
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(unseen))
    monkeypatch.setenv("EXPLORER_MAPPINGS", str(PROJECT_ROOT / "docs" / "examples"))
    at = open_page("load")
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value(str(unseen)).run()
    at.selectbox(key="load_folder_file").set_value(unseen / name).run()
    no_trouble(at)
    return at


def test_the_load_page_counts_cells_that_stand_for_nothing(empty_graph, tmp_path, monkeypatch):
    """A WeChat Pay bill through its example mapping (a folder of the analyst's own mappings): the summary
    says which columns held `/` read as empty, and none is stored."""
    at = _unseen_on_load_page("wechatpay_bill.csv", tmp_path, monkeypatch)
    at.button(key="load_go").click().run()
    no_trouble(at)
    assert at.session_state["load_summary"]["blank_cells"]["备注"] == 3
    said = text("load.blank_cells", counts="商品 4, 商户单号 3, 备注 3, 支付方式 1, 收/支 1")
    assert said in [c.value for c in at.caption]
    assert empty_graph.read_value("MATCH ()-[r:TRANSFERRED]->() WHERE r.memo = '/' RETURN count(r)") == 0


def test_the_load_page_loads_a_plain_text_chat_export(empty_graph, tmp_path, monkeypatch):
    """QQ's .txt export of three chats, with the analyst's own mappings: detected by its `lines` mapping,
    previewed a row per message, loaded with each message in its chat's group."""
    at = _unseen_on_load_page("qq_group_chat.txt", tmp_path, monkeypatch)
    assert any("QQ group chats" in s.value for s in at.success)  # the detected mapping's title
    preview = at.dataframe[0].value
    assert list(preview["row"]) == [9, 12, 15, 20, 32, 41]  # the line each message starts on
    assert [bool(r) for r in preview["rejected"]] == [False] * 4 + [True, False]  # the friend's: no QQ number
    assert list(preview["group"])[:4] + list(preview["group"])[5:] == ["冰糖批发交流群"] * 4 + ["顺丰代收群"]
    at.button(key="load_go").click().run()
    no_trouble(at)
    summary = at.session_state["load_summary"]
    assert (summary["mapping"], summary["rows_written"], summary["rows_skipped"], summary["rows_rejected"]) == (
        "qq_group_chat", 5, 1, 1)  # fmt: skip
    groups = empty_graph.read_value(
        "MATCH (:Message)-[:IN_GROUP]->(g:Site) WITH g, count(*) AS n ORDER BY g.name RETURN collect([g.name, n])"
    )
    assert groups == [["冰糖批发交流群", 4], ["顺丰代收群", 1]]


def test_the_load_page_loads_the_sheet_chosen_of_a_workbook(empty_graph, tmp_path, monkeypatch):
    """A workbook with several sheets: the page offers its sheets, detects the chosen sheet's mapping,
    previews and loads that sheet, and the summary names it."""
    import openpyxl

    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path / "var"))
    folder = tmp_path / "case"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "通话记录"
    wb.active.append(["主叫号码", "被叫号码", "开始时间", "通话时长"])
    wb.active.append(["13812345678", "13600136006", "2024-03-05 21:02:03", "83"])
    contacts = wb.create_sheet("通讯录")
    contacts.append(["机主号码", "联系人", "联系人号码"])
    contacts.append(["13812345678", "老K", "13600136006；13700137007"])
    wb.save(folder / "report.xlsx")
    monkeypatch.setenv("EXPLORER_LOAD_ROOTS", str(folder))
    at = open_page("load")
    at.radio(key="load_source").set_value("folder").run()
    at.text_input(key="load_folder").set_value(str(folder)).run()
    at.selectbox(key="load_folder_file").set_value(folder / "report.xlsx").run()
    sheet = at.selectbox(key=f"load_sheet_{folder / 'report.xlsx'}")
    assert sheet.options == ["通话记录", "通讯录"] and sheet.value == "通话记录"
    sheet.set_value("通讯录").run()
    no_trouble(at)
    assert any("contacts" in s.value for s in at.success)  # the chosen sheet's mapping
    assert len(at.dataframe[0].value) == 2  # the preview: the contact's two numbers
    at.button(key="load_go").click().run()
    no_trouble(at)
    summary = at.session_state["load_summary"]
    assert (summary["sheet"], summary["mapping"], summary["rows_written"]) == ("通讯录", "contacts", 1)
    assert summary["load_id"].endswith(":contacts.sheet2")
    assert empty_graph.read_value("MATCH ()-[r:HAS_CONTACT]->() RETURN count(r)") == 2
    assert empty_graph.read_value("MATCH ()-[r:CALLED]->() RETURN count(r)") == 0  # the other sheet waits


def test_node_clicked_in_an_investigation_opens_in_explore(seeded):
    at = open_page("investigations")
    at.selectbox(key="inv_category").set_value("Search").run()
    at.selectbox(key="inv_name").set_value("find_identifier").run()
    at.text_input(key="inv_param_find_identifier_value").set_value("138 0013 8003")
    at.button[0].click().run()
    no_trouble(at)
    phone = node_id(seeded, "MATCH (p:Phone {number: '+8613800138003'}) RETURN elementId(p)")
    # What the graph view sends when the analyst clicks a node.
    at.session_state["inv_graph"] = {"event": "click", "node": phone, "nonce": "1"}
    at.run()
    no_trouble(at)
    assert at.page_link[0].proto.page == "explore"
    at.switch_page("pages/explore.py").run()
    no_trouble(at)
    assert at.session_state["explore_selection"] == [phone]
    canvas = at.session_state["explore_canvas"]
    assert canvas.visible == [phone]
    steps = len(canvas.undo_stack)
    at.run()  # the node was handed over once: Explore does not show it afresh again
    assert len(at.session_state["explore_canvas"].undo_stack) == steps


def test_profile_button_opens_the_node_in_explore(seeded):
    wang = node_id(seeded, "MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = open_page("profile", profile_node=wang)
    at.button(key="profile_explore").click().run()
    no_trouble(at)
    assert at.title[0].value == text("page.explore")
    assert at.session_state["explore_selection"] == [wang]


def test_map_shows_loaded_addresses_offline_as_approximate(empty_graph, tmp_path, monkeypatch):
    from loaders import api

    monkeypatch.delenv("EXPLORER_MAP_TILES", raising=False)  # the default: no tile server
    api.load(empty_graph, PROJECT_ROOT / "tests" / "data" / "samples" / "roster.csv", rejects_dir=tmp_path)
    at = open_page("map_timeline")
    no_trouble(at)
    deck = at.get("deck_gl_json_chart")
    assert len(deck) == 1
    spec = deck[0].proto.json
    assert '"ScatterplotLayer"' in spec and '"TileLayer"' not in spec and "carto" not in spec.lower()
    tips = json.dumps(json.loads(spec), ensure_ascii=False)
    assert "南山区" in tips and "五华区" in tips  # the spots' tooltips
    captions = [c.value for c in at.caption]
    assert text("map.approximate").format(approximate=2, total=2) in captions
    assert "南山区" in at.dataframe[0].value.to_string()


def test_investigations_read_in_chinese(seeded):
    at = open_page("investigations", lang="zh")
    no_trouble(at)
    category = at.selectbox(key="inv_category")
    assert all(re.search(r"[\u4e00-\u9fff]", o) for o in category.options), category.options
    assert category.options[0] == "预警"  # the first category, opened by default
    assert at.selectbox(key="inv_name").options == ["关注名单命中"]
    assert any("布控对象" in m.value for m in at.markdown)
    labels = [w.label for w in at.text_input if w.key and w.key.startswith("inv_param_")]
    labels += [w.label for w in at.number_input if w.key and w.key.startswith("inv_param_")]
    assert labels and all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels


def test_console_refusal_reads_in_chinese(seeded):
    at = open_page("console", lang="zh")
    at.text_area(key="console_query").set_value("MATCH (p:Person) DETACH DELETE p")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["查询使用了 DETACH，因其会删除数据而被拒绝；查询和控制台只读。"]
    assert seeded.read_value("MATCH (p:Person) RETURN count(p)") > 0
