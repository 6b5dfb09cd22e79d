"""The alert log as Server-Sent Events: one reader per process follows `{p}:alert-log` and fans each
new entry out to every connected client's bounded queue; a client that asks for history reads it
from the log first and then drains its queue, so history and live meet without a gap or a duplicate.

The seam: a client registers with the hub and notes the hub's position (the last entry it has handed
out) in one step, with no await between. Everything after that position reaches the client's queue;
everything up to it is read from the log with XRANGE. A client that falls more than
`sse_queue_size` events behind is dropped (its connection closes); it reconnects with
`Last-Event-ID` and loses nothing, while the process never holds more than that per client.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sse_starlette import ServerSentEvent

from schemas import Alert
from services.alerter.filters import AlertFilter, stream_id_key
from services.common.names import DATA_FIELD
from services.common.retry import raise_if_cancelling
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter.stream")

_READ_COUNT = 500
_BLOCK_MS = 1000
_MAX_BACKOFF_S = 5.0


@dataclass(frozen=True, slots=True)
class LogEvent:
    id: str
    alert: Alert
    payload: str  # the Alert JSON exactly as in the log


class TooManyClients(Exception):
    pass


class Dropped(Exception):
    """The client fell too far behind; it reconnects with Last-Event-ID."""


def decode(entry_id: bytes | str, fields: dict[bytes, bytes]) -> LogEvent | None:
    data = fields.get(DATA_FIELD.encode())
    if data is None:
        return None
    try:
        payload = data.decode("utf-8")
        return LogEvent(_text(entry_id), Alert.model_validate_json(payload), payload)
    except (UnicodeDecodeError, ValidationError):
        return None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Listener:
    """One client's bounded queue of live events."""

    def __init__(self, capacity: int) -> None:
        self._events: deque[LogEvent] = deque()
        self._capacity = capacity
        self._ready = asyncio.Event()
        self.dropped = False

    def offer(self, event: LogEvent) -> bool:
        if len(self._events) >= self._capacity:
            return False
        self._events.append(event)
        self._ready.set()
        return True

    def drop(self) -> None:
        self.dropped = True
        self._events.clear()
        self._ready.set()

    async def next(self) -> LogEvent:
        while not self._events:
            if self.dropped:
                raise Dropped
            self._ready.clear()
            await self._ready.wait()
        return self._events.popleft()


class AlertLogHub:
    """Follows the alert log for every SSE client of this process with one XREAD loop, started with
    the first client."""

    def __init__(self, redis: Redis, settings: Settings) -> None:
        self._redis = redis
        self._stream = settings.names.alert_log
        self._capacity = settings.sse_queue_size
        self._max_clients = settings.sse_max_clients
        self._listeners: set[Listener] = set()
        self._position = "0-0"
        self._task: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()

    @property
    def stream(self) -> str:
        return self._stream

    @property
    def clients(self) -> int:
        return len(self._listeners)

    async def listen(self) -> tuple[Listener, str]:
        """A new client's queue, and the hub's position: the client gets every entry after it
        through the queue. Raises TooManyClients past `sse_max_clients`."""
        if len(self._listeners) >= self._max_clients:
            raise TooManyClients
        await self._ensure_running()
        if len(self._listeners) >= self._max_clients:
            raise TooManyClients
        listener = Listener(self._capacity)
        # No await between these two lines: that is the seam between history and live.
        self._listeners.add(listener)
        return listener, self._position

    def leave(self, listener: Listener) -> None:
        self._listeners.discard(listener)

    def _drop_all(self) -> None:
        for listener in list(self._listeners):
            listener.drop()
        self._listeners.clear()

    async def stop(self) -> None:
        self._drop_all()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _ensure_running(self) -> None:
        async with self._starting:
            if self._task is not None and not self._task.done():
                return
            newest: Any = await self._redis.xrevrange(self._stream, count=1)
            self._position = _text(newest[0][0]) if newest else "0-0"
            self._task = asyncio.create_task(self._follow(), name="sse-alert-log")

    async def _follow(self) -> None:
        delay = 0.1
        while True:
            raise_if_cancelling()
            try:
                reply: Any = await self._redis.xread(
                    {self._stream: self._position}, count=_READ_COUNT, block=_BLOCK_MS
                )
                delay = 0.1
            except (RedisError, OSError) as exc:
                log.warning("alert log unreadable for the live stream (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_BACKOFF_S)
                continue
            try:
                for _stream, entries in reply or []:
                    for entry_id, fields in entries:
                        self._dispatch(_text(entry_id), fields)
            except Exception:
                # A bug here must not leave clients with a silent gap: drop them all (each resumes
                # from the log with Last-Event-ID), say so, and keep following.
                log.exception("live stream: dispatching alert-log entries failed; clients will resume")
                self._drop_all()

    def _dispatch(self, entry_id: str, fields: dict[bytes, bytes]) -> None:
        self._position = entry_id
        event = decode(entry_id, fields)
        if event is None:
            log.warning("skipping unreadable alert-log entry %s in the live stream", entry_id)
            return
        for listener in list(self._listeners):
            if not listener.offer(event):
                log.info(
                    "dropping a live-stream client %d events behind; it resumes with Last-Event-ID",
                    self._capacity,
                )
                listener.drop()
                self._listeners.discard(listener)


async def history(redis: Redis, stream: str, *, after: str, until: str) -> AsyncIterator[LogEvent]:
    """Entries with `after` < id <= `until`, oldest first (`after` "0" means the start of the log)."""
    low = "-" if stream_id_key(after) == (0, 0) else f"({after}"
    while stream_id_key(until) > (0, 0):
        entries: Any = await redis.xrange(stream, min=low, max=until, count=_READ_COUNT)
        for entry_id, fields in entries:
            event = decode(entry_id, fields)
            if event is None:
                log.warning("skipping unreadable alert-log entry %s in a replay", _text(entry_id))
                continue
            yield event
        if len(entries) < _READ_COUNT:
            return
        low = f"({_text(entries[-1][0])}"


async def events(
    redis: Redis,
    hub: AlertLogHub,
    listener: Listener,
    position: str,
    *,
    start: str | None,
    where: AlertFilter,
) -> AsyncIterator[ServerSentEvent]:
    """One client's events: the log after `start` up to the hub's `position`, then live ones; each
    `id:` its entry id, `data:` the Alert JSON as logged. Ends when the client is dropped."""
    last = position
    try:
        if start is not None and stream_id_key(start) < stream_id_key(position):
            async for event in history(redis, hub.stream, after=start, until=position):
                if listener.dropped:
                    return  # too far behind already: the client resumes from what it got
                if where.matches(event.alert):
                    yield ServerSentEvent(data=event.payload, id=event.id)
        elif start is not None:
            last = start  # a client already past the hub's position skips what it has
        while True:
            event = await listener.next()
            if stream_id_key(event.id) <= stream_id_key(last):
                continue
            if where.matches(event.alert):
                yield ServerSentEvent(data=event.payload, id=event.id)
    except Dropped:
        return
    finally:
        hub.leave(listener)
