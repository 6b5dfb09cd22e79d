"""The pub/sub sink: each alert version on `{p}:alerts` and its severity, region and type channels
(docs/contract.md section 6), as the plain JSON of the alert log."""

from __future__ import annotations

from collections.abc import Sequence

from redis.asyncio.client import Pipeline

from services.alerter.routing import channels
from services.alerter.sinks.base import LogEntry, SinkDeps, Writes
from services.common.names import PUBSUB_SINK, Names


class PubSubSink:
    name = PUBSUB_SINK

    def __init__(self, deps: SinkDeps) -> None:
        self._names: Names = deps.settings.names

    async def prepare(self) -> Writes:
        return self._publish

    def _publish(self, pipe: Pipeline, entry: LogEntry) -> None:
        for channel in channels(entry.alert, self._names):
            pipe.publish(channel, entry.payload)

    def delivered(self, entries: Sequence[LogEntry]) -> None:
        pass
