"""Every Redis key, stream, group and channel name: the only place they are spelled out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from schemas import AttackType, Severity
from schemas.regions import slug

__all__ = [
    "ALERTER_GROUP",
    "CLASSIFIER_GROUP",
    "DATA_FIELD",
    "PUBSUB_SINK",
    "READ_MODEL_SINK",
    "SINK_GROUPS",
    "WEBHOOKS_SINK",
    "ConsumerGroup",
    "ConsumerGroups",
    "Names",
    "slug",
]

# The body field FastStream reads plain JSON from; writing it ourselves keeps the payload
# readable for non-FastStream clients (FastStream's own publish wraps it in a binary envelope).
DATA_FIELD = "__data__"

CLASSIFIER_GROUP = "classifier"
ALERTER_GROUP = "alerter"

# The alerter's outputs ("sinks"), each a consumer group on the alert log with its own position
# (services/alerter/sinks/ registers one module per name). A sink whose output users see (a pub/sub
# message, a webhook) starts at the end of an alert log that already has entries when its group is
# first created: those versions were delivered by an earlier release that published inline, and an
# upgrade must not send them twice. The read model is only state, so it backfills from the start.
PUBSUB_SINK = "pubsub"
WEBHOOKS_SINK = "webhooks"
READ_MODEL_SINK = "read-model"
SINK_GROUPS: dict[str, Literal["0", "$"]] = {PUBSUB_SINK: "$", WEBHOOKS_SINK: "$", READ_MODEL_SINK: "0"}


@dataclass(frozen=True, slots=True)
class ConsumerGroup:
    stream: str
    group: str
    # Where the group starts when it is created on a stream that already holds entries: "0" (read
    # the backlog: articles published before the first classifier ran) or "$" (only what comes).
    # On an empty or missing stream every group starts at 0.
    start_on_existing: Literal["0", "$"] = "0"


@dataclass(frozen=True, slots=True)
class ConsumerGroups:
    """Every consumer group, pipeline stages and sinks. `.items()` gives each (stream, group) pair (a
    stream may appear more than once: the alert log has one group per sink); `[stream]` the group of
    a stream that exactly one group reads (the pipeline stages)."""

    all: tuple[ConsumerGroup, ...]

    def __iter__(self) -> Iterator[ConsumerGroup]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def items(self) -> list[tuple[str, str]]:
        return [(g.stream, g.group) for g in self.all]

    def __getitem__(self, stream: str) -> str:
        found = [g.group for g in self.all if g.stream == stream]
        if len(found) != 1:
            raise KeyError(f"{stream!r} is read by {len(found)} consumer groups ({found}), not exactly one")
        return found[0]


@dataclass(frozen=True, slots=True)
class Names:
    prefix: str = "strikewatch"

    # streams
    @property
    def articles(self) -> str:
        return f"{self.prefix}:articles"

    @property
    def classified(self) -> str:
        return f"{self.prefix}:classified"

    @property
    def alert_log(self) -> str:
        return f"{self.prefix}:alert-log"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}:deadletter"

    # pub/sub channels
    @property
    def alerts(self) -> str:
        return f"{self.prefix}:alerts"

    def severity_channel(self, severity: Severity) -> str:
        return f"{self.prefix}:alerts:severity:{severity.lower()}"

    def region_channel(self, region: str) -> str:
        return f"{self.prefix}:alerts:region:{slug(region)}"

    def type_channel(self, attack_type: AttackType) -> str:
        return f"{self.prefix}:alerts:type:{attack_type}"

    # idempotence markers: an output written once per input id
    def classified_marker(self, article_id: str) -> str:
        return f"{self.prefix}:done:classified:{article_id}"

    # alerter: incident state, its lookup index and the once-per-article marker
    def incident(self, alert_id: str) -> str:
        return f"{self.prefix}:incident:{alert_id}"

    def incident_index(self, place_key: str, day: str) -> str:
        """Set of incident ids seen at one place (`s:<settlement>` / `r:<region>`) on one day."""
        return f"{self.prefix}:incident-idx:{place_key}:{day}"

    def alerted_marker(self, article_id: str) -> str:
        return f"{self.prefix}:done:alerted:{article_id}"

    # alerter: webhook subscriptions made through the API, and the delivery queue
    @property
    def webhook_subscriptions(self) -> str:
        return f"{self.prefix}:webhooks:subscriptions"

    @property
    def webhook_states(self) -> str:
        """Hash: subscription id -> its state (status, secrets being rotated out), for API- and
        file-defined subscriptions alike."""
        return f"{self.prefix}:webhooks:state"

    @property
    def webhook_jobs(self) -> str:
        return f"{self.prefix}:webhooks:jobs"

    @property
    def webhook_queues(self) -> str:
        """Sorted set: subscription id -> when its oldest delivery is due (ms), one member per
        subscription with deliveries waiting; the index the delivery worker claims from."""
        return f"{self.prefix}:webhooks:queues"

    def webhook_due(self, subscription_id: str) -> str:
        """Sorted set: one subscription's waiting delivery ids -> when each is due (ms). One queue
        per subscription, so a receiver that hangs holds back only its own deliveries."""
        return f"{self.prefix}:webhooks:due:{subscription_id}"

    @property
    def webhook_due_legacy(self) -> str:
        """The one shared due set of 0.1; the claim script moves what it finds there into the
        per-subscription queues, so an upgrade loses no pending retry."""
        return f"{self.prefix}:webhooks:due"

    @property
    def webhook_inflight(self) -> str:
        return f"{self.prefix}:webhooks:inflight"

    # alerter read model (the read-model sink): each incident's versions, and incidents by sent time
    def alert_versions(self, alert_id: str) -> str:
        """Hash: version number -> that version's Alert JSON, exactly as in the alert log."""
        return f"{self.prefix}:read:versions:{alert_id}"

    @property
    def alerts_by_sent(self) -> str:
        """Sorted set: alert id -> when its latest version was sent (ms since the epoch)."""
        return f"{self.prefix}:read:by-sent"

    # producer: live sources (services/producer/sources)
    def source_state(self, source_id: str) -> str:
        """Hash: what every replica shares about one source: the HTTP validators (`etag`,
        `last_modified`, for the `url` they belong to), consecutive `failures`, and `newest` (Unix
        time of the newest item published)."""
        return f"{self.prefix}:sources:state:{source_id}"

    def source_lease(self, source_id: str) -> str:
        """String with a PX expiry: the replica that holds it polls the source; it lasts until the
        next poll is due, so the replicas share one schedule."""
        return f"{self.prefix}:sources:lease:{source_id}"

    def source_seen(self, item_key: str) -> str:
        """String with a PX expiry: an item (`u:<hash of its canonical URL>`) or an article text
        (`a:<article id>`) already published ("done") or being published ("pending:<owner>")."""
        return f"{self.prefix}:sources:seen:{item_key}"

    # consumer groups, by the stream they read
    @property
    def groups(self) -> ConsumerGroups:
        return ConsumerGroups(
            (
                ConsumerGroup(self.articles, CLASSIFIER_GROUP),
                ConsumerGroup(self.classified, ALERTER_GROUP),
                *(ConsumerGroup(self.alert_log, sink, start) for sink, start in SINK_GROUPS.items()),
            )
        )
