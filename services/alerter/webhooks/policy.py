"""Delivery policy as pure functions: when to retry, how long to wait, which addresses to refuse."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AllowItem = ipaddress.IPv4Network | ipaddress.IPv6Network | str

# Carrier-grade NAT space is not "private" to Python's ipaddress but is not the public internet.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")


def retryable_status(status: int) -> bool:
    """Timeouts (408), rate limits (429) and server errors may pass; other answers will not change."""
    return status in (408, 429) or 500 <= status <= 599


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    failed_attempts: int, *, base_s: float, max_s: float, retry_after_s: float | None, rand: float
) -> float:
    """Seconds before the next attempt after `failed_attempts` (>= 1) failures.

    Exponential with "equal jitter" (half fixed, half random) so receivers coming back up are not hit
    by every sender at once. A Retry-After asks for at least that long; both are capped at `max_s`.
    `rand` is a uniform number in [0, 1), passed in to keep this function pure.
    """
    step: float = min(max_s, base_s * 2.0 ** (failed_attempts - 1))
    delay = step / 2 + rand * step / 2
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return min(delay, max_s)


def _blocked(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _blocked(ip.ipv4_mapped)
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private or (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_ADDRESS_SPACE):
        return "private"
    if ip.is_reserved:
        return "reserved"
    return None


def refusal(host: str, ip: IPAddress, allowlist: Sequence[AllowItem]) -> str | None:
    """Why a delivery to `ip` (resolved from `host`) is refused, or None when it may go."""
    kind = _blocked(ip)
    if kind is None:
        return None
    for item in allowlist:
        if isinstance(item, str):
            if item == host.lower().rstrip("."):
                return None
        elif ip.version == item.version and ip in item:
            return None
    return f"{host} resolves to {ip}, a {kind} address; add it to STRIKEWATCH_WEBHOOK_ALLOWLIST to allow it"


def choose_address(
    host: str, addresses: Sequence[IPAddress], allowlist: Sequence[AllowItem]
) -> tuple[IPAddress | None, str | None]:
    """The first resolved address deliveries may use (we connect to exactly that address, so a
    second DNS answer cannot swap in a forbidden one), or the reason none may be used."""
    reasons = []
    for ip in addresses:
        reason = refusal(host, ip, allowlist)
        if reason is None:
            return ip, None
        reasons.append(reason)
    return None, reasons[0] if reasons else f"{host} did not resolve to any address"


def endpoint_caps(
    held: Iterable[str], endpoint_of: Mapping[str, str], *, concurrency: int
) -> list[tuple[int, list[str]]]:
    """How many more deliveries each endpoint may take now: `concurrency` minus the jobs held for
    it, shared by every subscription that points at it. `held` gives the subscription id of each
    job a worker holds; a subscription whose endpoint is not known yet counts as its own endpoint.
    Returns (free slots, subscription ids) per endpoint, for `DeliveryQueue.claim(caps=...)`."""
    members: dict[str, list[str]] = {}
    for sub_id, endpoint in endpoint_of.items():
        members.setdefault(endpoint, []).append(sub_id)
    load: dict[str, int] = {}
    for sub_id in held:
        key = endpoint_of.get(sub_id, f"subscription:{sub_id}")
        load[key] = load.get(key, 0) + 1
        if sub_id not in endpoint_of:
            subs = members.setdefault(key, [])
            if not subs:
                subs.append(sub_id)
    return [(max(0, concurrency - load.get(key, 0)), subs) for key, subs in members.items()]
