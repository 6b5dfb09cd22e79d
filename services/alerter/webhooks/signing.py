"""Standard Webhooks signatures (https://www.standardwebhooks.com/). Pure."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from standardwebhooks import Webhook


def webhook_id(alert_id: str, version: int, subscription_id: str) -> str:
    """The same for every retry of one alert version to one subscription, so receivers can dedupe."""
    digest = hashlib.sha256(f"{alert_id}\x00{version}\x00{subscription_id}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def signed_headers(secret: str, msg_id: str, body: str, *, at: datetime) -> dict[str, str]:
    """Headers of one delivery attempt; `at` is the attempt's time (receivers reject stale ones)."""
    moment = at.astimezone(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, moment, body),
        "content-type": "application/json",
    }
