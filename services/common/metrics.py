"""The Prometheus metrics of CONTRACT.md section 7, created per registry (never at import)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class StreamCounter(Collector):
    """A counter whose value Redis keeps: the articles stream's `entries-added`, so it counts every
    article ingested by any producer (replay, HTTP ingest, a plain XADD), and survives restarts."""

    def __init__(self, name: str, documentation: str, registry: CollectorRegistry) -> None:
        self.name, self.documentation, self.value = name, documentation, 0.0
        registry.register(self)

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily(self.name, self.documentation, value=self.value)

    def describe(self) -> Iterator[Metric]:
        return self.collect()


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    articles_ingested: StreamCounter
    classifications: Counter
    classify_seconds: Histogram
    alerts_published: Counter
    webhook_deliveries: Counter
    webhook_delivery_seconds: Histogram
    webhook_pending: Gauge
    stream_lag: Gauge
    stream_pending: Gauge
    deadletter: Counter
    end_to_end_seconds: Histogram


def create_metrics(registry: CollectorRegistry | None = None) -> Metrics:
    reg = registry if registry is not None else CollectorRegistry()
    return Metrics(
        registry=reg,
        articles_ingested=StreamCounter(
            "strikewatch_articles_ingested", "Articles put on the articles stream (XINFO STREAM entries-added).",
            reg,
        ),
        classifications=Counter(
            "strikewatch_classifications", "Articles classified.", ["is_attack"], registry=reg
        ),
        classify_seconds=Histogram(
            "strikewatch_classify_seconds", "Classifier time per article.", buckets=LATENCY_BUCKETS,
            registry=reg,
        ),
        alerts_published=Counter(
            "strikewatch_alerts_published", "Alerts published.", ["severity", "msg_type"], registry=reg
        ),
        webhook_deliveries=Counter(
            "strikewatch_webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, retry, failed, refused).",
            ["outcome"],
            registry=reg,
        ),
        webhook_delivery_seconds=Histogram(
            "strikewatch_webhook_delivery_seconds", "Duration of one webhook HTTP attempt.",
            buckets=LATENCY_BUCKETS, registry=reg,
        ),
        webhook_pending=Gauge(
            "strikewatch_webhook_pending", "Webhook deliveries waiting for a retry.", registry=reg
        ),
        stream_lag=Gauge(
            "strikewatch_stream_lag", "Entries not yet delivered to the consumer group.",
            ["stream", "group"], registry=reg,
        ),
        stream_pending=Gauge(
            "strikewatch_stream_pending", "Entries delivered to the group but not acknowledged.",
            ["stream", "group"], registry=reg,
        ),
        deadletter=Counter(
            "strikewatch_deadletter", "Messages sent to the dead-letter stream.", ["stage"], registry=reg
        ),
        end_to_end_seconds=Histogram(
            "strikewatch_end_to_end_seconds", "Article published -> alert published.",
            buckets=LATENCY_BUCKETS, registry=reg,
        ),
    )
