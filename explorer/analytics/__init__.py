"""Rings and key intermediaries on a person-level projection of the graph.

    python -m explorer.analytics [--layers CALLED,TRANSFERRED,meetings,...] [--weight TRANSFERRED=3]
                                 [--unweighted-rings] [--ranking betweenness_weighted] [--dry-run]

The projection (`projection`): one *unit* per Person; a phone or account joins its holders
(`HAS_PHONE`, `HAS_ACCOUNT`), and one with no known holder is a unit of its own (a buyer's phone
seen only in a call record still carries paths). Each layer (a relationship kind, any other
relationship type, or a value of the relationships' `layer` property) is pulled with one query,
its links' strengths (counts, durations, amounts, declared weights; docs/analytics.md) summed on
the server, and adds `weight(layer) * (1 + ln(strength))` to the tie of the two units. Ties are
undirected.

On that graph (python-igraph, in C):
- communities (`communities`): Leiden (modularity, resolution chosen by stability), weighted by
  tie strength unless `weighted_rings` is off; a community with trade signal is a ring, one
  without a group (or nothing, on a graph where other communities carry signal);
- betweenness by hops and by tie strength (distance 1 / weight), and brokerage between
  communities (`ranking`); the default ranking of key intermediaries follows betweenness by hops,
  the published key-player measure, with each unit's reason in words (`intermediary_reason`);
- roles of members from behaviour and position, each with its reason (`roles`).

Units with more distinct contacts than `max_degree` (a courier depot, a payment platform) are
hubs: left out of rings and scores, counted in the run. The automatic limit spares persons (an
organiser of a large ring has many contacts); a `max_degree` given applies to every unit. Results are written back (`run`: Ring
nodes with `kind`, MEMBER_OF {role, reason}, scores and `intermediary_rank` on the unit nodes)
with an AnalyticsRun node recording when and on what it ran.
"""

from explorer.analytics.communities import leiden, most_stable, ring_id_for
from explorer.analytics.options import (
    ALL_KINDS,
    DEFAULT_WEIGHTS,
    RANKINGS,
    ROLE_ORDER,
    AnalyticsError,
    Options,
)
from explorer.analytics.projection import pull_customers, pull_projection, pull_signal
from explorer.analytics.ranking import analyse
from explorer.analytics.results import Analysis, Projection, Unit
from explorer.analytics.roles import assign_roles, pull_behaviour
from explorer.analytics.run import run_analytics, write_back

__all__ = [
    "ALL_KINDS",
    "DEFAULT_WEIGHTS",
    "RANKINGS",
    "ROLE_ORDER",
    "Analysis",
    "AnalyticsError",
    "Options",
    "Projection",
    "Unit",
    "analyse",
    "assign_roles",
    "pull_behaviour",
    "pull_customers",
    "pull_projection",
    "pull_signal",
    "ring_id_for",
    "run_analytics",
    "write_back",
    "leiden",
    "most_stable",
]
