"""The sinks on the alert log against a real Redis: each alert version delivered once per sink
whoever holds it, bad entries and refused writes dead-lettered alone, the groups' start and lag."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from redis.asyncio import Redis
from redis.asyncio.client import PubSub

from schemas import Alert, WebhookSubscription
from services.alerter.clustering import start
from services.alerter.render import alert_from_state
from services.alerter.sinks import SINKS, SinkDeps
from services.alerter.sinks.pubsub import PubSubSink
from services.alerter.sinks.read_model import ReadModelSink
from services.alerter.sinks.shell import SinkRunner
from services.alerter.sinks.webhooks import WebhookSink
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.metrics import create_metrics
from services.common.names import SINK_GROUPS
from services.common.runtime import refresh_stream_gauges
from services.common.settings import Settings, SettingsError, load_settings
from services.common.streams import ensure_groups, groups_drained

from .factories import KYIV, MAKIIVKA, report
from .harness import SECRET, alerter_settings, feed, read_log, receiver, running_alerter, wait_for


def make_alert(article_id: str, **changes: object) -> Alert:
    state = start(report(article_id, locations=[KYIV]), alert_id=f"sw-{article_id}", now=datetime.now(UTC))
    return alert_from_state(state).model_copy(update=changes)


async def log_alert(redis: Redis, s: Settings, alert: Alert) -> str:
    entry_id = await redis.xadd(s.names.alert_log, {"__data__": alert.model_dump_json()})
    return entry_id.decode()


async def claim(redis: Redis, s: Settings, group: str, consumer: str) -> list[tuple[str, dict[bytes, bytes]]]:
    """Read what the group has not seen yet as `consumer` (the entries become pending for it)."""
    reply = await redis.xreadgroup(group, consumer, {s.names.alert_log: ">"})
    return [(entry_id.decode(), fields) for _stream, entries in reply for entry_id, fields in entries]


def deps(redis: Redis, s: Settings, subscriptions: SubscriptionStore | None = None) -> SinkDeps:
    store = subscriptions or SubscriptionStore(redis, s.names, [])
    return SinkDeps(redis, s, create_metrics(), store, wake_webhooks=lambda: None)


def test_every_registered_sink_has_its_consumer_group() -> None:
    """One list of sinks, one table of group names: they agree."""
    settings = load_settings()
    sink_deps = SinkDeps(None, settings, create_metrics(), None, lambda: None)  # type: ignore[arg-type]
    sinks = [factory(sink_deps) for factory in SINKS]
    assert [sink.name for sink in sinks] == list(SINK_GROUPS)


async def test_a_version_held_by_two_consumers_is_published_once(settings: Settings, redis: Redis) -> None:
    """A slow consumer and the reclaimer that claimed its entry both run the sink: one publish."""
    s = alerter_settings(settings)
    await ensure_groups(redis, s.names)
    alert = make_alert("a")
    await log_alert(redis, s, alert)
    batch = await claim(redis, s, "pubsub", "slow")
    listener = redis.pubsub()
    await listener.subscribe(s.names.alerts)
    runners = [SinkRunner(PubSubSink(deps(redis, s)), redis, s, create_metrics()) for _ in range(2)]
    await asyncio.gather(*(runner.handle(batch) for runner in runners))
    await runners[0].handle(batch)  # and once more, as after a lost reply
    assert await drain_channel(redis, listener, s.names.alerts) == [alert]
    assert (await redis.xpending(s.names.alert_log, "pubsub"))["pending"] == 0


async def test_webhook_sink_enqueues_each_version_once_per_subscription(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings)
    await ensure_groups(redis, s.names)
    subscriptions = SubscriptionStore(
        redis,
        s.names,
        [
            WebhookSubscription.model_validate(
                {"id": "all", "url": "https://a.example.org/h", "secret": SECRET}
            ),
            WebhookSubscription.model_validate(
                {
                    "id": "extreme",
                    "url": "https://b.example.org/h",
                    "secret": SECRET,
                    "min_severity": "extreme",
                }
            ),
        ],
    )
    woken = []
    sink_deps = SinkDeps(redis, s, create_metrics(), subscriptions, wake_webhooks=lambda: woken.append(1))
    first, second = make_alert("w1"), make_alert("w2", severity="Extreme")
    await log_alert(redis, s, first)
    await log_alert(redis, s, second)
    batch = await claim(redis, s, "webhooks", "c1")
    runners = [SinkRunner(WebhookSink(sink_deps), redis, s, create_metrics()) for _ in range(2)]
    await asyncio.gather(*(runner.handle(batch) for runner in runners))
    jobs = {key.decode() for key in await redis.hkeys(s.names.webhook_jobs)}
    assert len(jobs) == 3  # both versions for "all", the Extreme one for "extreme"
    assert woken == [1], "the worker is woken once, by the runner that queued the jobs"


async def test_unreadable_entry_is_dead_lettered_and_the_rest_delivered(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings)
    await ensure_groups(redis, s.names)
    await redis.xadd(s.names.alert_log, {"__data__": b'{"alert_id": 1}'})
    good = make_alert("g")
    await log_alert(redis, s, good)
    metrics = create_metrics()
    runner = SinkRunner(ReadModelSink(deps(redis, s)), redis, s, metrics)
    await runner.handle(await claim(redis, s, "read-model", "c1"))
    (letter,) = await redis.xrange(s.names.deadletter)
    data = letter[1][b"__data__"].decode()
    assert "sink read-model: not a valid Alert" in data and '"stage":"alerter"' in data
    assert await redis.hkeys(s.names.alert_versions(good.alert_id)) == [b"1"]
    assert metrics.registry.get_sample_value("strikewatch_deadletter_total", {"stage": "alerter"}) == 1
    assert (await redis.xpending(s.names.alert_log, "read-model"))["pending"] == 0


async def test_a_write_redis_refuses_dead_letters_that_entry_only(settings: Settings, redis: Redis) -> None:
    """Someone reused the read model's index key for a string: the entry cannot be applied, is
    acknowledged and dead-lettered with Redis's error, and the batch's other entries go through."""
    s = alerter_settings(settings)
    await ensure_groups(redis, s.names)
    broken, fine = make_alert("b"), make_alert("f")
    await log_alert(redis, s, broken)
    await log_alert(redis, s, fine)
    runner = SinkRunner(ReadModelSink(deps(redis, s)), redis, s, create_metrics())
    await redis.set(s.names.alert_versions(broken.alert_id), "not a hash")
    batch = await claim(redis, s, "read-model", "c1")
    await runner.handle(batch)
    (letter,) = await redis.xrange(s.names.deadletter)
    assert b"WRONGTYPE" in letter[1][b"__data__"] and b"HSET" in letter[1][b"__data__"]
    assert await redis.hkeys(s.names.alert_versions(fine.alert_id)) == [b"1"]
    assert (await redis.xpending(s.names.alert_log, "read-model"))["pending"] == 0


async def test_give_up_dead_letters_once(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    await ensure_groups(redis, s.names)
    await log_alert(redis, s, make_alert("p"))
    (entry,) = await claim(redis, s, "pubsub", "c1")
    runner = SinkRunner(PubSubSink(deps(redis, s)), redis, s, create_metrics())
    await runner.give_up(entry, deliveries=6)
    await runner.give_up(entry, deliveries=7)
    (letter,) = await redis.xrange(s.names.deadletter)
    assert b"sink pubsub: delivery failed 6 times" in letter[1][b"__data__"]


async def test_user_facing_sinks_start_at_the_end_of_an_existing_log(
    settings: Settings, redis: Redis
) -> None:
    """Upgrading from inline publishing: versions already in the log were delivered then, so pub/sub
    and webhooks start after them; the read model backfills the whole log."""
    s = alerter_settings(settings)
    await log_alert(redis, s, make_alert("old"))
    await ensure_groups(redis, s.names)
    groups = {g["name"].decode(): g for g in await redis.xinfo_groups(s.names.alert_log)}
    assert groups["pubsub"]["lag"] == 0 and groups["webhooks"]["lag"] == 0
    assert groups["read-model"]["lag"] == 1


async def test_disabled_sinks_leave_their_backlog_and_the_lag_shows_it(
    settings: Settings, redis: Redis
) -> None:
    """With STRIKEWATCH_SINKS=read-model the alerter logs and models alerts, publishes none; the
    pub/sub and webhook groups keep the backlog (strikewatch_stream_lag), so nothing counts as drained."""
    s = alerter_settings(settings, sinks="read-model")
    async with running_alerter(s) as (_app, rt):
        await feed(redis, s, report("x", locations=[MAKIIVKA]))
        (alert,) = await read_log(redis, s, 1)
        async with asyncio.timeout(10):
            while not await redis.hkeys(s.names.alert_versions(alert.alert_id)):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        await refresh_stream_gauges(redis, s.names, rt.metrics)
        lag = {
            group: rt.metrics.registry.get_sample_value(
                "strikewatch_stream_lag", {"stream": s.names.alert_log, "group": group}
            )
            for group in SINK_GROUPS
        }
        assert not await groups_drained(redis, s.names)
    assert lag == {"pubsub": 1.0, "webhooks": 1.0, "read-model": 0.0}


def test_unknown_sink_names_are_refused() -> None:
    with pytest.raises(SettingsError, match="STRIKEWATCH_SINKS"):
        load_settings(sinks="pubsub,kafka")
    assert load_settings(sinks="").sink_names() == tuple(SINK_GROUPS)
    assert load_settings(sinks="none").sink_names() == ()
    assert load_settings(sinks="webhooks, pubsub").sink_names() == ("pubsub", "webhooks")


async def test_two_running_replicas_publish_and_deliver_every_version_once(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    """Two alerters share the classified stream and every sink group: each version reaches the
    all-alerts channel once and the webhook receiver once (one delivery per webhook-id)."""
    reports = [report(f"k{i}", locations=[KYIV], injured=i) for i in range(12)]
    reports += [report(f"m{i}", locations=[MAKIIVKA], killed=i, types=["rocket"]) for i in range(12)]
    async with receiver() as (rec, url):
        hooks = tmp_path / "webhooks.yaml"
        hooks.write_text(yaml.safe_dump([{"id": "ops", "url": url, "secret": SECRET}]))
        s = alerter_settings(settings, batch_size=2, webhooks_file=hooks)
        await ensure_groups(redis, s.names)
        listener = redis.pubsub()
        await listener.subscribe(s.names.alerts)
        async with running_alerter(s), running_alerter(s):
            await feed(redis, s, *reports)
            async with asyncio.timeout(30):
                while not await groups_drained(redis, s.names):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
            log = [
                Alert.model_validate_json(f[b"__data__"]) for _i, f in await redis.xrange(s.names.alert_log)
            ]
            await rec.wait(lambda r: len(r.delivered) >= len(log), timeout=20)
        published = await drain_channel(redis, listener, s.names.alerts)
    logged = Counter((a.alert_id, a.version) for a in log)
    assert len(logged) == len(log) > 2
    assert Counter((a.alert_id, a.version) for a in published) == logged
    assert rec.duplicates == 0 and set(rec.seen.values()) == {1}
    assert Counter((a["alert_id"], a["version"]) for a in rec.delivered.values()) == logged
    consumers = {c["name"] for c in await redis.xinfo_consumers(s.names.alert_log, "pubsub")}
    assert len(consumers) >= 2, "both replicas' pub/sub sinks took part"


async def drain_channel(redis: Redis, listener: PubSub, channel: str) -> list[Alert]:
    """Everything `listener` got on `channel` so far: a marker published now arrives after them."""
    await redis.publish(channel, b"end")
    received: list[bytes] = []
    async with asyncio.timeout(5):
        while not received or received[-1] != b"end":
            message = await listener.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                received.append(message["data"])
    await listener.aclose()
    return [Alert.model_validate_json(data) for data in received[:-1]]


async def test_a_sink_whose_group_was_lost_recreates_it_and_goes_on(settings: Settings, redis: Redis) -> None:
    """The pub/sub group disappears (an operator, or a Redis that lost its data): the sink's loop
    meets NOGROUP, recreates the group, and publishes what is logged after that."""
    s = alerter_settings(settings)
    listener = redis.pubsub()
    await listener.subscribe(s.names.alerts)
    async with running_alerter(s):
        await redis.xgroup_destroy(s.names.alert_log, "pubsub")

        async def recreated() -> bool:
            return any(g["name"] == b"pubsub" for g in await redis.xinfo_groups(s.names.alert_log))

        await wait_for(recreated, what="the pubsub group was recreated")
        await feed(redis, s, report("after", locations=[MAKIIVKA]))
        (alert,) = await read_log(redis, s, 1)
        await wait_for(lambda: pending_zero(redis, s, "pubsub"), what="the pubsub sink caught up")
    assert await drain_channel(redis, listener, s.names.alerts) == [alert]


async def pending_zero(redis: Redis, s: Settings, group: str) -> bool:
    for info in await redis.xinfo_groups(s.names.alert_log):
        if info["name"] == group.encode():
            return info["pending"] == 0 and info["lag"] == 0
    return False
