"""What every outbound HTTP client of ours shares (webhook deliveries, feed fetches): resolving a
host name (which of its addresses may be used is the pure policy of services/common/netpolicy.py)
and reading a `Retry-After` answer."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from services.common.netpolicy import IPAddress

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order, without duplicates (zone ids
    dropped). OSError (socket.gaierror) when it does not resolve. An address written as one (the
    canonical form `ipaddress` reads) is its own answer, without the resolver thread's round trip."""
    try:
        return [ipaddress.ip_address(host.split("%", 1)[0])]
    except ValueError:
        pass  # a name, or a legacy form such as 127.1 that only getaddrinfo reads
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date, RFC 9110 10.2.3);
    None when absent or unreadable. Never negative."""
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
