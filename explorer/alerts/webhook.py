"""Delivering new alerts to an agency system: one JSON POST per batch of new alerts."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlsplit

from explorer.analyst_store import Alert
from explorer.exceptions import ExplorerError

TIMEOUT_S = 10.0


class DeliveryFailed(ExplorerError):
    """The webhook did not accept the alerts."""


def deliver(url: str, alerts: Sequence[Alert], timeout_s: float = TIMEOUT_S) -> int:
    """POST `{"alerts": [...]}` to `url`; return how many alerts were sent. Raises DeliveryFailed."""
    if not alerts:
        return 0
    if urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryFailed(f"The alert webhook {url!r} is not an http or https address (EXPLORER_ALERT_WEBHOOK).")
    body = json.dumps({"alerts": [a.as_dict() for a in alerts]}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (scheme checked above)
            status = response.status
    except (urllib.error.URLError, OSError) as e:
        raise DeliveryFailed(f"The alert webhook {url} did not accept {len(alerts)} alerts: {e}.") from e
    if not 200 <= status < 300:
        raise DeliveryFailed(f"The alert webhook {url} answered {status} to {len(alerts)} alerts.")
    return len(alerts)
