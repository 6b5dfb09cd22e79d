"""Running producers with live sources in-process, and waiting on what their pollers report."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from services.common.runtime import StrikewatchApp
from services.producer.sources.poller import PollReport, SourcePoller


def poller_of(app: StrikewatchApp) -> SourcePoller:
    """The live-source poller a running producer app started."""
    for part in app.parts:
        for loop in part.background:
            owner = getattr(loop, "__self__", None)
            if isinstance(owner, SourcePoller):
                return owner
    raise AssertionError("this app runs no source poller")


class PollLog:
    """Every poll report of the given pollers, in order; `wait` blocks until a condition holds."""

    def __init__(self, *pollers: SourcePoller) -> None:
        self.reports: list[PollReport] = []
        self._changed = asyncio.Event()
        for poller in pollers:
            poller.observers.append(self._record)

    def _record(self, report: PollReport) -> None:
        self.reports.append(report)
        self._changed.set()

    def of(self, source: str) -> list[PollReport]:
        return [r for r in self.reports if r.source == source]

    async def wait(self, condition: Callable[[], bool], what: str, *, timeout: float = 60.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._changed.clear()
            if condition():
                return
            remaining = deadline - loop.time()
            assert remaining > 0, f"timed out after {timeout}s waiting for {what}; polls: {self.reports}"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)

    async def polls(self, source: str, count: int, *, timeout: float = 60.0) -> list[PollReport]:
        await self.wait(lambda: len(self.of(source)) >= count, f"{count} polls of {source}", timeout=timeout)
        return self.of(source)


async def articles(redis: Redis, stream: str) -> list[dict[str, Any]]:
    """Every article on the stream now."""
    return [json.loads(fields[b"__data__"]) for _, fields in await redis.xrange(stream)]
