"""Every Redis key, stream, group and channel name: the only place they are spelled out."""

from __future__ import annotations

from dataclasses import dataclass

from schemas import AttackType, Severity
from schemas.regions import slug

__all__ = ["ALERTER_GROUP", "CLASSIFIER_GROUP", "DATA_FIELD", "Names", "slug"]

# The body field FastStream reads plain JSON from; writing it ourselves keeps the payload
# readable for non-FastStream clients (FastStream's own publish wraps it in a binary envelope).
DATA_FIELD = "__data__"

CLASSIFIER_GROUP = "classifier"
ALERTER_GROUP = "alerter"


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
    def groups(self) -> dict[str, str]:
        return {self.articles: CLASSIFIER_GROUP, self.classified: ALERTER_GROUP}
