"""At-least-once processing with idempotent outputs, proven by breaking things for real:
SIGKILL a classifier mid-stream, restart the Redis server mid-replay, SIGTERM a service."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bench.corpus import incident_reports
from services.common.embedded import EmbeddedRedis
from services.common.settings import Settings, load_settings
from services.producer.publish import publish_articles
from tests.pipeline.conftest import read_stream, wait_drained
from tests.reliability.procs import ServiceProcess

pytestmark = pytest.mark.slow


def env_for(url: str, prefix: str) -> dict[str, str]:
    return {
        "STRIKEWATCH_REDIS_URL": url,
        "STRIKEWATCH_PREFIX": prefix,
        "STRIKEWATCH_CLAIM_IDLE_MS": "2000",
        "STRIKEWATCH_BATCH_SIZE": "16",
        "STRIKEWATCH_POLL_MS": "50",
    }


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for proc in started:
        proc.stop()


def spawn(procs: list[ServiceProcess], service: str, env: dict[str, str], log_dir: Path) -> ServiceProcess:
    proc = ServiceProcess(service, env, log_dir).start()
    procs.append(proc)
    return proc


async def ids_in(redis: Redis, stream: str, key: str) -> Counter[str]:
    entries = await redis.xrange(stream)
    return Counter(json.loads(fields[b"__data__"])[key] for _, fields in entries)


async def assert_alert_log_clean(redis: Redis, settings: Settings) -> int:
    alerts = [json.loads(f[b"__data__"]) for _, f in await redis.xrange(settings.names.alert_log)]
    versions = Counter((a["alert_id"], a["version"]) for a in alerts)
    assert not [k for k, n in versions.items() if n > 1], "an alert version was published twice"
    firsts = Counter(a["alert_id"] for a in alerts if a["msg_type"] == "Alert")
    assert not [k for k, n in firsts.items() if n > 1], "an incident got two msg_type Alert"
    return len(firsts)


async def test_sigkilled_classifier_loses_nothing_and_duplicates_nothing(
    redis_server: EmbeddedRedis, redis: Redis, prefix: str, tmp_path: Path, procs: list[ServiceProcess]
) -> None:
    env = env_for(redis_server.url, prefix)
    settings = load_settings(redis_url=redis_server.url, prefix=prefix)
    victim = spawn(procs, "classifier", env, tmp_path)
    survivor = spawn(procs, "classifier", env, tmp_path)
    spawn(procs, "alerter", env, tmp_path)
    await asyncio.gather(*(asyncio.to_thread(p.wait_ready) for p in procs))

    articles = incident_reports(200, 10)
    for start in range(0, len(articles), 250):
        await publish_articles(redis, settings, articles[start : start + 250])
    await read_stream(redis, settings.names.classified, 400, timeout=120)
    victim.signal(signal.SIGKILL)
    assert victim.wait(timeout=10) == -signal.SIGKILL

    await read_stream(redis, settings.names.classified, 2000, timeout=180)
    await wait_drained(redis, settings)
    classified = await ids_in(redis, settings.names.classified, "id")
    assert len(classified) == 2000
    assert max(classified.values()) == 1, "an article was classified twice"
    assert {a.id for a in articles} == set(classified)
    assert await assert_alert_log_clean(redis, settings) >= 100
    assert survivor.ready()


async def test_redis_restart_mid_replay_loses_nothing(
    prefix: str, tmp_path: Path, procs: list[ServiceProcess]
) -> None:
    server = EmbeddedRedis(appendonly=True, data_dir=tmp_path / "redis").start()
    try:
        env = env_for(server.url, prefix)
        settings = load_settings(redis_url=server.url, prefix=prefix)
        classifier = spawn(procs, "classifier", env, tmp_path)
        spawn(procs, "alerter", env, tmp_path)
        await asyncio.gather(*(asyncio.to_thread(p.wait_ready) for p in procs))
        articles = incident_reports(60, 10, seed=11)

        async def produce() -> None:
            redis = Redis.from_url(server.url)
            try:
                for start in range(0, len(articles), 20):
                    await publish_articles(redis, settings, articles[start : start + 20])
                    await asyncio.sleep(0.05)  # pacing the offered load, not waiting for a result
            finally:
                await redis.aclose()

        producer = asyncio.create_task(produce())
        watcher = Redis.from_url(server.url)
        await read_stream(watcher, settings.names.classified, 150, timeout=120)
        await watcher.aclose()
        server.stop()
        # Readiness reports the outage while the server is away.
        assert not await asyncio.to_thread(classifier.ready)
        server.start()
        await asyncio.wait_for(producer, timeout=180)

        redis = Redis.from_url(server.url)
        try:
            await read_stream(redis, settings.names.classified, len(articles), timeout=180)
            await wait_drained(redis, settings, timeout=180)
            classified = await ids_in(redis, settings.names.classified, "id")
            assert set(classified) == {a.id for a in articles}
            assert max(classified.values()) == 1
            assert await assert_alert_log_clean(redis, settings) >= 50
        finally:
            await redis.aclose()
        await asyncio.to_thread(classifier.wait_ready)
    finally:
        for proc in procs:
            proc.stop()
        server.cleanup()


async def test_sigterm_drains_and_exits_zero(
    redis_server: EmbeddedRedis, redis: Redis, prefix: str, tmp_path: Path, procs: list[ServiceProcess]
) -> None:
    env = env_for(redis_server.url, prefix)
    settings = load_settings(redis_url=redis_server.url, prefix=prefix)
    proc = spawn(procs, "classifier", env, tmp_path)
    await asyncio.to_thread(proc.wait_ready)
    await publish_articles(redis, settings, incident_reports(30, 10, seed=3))
    await read_stream(redis, settings.names.classified, 50, timeout=120)
    proc.signal(signal.SIGTERM)
    assert await asyncio.to_thread(proc.wait, 30) == 0
    # Whatever it had not finished is still pending or unread, never lost: a new replica finishes it.
    spawn(procs, "classifier", env, tmp_path).wait_ready()
    await read_stream(redis, settings.names.classified, 300, timeout=120)
    assert len(await ids_in(redis, settings.names.classified, "id")) == 300
