"""`strikewatch demo`: the three services in one process over one Redis, a replay of the seeds, and
the alerts printed as they are published; exits once everything has drained.

A Redis that stops answering for a while (a paused or overloaded server) is waited for, within the
drain timeout: the services already retry, so only a server process that has died ends the demo early
(red team 7 #11: a 10 s pause of the embedded server used to exit it with "did not answer in time")."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from redis.asyncio import Redis

from schemas import Alert
from services.common.names import Names
from services.common.retry import REDIS_DOWN
from services.common.settings import Settings
from services.common.streams import decode_id, groups_drained

log = logging.getLogger("strikewatch.demo")
T = TypeVar("T")
# First and longest pause between two tries of a Redis read that found no answer.
RETRY_FIRST_S = 0.1
RETRY_MAX_S = 2.0
# How often `demo --follow` checks that the server it started still runs.
WATCH_S = 1.0


class RedisGone(Exception):
    """The Redis server the demo started has exited: waiting longer cannot help."""


async def last_log_id(redis: Redis, names: Names) -> str:
    last = await redis.xrevrange(names.alert_log, count=1)
    return decode_id(last[0][0] or b"0") if last else "0"


async def run_demo(
    settings: Settings,
    *,
    port: int,
    sockets: list[socket.socket] | None = None,
    paths: Sequence[Path],
    as_json: bool,
    follow: bool,
    rate: float | None,
    drain_timeout: float,
    server_alive: Callable[[], bool] = lambda: True,
) -> int:
    """Run the demo; 0 once drained (and, with `follow`, once the server stops), 1 when the pipeline
    did not drain within `drain_timeout` seconds. `server_alive` says whether the Redis server the
    demo started still runs (always True for an external one): while it does, a Redis that does not
    answer is waited for, within `drain_timeout`, and followed without limit. Raises RedisGone when
    it has exited, and the Redis error when it still does not answer at the drain deadline."""
    from services.alerter.app import build_alerter
    from services.alerter.commands import tail
    from services.classifier.app import build_classifier
    from services.common.runtime import build_app, start_http
    from services.console import AlertPrinter
    from services.producer.app import build_producer
    from services.producer.replay import replay

    names = settings.names
    app, runtime = build_app(
        settings, [build_producer, build_classifier, build_alerter], title="strikewatch-demo", http_port=port
    )
    server, serving = await start_http(app, port, sockets=sockets)
    redis = runtime.redis
    printer = AlertPrinter(as_json=as_json)
    printed = 0
    seen = asyncio.Event()
    stop = asyncio.Event()

    def on_alert(alert: Alert) -> None:
        nonlocal printed
        printer(alert)
        printed += 1
        seen.set()

    start_id = await last_log_id(redis, names)
    follower = asyncio.create_task(
        tail(
            redis,
            settings,
            since=start_id,
            severity=None,
            region=None,
            attack_type=None,
            on_alert=on_alert,
            stop=stop,
        )
    )
    try:
        report = await replay(redis, settings, paths, rate=rate, loops=1)
        print(
            f"strikewatch: replayed {report.published} article(s), {report.rejected} rejected",
            file=sys.stderr,
        )
        idle = [check for part in app.parts for check in part.idle]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + drain_timeout

        def patient(call: Callable[[], Awaitable[T]]) -> Awaitable[T]:
            return _patiently(call, deadline, server_alive)

        if not await _drain(lambda: patient(lambda: groups_drained(redis, names)), idle, deadline):
            print("strikewatch: the pipeline did not drain in time", file=sys.stderr)
            return 1
        written = await patient(
            lambda: redis.xrange(names.alert_log, min=f"({start_id}" if start_id != "0" else "-")
        )
        expected = len(written or [])
        while printed < expected:
            seen.clear()
            # `tail` itself waits out a Redis that does not answer; bounded by the same deadline.
            await asyncio.wait_for(seen.wait(), timeout=max(10.0, deadline - loop.time()))
        print(f"strikewatch: {printed} alert message(s) published", file=sys.stderr)
        if follow:
            watch = asyncio.create_task(_until_gone(server_alive))
            try:
                await asyncio.wait([serving, watch], return_when=asyncio.FIRST_COMPLETED)
            finally:
                watch.cancel()
            if not serving.done():
                raise RedisGone("the embedded Redis-compatible server has exited")
        return 0
    finally:
        stop.set()
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)
        server.should_exit = True
        await asyncio.gather(serving, return_exceptions=True)


async def _until_gone(server_alive: Callable[[], bool]) -> None:
    """Return once the Redis server the demo started has exited (checked every WATCH_S seconds):
    while following, a paused server is waited for by the services, a dead one ends the demo."""
    # A poll, not an event: a child process's exit raises none that asyncio can await here.
    while True:
        if not server_alive():
            return
        await asyncio.sleep(WATCH_S)


async def _patiently(
    call: Callable[[], Awaitable[T]], deadline: float, server_alive: Callable[[], bool]
) -> T:
    """`call()`'s answer, tried again (RETRY_FIRST_S doubling up to RETRY_MAX_S) while Redis does not
    answer and its server still runs, until the loop time `deadline`. Raises RedisGone once the
    server has exited, and the last Redis error (REDIS_DOWN) at the deadline."""
    loop = asyncio.get_running_loop()
    delay = RETRY_FIRST_S
    said = False
    while True:
        try:
            answer = await call()
        except REDIS_DOWN as exc:
            if not server_alive():
                raise RedisGone("the embedded Redis-compatible server has exited") from exc
            if loop.time() + delay >= deadline:
                raise
            if not said:
                log.warning("Redis does not answer (%s); waiting for it", type(exc).__name__)
                said = True
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)
            continue
        if said:
            log.warning("Redis answers again")
        return answer


async def _drain(
    drained: Callable[[], Awaitable[bool]], idle: list[Callable[[], bool]], deadline: float
) -> bool:
    """Bounded wait (until the loop time `deadline`) until the streams are drained and no service
    holds work in memory."""
    loop = asyncio.get_running_loop()
    stable = 0
    while loop.time() < deadline:
        if await drained() and all(check() for check in idle):
            # Twice in a row: an alert written between the two group checks would show as lag.
            stable += 1
            if stable >= 2:
                return True
        else:
            stable = 0
        await asyncio.sleep(0.05)
    return False
