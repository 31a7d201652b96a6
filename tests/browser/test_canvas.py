"""The canvas in headless Chromium: multi-select, expanding a selection in place, hiding without the server."""

from __future__ import annotations

import time

import pytest

from tests.app.seed import seed
from tests.browser.conftest import GRAPH_FRAME, serve, stop
from tests.browser.steps import (
    NETWORK,
    NODE_COUNT,
    PINNED,
    POSITIONS,
    click_node,
    search_and_show,
    shoot,
    wait_for_nodes,
)

pytestmark = pytest.mark.browser

VIEW = f"() => {{ const n = ({NETWORK})(); const p = n.getViewPosition(); return [p.x, p.y, n.getScale()]; }}"
SELECTED = f"() => ({NETWORK})().getSelectedNodes().length"
# The canvas element's box in page coordinates (through the component's two frames).
CANVAS_BOX = f"""() => {{
  const outer = document.querySelector('{GRAPH_FRAME}').getBoundingClientRect();
  const frame = document.querySelector('{GRAPH_FRAME}').contentDocument.getElementById('picture');
  const inner = frame.getBoundingClientRect();
  const c = frame.contentDocument.querySelector('#mynetwork canvas').getBoundingClientRect();
  return {{x: outer.left + inner.left + c.left, y: outer.top + inner.top + c.top, w: c.width, h: c.height}};
}}"""


@pytest.fixture(scope="module")
def app_url(graph, tmp_path_factory):
    graph.clear()
    graph.apply_schema()
    seed(graph)
    process, url = serve({"EXPLORER_VAR_DIR": str(tmp_path_factory.mktemp("var"))})
    yield url
    stop(process)


def test_multi_select_then_expand_keeps_positions_and_view(app_url, page, artifacts_dir):
    page.goto(app_url + "/explore")
    search_and_show(page, "138 0013 8003")
    wait_for_nodes(page, 5)  # the phone, its holder, two phones it called, the case
    click_node(page, "Broker Chen")
    page.get_by_role("heading", name="Person: Broker Chen").wait_for()
    page.keyboard.down("Control")
    click_node(page, "+8613800138000")
    page.keyboard.up("Control")
    page.get_by_role("heading", name="2 nodes selected").wait_for()
    before, view = page.evaluate(POSITIONS), page.evaluate(VIEW)
    page.get_by_role("button", name="Expand", exact=True).click()
    # Broker Chen's account and ring; Wang Wei (holder of +8613800138000) and the phone he called.
    page.wait_for_function(f"() => ({NODE_COUNT})() > 5")
    page.get_by_text("neighbour(s) added.").wait_for()
    after = page.evaluate(POSITIONS)
    assert len(after) > 5
    for node_id, (x, y) in before.items():  # the picture grew around what was on screen
        assert abs(after[node_id][0] - x) < 0.5 and abs(after[node_id][1] - y) < 0.5
    assert page.evaluate(VIEW) == pytest.approx(view, abs=0.5)  # no re-fit: the view stayed
    assert page.evaluate(SELECTED) == 2  # the selection survives the redraw
    shoot(page, artifacts_dir, "canvas-1-expanded-selection", docs=True)


def test_box_select_and_hide_on_the_canvas(app_url, page, artifacts_dir):
    page.goto(app_url + "/explore")
    search_and_show(page, "138 0013 8003")
    wait_for_nodes(page, 5)
    box = page.evaluate(CANVAS_BOX)
    page.keyboard.down("Shift")
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["w"] - 5, box["y"] + box["h"] - 5, steps=8)
    page.mouse.up()
    page.keyboard.up("Shift")
    page.get_by_role("heading", name="5 nodes selected").wait_for()
    assert page.evaluate(SELECTED) == 5
    click_node(page, "Broker Chen")  # a plain click selects one again
    page.get_by_role("heading", name="Person: Broker Chen").wait_for()
    page.keyboard.press("Delete")  # hidden at once in the browser, then on the server
    wait_for_nodes(page, 4)
    page.get_by_text("4 nodes and").wait_for()
    shoot(page, artifacts_dir, "canvas-2-hidden")


class HeldSocket:
    """Streamlit's websocket with the browser's messages to the server held back on demand."""

    def __init__(self, page):
        self.holding = False
        self.held: list = []
        self.server = None
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws) -> None:
        self.server = ws.connect_to_server()
        ws.on_message(lambda message: self.held.append(message) if self.holding else self.server.send(message))

    def wait_until_held(self, page, timeout_s: float = 10.0) -> None:
        """Until a held message has reached this side: the browser sends it, Playwright hands it over a moment later."""
        deadline = time.monotonic() + timeout_s
        while not self.held and time.monotonic() < deadline:
            page.wait_for_timeout(20)  # lets Playwright dispatch the route's messages while we wait on the condition
        assert self.held, "the browser sent nothing to the server"

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.server.send(message)
        self.held.clear()


RENDERS = f"() => Number(document.querySelector('{GRAPH_FRAME}').contentDocument.body.dataset.renders || 0)"
SELECTED_CAPTIONS = (
    f"() => {{ const n = ({NETWORK})(); return n.getSelectedNodes().map(id => n.body.data.nodes.get(id).label); }}"
)
# Whether Python's last picture draws the node pinned (its state, not what the browser did on its own).
PINNED_BY_SERVER = f"""caption => {{
  const outer = document.querySelector('{GRAPH_FRAME}');
  const drawn = outer.contentDocument.getElementById('picture').contentWindow.drawn;
  const node = drawn.nodes.find(x => x.label === caption);
  return Boolean(node && node.fixed && node.fixed.x === true);
}}"""


def test_select_hide_and_pin_change_the_picture_without_the_server(app_url, page):
    socket = HeldSocket(page)
    page.goto(app_url + "/explore")
    search_and_show(page, "138 0013 8003")
    wait_for_nodes(page, 5)
    page.get_by_text("5 nodes and").wait_for()
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")

    # Select: with nothing reaching the server, the node is selected on the canvas and the toolbar offers hide.
    socket.holding = True
    click_node(page, "Broker Chen")
    page.wait_for_function(f"() => ({SELECTED_CAPTIONS})().join() === 'Broker Chen'")
    tools = page.frame_locator(GRAPH_FRAME)
    assert tools.get_by_role("button", name="Hide", exact=True).is_enabled()
    socket.wait_until_held(page)  # the component did tell Python, which has not heard yet
    before, renders = page.evaluate(POSITIONS), page.evaluate(RENDERS)
    socket.release()
    page.get_by_role("heading", name="Person: Broker Chen").wait_for()
    page.wait_for_function(f"r => ({RENDERS})() > r", arg=renders)
    assert page.evaluate(POSITIONS) == before  # the rerun that followed moved nothing

    # Pin, then hide: both on screen while the server hears nothing, then Python's state agrees.
    socket.holding = True
    tools.get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_function(PINNED, arg="Broker Chen")
    assert not page.evaluate(PINNED_BY_SERVER, "Broker Chen")
    renders = page.evaluate(RENDERS)
    socket.release()
    page.wait_for_function(PINNED_BY_SERVER, arg="Broker Chen")
    assert page.evaluate(RENDERS) > renders

    socket.holding = True
    page.keyboard.press("Delete")
    wait_for_nodes(page, 4)
    socket.wait_until_held(page)
    after_hide = page.evaluate(POSITIONS)
    socket.release()
    page.get_by_text("4 nodes and").wait_for()
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    assert page.evaluate(POSITIONS) == after_hide
