"""Running services in-process against the session's real Redis server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import Redis

from services.common.runtime import ServiceFactory, StrikewatchApp, build_app
from services.common.settings import Settings
from services.common.streams import groups_drained

WAIT_S = 60.0


@asynccontextmanager
async def running(settings: Settings, factories: Sequence[ServiceFactory]) -> AsyncIterator[StrikewatchApp]:
    app, _ = build_app(settings, factories, title="test", http_port=0)
    async with app.start_lifespan_context():
        # The broker starts in the background (the HTTP side does not wait for Redis).
        async with asyncio.timeout(WAIT_S):
            await app.started.wait()
        yield app


async def read_entries(
    redis: Redis, stream: str, count: int, *, timeout: float = WAIT_S
) -> list[tuple[bytes, dict[bytes, bytes]]]:
    """Block until `stream` holds `count` entries (XREAD BLOCK: woken by each write, no sleeping),
    then return them as read. Fails the test if they do not arrive in time."""
    entries: list[tuple[bytes, dict[bytes, bytes]]] = []
    last = "0"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(entries) < count:
        remaining_ms = int((deadline - loop.time()) * 1000)
        assert remaining_ms > 0, f"{stream}: {len(entries)} of {count} entries after {timeout}s"
        reply = await redis.xread({stream: last}, block=remaining_ms, count=1000)
        for _, batch in reply:
            entries.extend(batch)
            last = batch[-1][0].decode()
    return entries


async def read_stream(
    redis: Redis, stream: str, count: int, *, timeout: float = WAIT_S
) -> list[dict[str, Any]]:
    """`read_entries`, as the JSON bodies of the entries."""
    return [
        json.loads(fields[b"__data__"])
        for _, fields in await read_entries(redis, stream, count, timeout=timeout)
    ]


async def wait_drained(redis: Redis, settings: Settings, timeout: float = WAIT_S) -> None:
    """Bounded wait until every consumer group has read and acknowledged everything. Redis has no
    notification for "group caught up", so this checks XINFO GROUPS at a short interval."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await groups_drained(redis, settings.names):
        assert loop.time() < deadline, f"the pipeline did not drain within {timeout}s"
        await asyncio.sleep(0.05)
