"""The Prometheus metrics of docs/contract.md section 7, created per registry (never at import)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
# A backlog can hold an article for minutes or hours; quantiles must not saturate at 60 s.
END_TO_END_BUCKETS = (*LATENCY_BUCKETS, 120, 300, 900, 3600)
# Label values known in advance get a zero series at start, so rate()/increase() see the first event.
SEVERITY_LABELS = ("Extreme", "Severe", "Moderate", "Minor")
MSG_TYPES = ("Alert", "Update", "Cancel")
DELIVERY_OUTCOMES = ("delivered", "retry", "failed", "refused")
STAGES = ("producer", "classifier", "alerter", "webhook")
SOURCE_FETCH_KINDS = ("feed", "page")
SOURCE_FETCH_OUTCOMES = ("ok", "not_modified", "error", "refused")
SOURCE_ITEM_OUTCOMES = ("new", "seen", "skipped", "deferred")
SOURCE_EXTRACTION_OUTCOMES = ("page", "summary")
SUBSCRIPTION_STATUSES = ("active", "disabled")


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


class SourceFreshness(Collector):
    """`strikewatch_source_freshness_seconds{source}`: now minus the newest item's publication time,
    computed at each scrape (a gauge set at poll time would stand still between polls). The
    poller records each source's newest time, read from Redis, so every replica reports the same."""

    name = "strikewatch_source_freshness_seconds"
    documentation = (
        "Seconds since the newest item of each live source was published (shared state in Redis: every "
        "producer replica reports the same value, aggregate with max())."
    )

    def __init__(self, registry: CollectorRegistry, clock: Callable[[], float] = time.time) -> None:
        self.newest: dict[str, float] = {}
        self._clock = clock
        registry.register(self)

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(self.name, self.documentation, labels=["source"])
        now = self._clock()
        for source, newest in sorted(self.newest.items()):
            family.add_metric([source], max(0.0, now - newest))
        yield family

    def describe(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(self.name, self.documentation, labels=["source"])


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
    webhook_subscriptions: Gauge
    stream_lag: Gauge
    stream_pending: Gauge
    deadletter: Counter
    end_to_end_seconds: Histogram
    source_fetches: Counter
    source_items: Counter
    source_malformed_feeds: Counter
    source_extractions: Counter
    source_freshness: SourceFreshness
    source_stale_after: Gauge
    claimed_deleted: Counter
    articles_refused: Counter
    trimmed_unread: Counter
    unsupported_language: Counter
    articles_truncated: Counter
    duplicates: Counter


def create_metrics(registry: CollectorRegistry | None = None, *, version: str = "0.1.0") -> Metrics:
    # `_created` series double the exposition and nothing here reads them.
    disable_created_metrics()  # type: ignore[no-untyped-call]
    reg = registry if registry is not None else CollectorRegistry()
    for standard in (PROCESS_COLLECTOR, GC_COLLECTOR, PLATFORM_COLLECTOR):
        reg.register(standard)
    Info("strikewatch_build", "Version of the running service.", registry=reg).info({"version": version})
    metrics = Metrics(
        registry=reg,
        articles_ingested=StreamCounter(
            "strikewatch_articles_ingested",
            "Articles put on the articles stream (XINFO STREAM entries-added: every service reports the same "
            "value, aggregate with max()).",
            reg,
        ),
        classifications=Counter(
            "strikewatch_classifications", "Articles classified.", ["is_attack"], registry=reg
        ),
        classify_seconds=Histogram(
            "strikewatch_classify_seconds",
            "Classifier time per article (the batch's time divided by its size: articles are "
            "classified in batches).",
            buckets=LATENCY_BUCKETS,
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
            "strikewatch_webhook_delivery_seconds",
            "Duration of one webhook HTTP attempt.",
            buckets=LATENCY_BUCKETS,
            registry=reg,
        ),
        webhook_pending=Gauge(
            "strikewatch_webhook_pending",
            "Webhook deliveries not yet settled, across every subscription: queued (due now or "
            "waiting for a retry) plus in flight; read from Redis by each alerter's delivery worker "
            "(aggregate with max()).",
            registry=reg,
        ),
        webhook_subscriptions=Gauge(
            "strikewatch_webhook_subscriptions",
            "Webhook subscriptions by status (active; disabled after a 410 Gone or through the API), "
            "read from Redis (every alerter reports the same value, aggregate with max()).",
            ["status"],
            registry=reg,
        ),
        stream_lag=Gauge(
            "strikewatch_stream_lag",
            "Entries not yet delivered to the consumer group (read from Redis: every service "
            "reports the same "
            "value, aggregate with max()).",
            ["stream", "group"],
            registry=reg,
        ),
        stream_pending=Gauge(
            "strikewatch_stream_pending",
            "Entries delivered to the group but not acknowledged.",
            ["stream", "group"],
            registry=reg,
        ),
        deadletter=Counter(
            "strikewatch_deadletter", "Messages sent to the dead-letter stream.", ["stage"], registry=reg
        ),
        end_to_end_seconds=Histogram(
            "strikewatch_end_to_end_seconds",
            "Article published -> alert published.",
            buckets=END_TO_END_BUCKETS,
            registry=reg,
        ),
        source_fetches=Counter(
            "strikewatch_source_fetches",
            "HTTP fetches for live sources by what was fetched (feed, item page) and outcome (ok, "
            "not_modified, error, refused: the address policy or robots.txt said no).",
            ["source", "kind", "outcome"],
            registry=reg,
        ),
        source_items=Counter(
            "strikewatch_source_items",
            "Feed items by outcome: new (published as an article), seen (already published), skipped "
            "(too old or unusable), deferred (to a later poll: the articles stream refused it, or another "
            "replica is publishing it).",
            ["source", "outcome"],
            registry=reg,
        ),
        source_malformed_feeds=Counter(
            "strikewatch_source_malformed_feeds",
            "Feeds fetched that did not parse cleanly (feedparser's bozo flag); their good items are kept.",
            ["source"],
            registry=reg,
        ),
        source_extractions=Counter(
            "strikewatch_source_extractions",
            "Article texts of full-text sources by origin: page (main text extracted from the item's page) "
            "or summary (the page could not be fetched or yielded no text).",
            ["source", "outcome"],
            registry=reg,
        ),
        source_freshness=SourceFreshness(reg),
        source_stale_after=Gauge(
            "strikewatch_source_stale_after_seconds",
            "Freshness above which a live source counts as stale (its `stale_after_s`), for the alert rule.",
            ["source"],
            registry=reg,
        ),
        claimed_deleted=Counter(
            "strikewatch_claimed_deleted",
            "Pending entries found deleted (trimmed or XDEL'd) when a reclaimer came to claim them: "
            "input lost before it was processed.",
            ["stream"],
            registry=reg,
        ),
        articles_refused=Counter(
            "strikewatch_articles_refused",
            "Articles refused because the articles stream was at its cap with entries not yet "
            "processed (HTTP 503, or counted as rejected by replay).",
            registry=reg,
        ),
        trimmed_unread=Counter(
            "strikewatch_trimmed_unread",
            "Entries trimmed from a stream before any consumer group read them.",
            ["stream"],
            registry=reg,
        ),
        unsupported_language=Counter(
            "strikewatch_unsupported_language",
            "Articles not read because their language has no rule pack (or could not be told: und).",
            ["language"],
            registry=reg,
        ),
        articles_truncated=Counter(
            "strikewatch_articles_truncated",
            "Articles classified from the start of their text only: longer than the classifier reads "
            "(Classification.truncated); an attack told past that point is not seen.",
            registry=reg,
        ),
        duplicates=Counter(
            "strikewatch_duplicates",
            "Records whose output was already written for the same id and the same input (a "
            "redelivery, or the same article sent again): nothing written again.",
            ["stage"],
            registry=reg,
        ),
    )
    for is_attack in ("true", "false"):
        metrics.classifications.labels(is_attack)
    for severity in SEVERITY_LABELS:
        for msg_type in MSG_TYPES:
            metrics.alerts_published.labels(severity, msg_type)
    for outcome in DELIVERY_OUTCOMES:
        metrics.webhook_deliveries.labels(outcome)
    for stage in STAGES:
        metrics.deadletter.labels(stage)
        metrics.duplicates.labels(stage)
    for status in SUBSCRIPTION_STATUSES:
        metrics.webhook_subscriptions.labels(status)
    return metrics
