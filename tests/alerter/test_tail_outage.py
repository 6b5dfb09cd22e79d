"""Following the alert log across a Redis restart (red-team finding 24: after Redis restarted without
its data, `strikewatch demo --follow` stopped printing and logged nothing: the XREAD error ended the
follower)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal

import pytest
from redis.asyncio import Redis

from schemas import Alert
from services.alerter.commands import _after_outage, tail
from services.common.embedded import EmbeddedRedis
from services.common.settings import Settings, load_settings

from .test_sinks import log_alert, make_alert


class Seen:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.changed = asyncio.Event()

    def __call__(self, alert: Alert) -> None:
        self.ids.append(alert.alert_id)
        self.changed.set()

    async def until(self, count: int, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            while len(self.ids) < count:
                self.changed.clear()
                if len(self.ids) >= count:
                    return
                await self.changed.wait()


async def test_tail_keeps_following_after_redis_restarts_without_its_data(
    prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    own = EmbeddedRedis().start()
    restarted: list[EmbeddedRedis] = []
    s = load_settings(redis_url=own.url, prefix=prefix)
    client = Redis.from_url(own.url)
    seen, stop = Seen(), asyncio.Event()
    caplog.set_level(logging.WARNING, logger="strikewatch.alerter")
    following = asyncio.create_task(tail(client, s, since="0", on_alert=seen, stop=stop, block_ms=50))
    try:
        await log_alert(client, s, make_alert("before-restart"))
        await seen.until(1)
        assert own.pid is not None and own.process is not None
        os.kill(own.pid, signal.SIGKILL)
        await asyncio.to_thread(own.process.wait, 30)
        restarted.append(EmbeddedRedis(port=own.port).start())
        writer = Redis.from_url(restarted[0].url)
        try:
            await log_alert(writer, s, make_alert("after-1"))
            await log_alert(writer, s, make_alert("after-2"))
        finally:
            await writer.aclose()
        await seen.until(3)
        assert not following.done()
    finally:
        stop.set()
        await asyncio.gather(following, return_exceptions=True)
        await client.aclose()
        for server in restarted:
            server.stop()
        own.stop()
    assert following.exception() is None
    assert seen.ids == ["sw-before-restart", "sw-after-1", "sw-after-2"]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("Redis unreachable" in m for m in messages) == 1, messages
    assert any("Redis answers again" in m for m in messages), messages


async def test_after_an_outage_reading_resumes_where_it_stopped_when_the_log_survived(
    settings: Settings, redis: Redis
) -> None:
    stream = settings.names.alert_log
    first = (await redis.xadd(stream, {"__data__": "{}"})).decode()
    newest = (await redis.xadd(stream, {"__data__": "{}"})).decode()
    # The log survived: reading goes on after the last entry seen.
    assert await _after_outage(redis, stream, first) == first
    assert await _after_outage(redis, stream, newest) == newest
    # The log was replaced by one whose newest entry is older than the last seen: all of it is new.
    ms = int(newest.split("-")[0])
    assert await _after_outage(redis, stream, f"{ms + 10_000}-0") == "0-0"


async def test_after_an_outage_an_empty_log_is_read_from_its_start(settings: Settings, redis: Redis) -> None:
    assert await _after_outage(redis, settings.names.alert_log + ":none", "1700000000000-3") == "0-0"
