"""The README's pictures of the canvas, the workspace list and the target package, taken in headless Chromium.

    python -m devtools.screenshots [--nodes 60] [--out docs/screenshots]

Reads the database the app is configured for (load the demo data first: `make demo-data`): saves a
workspace of `--nodes` nodes around the top-ranked intermediary, opens it in the served app, and
shoots the canvas, the workspace list and the first page of the target package of that person's ring.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from bench.canvas import canvas_around, still
from bench.drawing import CHROMIUM, CHROMIUM_ARGS
from explorer import auth, report
from explorer.analyst_store import STORE_FILE, AnalystStore
from explorer.canvas import Canvas
from explorer.config import PROJECT_ROOT, load_settings
from explorer.db import Graph
from tests.browser.conftest import serve, stop

VIEWPORT = {"width": 1500, "height": 1000}


def shoot(url: str | None, link: str, package: Path | None, out: Path) -> list[Path]:
    """The canvas and the workspace list from the app at `url` (None: skipped), then the package's first page."""
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(120_000)
            if url is not None:
                page.goto(f"{url}/explore?workspace={quote(link)}")
                still(page)
                made.append(out / "canvas.png")
                page.locator("iframe[title='explorer.ui.graph.graph_view']").scroll_into_view_if_needed()
                page.screenshot(path=str(made[-1]))
                page.get_by_text("Workspaces", exact=True).first.click()
                page.get_by_role("button", name="Open", exact=True).first.wait_for()
                page.get_by_text("Workspaces", exact=True).first.scroll_into_view_if_needed()
                made.append(out / "workspaces.png")
                page.screenshot(path=str(made[-1]))
            if package is not None:
                page.goto(package.as_uri())
                page.wait_for_load_state("load")
                made.append(out / "target-package.png")
                page.screenshot(path=str(made[-1]))
        finally:
            browser.close()
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=60)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    parser.add_argument("--package-only", action="store_true", help="only the target package's first page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as var:
        graph = Graph.connect(load_settings())
        try:
            ids = canvas_around(graph, args.nodes)
            ring = graph.read_value("MATCH (p) WHERE elementId(p) = $id RETURN p.ring_id", {"id": ids[0]})
            package = None
            if ring is not None:
                package = Path(var) / "package.html"
                package.write_text(report.target_package(graph, ring, "en"), encoding="utf-8")
        finally:
            graph.close()
        canvas = Canvas()
        canvas.show(ids)
        store = AnalystStore(Path(var) / STORE_FILE)
        store.save_workspace(auth.DEMO_USER.name, "top intermediary", canvas.as_dict(), shared=True)
        store.save_workspace(auth.DEMO_USER.name, "first look", canvas.as_dict())
        link = f"{auth.DEMO_USER.name}/top intermediary"
        if args.package_only:
            made = shoot(None, link, package, args.out)
        else:
            process, url = serve({"EXPLORER_VAR_DIR": var})
            try:
                made = shoot(url, link, package, args.out)
            finally:
                stop(process)
    for path in made:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
