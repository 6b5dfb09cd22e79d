"""A clean shutdown logs no error: the subscribers' read loops end before the broker closes its
connection (red team 7 F22: "Message fetch error", a redis ConnectionError, at the end of about one
demo in three). Real services on an embedded Valkey, real HTTP on 127.0.0.1. Reads that return at
once (STRIKEWATCH_POLL_MS=1) make the race the fix closes likely in every round, so the rounds
below met it on the parent commit."""

from __future__ import annotations

import asyncio
import logging

import pytest
from redis.asyncio import Redis

from services.alerter.app import build_alerter
from services.common.runtime import build_app, start_http
from services.common.settings import Settings
from services.producer.app import build_producer

ROUNDS = 12
# Reads each round's subscribers have made before it stops: their loops are cycling, not starting.
READS = 40


async def reads_made(redis: Redis) -> int:
    stats = await redis.info("commandstats")
    return int(stats.get("cmdstat_xreadgroup", {}).get("calls", 0))


async def until_reads(redis: Redis, count: int, timeout: float = 30.0) -> None:
    """Bounded wait until the server has answered `count` XREADGROUPs in all (Redis tells no one
    when a consumer reads, so this asks INFO at a short interval)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await reads_made(redis) < count:
        assert loop.time() < deadline, f"fewer than {count} reads after {timeout}s"
        await asyncio.sleep(0.01)


async def test_stopping_the_services_logs_no_fetch_error(
    settings: Settings, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for n in range(ROUNDS):
        quick = settings.model_copy(update={"poll_ms": 1, "prefix": f"{settings.prefix}-{n}"})
        app, _ = build_app(quick, [build_producer, build_alerter], title="test", http_port=0)
        server, serving = await start_http(app, 0)
        await asyncio.wait_for(app.started.wait(), timeout=60)
        await until_reads(redis, await reads_made(redis) + READS)
        server.should_exit = True
        await serving
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == []
    # A fetch error that Redis caused is logged as a warning (runtime.RedisDownFetches): none either.
    assert [r.getMessage() for r in caplog.records if "Message fetch error" in r.getMessage()] == []
