"""The alerter's outputs, each a consumer group on `{p}:alert-log` with its own position, dead
letters and lag metric: `base` (what a sink is), `registry` (the list of them), `shell` (delivering
a batch once), `loop` (reading the group), and one module per sink."""

from __future__ import annotations

from services.alerter.sinks.base import LogEntry, Sink, SinkDeps, SinkFactory, Writes
from services.alerter.sinks.registry import SINKS

__all__ = ["SINKS", "LogEntry", "Sink", "SinkDeps", "SinkFactory", "Writes"]
