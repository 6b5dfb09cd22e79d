"""Standard Webhooks signatures (https://www.standardwebhooks.com/) and secrets. Pure, except
`generate_secret`, which draws from the operating system's randomness."""

from __future__ import annotations

import base64
import hashlib
import secrets as random_source
from collections.abc import Sequence
from datetime import UTC, datetime

from standardwebhooks import Webhook

from schemas.models import SECRET_PREFIX

# 32 bytes: above the 24 the specification asks as a minimum, the size of the HMAC-SHA256 block half.
GENERATED_SECRET_BYTES = 32


def webhook_id(alert_id: str, version: int, subscription_id: str) -> str:
    """The same for every retry of one alert version to one subscription, so receivers can dedupe."""
    digest = hashlib.sha256(f"{alert_id}\x00{version}\x00{subscription_id}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def generate_secret() -> str:
    """A new `whsec_` secret from `secrets.token_bytes` (the OS's CSPRNG)."""
    key = random_source.token_bytes(GENERATED_SECRET_BYTES)
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def signed_headers(secrets: Sequence[str], msg_id: str, body: str, *, at: datetime) -> dict[str, str]:
    """Headers of one delivery attempt; `at` is the attempt's time (receivers reject stale ones).

    One `v1,<base64 HMAC>` per secret, space-separated, newest first: during a secret rotation a
    receiver holding either the old or the new secret verifies (the specification's way to rotate)."""
    if not secrets:
        raise ValueError("a delivery needs at least one secret to sign with")
    moment = at.astimezone(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(Webhook(secret).sign(msg_id, moment, body) for secret in secrets),
        "content-type": "application/json",
    }
