"""The read APIs' query parameters, parsed and checked: pure functions from strings to typed
values, each refusal a `BadQuery` that says which parameter, which value and what is valid."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from schemas import ATTACK_TYPES, SEVERITIES, Alert, AttackType, Severity
from schemas.regions import region_by_slug, region_slugs, slug
from services.alerter.routing import wants

__all__ = [
    "AlertFilter",
    "BadQuery",
    "Cursor",
    "alert_filter",
    "check_known",
    "cursor_param",
    "limit_param",
    "log_id",
    "since_time",
    "stream_id_key",
]

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
_STREAM_ID = re.compile(r"^(\d{1,20})(?:-(\d{1,20}))?$")


class BadQuery(ValueError):
    """A query parameter the API cannot use; the message is the answer's `error`."""


def check_known(params: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse a parameter the endpoint does not know (a typo would otherwise filter nothing)."""
    known = set(allowed)
    unknown = sorted(set(params) - known)
    if unknown:
        takes = ", ".join(sorted(known))
        raise BadQuery(f"unknown query parameter {unknown[0]!r}; this endpoint takes {takes}")


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """`severity` is a minimum (`severe` keeps Severe and Extreme, as `strikewatch tail`); `region` a
    region slug; `attack_type` one of the contract's attack types. None keeps everything."""

    min_severity: Severity | None = None
    region: str | None = None
    attack_type: AttackType | None = None

    def matches(self, alert: Alert) -> bool:
        return wants(
            alert,
            min_severity=self.min_severity,
            regions=[self.region] if self.region else None,
            attack_types=[self.attack_type] if self.attack_type else None,
        )


def alert_filter(params: Mapping[str, str]) -> AlertFilter:
    """`severity`, `region` and `type` from a query string; empty values mean "any"."""
    severity = params.get("severity", "").strip()
    region = params.get("region", "").strip()
    attack_type = params.get("type", "").strip()
    return AlertFilter(
        _severity(severity) if severity else None,
        _region(region) if region else None,
        _attack_type(attack_type) if attack_type else None,
    )


def _severity(value: str) -> Severity:
    for severity in SEVERITIES:
        if severity.lower() == value.lower():
            return severity
    levels = ", ".join(s.lower() for s in reversed(SEVERITIES))
    raise BadQuery(f"unknown severity {value!r}; expected one of {levels} (a minimum)")


def _region(value: str) -> str:
    # A region's name ("Kharkiv Oblast") is taken too: its slug is what alerts are matched on.
    region = region_by_slug(slug(value))
    if region is None:
        known = ", ".join(region_slugs())
        raise BadQuery(f"unknown region {value!r}; expected a region slug, one of {known}")
    return region.slug


def _attack_type(value: str) -> AttackType:
    for attack_type in ATTACK_TYPES:
        if attack_type == value.lower():
            return attack_type
    raise BadQuery(f"unknown type {value!r}; expected one of {', '.join(ATTACK_TYPES)}")


def limit_param(value: str | None) -> int:
    if value is None or not value.strip():
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except ValueError:
        raise BadQuery(f"limit {value!r} is not a whole number; expected 1 to {MAX_LIMIT}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadQuery(f"limit {limit} is out of range; expected 1 to {MAX_LIMIT}")
    return limit


def since_time(value: str | None) -> datetime | None:
    """`since` of GET /alerts: an RFC 3339 date-time or a date (midnight UTC); naive means UTC."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise BadQuery(
            f"since {value!r} is not a date-time; expected RFC 3339 (2024-01-31T18:00:00Z) or a date"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def log_id(value: str, *, what: str) -> str:
    """An alert-log entry id (`1700000000000-0`, or milliseconds alone), or `0` for the start of the
    log. Returned in full `ms-seq` form."""
    text = value.strip()
    found = _STREAM_ID.match(text)
    if found is None:
        raise BadQuery(
            f"{what} {value!r} is not an alert-log id; expected an id such as 1700000000000-0, or 0"
        )
    return f"{int(found.group(1))}-{int(found.group(2) or 0)}"


def stream_id_key(entry_id: str) -> tuple[int, int]:
    """An entry id as a sortable pair: ids compare as (milliseconds, sequence)."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page of GET /alerts ended: the last incident's sent time (ms) and id. Opaque to users."""

    sent_ms: int
    alert_id: str

    def encode(self) -> str:
        raw = f"{self.sent_ms}:{self.alert_id}".encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def cursor_param(value: str | None) -> Cursor | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    refusal = f"cursor {value!r} is not one this API gave out; pass the `next` of a previous answer"
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        ms, alert_id = raw.split(":", 1)
        cursor = Cursor(int(ms), alert_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadQuery(refusal) from None
    if not alert_id:
        raise BadQuery(refusal)
    return cursor
