"""The target package of a ring: one standalone HTML file that prints well.

Members with every identifier, the ring's graph, and the source file and row
behind each link, for a coordinated arrest. Every value is escaped: it comes
from seized data.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from explorer.crackdown import BASELINES, STRATEGIES, STRATEGY_TITLES, CrackdownError, CrackdownResult, Scope, explain
from explorer.crackdown import crackdown as plan_crackdown
from explorer.db import Graph
from explorer.i18n import text
from explorer.picture import Picture

_STYLE = """
body { font: 13px/1.4 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #111; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #999; }
.meta { color: #555; margin-bottom: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; word-break: break-word; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
iframe.graph { width: 100%; height: 560px; border: 1px solid #bbb; }
.print { position: fixed; top: 12px; right: 12px; }
@media print {
  .print { display: none; } body { margin: 0; }
  h2 { page-break-after: avoid; } section.graph { page-break-after: always; }
  @page { size: A4 landscape; margin: 12mm; }
}
"""


def _cell(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        value = f"{value:.4g}"
    return html.escape(str(value))


def _table(frame: pd.DataFrame, headers: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


REPORT_K = 5  # arrests the package's crackdown plan names


def crackdown_html(result: CrackdownResult | None, lang: str = "en") -> str:
    """The crackdown section: the plan in order with reasons, and every strategy's largest group left."""
    if result is None or not result.plan:
        return ""
    arrests = explain(result)
    k = len(arrests)
    plan = pd.DataFrame(
        {"step": range(1, k + 1), "name": [a.name for a in arrests], "key": [a.key for a in arrests],
         "reason": [a.reason for a in arrests]}
    )  # fmt: skip
    heads = [text("col.step", lang), text("col.name", lang), text("col.person_id", lang), text("col.reason", lang)]
    outcome = result.strategies["plan"].outcomes[-1]
    baseline = min(result.strategies[name].outcomes[-1].lcc for name in BASELINES)
    meta = text("report.crackdown_meta", lang, k=k, lcc=outcome.lcc, size=result.network.size, baseline=baseline)
    curve = pd.DataFrame(
        [[STRATEGY_TITLES[name]] + [f"{o.lcc_share:.3f}" for o in result.strategies[name].outcomes]
         for name in STRATEGIES]
    )  # fmt: skip
    return (
        f"<section><h2>{html.escape(text('report.crackdown', lang))}</h2>"
        f'<div class="meta">{html.escape(meta)}</div>{_table(plan, heads)}'
        f"<p></p>{_table(curve, [''] + [f'k={i}' for i in range(1, k + 1)])}</section>"
    )


def target_package_html(
    ring_id: Any,
    members: pd.DataFrame,
    sources: pd.DataFrame,
    picture: Picture,
    lang: str = "en",
    generated_at: datetime | None = None,
    crackdown: CrackdownResult | None = None,
) -> str:
    """The report as one HTML page (the graph embedded, nothing fetched from the network)."""
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    member_columns = [
        "name",
        "person_id",
        "role",
        "aliases",
        "phones",
        "accounts",
        "addresses",
        "devices",
        "cases",
        "betweenness",
    ]
    members = members.reindex(columns=member_columns)
    source_columns = ["member", "link", "other", "file", "row", "sha256"]
    sources = sources.reindex(columns=source_columns)
    title = text("report.title", lang, ring=ring_id)
    graph_page = html.escape(picture.html(), quote=True)
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_STYLE}</style></head>
<body>
<button class="print" onclick="window.print()">{html.escape(text("report.print", lang))}</button>
<h1>{html.escape(title)}</h1>
<div class="meta">{html.escape(text("report.meta", lang, when=when, members=len(members), sources=len(sources)))}</div>
<section class="graph"><h2>{html.escape(text("report.graph", lang))}</h2>
<iframe class="graph" srcdoc="{graph_page}" title="{html.escape(title)}"></iframe></section>
<section><h2>{html.escape(text("report.members", lang))}</h2>
{_table(members, [text("col." + c, lang) for c in member_columns])}</section>
{crackdown_html(crackdown, lang)}
<section><h2>{html.escape(text("report.sources", lang))}</h2>
{_table(sources, [text("col." + c, lang) for c in source_columns])}</section>
</body></html>
"""


def target_package(graph: Graph, ring_id: Any, lang: str = "en") -> str:
    """Read a ring from the graph and build its target package."""
    from explorer import browse

    members = browse.ring_members(graph, ring_id)
    sources = browse.ring_sources(graph, ring_id)
    picture = Picture(
        browse.ring_subgraph(graph, ring_id),
        color_by="role",
        height_px=540,
        title=text("report.title", lang, ring=ring_id),
        legend_title=text("graph.legend", lang),
        png_label=text("graph.png", lang),
    )
    try:
        plan = plan_crackdown(graph, Scope(ring=str(ring_id)), REPORT_K)
    except CrackdownError:
        plan = None  # a ring with no members on record: the package goes without a plan
    return target_package_html(ring_id, members, sources, picture, lang, crackdown=plan)
