"""Webhook subscriptions: read-only ones from STRIKEWATCH_WEBHOOKS_FILE, and API-made ones kept in
a Redis hash so every replica sees them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import TypeAdapter, ValidationError
from redis.asyncio import Redis

from schemas import WebhookSubscription
from services.common.names import Names

log = logging.getLogger("strikewatch.alerter")

Source = Literal["file", "api"]
_SUBSCRIPTION_LIST = TypeAdapter(list[WebhookSubscription])


class SubscriptionConflict(Exception):
    pass


def load_file(path: Path) -> list[WebhookSubscription]:
    """The YAML list of docs/contract.md section 6; errors name the file and never echo secrets."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read webhooks file {path}: {type(exc).__name__}") from None
    if data is None:
        return []
    try:
        subscriptions = _SUBSCRIPTION_LIST.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors(include_input=False)
        )
        raise ValueError(f"invalid webhooks file {path}: {problems}") from None
    ids = [sub.id for sub in subscriptions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"webhooks file {path} repeats subscription ids {duplicates}")
    return subscriptions


def mask_secret(secret: str) -> str:
    """Enough to tell two secrets apart, never enough to use one."""
    return f"whsec_…{secret[-4:]}" if len(secret) > 12 else "whsec_…"


def public_view(subscription: WebhookSubscription, source: Source) -> dict[str, Any]:
    data = subscription.model_dump(mode="json", exclude_none=True)
    data["secret"] = mask_secret(subscription.secret)
    data["source"] = source
    return data


class SubscriptionStore:
    def __init__(self, redis: Redis, names: Names, file_subscriptions: list[WebhookSubscription]) -> None:
        self._redis = redis
        self._key = names.webhook_subscriptions
        self._file = {sub.id: sub for sub in file_subscriptions}

    @staticmethod
    def _parse(sub_id: str, raw: bytes) -> WebhookSubscription | None:
        try:
            return WebhookSubscription.model_validate_json(raw)
        except ValidationError:
            log.error("ignoring stored webhook subscription %r: it is not a valid subscription", sub_id)
            return None

    async def all(self) -> list[tuple[WebhookSubscription, Source]]:
        stored: dict[Any, Any] = await self._redis.hgetall(self._key)
        out: list[tuple[WebhookSubscription, Source]] = [(sub, "file") for sub in self._file.values()]
        for raw_id, raw in sorted(stored.items()):
            sub_id = raw_id.decode()
            if sub_id in self._file:
                continue
            sub = self._parse(sub_id, raw)
            if sub is not None:
                out.append((sub, "api"))
        return out

    async def get(self, sub_id: str) -> WebhookSubscription | None:
        if sub_id in self._file:
            return self._file[sub_id]
        raw: Any = await self._redis.hget(self._key, sub_id)
        return None if raw is None else self._parse(sub_id, raw)

    async def add(self, subscription: WebhookSubscription) -> None:
        if subscription.id in self._file:
            raise SubscriptionConflict(f"subscription {subscription.id!r} is defined in the webhooks file")
        added = await self._redis.hsetnx(self._key, subscription.id, subscription.model_dump_json())
        if not added:
            raise SubscriptionConflict(f"subscription {subscription.id!r} already exists; delete it first")

    async def remove(self, sub_id: str) -> bool:
        if sub_id in self._file:
            raise SubscriptionConflict(
                f"subscription {sub_id!r} is defined in the webhooks file; remove it there"
            )
        removed: int = await self._redis.hdel(self._key, sub_id)
        return removed > 0
