"""Early warning: alert rules (cypher/alerts/) run on what each load added, alerts kept as analyst state.

from explorer.alerts import after_load, run_pending, load_rules
python -m explorer.alerts run      # every rule on every load not yet evaluated (for cron)
python -m explorer.alerts list     # the alerts, unread first
"""

from explorer.alerts.evaluate import Outcome, after_load, evaluate_load, run_pending
from explorer.alerts.rules import RULE_COLUMNS, RULES_DIR, Rule, load_rules, parse_rule

__all__ = [
    "RULES_DIR",
    "RULE_COLUMNS",
    "Outcome",
    "Rule",
    "after_load",
    "evaluate_load",
    "load_rules",
    "parse_rule",
    "run_pending",
]
