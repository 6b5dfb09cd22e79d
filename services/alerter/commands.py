"""What the `strikewatch` CLI does with alerts: tail the alert log, export one alert, and send
dead-lettered webhook deliveries again. Each takes the settings and a Redis client."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import Alert, DeadLetter
from services.alerter.cap import cap_options, to_cap_xml
from services.alerter.clustering import IncidentState
from services.alerter.render import alert_from_state
from services.alerter.routing import severity_from_level, wants
from services.alerter.webhooks.jobs import DeliveryJob, enqueue
from services.common.names import DATA_FIELD
from services.common.retry import REDIS_DOWN
from services.common.settings import Settings

log = logging.getLogger("strikewatch.alerter")

_READ_COUNT = 500
# The longest pause between two attempts of `tail` to reach an unreachable Redis.
_OUTAGE_MAX_DELAY_S = 2.0


def _alert_of(fields: dict[bytes, bytes]) -> Alert | None:
    data = fields.get(DATA_FIELD.encode())
    if data is None:
        return None
    try:
        return Alert.model_validate_json(data)
    except ValidationError:
        return None


async def tail(
    redis: Redis,
    settings: Settings,
    *,
    since: str | None = None,
    severity: str | None = None,
    region: str | None = None,
    attack_type: str | None = None,
    on_alert: Callable[[Alert], None],
    stop: asyncio.Event | None = None,
    block_ms: int = 1000,
) -> None:
    """Call `on_alert` for each alert in the alert log after `since` (an entry id, or "0" for the
    whole log; None for only new alerts), then for each new one until `stop` is set.

    Replay and live following are one XREAD loop over the log from the last id seen, so there is
    neither a gap nor a duplicate where one ends and the other starts. `severity` is a minimum
    (`severe` shows Severe and Extreme); `region` is a region slug (`kyiv-city`); `attack_type`
    one of the contract's attack types.
    """
    if severity is not None:
        severity_from_level(severity)  # a typo fails now, not silently filter everything out
    stream = settings.names.alert_log
    if since is None:
        newest: Any = await redis.xrevrange(stream, count=1)
        last = newest[0][0].decode() if newest else "0-0"
    else:
        last = "0-0" if since.strip() in ("", "0") else since.strip()
    outage: _Outage | None = None
    while stop is None or not stop.is_set():
        try:
            if outage is not None:
                last = await _after_outage(redis, stream, last)
            response: Any = await redis.xread({stream: last}, count=_READ_COUNT, block=block_ms)
        except REDIS_DOWN as exc:
            outage = outage or _Outage(stream)
            await outage.wait(exc, stop)
            continue
        if outage is not None:
            log.warning("%s: Redis answers again; following the alert log", stream)
            outage = None
        for _stream, entries in response or []:
            for entry_id, fields in entries:
                last = entry_id.decode()
                alert = _alert_of(fields)
                if alert is None:
                    log.warning("skipping unreadable alert-log entry %s", last)
                    continue
                if wants(
                    alert,
                    min_severity=severity,
                    regions=[region] if region else None,
                    attack_types=[attack_type] if attack_type else None,
                ):
                    on_alert(alert)


class _Outage:
    """`tail` while Redis is unreachable: says so once, then retries with backoff (0.1 s doubling
    up to `_OUTAGE_MAX_DELAY_S`). (It used to raise out of the loop: `demo --follow` stopped
    printing, with nothing logged, after a Redis restart.)"""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self.delay = 0.1
        self.said = False

    async def wait(self, exc: Exception, stop: asyncio.Event | None) -> None:
        if not self.said:
            log.warning(
                "%s: Redis unreachable (%s); retrying until it answers", self.stream, type(exc).__name__
            )
            self.said = True
        if stop is None:
            await asyncio.sleep(self.delay)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.delay)
        self.delay = min(self.delay * 2, _OUTAGE_MAX_DELAY_S)


async def _after_outage(redis: Redis, stream: str, last: str) -> str:
    """Where to read from once Redis answers again: `last`, unless the log was lost with the
    server (a restart without its data): then its entries are all new, even those whose ids are
    below `last`, and reading starts over from the beginning."""
    newest: Any = await redis.xrevrange(stream, count=1)
    if not newest or _id_key(newest[0][0].decode()) < _id_key(last):
        return "0-0"
    return last


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


async def current_alert(redis: Redis, settings: Settings, alert_id: str) -> Alert | None:
    """The incident as it stands (latest version, current source count); after its state has
    expired, the last version in the alert log."""
    raw: Any = await redis.get(settings.names.incident(alert_id))
    if raw is not None:
        return alert_from_state(IncidentState.model_validate_json(raw))
    stream, end = settings.names.alert_log, "+"
    while True:
        entries: Any = await redis.xrevrange(stream, max=end, count=_READ_COUNT)
        for _entry_id, fields in entries:
            alert = _alert_of(fields)
            if alert is not None and alert.alert_id == alert_id:
                return alert
        if len(entries) < _READ_COUNT:
            return None
        end = "(" + entries[-1][0].decode()


async def export_cap(redis: Redis, settings: Settings, alert_id: str) -> str:
    """CAP 1.2 XML of the alert's latest version; KeyError when no such alert is known. Without
    STRIKEWATCH_PUBLIC_URL it has no `<web>` (red team 7 #18): this command runs apart from any
    alerter, so the alerter's default address (http://127.0.0.1:9103) may serve nothing."""
    alert = await current_alert(redis, settings, alert_id)
    if alert is None:
        raise KeyError(f"no alert {alert_id!r} in incident state or the alert log")
    options = cap_options(settings)
    if not settings.public_url:
        options = replace(options, base_url=None)
    return to_cap_xml(alert, options)


async def export_json(redis: Redis, settings: Settings, alert_id: str) -> str:
    alert = await current_alert(redis, settings, alert_id)
    if alert is None:
        raise KeyError(f"no alert {alert_id!r} in incident state or the alert log")
    return alert.model_dump_json()


async def redeliver(redis: Redis, settings: Settings, *, subscription_id: str | None = None) -> int:
    """Move webhook deliveries from the dead-letter stream back into the retry queue (due now,
    attempts reset). Returns how many were moved. Running alerters pick them up within
    `webhook_poll_max_s`."""
    names = settings.names
    moved, start = 0, "-"
    now = datetime.now(UTC)
    while True:
        entries: Any = await redis.xrange(names.deadletter, min=start, count=_READ_COUNT)
        for entry_id, fields in entries:
            data = fields.get(DATA_FIELD.encode())
            if data is None:
                continue
            try:
                letter = DeadLetter.model_validate_json(data)
                if letter.stage != "webhook" or letter.payload_encoding != "utf-8":
                    continue
                if subscription_id is not None and letter.subscription_id != subscription_id:
                    continue
                job = DeliveryJob.model_validate_json(letter.payload)
            except ValidationError:
                continue
            fresh = job.model_copy(update={"attempts": 0, "last_error": None})
            async with redis.pipeline(transaction=True) as pipe:
                enqueue(pipe, names, fresh, due_ms=int(now.timestamp() * 1000))
                pipe.xdel(names.deadletter, entry_id)
                await pipe.execute()
            moved += 1
        if len(entries) < _READ_COUNT:
            return moved
        start = "(" + entries[-1][0].decode()
