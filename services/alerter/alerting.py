"""From classified entries to the alert log: decode (or dead-letter), cluster into incidents under
WATCH/MULTI, and in the same transaction store the incidents, their markers and each new alert
version in `{p}:alert-log`, and nothing else. The log is the outbox: every output (pub/sub, webhooks,
the read model) is a sink, a consumer group on it (services/alerter/sinks/). Either the whole batch
happens once or none of it does, so two replicas, or a redelivered entry, never log a version twice.

A whole batch of reports shares one transaction: WATCH, one scripted read, MULTI/EXEC. Round trips,
not Redis, are what an alert costs here (~200 µs of client CPU each), so three per batch instead of
six per report is what lets the alerter keep up with several classifiers on a small machine."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from schemas import Alert, Classification
from services.alerter.clustering import (
    Decision,
    IncidentState,
    alertable,
    assign,
    lookup_keys,
)
from services.alerter.links import cap_sender
from services.alerter.render import alert_from_state
from services.common.logs import log_event, milliseconds
from services.common.metrics import Metrics
from services.common.names import DATA_FIELD
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter")

# Optimistic transactions retry when another replica touched the same incident meanwhile; a
# handful of rounds is plenty, and failing loudly beats spinning.
MAX_TRANSACTION_ROUNDS = 50

# Everything a batch needs, read after WATCH in one round trip: which reports were alerted before
# (their markers), the incident ids under each index key, and those incidents' states.
# KEYS: markers..., index keys...  ARGV: number of markers, the incident key prefix.
# Incident keys are derived inside the script (no Redis Cluster: see RELIABILITY.md). A write to an
# incident always touches its index keys (SADD/EXPIRE/SREM), so watching the index keys is enough.
READ_BATCH_LUA = """
local n = tonumber(ARGV[1])
local done, members, ids, seen = {}, {}, {}, {}
for i = 1, n do done[i] = redis.call('EXISTS', KEYS[i]) end
for i = n + 1, #KEYS do
  local m = redis.call('SMEMBERS', KEYS[i])
  members[#members + 1] = m
  for _, id in ipairs(m) do
    if not seen[id] then seen[id] = true; ids[#ids + 1] = id end
  end
end
local states = {}
for i, id in ipairs(ids) do states[i] = redis.call('GET', ARGV[2] .. id) end
return {done, members, ids, states}
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Alerter:
    def __init__(self, redis: Redis, settings: Settings, metrics: Metrics) -> None:
        self._redis = redis
        self._settings = settings
        self._names = settings.names
        self._metrics = metrics
        self._read_batch = redis.register_script(READ_BATCH_LUA)
        # CAP references to earlier versions name the sender.
        self._sender = cap_sender(settings)

    async def handle(self, reports: Sequence[Classification]) -> list[None]:
        """The stage handler (services/common/stage.py): cluster the batch's alertable reports
        and log the alert versions they make, in one transaction. Returns one `None` per report (all
        handled) or raises; a Redis failure leaves the batch pending (every step is idempotent)."""
        alertable_reports = [report for report in reports if alertable(report)]
        if alertable_reports:
            await self.process(alertable_reports)
        return [None] * len(reports)

    async def process(self, reports: Sequence[Classification]) -> list[Decision]:
        """Cluster reports, in order, and log the alert versions they make, in one transaction.
        Reports whose article was done before yield no decision."""
        names = self._names
        # A redelivered entry can repeat an article within a batch; it counts once.
        unique = list({report.id: report for report in reports}.values())
        markers = [names.alerted_marker(report.id) for report in unique]
        lookups = [[names.incident_index(key, day) for key, day in lookup_keys(r)] for r in unique]
        index_keys = sorted({key for keys in lookups for key in keys})
        for _ in range(MAX_TRANSACTION_ROUNDS):
            now = datetime.now(UTC)
            async with self._redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(*markers, *index_keys)
                    done, members, ids, raws = await self._read_batch(
                        keys=[*markers, *index_keys], args=[len(markers), names.incident("")], client=pipe
                    )
                    states = {
                        _text(i): IncidentState.model_validate_json(raw)
                        for i, raw in zip(ids, raws, strict=True)
                        if raw
                    }
                    index = {key: {_text(m) for m in ms} for key, ms in zip(index_keys, members, strict=True)}
                    decisions = self._decide(unique, lookups, done, states, index, now=now)
                    pipe.multi()  # type: ignore[no-untyped-call]
                    alerts = [self._write(pipe, decision, report) for report, decision in decisions]
                    await pipe.execute()
                except WatchError:
                    continue
            for (report, _), alert in zip(decisions, alerts, strict=True):
                if alert is not None:
                    self._published(alert, report)
            return [decision for _, decision in decisions]
        # Contention, not a bad record: a WatchError (a Redis error) leaves the batch pending, and
        # a later delivery retries it.
        raise WatchError(
            f"{len(unique)} report(s): incident state kept changing under {MAX_TRANSACTION_ROUNDS} attempts"
        )

    def _decide(
        self,
        reports: Sequence[Classification],
        lookups: Sequence[Sequence[str]],
        done: Sequence[int],
        states: dict[str, IncidentState],
        index: dict[str, set[str]],
        *,
        now: datetime,
    ) -> list[tuple[Classification, Decision]]:
        """The clustering decisions for a batch, each seeing the incidents the earlier ones made."""
        names = self._names
        decisions: list[tuple[Classification, Decision]] = []
        for report, keys, was_done in zip(reports, lookups, done, strict=True):
            if was_done:
                continue
            ids = sorted(set().union(*(index.get(key, set()) for key in keys)))
            decision = assign([states[i] for i in ids if i in states], report, now=now, sender=self._sender)
            state = decision.state
            states[state.alert_id] = state
            if decision.previous is not None:
                for key, day in decision.previous.index_keys():
                    index.get(names.incident_index(key, day), set()).discard(state.alert_id)
            for key, day in state.index_keys():
                index.setdefault(names.incident_index(key, day), set()).add(state.alert_id)
            decisions.append((report, decision))
        return decisions

    def _write(self, pipe: Pipeline, decision: Decision, report: Classification) -> Alert | None:
        """Queue one decision's writes in the transaction; the alert version it logs, if any."""
        names, ttl = self._names, self._settings.incident_ttl_s
        state = decision.state
        pipe.set(names.incident(state.alert_id), state.model_dump_json(), ex=ttl)
        for key, day in state.index_keys():
            index = names.incident_index(key, day)
            pipe.sadd(index, state.alert_id)
            pipe.expire(index, ttl)
        if decision.previous is not None:
            # e.g. an incident that now has a date is no longer "undated"
            for key, day in set(decision.previous.index_keys()) - set(state.index_keys()):
                pipe.srem(names.incident_index(key, day), state.alert_id)
        pipe.set(names.alerted_marker(report.id), state.alert_id, ex=ttl)
        if not decision.publishes:
            return None
        alert = alert_from_state(state)
        # The outbox: the sinks deliver this entry to pub/sub, webhooks and the read model.
        pipe.xadd(
            names.alert_log,
            {DATA_FIELD: alert.model_dump_json()},
            maxlen=self._settings.alert_log_maxlen,
            approximate=True,
        )
        return alert

    def _published(self, alert: Alert, report: Classification) -> None:
        """Counted once the version is in the alert log: from there the sinks deliver it."""
        self._metrics.alerts_published.labels(alert.severity, alert.msg_type).inc()
        end_to_end: float | None = None
        if report.ingested_at is not None:
            ingested = report.ingested_at
            if ingested.tzinfo is None:
                ingested = ingested.replace(tzinfo=UTC)
            end_to_end = max(0.0, (datetime.now(UTC) - ingested).total_seconds())
            self._metrics.end_to_end_seconds.observe(end_to_end)
        log_event(
            log,
            "alert.published",
            alert_id=alert.alert_id,
            version=alert.version,
            article_id=report.id,
            outcome=alert.msg_type,
            severity=alert.severity,
            duration_ms=None if end_to_end is None else milliseconds(end_to_end),
            headline=alert.headline,
        )
