"""A receiver that is down for the first 20 s of a replay still receives every alert, each
webhook-id once after its own de-duplication, although the alerter is restarted in between."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bench.corpus import incident_reports
from services.common.embedded import EmbeddedRedis
from services.common.settings import load_settings
from services.producer.publish import publish_articles
from services.producer.replay import replay
from tests.conftest import SEEDS
from tests.pipeline.conftest import wait_drained
from tests.reliability.procs import ServiceProcess
from tests.reliability.webhook_receiver import Receiver, reserve_port

pytestmark = pytest.mark.slow
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OUTAGE_S = 20.0


@pytest.fixture
def procs() -> Iterator[list[ServiceProcess]]:
    started: list[ServiceProcess] = []
    yield started
    for proc in started:
        proc.stop()


async def test_receiver_down_for_20s_gets_every_alert_once(
    redis_server: EmbeddedRedis, redis: Redis, prefix: str, tmp_path: Path, procs: list[ServiceProcess]
) -> None:
    reserved = reserve_port()
    port = reserved.getsockname()[1]
    hooks = tmp_path / "hooks.yaml"
    hooks.write_text(f"- id: desk\n  url: http://127.0.0.1:{port}/hook\n  secret: {SECRET}\n")
    env = {
        "STRIKEWATCH_REDIS_URL": redis_server.url,
        "STRIKEWATCH_PREFIX": prefix,
        "STRIKEWATCH_WEBHOOKS_FILE": str(hooks),
        "STRIKEWATCH_WEBHOOK_ALLOWLIST": "127.0.0.1/32",
        "STRIKEWATCH_WEBHOOK_BACKOFF_BASE_S": "0.5",
        "STRIKEWATCH_WEBHOOK_BACKOFF_MAX_S": "3",
        "STRIKEWATCH_WEBHOOK_MAX_ATTEMPTS": "50",
        "STRIKEWATCH_WEBHOOK_TIMEOUT_S": "2",
        "STRIKEWATCH_POLL_MS": "50",
    }
    settings = load_settings(redis_url=redis_server.url, prefix=prefix)
    procs.append(ServiceProcess("classifier", env, tmp_path).start())
    procs.append(ServiceProcess("alerter", env, tmp_path).start())
    await asyncio.gather(*(asyncio.to_thread(p.wait_ready) for p in procs))
    loop = asyncio.get_running_loop()
    receiver_up_at = loop.time() + OUTAGE_S

    await replay(redis, settings, [SEEDS])
    await publish_articles(redis, settings, incident_reports(12, 3, seed=5))
    await wait_drained(redis, settings)
    # Deliveries are failing (connection refused) and waiting in the Redis retry queue; restart
    # the alerter while they wait.
    procs[1].stop()
    assert procs[1].process is not None and procs[1].process.returncode == 0
    procs.append(ServiceProcess("alerter", env, tmp_path).start())
    await asyncio.to_thread(procs[-1].wait_ready)

    log = [json.loads(f[b"__data__"]) for _, f in await redis.xrange(settings.names.alert_log)]
    expected = {(a["alert_id"], a["version"]) for a in log}
    assert len(expected) >= 10
    assert loop.time() < receiver_up_at, "the outage window ended before the alerter restart"
    await asyncio.sleep(receiver_up_at - loop.time())  # the outage itself: the receiver is down for 20 s
    receiver = Receiver(port, SECRET).start(reserved)
    try:
        arrived = await asyncio.to_thread(receiver.wait_for, expected, 90.0)
        assert arrived, f"missing deliveries: {sorted(expected - receiver.versions())[:5]}"
    finally:
        receiver.stop()
    assert receiver.bad_signatures == 0
    assert receiver.versions() == expected
    # One webhook-id per alert version: retries reuse it, so de-duplication leaves exactly one each.
    assert len(receiver.by_id) == len(expected)
