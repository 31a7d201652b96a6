"""`python -m explorer.alerts run|list|ack`: early warning from the shell (run is idempotent, for cron)."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from explorer.alerts.evaluate import evaluate_load, run_pending
from explorer.alerts.rules import load_rules
from explorer.analyst_store import STATES, STORE_FILE, AnalystStore
from explorer.config import load_settings
from explorer.db import Graph, describe
from explorer.exceptions import ExplorerError


def _store(graph: Graph | None = None) -> AnalystStore:
    settings = graph.settings if graph is not None else load_settings()
    return AnalystStore(settings.var_dir / STORE_FILE)


def run_command(args: argparse.Namespace) -> int:
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    with Graph.connect() as graph:
        store = _store(graph)
        if args.load:
            outcome = evaluate_load(graph, args.load, store, load_rules(graph), webhook=args.webhook)
        else:
            outcome = run_pending(graph, store, everything=args.all, webhook=args.webhook)
    if args.format == "json":
        print(json.dumps({"loads": outcome.loads, "found": outcome.found, "seconds": round(outcome.seconds, 3),
                          "raised": [a.as_dict() for a in outcome.raised], "delivered": outcome.delivered,
                          "delivery_error": outcome.delivery_error}, ensure_ascii=False, indent=1))  # fmt: skip
    else:
        print(f"Evaluated {len(outcome.loads)} loads in {outcome.seconds:.1f} s: {len(outcome.raised)} new alerts "
              f"({outcome.found} found, the rest raised before).")  # fmt: skip
        for a in outcome.raised:
            print(f"  [{a.rule}] {a.summary}  <- {'; '.join(map(str, a.sources[:3]))}")
        if outcome.delivery_error:
            print(f"warning: {outcome.delivery_error}", file=sys.stderr)
    return 0


def list_command(args: argparse.Namespace) -> int:
    store = _store()
    alerts = store.alerts(rules=args.rule or None, ring=args.ring, since=args.since, until=args.until,
                          state=args.state, limit=args.limit)  # fmt: skip
    if args.format == "json":
        print(json.dumps([a.as_dict() for a in alerts], ensure_ascii=False, indent=1))
        return 0
    if not alerts:
        print("No alerts.")
    for a in alerts:
        who = f" -> {a.assignee}" if a.assignee else ""
        print(f"{a.alert_id}  {a.state:<12} {a.raised_at}  [{a.rule}]{who}  {a.summary}")
        print(f"    evidence: {', '.join(a.evidence)}; from {'; '.join(map(str, a.sources[:3]))}")
    return 0


def ack_command(args: argparse.Namespace) -> int:
    store = _store()
    store.acknowledge(args.alert_id, args.user)
    if args.comment:
        store.comment(args.alert_id, args.user, args.comment)
    print(f"Acknowledged {args.alert_id}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.alerts", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every rule on every load not evaluated yet (idempotent)")
    run.add_argument("--all", action="store_true", help="evaluate every load again (raises nothing already raised)")
    run.add_argument("--load", help="evaluate this one load (sha256:mapping)")
    run.add_argument("--webhook", help="post new alerts here (default: EXPLORER_ALERT_WEBHOOK)")
    run.add_argument("--format", choices=["table", "json"], default="table")
    ls = sub.add_parser("list", help="the alerts, unread first")
    ls.add_argument("--rule", action="append", help="only this rule (repeatable)")
    ls.add_argument("--ring", help="only alerts naming this ring")
    ls.add_argument("--since", help="raised at or after this date (YYYY-MM-DD, UTC)")
    ls.add_argument("--until", help="raised before this date (YYYY-MM-DD, UTC)")
    ls.add_argument("--state", choices=STATES)
    ls.add_argument("--limit", type=int)
    ls.add_argument("--format", choices=["table", "json"], default="table")
    ack = sub.add_parser("ack", help="acknowledge an alert")
    ack.add_argument("alert_id")
    ack.add_argument("--user", required=True)
    ack.add_argument("--comment")
    args = parser.parse_args(argv)
    try:
        return {"run": run_command, "list": list_command, "ack": ack_command}[args.command](args)
    except ExplorerError as e:
        print(f"error: {describe(e)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
