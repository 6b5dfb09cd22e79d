"""The alerter service against a real Redis: channels, alert log, dead letters, replicas."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from redis.asyncio import Redis

from schemas import Alert
from services.alerter import alerting
from services.alerter.alerting import Alerter
from services.alerter.commands import current_alert
from services.common.embedded import EmbeddedRedis
from services.common.metrics import create_metrics
from services.common.settings import Settings
from services.common.streams import ensure_groups

from .factories import KYIV, KYIV_OBLAST, report, seed_reports
from .harness import alerter_settings, feed, first_entry, group_drained, read_log, running_alerter, wait_for


def by_incident(alerts: list[Alert]) -> dict[str, list[Alert]]:
    out: dict[str, list[Alert]] = {}
    for alert in alerts:
        out.setdefault(alert.alert_id, []).append(alert)
    return out


async def test_seeds_publish_three_incidents_to_log_and_channels(settings: Settings, redis: Redis) -> None:
    """Five seeds: three incidents, one `Alert` each, the Kyiv one with three sources; every alert on
    `{p}:alerts` and on its severity, region and type channels, as plain JSON."""
    s = alerter_settings(settings)
    names = s.names
    pubsub = redis.pubsub()
    watched = [
        names.alerts,
        names.severity_channel("Extreme"),
        names.region_channel("Donetsk Oblast"),
        names.type_channel("rocket"),
        names.region_channel("Kyiv City"),
    ]
    await pubsub.subscribe(*watched)
    received: dict[str, list[Alert]] = {channel: [] for channel in watched}
    async with running_alerter(s):
        await feed(redis, s, *seed_reports())
        log = await read_log(redis, s, 5)
        async with asyncio.timeout(5):
            # 5 on the all-alerts channel, the extreme one on 3 channels, 3 Kyiv City versions.
            while sum(len(v) for v in received.values()) < 11:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message is not None:
                    received[message["channel"].decode()].append(Alert.model_validate_json(message["data"]))
        await wait_for(lambda: group_drained(redis, s), what="classified group drained")
    await pubsub.aclose()

    incidents = by_incident(log)
    assert len(incidents) == 3
    for versions in incidents.values():
        assert [a.msg_type for a in versions].count("Alert") == 1
        assert [a.version for a in versions] == list(range(1, len(versions) + 1))
    kyiv_id = next(i for i, versions in incidents.items() if versions[0].event_date == date(2022, 12, 19))
    kyiv = await current_alert(redis, s, kyiv_id)
    assert kyiv is not None and kyiv.source_count == 3
    assert {src.article_id for src in kyiv.sources} == {"seed-001", "seed-002", "seed-004"}

    assert [a.alert_id for a in received[names.alerts]] == [a.alert_id for a in log]
    (extreme,) = received[names.severity_channel("Extreme")]
    assert extreme.locations[0].name == "Makiivka"
    assert received[names.region_channel("Donetsk Oblast")] == [extreme]
    assert received[names.type_channel("rocket")] == [extreme]
    assert {a.alert_id for a in received[names.region_channel("Kyiv City")]} == {
        kyiv_id,
        next(i for i, v in incidents.items() if v[0].event_date == date(2023, 12, 29)),
    }


async def test_bad_entries_go_to_the_dead_letter_stream(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    names = s.names
    async with running_alerter(s) as (_app, rt):
        await redis.xadd(names.classified, {"__data__": b"{not json"})
        await redis.xadd(names.classified, {"text": b"no data field"})
        await redis.xadd(names.classified, {"__data__": b'{"id": "x", "is_attack": "maybe"}'})
        await feed(redis, s, report("good"))
        (alert,) = await read_log(redis, s, 1)
        await wait_for(lambda: group_drained(redis, s), what="classified group drained")
        letters = await redis.xrange(names.deadletter)
        assert rt.metrics.registry.get_sample_value("strikewatch_deadletter_total", {"stage": "alerter"}) == 3
    assert alert.sources[0].article_id == "good"
    assert len(letters) == 3
    payloads = [fields[b"__data__"].decode() for _id, fields in letters]
    assert all('"stage":"alerter"' in p for p in payloads)
    assert "not a valid Classification" in payloads[0] and "{not json" in payloads[0]
    assert "no '__data__' field" in payloads[1]


async def test_non_attacks_publish_nothing(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    async with running_alerter(s):
        await feed(redis, s, report("calm", is_attack=False), report("real"))
        (alert,) = await read_log(redis, s, 1)
    assert alert.sources[0].article_id == "real"


async def test_poison_entry_is_dead_lettered_after_max_deliveries(settings: Settings, redis: Redis) -> None:
    """An entry whose processing keeps failing (here: corrupt incident state in Redis) is retried by
    the reclaimer and dead-lettered after `max_deliveries`; the service keeps going."""
    s = alerter_settings(settings, claim_idle_ms=100, max_deliveries=2)
    names = s.names
    await redis.sadd(names.incident_index("s:kyiv", "2022-12-19"), "broken")
    await redis.set(names.incident("broken"), b"{corrupt")
    async with running_alerter(s):
        await feed(redis, s, report("poison"))
        await first_entry(redis, names.deadletter, timeout=15)
        await wait_for(lambda: group_drained(redis, s), what="classified group drained")
    (letter,) = await redis.xrange(names.deadletter)
    assert b"giving up" in letter[1][b"__data__"]


async def test_redelivered_entry_publishes_once(settings: Settings, redis: Redis) -> None:
    s = alerter_settings(settings)
    alerter = Alerter(redis, s, create_metrics())
    first = await alerter.process([report("a")])
    second = await alerter.process([report("a")])
    assert [d.kind for d in first] == ["alert"]
    assert second == []
    assert await redis.xlen(s.names.alert_log) == 1


async def test_two_replicas_race_on_one_incident_and_publish_one_alert(
    settings: Settings, redis_server: EmbeddedRedis, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two alerters with their own connections process reports of one incident concurrently: WATCH/MULTI
    makes exactly one of them publish the `Alert`, and no source is lost or counted twice."""
    s = alerter_settings(settings)
    rounds = 0
    original_assign = alerting.assign

    def counting_assign(*args: Any, **kwargs: Any) -> Any:
        nonlocal rounds
        rounds += 1
        return original_assign(*args, **kwargs)

    monkeypatch.setattr(alerting, "assign", counting_assign)
    clients = [Redis.from_url(redis_server.url) for _ in range(2)]
    alerters = [Alerter(c, s, create_metrics()) for c in clients]
    reports = [report(f"r{i}", locations=[KYIV if i % 2 else KYIV_OBLAST], killed=i // 3) for i in range(24)]
    try:
        await asyncio.gather(*(alerters[i % 2].process([r]) for i, r in enumerate(reports)))
    finally:
        for c in clients:
            await c.aclose()
    entries = await redis.xrange(s.names.alert_log)
    incidents = by_incident([Alert.model_validate_json(fields[b"__data__"]) for _id, fields in entries])
    (alert_id,) = incidents
    assert [a.msg_type for a in incidents[alert_id]].count("Alert") == 1
    current = await current_alert(redis, s, alert_id)
    assert current is not None and current.source_count == 24
    assert rounds > len(reports), "the replicas really collided (some transactions were retried)"


async def test_two_running_services_share_the_stream_and_publish_one_alert_per_incident(
    settings: Settings, redis: Redis
) -> None:
    s = alerter_settings(settings, batch_size=2)
    await ensure_groups(redis, s.names)
    reports = [
        report(f"k{i}", locations=[KYIV, KYIV_OBLAST][i % 2 : i % 2 + 1], injured=i) for i in range(16)
    ]
    reports += [report(f"h{i}", locations=[KYIV], day=date(2023, 3, 9), types=["missile"]) for i in range(8)]
    async with running_alerter(s), running_alerter(s):
        await feed(redis, s, *reports)
        await wait_for(lambda: group_drained(redis, s), what="classified group drained")
    log = [Alert.model_validate_json(f[b"__data__"]) for _i, f in await redis.xrange(s.names.alert_log)]
    incidents = by_incident(log)
    assert len(incidents) == 2
    for alert_id, versions in incidents.items():
        assert [a.msg_type for a in versions].count("Alert") == 1
        assert len({a.version for a in versions}) == len(versions)
        current = await current_alert(redis, s, alert_id)
        assert current is not None and current.source_count in (16, 8)
    consumers = await redis.xinfo_consumers(s.names.classified, "alerter")
    assert len({c["name"] for c in consumers}) >= 2
