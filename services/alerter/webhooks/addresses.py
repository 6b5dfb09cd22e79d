"""Where a webhook may go, checked with DNS: when a subscription is created or its URL changed
(refused at once instead of failing at every delivery), and again before each delivery (a name
may later resolve elsewhere). The rules themselves are pure, in `policy`."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence

from services.alerter.webhooks.policy import AllowItem, IPAddress, choose_address, literal_address, refusal

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order, without duplicates. OSError
    (socket.gaierror) when it does not resolve."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


async def destination_refusal(
    host: str,
    port: int,
    allowlist: Sequence[AllowItem],
    *,
    resolver: Resolver = resolve,
    timeout_s: float,
) -> str | None:
    """Why a subscription may not point at `host`, or None. A literal address is judged as it is;
    a name must resolve (within `timeout_s`) to at least one address deliveries may use."""
    address = literal_address(host)
    if address is not None:
        return refusal(host, address, allowlist)
    try:
        async with asyncio.timeout(timeout_s):
            addresses = await resolver(host, port)
    except TimeoutError:
        return f"cannot resolve {host}: no answer within {timeout_s:g}s"
    except OSError as exc:
        return f"cannot resolve {host}: {exc.strerror or type(exc).__name__}"
    if not addresses:
        return f"{host} did not resolve to any address"
    _address, reason = choose_address(host, addresses, allowlist)
    return reason
