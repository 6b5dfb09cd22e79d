"""The alerter's outputs, each a consumer group on `{p}:alert-log` with its own position, dead
letters and lag metric. A new output is one module here plus one line in `SINKS` (and its group
name in services.common.names.SINK_GROUPS, the home of every Redis name)."""

from __future__ import annotations

from services.alerter.sinks.base import LogEntry, Sink, SinkDeps, SinkFactory, Writes
from services.alerter.sinks.pubsub import PubSubSink
from services.alerter.sinks.read_model import ReadModelSink
from services.alerter.sinks.webhooks import WebhookSink

SINKS: tuple[SinkFactory, ...] = (PubSubSink, WebhookSink, ReadModelSink)

__all__ = ["SINKS", "LogEntry", "Sink", "SinkDeps", "SinkFactory", "Writes"]
