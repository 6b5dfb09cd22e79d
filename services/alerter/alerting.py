"""From a classified entry to published alerts: decode (or dead-letter), cluster into an incident
under WATCH/MULTI, and in the same transaction store the incident, append to the alert log, publish
to the channels and enqueue webhook deliveries. Either all of it happens once or none of it does, so
two replicas, or a redelivered entry, never publish an alert twice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from schemas import Alert, Classification, WebhookSubscription
from services.alerter.clustering import (
    Decision,
    IncidentState,
    alertable,
    assign,
    lookup_keys,
)
from services.alerter.render import alert_from_state
from services.alerter.routing import channels, subscription_wants
from services.alerter.webhooks.jobs import DeliveryJob, enqueue
from services.alerter.webhooks.signing import webhook_id
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.metrics import Metrics
from services.common.names import DATA_FIELD
from services.common.settings import Settings
from services.common.streams import add_dead_letter, dead_letter, decode_id, raw_bytes

log = logging.getLogger("strikewatch.alerter")

# Optimistic transactions retry when another replica touched the same incident meanwhile; a
# handful of rounds is plenty, and failing loudly beats spinning.
MAX_TRANSACTION_ROUNDS = 50

Entry = tuple[bytes | str, Mapping[bytes, bytes]]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Alerter:
    def __init__(
        self,
        redis: Redis,
        settings: Settings,
        metrics: Metrics,
        subscriptions: SubscriptionStore,
        *,
        on_enqueued: Callable[[], None] = lambda: None,
    ) -> None:
        self._redis = redis
        self._settings = settings
        self._names = settings.names
        self._metrics = metrics
        self._subscriptions = subscriptions
        self._on_enqueued = on_enqueued

    async def handle_entries(self, entries: Sequence[Entry]) -> list[Decision]:
        """Process entries in order. A bad entry is dead-lettered and skipped; a Redis failure
        raises, leaving the batch unacknowledged for the reclaimer (every step is idempotent)."""
        decisions: list[Decision] = []
        subscriptions: list[WebhookSubscription] | None = None
        for entry_id, fields in entries:
            report = await self._decode(entry_id, fields)
            if report is None or not alertable(report):
                continue
            if subscriptions is None:
                subscriptions = [sub for sub, _ in await self._subscriptions.all()]
            decision = await self.process(report, subscriptions)
            if decision is not None:
                decisions.append(decision)
        return decisions

    async def give_up(self, entry: Entry, *, deliveries: int) -> None:
        """An entry that failed `max_deliveries` times goes to the dead-letter stream."""
        entry_id, fields = entry
        await self._dead_letter(
            entry_id, fields, f"processing failed {deliveries} times; giving up", attempts=deliveries
        )

    async def _decode(self, entry_id: bytes | str, fields: Mapping[bytes, bytes]) -> Classification | None:
        data = fields.get(DATA_FIELD.encode())
        if data is None:
            await self._dead_letter(entry_id, fields, f"entry has no {DATA_FIELD!r} field")
            return None
        try:
            return Classification.model_validate_json(data)
        except ValidationError as exc:
            first = exc.errors(include_input=False)[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            reason = (
                f"not a valid Classification ({exc.error_count()} errors; first at {where}: {first['msg']})"
            )
            await self._dead_letter(entry_id, fields, reason)
            return None

    async def _dead_letter(
        self,
        entry_id: bytes | str,
        fields: Mapping[bytes, bytes],
        reason: str,
        *,
        attempts: int | None = None,
    ) -> None:
        letter = dead_letter(
            "alerter",
            reason,
            raw_bytes(fields),
            source_stream=self._names.classified,
            source_id=decode_id(entry_id),
            attempts=attempts,
        )
        await add_dead_letter(self._redis, self._names, self._settings.deadletter_maxlen, letter)
        self._metrics.deadletter.labels("alerter").inc()
        log.warning("dead-lettered %s entry %s: %s", self._names.classified, decode_id(entry_id), reason)

    async def process(
        self, report: Classification, subscriptions: Sequence[WebhookSubscription]
    ) -> Decision | None:
        """Cluster one report and publish what it changes. None when this article was done before."""
        names, ttl = self._names, self._settings.incident_ttl_s
        marker = names.alerted_marker(report.id)
        for _ in range(MAX_TRANSACTION_ROUNDS):
            now = datetime.now(UTC)
            index_keys = [names.incident_index(key, day) for key, day in lookup_keys(report)]
            async with self._redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(marker, *index_keys)
                    if await pipe.exists(marker):
                        return None
                    ids: set[Any] = await pipe.sunion(index_keys) if index_keys else set()
                    state_keys = [names.incident(_text(raw)) for raw in sorted(ids)]
                    candidates: list[IncidentState] = []
                    if state_keys:
                        await pipe.watch(*state_keys)
                        raws: list[Any] = await pipe.mget(state_keys)
                        candidates = [
                            IncidentState.model_validate_json(raw) for raw in raws if raw is not None
                        ]
                    decision = assign(candidates, report, now=now, sender=self._settings.cap_sender)
                    state = decision.state

                    pipe.multi()  # type: ignore[no-untyped-call]
                    pipe.set(names.incident(state.alert_id), state.model_dump_json(), ex=ttl)
                    for key, day in state.index_keys():
                        index = names.incident_index(key, day)
                        pipe.sadd(index, state.alert_id)
                        pipe.expire(index, ttl)
                    if decision.previous is not None:
                        # e.g. an incident that now has a date is no longer "undated"
                        for key, day in set(decision.previous.index_keys()) - set(state.index_keys()):
                            pipe.srem(names.incident_index(key, day), state.alert_id)
                    pipe.set(marker, state.alert_id, ex=ttl)
                    alert = alert_from_state(state) if decision.publishes else None
                    jobs = self._publish(pipe, alert, subscriptions, now=now) if alert else 0
                    await pipe.execute()
                except WatchError:
                    continue
            if alert is not None:
                self._published(alert, report, now=now)
                if jobs:
                    self._on_enqueued()
            return decision
        raise RuntimeError(
            f"article {report.id!r}: incident state kept changing under {MAX_TRANSACTION_ROUNDS} attempts"
        )

    def _publish(
        self, pipe: Pipeline, alert: Alert, subscriptions: Sequence[WebhookSubscription], *, now: datetime
    ) -> int:
        names = self._names
        payload = alert.model_dump_json()
        pipe.xadd(
            names.alert_log,
            {DATA_FIELD: payload},
            maxlen=self._settings.alert_log_maxlen,
            approximate=True,
        )
        for channel in channels(alert, names):
            pipe.publish(channel, payload)
        due_ms = int(now.timestamp() * 1000)
        jobs = 0
        for subscription in subscriptions:
            if not subscription_wants(subscription, alert):
                continue
            job = DeliveryJob(
                id=webhook_id(alert.alert_id, alert.version, subscription.id),
                subscription_id=subscription.id,
                alert_id=alert.alert_id,
                version=alert.version,
                body=payload,
                enqueued_at=now,
            )
            enqueue(pipe, names, job, due_ms=due_ms)
            jobs += 1
        return jobs

    def _published(self, alert: Alert, report: Classification, *, now: datetime) -> None:
        self._metrics.alerts_published.labels(alert.severity, alert.msg_type).inc()
        if report.ingested_at is not None:
            ingested = report.ingested_at
            if ingested.tzinfo is None:
                ingested = ingested.replace(tzinfo=UTC)
            self._metrics.end_to_end_seconds.observe(max(0.0, (datetime.now(UTC) - ingested).total_seconds()))
        log.info(
            "published %s %s v%d (%s): %s",
            alert.msg_type,
            alert.alert_id,
            alert.version,
            alert.severity,
            alert.headline,
        )
