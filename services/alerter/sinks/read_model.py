"""The read-model sink: what the read APIs (GET /alerts, the GeoJSON and Atom feeds) look up, kept
from the alert log rather than by the clustering transaction.

Per incident a hash of its versions (version -> the Alert JSON of the log), and one sorted set of
incidents by the time their latest version was sent. Every write is idempotent and independent of
order (HSET of a version; ZADD GT of the sent time), so two replicas applying versions out of
order still agree. Bounded like the incident state: an incident leaves the model
`STRIKEWATCH_INCIDENT_TTL_S` after its last version, and at most `STRIKEWATCH_ALERT_LOG_MAXLEN`
incidents are listed (the oldest go first); the log keeps every version either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from redis.asyncio.client import Pipeline

from services.alerter.sinks.base import LogEntry, SinkDeps, Writes
from services.common.names import READ_MODEL_SINK, Names


def sent_ms(moment: datetime) -> int:
    """The index score of a version: its `sent` time in ms since the epoch (naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


class ReadModelSink:
    name = READ_MODEL_SINK

    def __init__(self, deps: SinkDeps) -> None:
        self._names: Names = deps.settings.names
        self._retention_s = deps.settings.incident_ttl_s
        self._max_incidents = deps.settings.alert_log_maxlen

    async def prepare(self) -> Writes:
        oldest_kept_ms = sent_ms(datetime.now(UTC)) - self._retention_s * 1000
        names = self._names

        def apply(pipe: Pipeline, entry: LogEntry) -> None:
            alert = entry.alert
            versions = names.alert_versions(alert.alert_id)
            pipe.hset(versions, str(alert.version), entry.payload)
            pipe.expire(versions, self._retention_s)
            # GT: a version applied after a later one (another replica) does not move it back.
            pipe.zadd(names.alerts_by_sent, {alert.alert_id: sent_ms(alert.sent)}, gt=True)
            pipe.zremrangebyscore(names.alerts_by_sent, "-inf", f"({oldest_kept_ms}")
            pipe.zremrangebyrank(names.alerts_by_sent, 0, -(self._max_incidents + 1))

        return apply

    def delivered(self, entries: Sequence[LogEntry]) -> None:
        pass
