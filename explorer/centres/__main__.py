"""`python -m explorer.centres index|match|serve|lookup`: linked cases across centres (docs/centres.md).

python -m explorer.centres index --centre guangdong --out guangdong.index
python -m explorer.centres match national.index guangdong.index yunnan.index [--format json]
python -m explorer.centres serve --centre guangdong
python -m explorer.centres lookup 13812345678 --as national
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from types import FrameType

from explorer.centres.config import centre_named, load_centres
from explorer.centres.index import read_index, write_index
from explorer.centres.linkage import LinkageKey, hash_typed
from explorer.centres.match import DEFAULT_DATE_THRESHOLD, DEFAULT_MAX_CASES, DEFAULT_THRESHOLD, match, table
from explorer.centres.service import CentreService, Holdings, ask_everywhere, tokens_of
from explorer.db import Graph
from explorer.exceptions import ExplorerError


def index_command(args: argparse.Namespace) -> int:
    centre = centre_named(args.centre, args.centres)
    key = LinkageKey.from_environment()
    with Graph.connect(centre.settings()) as graph:
        print(write_index(graph, centre, key, args.out).sentence())
    return 0


def match_command(args: argparse.Namespace) -> int:
    indexes = [read_index(p) for p in args.indexes]
    result = match(indexes, threshold=args.threshold, date_threshold=args.date_threshold, max_cases=args.max_cases)
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=1, sort_keys=True))
    else:
        print(table(result, args.limit))
    return 0


def serve_command(args: argparse.Namespace) -> int:
    centre = centre_named(args.centre, args.centres)
    key = LinkageKey.from_environment()
    tokens = tokens_of(centre)
    graph = Graph.connect(centre.settings())
    try:
        holdings = Holdings.of(graph, centre, key)
        server = CentreService(holdings, graph, tokens)
    except (ExplorerError, OSError):
        graph.close()
        raise

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    host, port = server.server_address[:2]
    print(f"Centre {centre.name} answers on http://{host}:{port} ({len(holdings.by_hash):,} identifiers held).",
          flush=True)  # fmt: skip
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        graph.close()
    print(f"Centre {centre.name} stopped answering.", flush=True)
    return 0


def lookup_command(args: argparse.Namespace) -> int:
    centres = load_centres(args.centres)
    key = LinkageKey.from_environment()
    h = hash_typed(key, args.value, args.kind)
    others = [c for c in centres.values() if c.service is not None and c.name != args.requester]
    answers = ask_everywhere(others, [h], requester=args.requester)
    for name, held in answers.items():
        print(f"{name}: {'hit' if held[h] else 'no hit'}")
    return 0 if any(held[h] for held in answers.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m explorer.centres", description=__doc__.split("\n\n")[0])
    parser.add_argument("--centres", help="the centres file (default: EXPLORER_CENTRES, else ./centres.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    ix = sub.add_parser("index", help="write one centre's linkage index (keyed hashes only)")
    ix.add_argument("--centre", required=True)
    ix.add_argument("--out", required=True, help="the index file to write")
    mt = sub.add_parser("match", help="compare the indexes of two or more centres")
    mt.add_argument("indexes", nargs="+", help="index files, one per centre")
    mt.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                    help="least Dice similarity of two names when a birth date is unknown")  # fmt: skip
    mt.add_argument("--date-threshold", type=float, default=DEFAULT_DATE_THRESHOLD,
                    help="least overlap of two names with the same birth date")  # fmt: skip
    mt.add_argument("--max-cases", type=int, default=DEFAULT_MAX_CASES,
                    help="an identifier tied to more cases at one centre is a hub and joins none")  # fmt: skip
    mt.add_argument("--format", choices=["table", "json"], default="table")
    mt.add_argument("--limit", type=int, default=50, help="case links shown in the table")
    sv = sub.add_parser("serve", help="answer hit / no-hit and detail requests for one centre")
    sv.add_argument("--centre", required=True)
    lk = sub.add_parser("lookup", help="ask every other centre's service whether it holds one identifier")
    lk.add_argument("value", help="the identifier as written (a phone, account, ID number ...)")
    lk.add_argument("--kind", help="its kind (phone, account, id_number ...), else guessed")
    lk.add_argument("--as", dest="requester", required=True, help="the centre asking")
    args = parser.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    commands = {"index": index_command, "match": match_command, "serve": serve_command, "lookup": lookup_command}
    try:
        return commands[args.command](args)
    except (ExplorerError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
