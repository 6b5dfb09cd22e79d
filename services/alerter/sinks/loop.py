"""A sink's two consumer loops on the alert log, in the sink's own consumer group: one reads new
entries a batch at a time (XREADGROUP BLOCK, so a new entry is handled as soon as it is logged);
one claims entries another consumer left pending for `claim_idle_ms` (it died, or its Redis write
failed) and dead-letters those delivered more than `max_deliveries` times.

Plain redis-py rather than FastStream subscribers, as the pipeline stages use: a sink's whole work
for a batch is one script call (~130 µs of client CPU), and FastStream's per-call machinery
(dependency injection, middlewares) costs about twice that again, for each of three sinks, for
every alert version; at 200 alerts/s that was a fifth of the alerter's CPU (BENCHMARKS.md). The
loops call the same two entry points a stage shell does (`handle(entries)`, `give_up(entry,
deliveries=)`), so moving them onto a shared one changes only this module.

Both loops outlive Redis trouble: a connection error is retried with backoff, a lost consumer
group (Redis restarted without its data) is recreated, and an unexpected error is logged and the
loop goes on, its entries left pending for the reclaimer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from services.alerter.sinks.base import SinkDeps
from services.alerter.sinks.registry import SINKS
from services.alerter.sinks.shell import Entry, SinkRunner
from services.common.names import Names
from services.common.retry import raise_if_cancelling
from services.common.settings import Settings
from services.common.streams import decode_id, ensure_groups

log = logging.getLogger("strikewatch.alerter.sinks")

_MAX_BACKOFF_S = 5.0


class SinkConsumer:
    def __init__(self, runner: SinkRunner, redis: Redis, settings: Settings, *, consumer_base: str) -> None:
        self.runner = runner
        self._redis = redis
        self._settings = settings
        self._names: Names = settings.names
        self.group = runner.sink.name
        self.consumer = f"{consumer_base}-sink-{self.group}"
        self.reclaimer = f"{consumer_base}-sink-{self.group}-reclaim"

    def loops(self) -> tuple[Callable[[], Coroutine[Any, Any, None]], ...]:
        """The background loops to run for this sink."""
        return (self.read_new, self.reclaim)

    async def read_new(self) -> None:
        """Runs until cancelled: entries nobody in the group has read yet."""
        await self._forever(self._read_once, "reading")

    async def reclaim(self) -> None:
        """Runs until cancelled: entries a consumer of the group left pending."""
        await self._forever(self._reclaim_once, "reclaiming")

    async def _read_once(self) -> None:
        s = self._settings
        reply: Any = await self._redis.xreadgroup(
            self.group, self.consumer, {self._names.alert_log: ">"}, count=s.batch_size, block=s.poll_ms
        )
        entries = [(decode_id(i), fields) for _stream, found in reply or [] for i, fields in found]
        if entries:
            await self.runner.handle(entries)

    async def _reclaim_once(self) -> None:
        s, start = self._settings, "0-0"
        while True:  # bounded by the pending list, which only shrinks as this pass claims it
            reply: Any = await self._redis.xautoclaim(
                self._names.alert_log,
                self.group,
                self.reclaimer,
                min_idle_time=s.claim_idle_ms,
                start_id=start,
                count=s.batch_size,
            )
            next_id, claimed = decode_id(reply[0]), reply[1]
            trimmed = reply[2] if len(reply) > 2 else []
            if trimmed:
                # Redis 7 drops pending entries that were trimmed away from the pending list and
                # names them here: their versions never reached this sink.
                log.error(
                    "sink %s: %d pending alert-log entries were trimmed before delivery (e.g. %s); "
                    "raise STRIKEWATCH_ALERT_LOG_MAXLEN above the backlog the sinks must survive",
                    self.group,
                    len(trimmed),
                    decode_id(trimmed[0]),
                )
            # Entries trimmed from the log while pending come back without fields (Redis 6.2);
            # Redis 7 drops them from the pending list itself.
            entries: list[Entry] = [(decode_id(i), fields or {}) for i, fields in claimed]
            if entries:
                await self._deliver_claimed(entries)
            if next_id == "0-0":
                break
            start = next_id
        await asyncio.sleep(max(s.poll_ms, 1000) / 1000)

    async def _deliver_claimed(self, entries: list[Entry]) -> None:
        pending: Any = await self._redis.xpending_range(
            self._names.alert_log,
            self.group,
            min=entries[0][0],
            max=entries[-1][0],
            count=len(entries),
            consumername=self.reclaimer,
        )
        deliveries = {decode_id(p["message_id"]): int(p["times_delivered"]) for p in pending}
        retry: list[Entry] = []
        for entry in entries:
            count = deliveries.get(entry[0], 1)
            if count > self._settings.max_deliveries:
                await self.runner.give_up(entry, deliveries=count)
            else:
                retry.append(entry)
        if retry:
            await self.runner.handle(retry)

    async def _forever(self, step: Callable[[], Awaitable[None]], doing: str) -> None:
        delay = 0.1
        while True:
            raise_if_cancelling()
            try:
                await step()
                delay = 0.1
                continue
            except ResponseError as exc:
                if "NOGROUP" in str(exc):
                    log.warning(
                        "sink %s: consumer group missing (Redis lost its data?); recreating", self.group
                    )
                    await self._recreate_groups()
                    continue
                log.error("sink %s: %s failed: %s", self.group, doing, exc)
            except (RedisError, OSError) as exc:
                log.warning(
                    "sink %s: %s failed (%s); retrying in %.1fs", self.group, doing, type(exc).__name__, delay
                )
            except Exception:
                log.exception("sink %s: %s failed; the entries stay pending for a retry", self.group, doing)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_BACKOFF_S)

    async def _recreate_groups(self) -> None:
        try:
            await ensure_groups(self._redis, self._names)
        except (RedisError, OSError) as exc:
            log.warning("sink %s: could not recreate consumer groups (%s)", self.group, type(exc).__name__)
            await asyncio.sleep(1.0)


def sink_consumers(deps: SinkDeps, *, consumer_base: str) -> list[SinkConsumer]:
    """The consumers of the sinks this replica runs (STRIKEWATCH_SINKS), in registration order."""
    settings = deps.settings
    enabled = settings.sink_names()
    return [
        SinkConsumer(
            SinkRunner(sink, deps.redis, settings, deps.metrics),
            deps.redis,
            settings,
            consumer_base=consumer_base,
        )
        for sink in (factory(deps) for factory in SINKS)
        if sink.name in enabled
    ]
