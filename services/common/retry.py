"""Retrying Redis writes across a blip: a restart or failover of the server must not lose input."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError

T = TypeVar("T")
log = logging.getLogger("strikewatch")
# What a Redis that is down, restarting or loading raises from any command.
REDIS_DOWN = (ConnectionError, TimeoutError, BusyLoadingError)
TRANSIENT = (*REDIS_DOWN, OSError)


def raise_if_cancelling() -> None:
    """Honour a cancellation that a Redis call swallowed.

    On Python 3.11 redis-py's `asyncio.timeout` can turn the task's CancelledError into a
    TimeoutError (an OSError), which the client may even retry itself (`retry_on_timeout`), so the
    caller sees a normal reply: a loop would then never stop, and a shutdown (or the test session's
    end) would wait on it forever. Every long-running or retrying loop calls this at the top of
    each pass (the task's `cancelling()` count stays raised after the swallowed cancellation)."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def retry_transient(
    operation: Callable[[], Awaitable[T]], *, give_up_after: float = 120.0, max_delay: float = 2.0
) -> T:
    """Run `operation`, retrying with exponential backoff while Redis is unreachable or loading.

    Writes retried this way may land twice (the first reply can be lost after the write); every
    consumer de-duplicates by article id, so that is safe.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + give_up_after
    delay = 0.05
    while True:
        raise_if_cancelling()
        try:
            return await operation()
        except TRANSIENT as exc:
            if loop.time() + delay > deadline:
                raise
            log.warning("Redis unavailable (%s); retrying in %.2fs", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
