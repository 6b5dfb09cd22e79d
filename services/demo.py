"""`strikewatch demo`: the three services in one process over one Redis, a replay of the seeds, and
the alerts printed as they are published; exits once everything has drained."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from redis.asyncio import Redis

from schemas import Alert
from services.common.names import Names
from services.common.settings import Settings
from services.common.streams import decode_id, groups_drained


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
) -> int:
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
        if not await _drain(redis, names, idle, drain_timeout):
            print("strikewatch: the pipeline did not drain in time", file=sys.stderr)
            return 1
        written = await redis.xrange(names.alert_log, min=f"({start_id}" if start_id != "0" else "-")
        expected = len(written or [])
        while printed < expected:
            seen.clear()
            await asyncio.wait_for(seen.wait(), timeout=10)
        print(f"strikewatch: {printed} alert message(s) published", file=sys.stderr)
        if follow:
            await serving
        return 0
    finally:
        stop.set()
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)
        server.should_exit = True
        await asyncio.gather(serving, return_exceptions=True)


async def _drain(redis: Redis, names: Names, idle: list[Callable[[], bool]], timeout: float) -> bool:
    """Bounded wait until the streams are drained and no service holds work in memory."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    stable = 0
    while loop.time() < deadline:
        if await groups_drained(redis, names) and all(check() for check in idle):
            # Twice in a row: an alert written between the two group checks would show as lag.
            stable += 1
            if stable >= 2:
                return True
        else:
            stable = 0
        await asyncio.sleep(0.05)
    return False
