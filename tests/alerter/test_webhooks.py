"""Webhook deliveries to a real HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis

from schemas import WebhookSubscription
from services.alerter.commands import redeliver
from services.alerter.webhooks.jobs import DeliveryJob, DeliveryQueue, enqueue
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.alerter.webhooks.worker import DeliveryWorker
from services.common.metrics import create_metrics
from services.common.settings import Settings

from .factories import report, seed_reports
from .harness import (
    SECRET,
    alerter_settings,
    feed,
    first_entry,
    queue_empty,
    read_log,
    receiver,
    running_alerter,
    wait_for,
    webhooks_file,
)


async def test_every_alert_arrives_signed_after_three_failed_attempts(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """The receiver fails the first 3 attempts; every alert version still arrives, each verified with
    standardwebhooks, and retries of one version carry the same webhook-id."""
    async with receiver(failures=3) as (rec, url):
        s = alerter_settings(settings, webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": url}))
        async with running_alerter(s) as (_app, rt):
            await feed(redis, s, *seed_reports())
            log = await read_log(redis, s, 5)
            await rec.wait(lambda r: len(r.delivered) == 5)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
            metrics = rt.metrics.registry
            assert (
                metrics.get_sample_value("strikewatch_webhook_deliveries_total", {"outcome": "delivered"})
                == 5
            )
            assert metrics.get_sample_value("strikewatch_webhook_deliveries_total", {"outcome": "retry"}) == 3
    assert rec.bad_signatures == 0
    assert rec.attempts == 8
    assert sorted((a["alert_id"], a["version"]) for a in rec.delivered.values()) == sorted(
        (a.alert_id, a.version) for a in log
    )
    assert any(count > 1 for count in rec.seen.values()), "a retried delivery kept its webhook-id"
    assert await DeliveryQueue(redis, s.names, deadletter_maxlen=1000).counts() == (0, 0)
    assert await redis.hlen(s.names.webhook_jobs) == 0


async def test_min_severity_extreme_receives_only_makiivka(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with receiver() as (everything, url_all), receiver() as (extreme, url_extreme):
        path = webhooks_file(
            tmp_path,
            {"id": "all", "url": url_all},
            {"id": "extreme", "url": url_extreme, "min_severity": "extreme"},
        )
        s = alerter_settings(settings, webhooks_file=path)
        async with running_alerter(s) as (_app, _rt):
            await feed(redis, s, *seed_reports())
            await read_log(redis, s, 5)
            await everything.wait(lambda r: len(r.delivered) == 5)
            await extreme.wait(lambda r: len(r.delivered) >= 1)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
    (only,) = extreme.delivered.values()
    assert only["severity"] == "Extreme"
    assert only["locations"][0]["name"] == "Makiivka"


async def test_pending_retries_survive_a_restart(settings: Settings, redis: Redis, tmp_path: Path) -> None:
    """Stopped while every delivery is failing, the alerter leaves its retries in Redis; the next
    alerter delivers them all."""
    async with receiver(failures=10_000) as (rec, url):
        s = alerter_settings(
            settings,
            webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": url}),
            webhook_retry_schedule="0,0.3,0.5,0.5,0.5,0.5,0.5,0.5",
        )
        async with running_alerter(s):
            await feed(redis, s, *seed_reports())
            await read_log(redis, s, 5)
            await rec.wait(lambda r: len(r.seen) == 5)
        queued, inflight = await DeliveryQueue(redis, s.names, deadletter_maxlen=1000).counts()
        assert queued + inflight == 5
        assert inflight == 0, "a stopping worker hands its jobs back"
        rec.failures = 0
        async with running_alerter(s):
            await rec.wait(lambda r: len(r.delivered) == 5)
    assert rec.bad_signatures == 0


async def test_a_job_held_by_a_dead_worker_is_sent_after_its_lease(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """A worker that claimed a job and died (its lease never released) does not lose the job."""
    async with receiver() as (rec, url):
        s = alerter_settings(
            settings, webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": url}), webhook_lease_s=0.3
        )
        now = datetime.now(UTC)
        job = DeliveryJob(
            id="msg_dead", subscription_id="ops", alert_id="sw-x", version=1, body='{"a":1}', enqueued_at=now
        )
        async with redis.pipeline(transaction=True) as pipe:
            enqueue(pipe, s.names, job, due_ms=int(now.timestamp() * 1000))
            await pipe.execute()
        dead = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
        claimed = await dead.claim(now_ms=int(now.timestamp() * 1000), lease_ms=300, limit=10)
        assert [j.id for j in claimed.jobs] == ["msg_dead"]
        async with running_alerter(s):
            await rec.wait(lambda r: "msg_dead" in r.delivered)


async def test_failed_deliveries_are_dead_lettered_and_can_be_redelivered(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    async with receiver(failures=10_000) as (rec, url):
        s = alerter_settings(
            settings,
            webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": url}),
            webhook_retry_schedule="0,0.02",
        )
        async with running_alerter(s) as (_app, rt):
            await feed(redis, s, report("a"))
            await read_log(redis, s, 1)
            await rec.wait(lambda r: r.attempts == 2)
            await first_entry(redis, s.names.deadletter)
            (letter,) = await redis.xrange(s.names.deadletter)
            data = letter[1][b"__data__"].decode()
            assert '"stage":"webhook"' in data and '"attempts":2' in data and "returned 500" in data
            assert SECRET not in data
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
            rec.failures = 0
            assert await redeliver(redis, s, subscription_id="other") == 0
            assert await redeliver(redis, s) == 1
            await rec.wait(lambda r: len(r.delivered) == 1)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
            assert (
                rt.metrics.registry.get_sample_value(
                    "strikewatch_webhook_deliveries_total", {"outcome": "failed"}
                )
                == 1
            )
        assert await redis.xlen(s.names.deadletter) == 0


async def test_private_destination_is_refused_without_allowlist(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """A host name that resolves to a loopback address is refused at delivery, after DNS (a literal
    loopback address in the file would stop start-up instead)."""
    async with receiver() as (rec, url):
        by_name = url.replace("127.0.0.1", "localhost")
        s = alerter_settings(
            settings,
            webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": by_name}),
            webhook_allowlist="",
        )
        async with running_alerter(s) as (_app, rt):
            await feed(redis, s, report("a"))
            await read_log(redis, s, 1)
            await first_entry(redis, s.names.deadletter)
            assert (
                rt.metrics.registry.get_sample_value(
                    "strikewatch_webhook_deliveries_total", {"outcome": "refused"}
                )
                == 1
            )
    assert rec.attempts == 0
    (letter,) = await redis.xrange(s.names.deadletter)
    assert b"loopback address" in letter[1][b"__data__"]


async def test_idle_is_false_while_a_job_is_due_or_in_flight_and_true_once_retry_is_scheduled(
    settings: Settings, redis: Redis
) -> None:
    """The demo's drain check: busy while a delivery is due or in flight, idle when the only work
    left is a retry scheduled for later."""
    async with receiver(failures=10_000) as (rec, url):
        s = alerter_settings(settings, webhook_retry_schedule="0,5")
        store = SubscriptionStore(redis, s.names, [])
        await store.add(WebhookSubscription.model_validate({"id": "ops", "url": url, "secret": SECRET}))
        queue = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
        worker = DeliveryWorker(s, create_metrics(), queue, store)
        assert worker.idle()
        runner = asyncio.create_task(worker.run())
        try:
            now = datetime.now(UTC)
            job = DeliveryJob(
                id="msg_idle", subscription_id="ops", alert_id="sw-i", version=1, body="{}", enqueued_at=now
            )
            async with redis.pipeline(transaction=True) as pipe:
                enqueue(pipe, s.names, job, due_ms=int(now.timestamp() * 1000))
                await pipe.execute()
            worker.wake()
            assert not worker.idle()
            await rec.wait(lambda r: r.attempts == 1)
            await wait_for(_async(worker.idle), what="worker idle after scheduling the retry")
            assert await queue.counts() == (1, 0)
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            await worker.stop()


async def test_a_freed_slot_takes_the_next_job_and_a_retry_is_sent_on_time_without_polling(
    settings: Settings, redis: Redis
) -> None:
    """A finished delivery wakes the worker only when work waits (a job held back by the endpoint's
    cap, or a retry it scheduled): with polling 60 s apart, a backlog of 5 behind a cap of 1 and a
    retry due 50 ms after a failure still go out at once; and the claim says how many jobs wait and
    reads the subscriptions of the jobs it claims."""
    async with receiver(failures=1) as (rec, url):
        s = alerter_settings(
            settings, webhook_concurrency=1, webhook_poll_max_s=60.0, webhook_retry_schedule="0,0.05"
        )
        store = SubscriptionStore(redis, s.names, [])
        await store.add(WebhookSubscription.model_validate({"id": "ops", "url": url, "secret": SECRET}))
        queue = DeliveryQueue(redis, s.names, deadletter_maxlen=1000)
        now = datetime.now(UTC)
        async with redis.pipeline(transaction=True) as pipe:
            for n in range(5):
                job = DeliveryJob(
                    id=f"msg_slot{n}",
                    subscription_id="ops",
                    alert_id=f"sw-s{n}",
                    version=1,
                    body="{}",
                    enqueued_at=now,
                )
                enqueue(pipe, s.names, job, due_ms=int(now.timestamp() * 1000))
            await pipe.execute()
        peek = await queue.claim(now_ms=int(now.timestamp() * 1000), lease_ms=1000, limit=1)
        assert (len(peek.jobs), peek.pending) == (1, 5)
        # The claim reads the subscription too, as `get` would: no round trip of its own per delivery.
        assert set(peek.subscriptions) == {"ops"}
        assert store.parse("ops", *peek.subscriptions["ops"]) == await store.get("ops") is not None
        await queue.release(peek.jobs[0].id, due_ms=int(now.timestamp() * 1000))
        worker = DeliveryWorker(s, create_metrics(), queue, store)
        runner = asyncio.create_task(worker.run())
        try:
            # 6 attempts: the first fails and is retried 50 ms later; the cap lets one at a time.
            await rec.wait(lambda r: len(r.delivered) == 5)
            assert rec.attempts == 6
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            await worker.stop()


async def test_jobs_queued_by_the_previous_layout_are_still_delivered(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """A retry waiting in 0.1's single due set when the alerter is upgraded is moved to its
    subscription's queue and delivered; a job whose body is gone is dropped, not retried forever."""
    async with receiver() as (rec, url):
        s = alerter_settings(settings, webhooks_file=webhooks_file(tmp_path, {"id": "ops", "url": url}))
        now_ms = int(datetime.now(UTC).timestamp() * 1000)
        job = DeliveryJob(
            id="msg_old",
            subscription_id="ops",
            alert_id="sw-o",
            version=1,
            body="{}",
            enqueued_at=datetime.now(UTC),
        )
        await redis.hset(s.names.webhook_jobs, job.id, job.model_dump_json())
        await redis.zadd(s.names.webhook_due_legacy, {job.id: now_ms, "msg_gone": now_ms})
        async with running_alerter(s):
            await rec.wait(lambda r: "msg_old" in r.delivered)
            await wait_for(lambda: queue_empty(redis, s), what="delivery queue empty")
        assert await redis.zcard(s.names.webhook_due_legacy) == 0
        assert await DeliveryQueue(redis, s.names, deadletter_maxlen=1000).counts() == (0, 0)


def _async(predicate):
    async def check() -> bool:
        return bool(predicate())

    return check
