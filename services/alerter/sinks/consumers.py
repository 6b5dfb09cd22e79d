"""A sink's two FastStream subscribers on the alert log, in its own consumer group: one reads new
entries a batch at a time, one claims entries a dead or failing consumer left pending (FastStream's
claiming subscriber never reads new entries). Acks are the sink's script's (`AckPolicy.MANUAL`)."""

from __future__ import annotations

from faststream import AckPolicy
from faststream.redis import RedisRouter, StreamSub
from faststream.redis.annotations import RedisBatchStreamMessage, RedisStreamMessage

from services.alerter.sinks.shell import SinkRunner
from services.common.consume import entries, keep_raw
from services.common.runtime import Runtime


def subscribe_sink(router: RedisRouter, rt: Runtime, runner: SinkRunner) -> None:
    settings, log = rt.settings, rt.names.alert_log
    name = runner.sink.name

    @router.subscriber(
        stream=StreamSub(
            log,
            group=name,
            consumer=rt.consumer(f"sink-{name}"),
            batch=True,
            max_records=settings.batch_size,
            polling_interval=settings.poll_ms,
        ),
        parser=keep_raw,
        ack_policy=AckPolicy.MANUAL,
        title=f"sink-{name}",
        description=f"The {name} sink: delivers each alert version once (consumer group {name!r}).",
    )
    async def deliver(msg: RedisBatchStreamMessage) -> None:
        await runner.handle(entries(msg))

    @router.subscriber(
        stream=StreamSub(
            log,
            group=name,
            consumer=rt.consumer(f"sink-{name}-reclaim"),
            min_idle_time=settings.claim_idle_ms,
            polling_interval=max(settings.poll_ms, 1000),
        ),
        parser=keep_raw,
        ack_policy=AckPolicy.MANUAL,
        title=f"sink-{name}-reclaim",
        description=f"Claims entries of the {name} sink another consumer left pending.",
    )
    async def reclaim(msg: RedisStreamMessage) -> None:
        (entry,) = entries(msg)
        deliveries = await msg.get_delivery_count()
        if deliveries > settings.max_deliveries:
            await runner.give_up(entry, deliveries=deliveries)
            return
        await runner.handle([entry])
