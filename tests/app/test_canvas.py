"""The Explore canvas: focus kept, busy kinds paged, groups opened, results sent whole, workspaces kept."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer import auth
from explorer.analyst_store import AUTOSAVE, STORE_FILE, AnalystStore
from explorer.config import PROJECT_ROOT
from explorer.i18n import text
from explorer.ui.markdown import escape
from tests.app.seed import seed

pytestmark = pytest.mark.app
APP = str(PROJECT_ROOT / "app.py")
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    return tmp_path


@pytest.fixture
def store(var_dir) -> AnalystStore:
    return AnalystStore(var_dir / STORE_FILE)


@pytest.fixture
def seeded(empty_graph):
    return seed(empty_graph)


def explore(**state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page("pages/explore.py")
    return at.run()


def no_trouble(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def pick(at: AppTest, node: str) -> AppTest:
    """What the search box sends when the analyst picks a match."""
    at.session_state["explore_search"] = {"text": "x", "choice": node, "nonce": node}
    return at.run()


def click(at: AppTest, event: str, nodes: list[str], nonce: str, positions=None) -> AppTest:
    """What the graph component reports: the event, the nodes and every node's position."""
    at.session_state["explore_graph"] = {
        "event": event, "node": nodes[0] if nodes else "", "nodes": nodes, "positions": positions or {}, "nonce": nonce,
    }  # fmt: skip
    return at.run()


def canvas(at: AppTest):
    return at.session_state["explore_canvas"]


def button_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


@pytest.fixture
def busy_phone(seeded):
    seeded.write(
        """
        MATCH (p:Phone {number: '+8613800138003'})
        UNWIND range(1, 150) AS i
        CREATE (p)-[:CALLED {at: datetime('2024-06-08T08:00:00+08:00') + duration({minutes: i})}]->
               (:Phone {number: '+86139' + right('0000000' + toString(i), 8)})
        """
    )
    return seeded, seeded.read_value("MATCH (p:Phone {number: '+8613800138003'}) RETURN elementId(p)")


def test_a_busy_phone_keeps_its_owner_and_pages_its_calls(busy_phone):
    graph, phone = busy_phone
    at = pick(explore(), phone)
    no_trouble(at)
    on_screen = list(canvas(at).visible)
    names = graph.read_value("MATCH (n) WHERE elementId(n) IN $ids RETURN collect(n.name)", {"ids": on_screen})
    assert "Broker Chen" in names  # the owner, although the phone has more than 150 calls
    more = text("explore.more", n=127, kind=text("explore.kind.CALLED"))  # 152 calls in all, 25 shown
    assert more in button_labels(at)
    assert more == "127 more calls"
    # The phone is a hub by degree, but the searched node is never collapsed: it is drawn as itself.
    assert not [c for c in at.checkbox if c.key == "explore_graph_hubs"]
    at.button[button_labels(at).index(more)].click().run()
    no_trouble(at)
    assert len(canvas(at).visible) == len(on_screen) + 25
    assert text("explore.more", n=102, kind="calls") in button_labels(at)


