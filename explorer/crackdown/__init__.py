"""Crackdown planning: whom to remove, together, so that a network falls apart most.

    python -m explorer.crackdown --ring ID --k 5 [--case ID | --graph | --persons K1,K2] [--layers CALLED,...]
                                 [--format text|json]

See docs/crackdown.md for what the plan minimises and how it compares with the published strategies.
"""

from explorer.crackdown.network import CrackdownError, Scope, pull_network
from explorer.crackdown.plan import (
    STRATEGY_TITLES,
    Arrest,
    as_json,
    as_table,
    components_subgraph,
    crackdown,
    curves,
    explain,
)
from explorer.crackdown.search import (
    BASELINES,
    STRATEGIES,
    CrackdownResult,
    Evaluator,
    Network,
    Outcome,
    SearchOptions,
    Strategy,
    plan_crackdown,
)

__all__ = [
    "BASELINES",
    "STRATEGIES",
    "STRATEGY_TITLES",
    "Arrest",
    "CrackdownError",
    "CrackdownResult",
    "Evaluator",
    "Network",
    "Outcome",
    "Scope",
    "SearchOptions",
    "Strategy",
    "as_json",
    "as_table",
    "components_subgraph",
    "crackdown",
    "curves",
    "explain",
    "plan_crackdown",
    "pull_network",
]
