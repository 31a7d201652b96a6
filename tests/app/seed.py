"""A small known graph for the app's tests: two rings, a broker, phones, accounts, events, a load, a case."""

from __future__ import annotations

from explorer.analyst_store import AnalystStore
from explorer.db import Graph

LOAD_ID = "abc123:cdr"

SEED = """
CREATE (l:Load {load_id: $load, file: 'cdr_2024.csv', sha256: 'abc123', mapping: 'cdr',
                started_at: datetime('2024-03-01T10:00:00Z'), finished_at: datetime('2024-03-01T10:01:00Z'),
                rows_read: 12, rows_written: 11, rows_rejected: 1, status: 'done'})
CREATE (a:Person {person_id: 'id:110101199001011234', name: 'Wang Wei', aliases: ['Lao Wang', '老王'], ring_id: 'ring-1',
                  role: 'organiser', betweenness: 0.2, loads: [$load]})
CREATE (b:Person {person_id: 'name:li na|+8613800138001', name: 'Li Na', ring_id: 'ring-1', role: 'courier', betweenness: 0.05, loads: [$load]})
CREATE (c:Person {person_id: 'name:zhao|+8613800138002', name: '=HYPERLINK("x")', ring_id: 'ring-2', role: 'seller', betweenness: 0.1, loads: [$load]})
CREATE (d:Person {person_id: 'name:broker|+8613800138003', name: 'Broker Chen', ring_id: 'ring-2', role: 'broker',
                  betweenness: 0.9, brokerage: 3.0, intermediary_score: 2.5,
                  intermediary_reason: 'ties into ring ring-1 through 1 contact', loads: [$load]})
CREATE (pa:Phone {number: '+8613800138000', loads: [$load]})
CREATE (pb:Phone {number: '+8613800138001', loads: [$load]})
CREATE (pc:Phone {number: '+8613800138002', loads: [$load]})
CREATE (pd:Phone {number: '+8613800138003', loads: [$load]})
CREATE (acc:Account {account_id: 'alipay:wangwei88', platform: 'alipay', handle: 'wangwei88'})
CREATE (acd:Account {account_id: 'bank:6222020000000001', platform: 'bank', handle: '6222020000000001'})
CREATE (addr:Address {address_id: '深圳市南山区科技园1号', text: '深圳市南山区科技园1号', city: '深圳', lat: 22.54, lon: 113.95})
CREATE (case1:Case {case_id: 'SZ-2024-001', title: 'Nanshan parcels', agency: 'Shenzhen PSB'})
CREATE (a)-[:HAS_PHONE {load_id: $load, row: 1, sources: [$load + '#1']}]->(pa)
CREATE (b)-[:HAS_PHONE {load_id: $load, row: 2, sources: [$load + '#2']}]->(pb)
CREATE (c)-[:HAS_PHONE {load_id: $load, row: 3, sources: [$load + '#3']}]->(pc)
CREATE (d)-[:HAS_PHONE {load_id: $load, row: 4, sources: [$load + '#4']}]->(pd)
CREATE (a)-[:HAS_ACCOUNT]->(acc)
CREATE (d)-[:HAS_ACCOUNT]->(acd)
CREATE (a)-[:LIVES_AT]->(addr)
CREATE (pa)-[:CALLED {event_id: 'e1', at: datetime('2024-02-01T08:00:00Z'), duration_s: 60, load_id: $load, row: 5, sources: [$load + '#5']}]->(pb)
CREATE (pa)-[:CALLED {event_id: 'e2', at: datetime('2024-02-02T09:00:00Z'), duration_s: 120, load_id: $load, row: 6, sources: [$load + '#6']}]->(pd)
CREATE (pd)-[:CALLED {event_id: 'e3', at: datetime('2024-02-03T10:00:00Z'), duration_s: 30, load_id: $load, row: 7, sources: [$load + '#7']}]->(pc)
CREATE (acc)-[:TRANSFERRED {event_id: 't1', at: datetime('2024-02-04T11:00:00Z'), amount: 5000.0, currency: 'CNY'}]->(acd)
CREATE (case1)-[:INVOLVES {role: 'suspect'}]->(a)
CREATE (case1)-[:INVOLVES {role: 'phone'}]->(pd)
CREATE (r1:Ring {ring_id: 'ring-1', size: 2}), (r2:Ring {ring_id: 'ring-2', size: 2})
CREATE (a)-[:MEMBER_OF {role: 'organiser'}]->(r1), (b)-[:MEMBER_OF {role: 'courier'}]->(r1)
CREATE (c)-[:MEMBER_OF {role: 'seller'}]->(r2), (d)-[:MEMBER_OF {role: 'broker'}]->(r2)
"""

# Node and relationship totals of SEED (the Load node included).
NODES = 15
RELATIONSHIPS = 17

# The analysts' watch on the broker's phone (analyst state: in the analyst store, not in the graph).
WATCH = ("phone", "+8613800138003", "broker phone", "analyst", "2024-01-01T00:00:00+00:00")


def seed(graph: Graph, store: AnalystStore | None = None) -> Graph:
    """The graph; with a `store`, the watch list too."""
    graph.write(SEED, {"load": LOAD_ID})
    if store is not None:
        store.watch(*WATCH)
    return graph