def test_multi_select_expand_hide_pin_undo_and_redo(seeded):
    wang = seeded.read_value("MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    broker = seeded.read_value("MATCH (p:Person {name: 'Broker Chen'}) RETURN elementId(p)")
    at = pick(explore(), wang)
    canvas(at).add([broker])
    at = click(at, "select", [wang, broker], "1", positions={wang: (0.0, 0.0), broker: (300.0, -40.0)})
    no_trouble(at)
    assert at.session_state["explore_selection"] == [wang, broker]
    assert canvas(at).positions[broker] == [300.0, -40.0]  # a dragged position is kept
    at.button(key="explore_paths").click().run()
    no_trouble(at)
    phones = seeded.read_value(
        "MATCH (p:Phone) WHERE p.number IN ['+8613800138000', '+8613800138003'] RETURN collect(elementId(p))"
    )
    assert set(phones) <= set(canvas(at).visible)  # Wang's phone called the broker's
    before = list(canvas(at).visible)
    at = click(at, "hide", phones, "2")
    assert not set(phones) & set(canvas(at).visible)
    at = click(at, "pin", [wang], "3")
    assert canvas(at).pinned == [wang]
    assert canvas(at).positions[broker] == [300.0, -40.0]
    at.button(key="explore_undo").click().run()
    at.button(key="explore_undo").click().run()
    assert canvas(at).visible == before
    at.button(key="explore_redo").click().run()
    assert not set(phones) & set(canvas(at).visible)


def test_a_group_opens_into_its_members(seeded):
    wang = seeded.read_value("MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = pick(explore(), wang)
    members = [n for n in canvas(at).visible if n != wang]
    at = click(at, "select", members, "1")
    at.text_input(key="explore_group_name").set_value("Wang's things")
    at.button(key="explore_group").click().run()
    no_trouble(at)
    assert canvas(at).groups == {"Wang's things": members}
    assert at.session_state["explore_selection"] == ["group:Wang's things"]
    at.button(key="explore_open_group").click().run()
    no_trouble(at)
    assert canvas(at).groups == {}
    assert sorted(at.session_state["explore_selection"]) == sorted(members)


def test_an_investigation_result_goes_to_the_canvas_whole_and_groups_open(seeded, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["graph_node_cap"] = 20
    at.switch_page("pages/investigations.py").run()
    at.selectbox(key="inv_category").set_value("Search").run()
    at.selectbox(key="inv_name").set_value("find_identifier").run()
    at.text_input(key="inv_param_find_identifier_value").set_value("138 0013 8003")
    at.button[0].click().run()
    no_trouble(at)
    at.button(key="inv_send_all").click().run()
    no_trouble(at)
    assert at.title[0].value == text("page.explore")
    shown = canvas(at).visible
    assert len(shown) > 1
    phone = seeded.read_value("MATCH (p:Phone {number: '+8613800138003'}) RETURN elementId(p)")
    assert phone in shown


def test_a_node_cap_group_opens_on_the_canvas(seeded):
    seeded.write(
        "MATCH (p:Phone {number: '+8613800138000'}) UNWIND range(1, 30) AS i"
        " CREATE (p)-[:CALLED]->(:Phone {number: '+86137' + right('0000000' + toString(i), 8)})"
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["graph_node_cap"] = 20
    at.switch_page("pages/explore.py").run()
    everything = seeded.read_value("MATCH (n) RETURN collect(elementId(n))")
    canvas(at).add(everything)
    at.session_state["graph_node_cap"] = 20
    at.run()
    at.radio(key="explore_graph_agg").set_value("label").run()
    no_trouble(at)
    phones = sorted(seeded.read_value("MATCH (p:Phone) RETURN collect(elementId(p))"))
    at = click(at, "select", ["group:Phone"], "1")
    at.button(key="explore_open_group").click().run()
    no_trouble(at)
    assert sorted(at.session_state["explore_selection"]) == phones


def test_workspaces_save_list_link_autosave_and_roles(seeded, store):
    auth.add_user("lin", "analyst", PASSWORD)
    auth.add_user("zhao", "viewer", PASSWORD)
    wang = seeded.read_value("MATCH (p:Person {name: 'Wang Wei'}) RETURN elementId(p)")
    at = pick(explore(auth_user="lin"), wang)
    canvas(at).note(wang, "organiser, seen in Nanshan")
    at.text_input(key="ws_name").set_value("Nanshan")
    at.checkbox(key="ws_shared").check()
    at.button(key="ws_save").click().run()
    no_trouble(at)
    saved = store.workspace("lin", "Nanshan")
    assert saved.shared and saved.canvas["notes"] == {wang: "organiser, seen in Nanshan"}
    assert at.query_params["workspace"] == "lin/Nanshan"
    on_screen = list(canvas(at).visible)

    # A reload is a new session: the signed-in user's current canvas comes back from the autosave.
    at.button(key="explore_reset").click().run()
    at.session_state["explore_selection"] = []
    assert store.workspace("lin", AUTOSAVE).canvas["visible"] == []
    reload = explore(auth_user="lin")
    no_trouble(reload)
    assert canvas(reload).visible == []
    # ... and the list opens the saved one.
    assert reload.selectbox(key="ws_choice").options
    reload.button(key="ws_open").click().run()
    no_trouble(reload)
    assert canvas(reload).visible == on_screen
    assert canvas(reload).notes == {wang: "organiser, seen in Nanshan"}

    # Another user opens the shared one by its link, but may not save (viewer).
    other = AppTest.from_file(APP, default_timeout=60)
    other.session_state["auth_user"] = "zhao"
    other.query_params["workspace"] = "lin/Nanshan"
    other.switch_page("pages/explore.py").run()
    no_trouble(other)
    assert canvas(other).visible == on_screen
    assert not [b for b in other.button if b.key == "ws_save"]
    assert text("ws.needs_role") in [c.value for c in other.caption]

    # A private workspace does not open for someone else.
    store.save_workspace("lin", "private", {"visible": [wang]})
    denied = AppTest.from_file(APP, default_timeout=60)
    denied.session_state["auth_user"] = "zhao"
    denied.query_params["workspace"] = "lin/private"
    denied.switch_page("pages/explore.py").run()
    assert [e.value for e in denied.error] == [text("ws.not_found", link="lin/private")]


def test_the_time_window_filters_the_links_on_screen(seeded):
    pa = seeded.read_value("MATCH (p:Phone {number: '+8613800138000'}) RETURN elementId(p)")
    at = pick(explore(), pa)
    no_trouble(at)
    slider = at.slider[0]
    assert slider.label == text("explore.window")

    def links() -> int:
        counts = [re.match(r"(\d+) nodes and (\d+) links", c.value) for c in at.caption]
        return int(next(m for m in counts if m).group(2))

    everything = links()
    first, _ = slider.value
    slider.set_value((first, first)).run()
    no_trouble(at)
    assert canvas(at).window == [first.isoformat(), first.isoformat()]
    assert links() < everything


def test_a_selection_fills_an_investigation_parameter(seeded):
    broker = seeded.read_value("MATCH (p:Phone {number: '+8613800138003'}) RETURN elementId(p)")
    at = pick(explore(), broker)
    at = click(at, "select", [broker], "1")
    at.button(key="explore_to_inv").click().run()
    no_trouble(at)
    assert at.title[0].value == text("page.investigations")
    at.switch_page("pages/investigations.py").run()  # AppTest's next runs stay on the page switched to
    at.selectbox(key="inv_category").set_value("Search").run()
    no_trouble(at)
    at.selectbox(key="inv_name").set_value("find_identifier").run()
    assert text("inv.from_canvas", values=escape("+8613800138003")) in [i.value for i in at.info]
    at.selectbox(key="inv_canvas_param").set_value("value")
    at.button(key="inv_canvas_use").click().run()
    no_trouble(at)
    assert at.text_input(key="inv_param_find_identifier_value").value == "+8613800138003"
    assert not at.info  # used once, then gone
