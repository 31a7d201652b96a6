"""The target package of a ring: one standalone HTML file an investigator can hand over, and its PDF.

A one-page summary (ring, period, size, key members with roles and the reason for each, the main flows
of calls, money and parcels), one page per key member (identifiers, role and reasons, latest events,
linked cases, sources), a captioned still figure of the ring, the crackdown plan, every member, and an
evidence appendix grouped by member with each seized file and its rows once. Print CSS puts each part
on A4 pages. Every value is escaped: it comes from seized data.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from explorer.crackdown import BASELINES, STRATEGIES, STRATEGY_TITLES, CrackdownError, CrackdownResult, Scope, explain
from explorer.crackdown import crackdown as plan_crackdown
from explorer.db import Graph
from explorer.display import money, number, when
from explorer.explain import said
from explorer.figure import ring_svg
from explorer.i18n import text
from explorer.package_facts import Member, PackageFacts, read_facts, row_ranges, rows_by_file

_STYLE = """
body { font: 11px/1.35 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #111; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #999; }
h3 { font-size: 12px; margin: 10px 0 4px; }
.meta { color: #444; margin-bottom: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 10px; }
th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f2f2f2; } thead { display: table-header-group; } tr { break-inside: avoid; }
dl { display: grid; grid-template-columns: 9em 1fr; gap: 2px 10px; margin: 0 0 8px; }
dt { color: #555; } dd { margin: 0; overflow-wrap: break-word; }
figure { margin: 0; } figcaption { font-size: 10px; color: #333; margin-top: 4px; }
.appendix p { margin: 2px 0 2px 1em; overflow-wrap: break-word; }
.print { position: fixed; top: 12px; right: 12px; }
section.page { break-before: page; }
@media print {
  .print { display: none; } body { margin: 0; }
  h2, h3 { break-after: avoid; }
  @page { size: A4 portrait; margin: 12mm; }
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
    arrests = explain(result, lang=lang)
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


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _named(group: str, name: str, lang: str) -> str:
    """A label, relationship type or role in the reader's language; an unknown one as it is stored."""
    key = f"{group}.{name}"
    found = text(key, lang)
    return name if found == key else found


def _role(role: str | None, lang: str) -> str:
    return _named("role", role, lang) if role else ""


def _summary(facts: PackageFacts, lang: str, when_made: str) -> str:
    first, last = facts.period
    title = text("report.title", lang, ring=facts.ring_id)
    meta = text(
        "report.summary_meta", lang, when=when_made, members=len(facts.members), first=when(first) or "-",
        last=when(last) or "-", kind=facts.ring.get("kind") or "-",
    )  # fmt: skip
    keys = pd.DataFrame(
        [[m.name, _role(m.role, lang), said(m.reason, m.reason_facts, lang) or "", number(m.rank),
          said(m.intermediary_reason, m.intermediary_reason_facts, lang) or ""]
         for m in facts.key_members]
    )  # fmt: skip
    heads = [text(f"col.{c}", lang) for c in ("name", "role", "role_reason", "rank", "reason")]
    flows = [
        [_named("flow", r.kind, lang), text(f"flow.{r.towards}", lang), number(r.events), money(r.amount) if r.amount else "",
         when(r.first), when(r.last)]
        for r in facts.flows.itertuples(index=False)
    ] + [
        [_named("flow", r.kind, lang), text("flow.incoming", lang), number(r.events), money(r.amount) if r.amount else "",
         when(r.first), when(r.last)]
        for r in facts.incoming.itertuples(index=False)
    ]  # fmt: skip
    flow_heads = [text(f"col.{c}", lang) for c in ("kind", "towards", "events", "amount", "first", "last")]
    evidence = said(facts.ring.get("evidence"), facts.ring.get("evidence_facts"), lang)
    return (
        f'<section><h1>{_esc(title)}</h1><div class="meta">{_esc(meta)}</div>'
        + (f"<p>{_esc(evidence)}</p>" if evidence else "")
        + f"<h2>{_esc(text('report.key_members', lang))}</h2>{_table(keys, heads)}"
        + f"<h2>{_esc(text('report.flows', lang))}</h2>{_table(pd.DataFrame(flows), flow_heads)}</section>"
    )


def _figure(facts: PackageFacts, lang: str, plan: str = "") -> str:
    """The still figure of the ring, with the crackdown plan under it on the same page."""
    captions = {m.key: m.name for m in facts.members}
    roles = {m.key: m.role for m in facts.members}
    role_names = {r: _role(r, lang) for r in ("organiser", "broker", "seller", "courier", "mule", "supplier", "buyer")}
    svg = ring_svg(list(captions), captions, roles, facts.ties, [m.key for m in facts.key_members], role_names)
    caption = text(
        "report.figure_caption", lang, ring=facts.ring_id, members=len(facts.members), ties=len(facts.ties),
        named=len(facts.key_members),
    )  # fmt: skip
    return (
        f'<section class="page"><h2>{_esc(text("report.graph", lang))}</h2>'
        f"<figure>{svg}<figcaption>{_esc(caption)}</figcaption></figure>{plan}</section>"
    )


def _member_page(facts: PackageFacts, m: Member, lang: str) -> str:
    identifiers = "; ".join(f"{_named('label', i['kind'], lang)} {i['value']}" for i in m.identifiers)
    facts_list = [
        ("col.person_id", m.key),
        ("col.role", _role(m.role, lang)),
        ("col.role_reason", said(m.reason, m.reason_facts, lang)),
        ("col.rank", number(m.rank)),
        ("col.reason", said(m.intermediary_reason, m.intermediary_reason_facts, lang)),
        ("col.id_number", m.id_number),
        ("col.aliases", ", ".join(m.aliases)),
        ("col.identifiers", identifiers),
        ("col.cases", ", ".join(m.cases)),
    ]
    rows = "".join(f"<dt>{_esc(text(k, lang))}</dt><dd>{_esc(v)}</dd>" for k, v in facts_list if v)
    events = []
    for e in m.events:
        file, row, _ = facts.where(e["source"]) if e.get("source") else ("", None, None)
        detail = money(e["amount"]) if e.get("amount") is not None else (
            f"{number(e['duration_s'])} s" if e.get("duration_s") is not None else "")  # fmt: skip
        arrow = "→" if e["outgoing"] else "←"
        events.append([when(e["at"]), _named("rel", e["kind"], lang), f"{e['mine']} {arrow} {e['other']}", detail,
                       f"{file} {text('report.row', lang)} {row}" if row is not None else file])  # fmt: skip
    heads = [text(f"col.{c}", lang) for c in ("at", "kind", "between", "detail", "evidence")]
    more = m.events_total - len(m.events)
    timeline = _table(pd.DataFrame(events), heads) if events else f"<p>{_esc(text('report.no_events', lang))}</p>"
    if more > 0:
        timeline += f"<p>{_esc(text('report.more_events', lang, n=more))}</p>"
    files = rows_by_file(facts, m.sources)
    sources = text("report.member_sources", lang, rows=sum(len(r) for _, _, r in files), files=len(files))
    return (
        f'<section class="page"><h2>{_esc(m.name)} <small>{_esc(_role(m.role, lang))}</small></h2>'
        f"<dl>{rows}</dl><h3>{_esc(text('report.timeline', lang))}</h3>{timeline}<p>{_esc(sources)}</p></section>"
    )


def _members_and_evidence(facts: PackageFacts, lang: str) -> str:
    """Every member, with the seized files and rows behind their links, each row once (grouped by member)."""
    rows = []
    for m in facts.members:
        files = rows_by_file(facts, m.sources)
        evidence = "; ".join(
            f"{file}: "
            + (text("report.rows", lang, rows=row_ranges(found)) if found else text("report.whole_file", lang))
            for file, _, found in files
        )
        rows.append([m.name, m.key, _role(m.role, lang), number(m.rank), evidence])
    heads = [text(f"col.{c}", lang) for c in ("name", "person_id", "role", "rank", "evidence")]
    digests = sorted({(f, d) for m in facts.members for f, d, _ in rows_by_file(facts, m.sources) if d})
    files = "".join(f"<p>{_esc(f)}: SHA-256 {_esc(d)}</p>" for f, d in digests)
    return (
        f'<section class="page appendix"><h2>{_esc(text("report.sources", lang))}</h2>'
        f"{_table(pd.DataFrame(rows), heads)}{files}</section>"
    )


def target_package_html(
    facts: PackageFacts,
    lang: str = "en",
    generated_at: datetime | None = None,
    crackdown: CrackdownResult | None = None,
) -> str:
    """The package as one HTML page: nothing fetched from the network, no script."""
    made = when(generated_at or datetime.now(UTC))
    title = text("report.title", lang, ring=facts.ring_id)
    plan = crackdown_html(crackdown, lang)
    return (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
        f'<button class="print" onclick="window.print()">{_esc(text("report.print", lang))}</button>'
        + _summary(facts, lang, made)
        + "".join(_member_page(facts, m, lang) for m in facts.key_members)
        + _figure(facts, lang, plan)
        + _members_and_evidence(facts, lang)
        + "</body></html>\n"
    )


def target_package(graph: Graph, ring_id: Any, lang: str = "en") -> str:
    """Read a ring from the graph and build its target package."""
    facts = read_facts(graph, ring_id)
    try:
        plan = plan_crackdown(graph, Scope(ring=str(ring_id)), REPORT_K)
    except CrackdownError:
        plan = None  # a ring with no members on record: the package goes without a plan
    return target_package_html(facts, lang, crackdown=plan)


def main(argv: list[str] | None = None) -> int:
    """python -m explorer.report --ring ID [--pdf] [--lang zh] [--out FILE]: a ring's target package."""
    import argparse
    import sys
    from pathlib import Path

    from explorer import downloads
    from explorer.db import describe
    from explorer.exceptions import ExplorerError

    parser = argparse.ArgumentParser(prog="python -m explorer.report", description="A ring's target package.")
    parser.add_argument("--ring", required=True, help="the ring id (from the analytics)")
    parser.add_argument("--pdf", action="store_true", help="print it to PDF with headless Chromium")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--out", help="file to write (default target-package-<ring>.html or .pdf)")
    args = parser.parse_args(argv)
    basename = f"target-package-{args.ring}"
    try:
        with Graph.connect() as graph:
            page = target_package(graph, args.ring, args.lang)
        # The command line acts as a local administrator; the export is recorded like the app's.
        made = (downloads.pdf if args.pdf else downloads.page)(None, page, basename, {"ring": args.ring})
    except ExplorerError as e:
        print(describe(e), file=sys.stderr)
        return 1
    out = Path(args.out or made.file_name)
    out.write_bytes(made.data)
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
