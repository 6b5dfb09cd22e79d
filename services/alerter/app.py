"""Wiring of the alerter: the classified-stream consumer (and its reclaimer), the webhook worker and
the HTTP API. `faststream run services.alerter.app:app` serves it on its own."""

from __future__ import annotations

from typing import Any

from faststream.redis import RedisRouter
from faststream.redis.annotations import RedisBatchStreamMessage, RedisStreamMessage

from services.alerter import api
from services.alerter.alerting import Alerter
from services.alerter.webhooks.jobs import DeliveryQueue
from services.alerter.webhooks.subscriptions import SubscriptionStore, load_file
from services.alerter.webhooks.worker import DeliveryWorker
from services.common.consume import abandoned_entries, entries, group_batches, keep_raw
from services.common.runtime import Runtime, ServiceParts, standalone_app


def build_alerter(rt: Runtime) -> ServiceParts:
    settings, names = rt.settings, rt.names
    hooks_file = settings.webhooks_file
    file_subscriptions = load_file(hooks_file, allowlist=settings.allowlist()) if hooks_file else []
    subscriptions = SubscriptionStore(rt.redis, names, file_subscriptions, file=hooks_file)
    queue = DeliveryQueue(rt.redis, names, deadletter_maxlen=settings.deadletter_maxlen)
    worker = DeliveryWorker(settings, rt.metrics, queue, subscriptions)
    alerter = Alerter(rt.redis, settings, rt.metrics, subscriptions, on_enqueued=worker.wake)
    router = RedisRouter()

    @router.subscriber(
        stream=group_batches(rt, names.classified, "alerter"),
        parser=keep_raw,
    )
    async def on_classified(msg: RedisBatchStreamMessage) -> None:
        # Raw entries, so one bad entry is dead-lettered alone instead of failing the batch.
        await alerter.handle_entries(entries(msg))

    @router.subscriber(
        stream=abandoned_entries(rt, names.classified, "alerter"),
        parser=keep_raw,
    )
    async def on_stale(msg: RedisStreamMessage) -> None:
        # Entries a crashed or failing consumer left unacknowledged; poison ones end as dead letters.
        (entry,) = entries(msg)
        deliveries = await msg.get_delivery_count()
        if deliveries > settings.max_deliveries:
            await alerter.give_up(entry, deliveries=deliveries)
            return
        await alerter.handle_entries([entry])

    return ServiceParts(
        name="alerter",
        router=router,
        routes=api.routes(rt.redis, settings, subscriptions),
        background=[worker.run],
        on_stop=[worker.stop],
        idle=[worker.idle],
    )


def __getattr__(name: str) -> Any:
    # Built on first access, so importing this module reads no configuration.
    if name == "app":
        return standalone_app("alerter", build_alerter)
    raise AttributeError(name)
