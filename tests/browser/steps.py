"""Steps the browser tests share: reaching the vis network inside the graph component, waiting, choosing, shooting."""

from __future__ import annotations

import os
import shutil

from explorer.config import PROJECT_ROOT
from tests.browser.conftest import GRAPH_FRAME

DOCS_SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"

# From the main page (same origin as the component and its child frame): the vis network, once laid out.
NETWORK = f"""() => {{
  const outer = document.querySelector('{GRAPH_FRAME}');
  const inner = outer && outer.contentDocument && outer.contentDocument.getElementById('picture');
  const win = inner && inner.contentWindow;
  return win && win.graphReady && win.network ? win.network : null;
}}"""
NODE_COUNT = f"() => {{ const n = ({NETWORK})(); return n ? n.body.data.nodes.length : -1; }}"
PINNED = f"""caption => {{
  const n = ({NETWORK})();
  const node = n && n.body.data.nodes.get({{filter: x => x.label === caption}})[0];
  return Boolean(node && node.fixed && node.fixed.x === true);
}}"""
POSITIONS = (
    f"() => {{ const n = ({NETWORK})(); const p = n.getPositions(); "
    "return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, [v.x, v.y]])); }"
)


def shoot(page, artifacts_dir, name: str, docs: bool = False) -> None:
    path = artifacts_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if docs and os.environ.get("EXPLORER_UPDATE_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS_SCREENSHOTS / f"{name}.png")


def wait_for_nodes(page, count: int) -> None:
    page.wait_for_function(f"n => ({NODE_COUNT})() === n", arg=count, timeout=30_000)


def click_node(page, caption: str) -> None:
    """A real mouse click on the node whose caption is `caption`, at its place on the canvas."""
    page.locator(GRAPH_FRAME).scroll_into_view_if_needed()
    point = page.evaluate(
        f"""caption => {{
      const network = ({NETWORK})();
      const node = network.body.data.nodes.get({{filter: n => n.label === caption}})[0];
      const dom = network.canvasToDOM(network.getPositions([node.id])[node.id]);
      const outer = document.querySelector('{GRAPH_FRAME}').getBoundingClientRect();
      const frame = document.querySelector('{GRAPH_FRAME}').contentDocument.getElementById('picture');
      const inner = frame.getBoundingClientRect();
      const canvas = frame.contentDocument.querySelector('#mynetwork canvas').getBoundingClientRect();
      return {{x: outer.left + inner.left + canvas.left + dom.x, y: outer.top + inner.top + canvas.top + dom.y}};
    }}""",
        caption,
    )
    page.mouse.click(point["x"], point["y"])


def wait_tables(page) -> None:
    page.wait_for_selector("[data-testid='stDataFrame'] canvas, [data-testid='stDataFrameResizable']", timeout=30_000)


def idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


def choose(page, label: str, option: str) -> None:
    """Pick an option; a rerun may redraw the list under the pointer, so the pick is retried (bounded)."""
    from playwright.sync_api import Error

    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label)
    for _ in range(3):
        idle(page)
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except Error:
            page.keyboard.press("Escape")
    idle(page)


SEARCH_FRAME = 'iframe[title="explorer.ui.search.search_box"]'


def search_and_show(page, text: str) -> None:
    """Type into the Explore search box, wait for the suggestions and pick the first one."""
    box = page.frame_locator(SEARCH_FRAME)
    box.locator("input").fill(text)
    option = box.get_by_role("option").first
    option.wait_for()
    option.click()
