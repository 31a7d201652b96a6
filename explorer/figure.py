"""A still network figure (SVG) for print: members as dots coloured by role, ties as lines, key members named.

The interactive pyvis picture needs a browser and a script; a target package is printed and filed, so
its figure is drawn once here, laid out as the app lays out its pictures (deterministically: the same
ring gives the same figure), with every caption escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

from explorer.picture import NO_GROUP_COLOUR, ROLE_COLOURS
from explorer.subgraph import GraphEdge, GraphNode, Subgraph, layout

WIDTH, HEIGHT, MARGIN = 700, 470, 36


def _layout(keys: Sequence[str], ties: Sequence[tuple[str, str, int]]) -> list[tuple[float, float]]:
    """The app's own layout (deterministic for a given set of members and ties), fitted to the figure."""
    members = Subgraph(
        {k: GraphNode(k, ["Person"], {}) for k in keys},
        {f"{a}|{b}": GraphEdge(f"{a}|{b}", a, b, "TIE", {}) for a, b, _ in ties},
    )
    placed = layout(members)
    xs, ys = [placed[k][0] for k in keys], [placed[k][1] for k in keys]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return [
        (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
        )
        for x, y in zip(xs, ys, strict=True)
    ]


def ring_svg(
    keys: Sequence[str],
    captions: Mapping[str, str],
    roles: Mapping[str, str | None],
    ties: Sequence[tuple[str, str, int]],
    named: Sequence[str],
    role_names: Mapping[str, str],
) -> str:
    """The figure as an inline SVG element: `named` keys get their caption, the rest a dot only."""
    keys = sorted(keys)
    known = set(keys)
    ties = [t for t in ties if t[0] in known and t[1] in known]
    at = dict(zip(keys, _layout(keys, ties), strict=True))
    heaviest = max((n for _, _, n in ties), default=1)
    lines = [
        f'<line x1="{at[a][0]:.1f}" y1="{at[a][1]:.1f}" x2="{at[b][0]:.1f}" y2="{at[b][1]:.1f}" '
        f'stroke="#999" stroke-opacity="0.7" stroke-width="{0.6 + 2.4 * math.sqrt(n / heaviest):.2f}"/>'
        for a, b, n in ties
    ]
    shown = set(named)
    dots, labels = [], []
    for key in keys:
        x, y = at[key]
        colour = ROLE_COLOURS.get((roles.get(key) or "").lower(), NO_GROUP_COLOUR)
        radius = 7 if key in shown else 4
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" stroke="#fff" stroke-width="1"/>')
        if key in shown:
            labels.append(
                f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="11" paint-order="stroke" stroke="#fff" '
                f'stroke-width="3">{html.escape(captions.get(key, key))}</text>'
            )
    present = sorted({(roles.get(k) or "").lower() for k in keys} & set(role_names))
    legend = [
        f'<circle cx="{MARGIN + 110 * i + 6}" cy="{HEIGHT - 12}" r="5" fill="{ROLE_COLOURS[r]}"/>'
        f'<text x="{MARGIN + 110 * i + 15}" y="{HEIGHT - 8}" font-size="11">{html.escape(role_names[r])}</text>'
        for i, r in enumerate(present)
    ]
    body = "".join(lines + dots + labels + legend)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" font-family="sans-serif">{body}</svg>'
    )
