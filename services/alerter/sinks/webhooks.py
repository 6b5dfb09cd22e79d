"""The webhook sink: one delivery job per alert version and subscription that wants it, queued for
the delivery worker (services/alerter/webhooks/). The job id is the Standard Webhooks `webhook-id`,
the same on every retry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from redis.asyncio.client import Pipeline

from schemas import WebhookSubscription
from services.alerter.chat import webhook_body
from services.alerter.links import incident_page_url, public_base_url
from services.alerter.routing import subscription_wants
from services.alerter.sinks.base import LogEntry, SinkDeps, Writes
from services.alerter.webhooks.jobs import DeliveryJob, enqueue
from services.alerter.webhooks.signing import webhook_id
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.names import WEBHOOKS_SINK, Names


class WebhookSink:
    name = WEBHOOKS_SINK

    def __init__(self, deps: SinkDeps) -> None:
        self._names: Names = deps.settings.names
        self._subscriptions: SubscriptionStore = deps.subscriptions
        self._wake: Callable[[], None] = deps.wake_webhooks
        # Chat messages link the incident page (read once: it may ask the host name).
        self._base_url = public_base_url(deps.settings)

    async def prepare(self) -> Writes:
        # Disabled subscriptions (410 Gone, or through the API) get nothing queued.
        subscriptions = await self._subscriptions.active()
        now = datetime.now(UTC)

        def queue_jobs(pipe: Pipeline, entry: LogEntry) -> None:
            for subscription in subscriptions:
                if subscription_wants(subscription, entry.alert):
                    enqueue(
                        pipe,
                        self._names,
                        job_for(entry, subscription, now=now, base_url=self._base_url),
                        due_ms=_ms(now),
                    )

        return queue_jobs

    def delivered(self, entries: Sequence[LogEntry]) -> None:
        # Jobs this process queued are sent now rather than at the worker's next poll.
        if entries:
            self._wake()


def job_for(
    entry: LogEntry, subscription: WebhookSubscription, *, now: datetime, base_url: str
) -> DeliveryJob:
    """The delivery of one alert version to one subscription, its body in the subscription's format."""
    alert = entry.alert
    return DeliveryJob(
        id=webhook_id(alert.alert_id, alert.version, subscription.id),
        subscription_id=subscription.id,
        alert_id=alert.alert_id,
        version=alert.version,
        body=webhook_body(
            alert,
            subscription.format,
            payload=entry.payload,
            page_url=incident_page_url(base_url, alert.alert_id),
        ),
        enqueued_at=now,
    )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
