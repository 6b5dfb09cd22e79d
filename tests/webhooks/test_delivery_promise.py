"""The delivery promise, against real receivers on 127.0.0.1 and a real alerter: retries along the
schedule (shortened here by configuration) until the receiver is back, the same webhook-id with a
fresh timestamp and signature on every attempt, Retry-After honoured, and a dead letter, counted,
when the schedule is spent."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis
from standardwebhooks import Webhook
from werkzeug import Request, Response

from schemas import DeadLetter
from services.alerter.commands import redeliver
from services.alerter.webhooks.jobs import DeliveryQueue
from services.common.embedded import free_port
from services.common.runtime import Runtime
from services.common.settings import Settings
from tests.alerter.factories import report, seed_reports
from tests.alerter.harness import (
    SECRET,
    alerter_settings,
    feed,
    queue_empty,
    read_log,
    running_alerter,
    wait_for,
    webhooks_file,
)

from .receivers import always, recording_receiver


def sample(rt: Runtime, name: str, **labels: str) -> float:
    return rt.metrics.registry.get_sample_value(name, labels) or 0.0


async def test_a_receiver_down_for_a_while_then_back_gets_every_alert(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """Nothing listens on the receiver's port while five alerts are published: every delivery fails
    twice or more and waits in Redis. Once the receiver listens, each alert arrives, once, signed."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    s = alerter_settings(
        settings,
        webhooks_file=webhooks_file(tmp_path, {"id": "desk", "url": url}),
        webhook_retry_schedule="0,0.2,0.4,0.8,1.6,3.2,6.4,6.4",
        webhook_timeout_s=1.0,
    )
    queue = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
    async with running_alerter(s) as (_app, rt):
        await feed(redis, s, *seed_reports())
        log = await read_log(redis, s, 5)

        async def two_failures_each() -> bool:
            return sample(rt, "strikewatch_webhook_deliveries_total", outcome="retry") >= 10

        await wait_for(two_failures_each, what="every delivery failed at least twice")
        assert sum(await queue.counts()) == 5, "the failed deliveries wait in Redis"
        async with recording_receiver(port=port) as (rec, _):
            await rec.wait(lambda r: len(r.accepted_ids()) == 5, timeout=30)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
        assert sample(rt, "strikewatch_deadletter_total", stage="webhook") == 0
        assert sample(rt, "strikewatch_webhook_deliveries_total", outcome="delivered") == 5
    assert await redis.xlen(s.names.deadletter) == 0
    assert len(rec.seen) == 5, "each alert version arrived exactly once"
    verifier = Webhook(SECRET)
    arrived = []
    for seen in rec.seen:
        alert = verifier.verify(seen.body, seen.headers)
        arrived.append((alert["alert_id"], alert["version"]))
    assert sorted(arrived) == sorted((a.alert_id, a.version) for a in log)


async def test_each_attempt_has_the_same_id_a_fresh_signature_and_honours_retry_after(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """What a receiver sees: the first attempt is answered 503 with Retry-After: 2, so the second
    comes at least 2 s later (not the schedule's 0.1 s), with the same webhook-id and a new
    timestamp and signature, both verifiable."""

    def busy_once(_request: Request, earlier: int) -> Response:
        if earlier == 0:
            return Response("busy", status=503, headers={"retry-after": "2"})
        return Response("", status=204)

    async with recording_receiver(busy_once) as (rec, url):
        s = alerter_settings(
            settings,
            webhooks_file=webhooks_file(tmp_path, {"id": "desk", "url": url}),
            webhook_retry_schedule="0,0.1,5",
        )
        async with running_alerter(s):
            await feed(redis, s, report("a"))
            await rec.wait(lambda r: len(r.seen) == 2)
    first, second = rec.seen
    assert (first.status, second.status) == (503, 204)
    assert first.msg_id == second.msg_id
    assert second.at - first.at >= 1.9, "Retry-After: 2 was honoured"
    assert second.timestamp > first.timestamp
    assert second.signature != first.signature
    verifier = Webhook(SECRET)
    assert verifier.verify(first.body, first.headers) == verifier.verify(second.body, second.headers)


async def test_a_spent_schedule_dead_letters_counts_and_redeliver_sends_again(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """Three attempts (schedule 0, 0.05, 0.05) all answered 500: the delivery goes to the dead-letter
    stream, strikewatch_deadletter_total{stage="webhook"} counts it, and `redeliver` sends it again
    under the same webhook-id once the receiver works."""
    async with recording_receiver(always(500)) as (rec, url):
        s = alerter_settings(
            settings,
            webhooks_file=webhooks_file(tmp_path, {"id": "desk", "url": url}),
            webhook_retry_schedule="0,0.05,0.05",
        )
        async with running_alerter(s) as (_app, rt):
            await feed(redis, s, report("a"))
            await read_log(redis, s, 1)
            await rec.wait(lambda r: len(r.seen) == 3)

            async def dead_lettered() -> bool:
                return sample(rt, "strikewatch_deadletter_total", stage="webhook") == 1

            await wait_for(dead_lettered, what="the dead letter counted")
            ((_, fields),) = await redis.xrange(s.names.deadletter)
            letter = DeadLetter.model_validate_json(fields[b"__data__"])
            assert (letter.stage, letter.attempts, letter.subscription_id) == ("webhook", 3, "desk")
            assert "returned 500" in letter.reason
            assert sample(rt, "strikewatch_webhook_deliveries_total", outcome="failed") == 1
            assert sample(rt, "strikewatch_webhook_deliveries_total", outcome="retry") == 2

            rec.answer = always(200)
            assert await redeliver(redis, s, subscription_id="desk") == 1
            await rec.wait(lambda r: len(r.accepted_ids()) == 1)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
    assert len({seen.msg_id for seen in rec.seen}) == 1, "the redelivery kept its webhook-id"
