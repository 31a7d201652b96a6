"""What a run of the analytics projects and how it decides rings, roles and the ranking."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.exceptions import ExplorerError

DEFAULT_WEIGHTS: dict[str, float] = {
    "CALLED": 1.0,
    "MESSAGED": 1.0,
    "TRANSFERRED": 1.0,
    "PARCEL": 1.0,
    "HAS_CONTACT": 0.5,
    "KNOWS": 1.0,
    "CONTACT": 1.0,
    "SHARED": 2.0,  # two persons holding one phone or account (often one person under two names)
}
ALL_KINDS = tuple(DEFAULT_WEIGHTS)
ROLE_ORDER = ("organiser", "broker", "seller", "courier", "mule", "member")
RANKINGS = ("betweenness", "betweenness_weighted")


class AnalyticsError(ExplorerError):
    """The analytics cannot run with the options given."""


@dataclass(frozen=True)
class Options:
    """What the analytics projects and how it detects rings and intermediaries."""

    # Layers: the built-in kinds above, any other relationship type, or any value of a relationship's
    # `layer` property (the network file it came from, e.g. `meetings`).
    layers: tuple[str, ...] = ALL_KINDS
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    # Tie strength (counts, durations, amounts, declared weights) shapes the communities; off: every tie is 1.
    weighted_rings: bool = True
    # The default ranking: hop betweenness, the published key-player measure of the real networks
    # (docs/analytics.md), or betweenness with a strong tie as a short distance.
    ranking: str = "betweenness"
    min_ring_size: int = 3
    resolution: float | None = None  # None: the most stable on `resolution_grid` (see `communities.most_stable`)
    leiden_iterations: int = 2  # -1: until no improvement (slower on big graphs, rarely different)
    resolution_grid: tuple[float, ...] = tuple(round(2 ** (k / 2), 3) for k in range(9))  # 1 to 16
    seed: int = 42
    max_degree: int | None = None  # None: automatic, max(100, 20 x the median number of contacts), persons spared
    exact_betweenness_limit: int = 20_000
    betweenness_samples: int = 1000
    # Sampled betweenness costs sources x (units + ties): on a big graph the sample shrinks to stay within
    # this many steps, down to `min_betweenness_samples`.
    betweenness_budget: float = 2e8
    min_betweenness_samples: int = 100
    min_ties_in_ring: int = 2  # a unit tied to fewer members of its community is an associate, not a member
    min_broker_weight: float = 2.0  # ties into another community weaker than this are incidental, not brokerage
    min_broker_contacts: int = 2  # brokerage into a community needs ties to at least this many of its members
    broker_balance: float = 0.5  # broker role: ties into other communities at least this share of ties to its own
    max_broker_share: float = 0.2  # at most this share of a community (and at least one) are brokers
    organiser_reach: float = 0.5  # organiser: tied directly to at least this share of the other members
    top_intermediaries: int = 10_000  # units outside rings whose scores are written back
    # A community is a trafficking ring when enough of its members show criminal signal (slang adverts or
    # chats, money passed through, parcels via drop addresses); without it, a "group". "auto": on a graph
    # with signal somewhere, communities without it are left out; on a graph with none at all (a research
    # network) every community is kept as a group. False: the analyst declares every community a ring.
    require_signal: bool | str = "auto"
    min_signal_members: int = 2
    min_signal_share: float = 0.15
    signal_max_links: int = 500  # identifiers and addresses with more links are platforms or depots
    pass_through_hours: int = 48
    drop_min_names: int = 3
    # A collection point, not a drop: this many parcels delivered and under `drop_min_out_share` sent on
    # (the saved investigation `drop_addresses` draws the same line).
    drop_collection_parcels: int = 50
    drop_min_out_share: float = 0.25
    write: bool = True

    def weight(self, layer: str) -> float:
        return float(self.weights.get(layer, DEFAULT_WEIGHTS.get(layer, 1.0)))
