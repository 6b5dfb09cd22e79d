"""The one list of the alerter's outputs: a new output is one module beside this one plus one line
here (and its consumer-group name in services.common.names.SINK_GROUPS)."""

from __future__ import annotations

from services.alerter.sinks.base import SinkFactory
from services.alerter.sinks.pubsub import PubSubSink
from services.alerter.sinks.read_model import ReadModelSink
from services.alerter.sinks.webhooks import WebhookSink

SINKS: tuple[SinkFactory, ...] = (PubSubSink, WebhookSink, ReadModelSink)
