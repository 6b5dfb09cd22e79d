"""Delivery policy as pure functions: when to retry, how long to wait, which addresses to refuse."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AllowItem = ipaddress.IPv4Network | ipaddress.IPv6Network | str

RETRY_JITTER = 0.1
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Not globally reachable, yet `is_global` on some supported Python says otherwise: carrier-grade
# NAT (neither private nor global anywhere), and IANA special-purpose entries Python before
# 3.12.4 misses (gh-113171, gh-65056) or never lists (the deprecated 6to4 relay anycast).
_NOT_GLOBAL: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.IPv4Network("100.64.0.0/10"), "shared (carrier-grade NAT)"),
    (ipaddress.IPv4Network("192.0.0.0/24"), "IETF protocol assignment"),
    (ipaddress.IPv4Network("192.88.99.0/24"), "6to4 relay"),
    (ipaddress.IPv6Network("2002::/16"), "6to4"),
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "local-use NAT64"),
)


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


def retry_delay(
    schedule: Sequence[float], failed_attempts: int, *, retry_after_s: float | None, rand: float
) -> float | None:
    """Seconds before the next attempt after `failed_attempts` (>= 1) failures, or None when the
    schedule is spent and the delivery goes to the dead-letter stream.

    `schedule[n]` is the wait before attempt n + 1 (`schedule[0]`, the first attempt, is 0), with
    +-10 % jitter so receivers coming back up are not hit by every sender at once. A Retry-After asks
    for at least that long, up to the schedule's longest step (a receiver cannot park a delivery for
    longer than the schedule would). `rand` is uniform in [0, 1), passed in to keep this pure.
    """
    if failed_attempts >= len(schedule):
        return None
    step = schedule[failed_attempts]
    delay = step * (1 - RETRY_JITTER + 2 * RETRY_JITTER * rand)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, max(schedule)))
    return delay


def _kind(ip: IPAddress) -> str | None:
    """What makes `ip` unfit for webhooks (a word for the error), or None for a global address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _kind(ip.ipv4_mapped)
        if ip in _NAT64:
            # A NAT64 gateway forwards to the embedded IPv4 address: judge that one.
            inner = _kind(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
            return None if inner is None else f"NAT64 {inner}"
    for test, kind in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
    ):
        if test:
            return kind
    for network, kind in _NOT_GLOBAL:
        if ip.version == network.version and ip in network:
            return kind
    return None if ip.is_global else "non-global"


def address_kind(ip: IPAddress) -> str | None:
    """Why webhooks may not go to `ip` ("loopback", "private", "6to4" ...), or None when it is a
    globally reachable unicast address.

    The rule is the standard library's `is_global` (the IANA special-purpose address registries,
    RFC 6890), refusing multicast too, judging IPv4-mapped and NAT64 addresses by the IPv4
    address inside, and adding the registry entries Python before 3.12.4 misses (192.0.0.0/24,
    2002::/16, 64:ff9b:1::/48 ...), so the answer is the same on every supported Python."""
    return _kind(ip)


def refusal(host: str, ip: IPAddress, allowlist: Sequence[AllowItem]) -> str | None:
    """Why a delivery to `ip` (resolved from `host`) is refused, or None when it may go."""
    kind = address_kind(ip)
    if kind is None or allowed(host, ip, allowlist):
        return None
    what = (
        f"{ip} is a {kind} address"
        if host.strip("[]") == str(ip)
        else f"{host} resolves to {ip}, a {kind} address"
    )
    return f"{what}; add it to STRIKEWATCH_WEBHOOK_ALLOWLIST to allow it"


def allowed(host: str, ip: IPAddress, allowlist: Sequence[AllowItem]) -> bool:
    """`host` is listed by name, or `ip` lies in a listed network."""
    name = host.lower().rstrip(".")
    for item in allowlist:
        if isinstance(item, str):
            if item == name:
                return True
        elif ip.version == item.version and ip in item:
            return True
    return False


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host spells out (`10.1.2.3`, `[::1]`), or None for a host name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


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
