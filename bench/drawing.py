"""Time until a graph view is drawn and still in headless Chromium: our settings against pyvis's defaults.

Each page is the HTML the view produces, with a small probe added: it
records long main-thread tasks (PerformanceObserver 'longtask') and hooks
the vis Network when it is built. From Python the page is polled with
`evaluate`: the poll's own latency shows whether the page answers (a frozen
page answers late). "Drawn and still" is the first moment after a draw from
which no node moves more than half a pixel for three polls in a row
(positions from `network.getPositions()`), or vis's `stabilized` event,
whichever is first. Times count from navigation start, plus the Python time
to build the HTML.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.common import WORK_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PROBE_HEAD = """<script>
window.__bench = {longest: 0, longtasks: 0, built: null, drawn: null, stabilized: null, iterations: null};
try {
  new PerformanceObserver(function (list) {
    for (const e of list.getEntries()) {
      window.__bench.longtasks += 1;
      window.__bench.longest = Math.max(window.__bench.longest, e.duration);
    }
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
</script>"""

# Wraps vis.Network so the probe sees the instance whatever variable the page keeps it in.
PROBE_HOOK = """<script>
(function () {
  if (!window.vis || !vis.Network) return;
  const Original = vis.Network;
  vis.Network = function (container, data, options) {
    const net = new Original(container, data, options);
    window.__net = net;
    window.__bench.built = performance.now();
    net.on('afterDrawing', function () { if (window.__bench.drawn === null) window.__bench.drawn = performance.now(); });
    net.on('stabilized', function () { if (window.__bench.stabilized === null) window.__bench.stabilized = performance.now(); });
    net.once('stabilizationIterationsDone', function () { window.__bench.iterations = performance.now(); });
    return net;
  };
  vis.Network.prototype = Original.prototype;
})();
</script>"""

POLL = """() => {
  const b = window.__bench || {};
  let pos = null;
  if (window.__net) {
    const p = window.__net.getPositions();
    pos = Object.values(p).map(function (q) { return [q.x, q.y]; });
  }
  return {now: performance.now(), drawn: b.drawn, stabilized: b.stabilized, longest: b.longest,
          longtasks: b.longtasks, built: b.built, pos: pos};
}"""


@dataclass
class DrawRun:
    label: str
    nodes: int
    edges: int
    build_s: float
    drawn_s: float | None  # navigation start to first draw
    still_s: float | None  # navigation start to still (None: not still before the timeout)
    longest_task_ms: float
    worst_poll_ms: float  # slowest answer of the page to an evaluate call
    timed_out: bool

    @property
    def total_s(self) -> float | None:
        return None if self.still_s is None else self.build_s + self.still_s


def sample_graph(nodes: int, seed: int = 5) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """A network like an investigation result: rings of 8-30 people, a few brokers linking rings."""
    rng = random.Random(seed)
    labels = ["Person", "Phone", "Account", "Address"]
    node_list = [(f"n{i}", rng.choice(labels), f"{rng.choice(labels)} {i}") for i in range(nodes)]
    edges: set[tuple[str, str]] = set()
    i = 0
    rings: list[list[int]] = []
    while i < nodes:
        size = min(rng.randint(8, 30), nodes - i)
        ring = list(range(i, i + size))
        rings.append(ring)
        for v in ring[1:]:
            edges.add((f"n{rng.choice(ring[: ring.index(v)])}", f"n{v}"))
        for _ in range(size):
            a, b = rng.sample(ring, 2) if size > 1 else (ring[0], ring[0])
            if a != b:
                edges.add((f"n{a}", f"n{b}"))
        i += size
    for _ in range(max(1, len(rings) // 2)):
        r1, r2 = rng.sample(rings, 2) if len(rings) > 1 else (rings[0], rings[0])
        a, b = rng.choice(r1), rng.choice(r2)
        if a != b:
            edges.add((f"n{a}", f"n{b}"))
    return node_list, sorted(edges)


def pyvis_defaults_html(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> str:
    """What a user gets from pyvis with no tuning: Network(), add_node, add_edge, generate_html."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    for node_id, group, label in nodes:
        net.add_node(node_id, label=label, group=group)
    for a, b in edges:
        net.add_edge(a, b)
    return net.generate_html()


def instrument(html: str) -> str:
    """Add the probe: the observer first thing in <head>, the hook after the scripts in <head>."""
    html = html.replace("<head>", "<head>" + PROBE_HEAD, 1)
    if "</head>" in html:
        return html.replace("</head>", PROBE_HOOK + "</head>", 1)
    return html.replace("<body>", "<body>" + PROBE_HOOK, 1)


def _max_move(a: list[list[float]] | None, b: list[list[float]] | None) -> float:
    if not a or not b or len(a) != len(b):
        return math.inf
    return max(max(abs(p[0] - q[0]), abs(p[1] - q[1])) for p, q in zip(a, b, strict=True))


def measure_page(browser, html: str, label: str, nodes: int, edges: int, build_s: float, timeout_s: float) -> DrawRun:
    """Open the page and poll until it is drawn and still, or the timeout passes."""
    path = WORK_DIR / "draw" / f"{label.replace(' ', '_')}-{nodes}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(instrument(html), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        deadline = time.monotonic() + timeout_s
        previous = None
        quiet_since: float | None = None
        quiet_polls = 0
        worst_poll = 0.0
        still = None
        state: dict = {}
        while time.monotonic() < deadline:
            asked = time.perf_counter()
            try:
                state = page.evaluate(POLL)
            except Exception:  # noqa: BLE001 - the page may still be parsing its scripts
                state = {}
            worst_poll = max(worst_poll, (time.perf_counter() - asked) * 1000)
            if state.get("stabilized") is not None and state.get("drawn") is not None:
                still = max(state["stabilized"], state["drawn"])
                break
            if state.get("drawn") is not None and state.get("pos") is not None:
                if _max_move(previous, state["pos"]) < 0.5:
                    quiet_polls += 1
                    if quiet_since is None:
                        quiet_since = state["now"]
                    if quiet_polls >= 3:
                        still = quiet_since
                        break
                else:
                    quiet_polls, quiet_since = 0, None
                previous = state["pos"]
            time.sleep(0.1)
        final = page.evaluate("() => window.__bench || {}") if still is not None else state
        drawn = final.get("drawn") if final else None
        return DrawRun(
            label,
            nodes,
            edges,
            build_s,
            drawn / 1000 if drawn is not None else None,
            still / 1000 if still is not None else None,
            float((final or {}).get("longest") or 0.0),
            worst_poll,
            still is None,
        )
    finally:
        page.close()


def run(
    sizes: tuple[int, ...], ours: Callable[[list, list], str], timeout_s: float, extra: Callable | None = None
) -> list[tuple[DrawRun, ...]]:
    """For each size, (ours, pyvis defaults[, extra])."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for size in sizes:
                nodes, edges = sample_graph(size)
                pair = []
                builders = [("ours", ours), ("pyvis defaults", pyvis_defaults_html)]
                if extra is not None:
                    builders.append(("reference", extra))
                for label, build in builders:
                    started = time.perf_counter()
                    html = build(nodes, edges)
                    build_s = time.perf_counter() - started
                    pair.append(measure_page(browser, html, label, size, len(edges), build_s, timeout_s))
                out.append(tuple(pair))
        finally:
            browser.close()
    return out


def reference_html(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str]]) -> str:
    """The reference the app's graph view is measured against: layout computed in C, physics off.

    The layout is igraph's force-directed (Fruchterman-Reingold) on the server
    side, so the browser draws final positions at once instead of simulating.
    """
    import igraph as ig
    from pyvis.network import Network

    index = {n[0]: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in edges])
    layout = g.layout_fruchterman_reingold(niter=300) if len(nodes) <= 1500 else g.layout_drl()
    scale = 12 * math.sqrt(len(nodes))
    xs = [c[0] for c in layout.coords]
    ys = [c[1] for c in layout.coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    net = Network(cdn_resources="in_line", height="850px", width="100%")
    net.toggle_physics(False)
    for (node_id, group, label), (x, y) in zip(nodes, layout.coords, strict=True):
        net.add_node(
            node_id,
            label=label,
            group=group,
            x=(x - min(xs)) / span * scale * 50,
            y=(y - min(ys)) / span * scale * 50,
            physics=False,
        )
    for a, b in edges:
        net.add_edge(a, b)
    net.set_options(
        '{"physics": {"enabled": false}, "edges": {"smooth": false}, '
        '"layout": {"improvedLayout": false}, "interaction": {"hideEdgesOnDrag": true}}'
    )
    return net.generate_html()
