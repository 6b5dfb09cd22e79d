"""What a sink is: one output of the alerter, fed by its own consumer group on the alert log.

A sink says which Redis writes deliver one alert version (`prepare` returns a function that queues
them on a pipeline, like any redis-py code); the shell (`shell.SinkRunner`) runs those writes
together with the entry's acknowledgement, once, and does the decoding, dead letters and retries.
A sink therefore holds no delivery bookkeeping of its own, and a new output is one small module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from schemas import Alert
from services.alerter.webhooks.subscriptions import SubscriptionStore
from services.common.metrics import Metrics
from services.common.settings import Settings

__all__ = ["LogEntry", "Sink", "SinkDeps", "SinkFactory", "Writes"]


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One alert version as the alert log holds it."""

    id: str  # the alert-log entry id
    alert: Alert
    payload: str  # the Alert JSON exactly as in the log: what users receive, byte for byte


# Queues one entry's writes on a pipeline; the shell runs them atomically with the entry's XACK.
Writes = Callable[[Pipeline, LogEntry], None]


class Sink(Protocol):
    # Its consumer group on {p}:alert-log: a key of services.common.names.SINK_GROUPS.
    name: str

    async def prepare(self) -> Writes:
        """Read what a batch's writes depend on (e.g. the webhook subscriptions), once per batch,
        and return the function that queues one entry's writes."""
        ...

    def delivered(self, entries: Sequence[LogEntry]) -> None:
        """After the writes of `entries` are in Redis (each entry once, here or in another replica
        never both): in-process follow-ups such as waking a worker. Must not fail."""
        ...


@dataclass(frozen=True)
class SinkDeps:
    """What the alerter hands its sinks; each takes what it needs."""

    redis: Redis
    settings: Settings
    metrics: Metrics
    subscriptions: SubscriptionStore
    wake_webhooks: Callable[[], None]


SinkFactory = Callable[[SinkDeps], Sink]
