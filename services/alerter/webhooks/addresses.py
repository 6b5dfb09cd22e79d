"""Where a webhook may go, checked with DNS: when a subscription is created or its URL changed
(refused at once instead of failing at every delivery), and again before each delivery (a name
may later resolve elsewhere). The rules themselves are pure, in services/common/netpolicy.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from services.common.netpolicy import AllowItem, choose_address, literal_address, refusal
from services.common.outbound import Resolver, resolve

__all__ = ["Resolver", "destination_refusal", "resolve"]


async def destination_refusal(
    host: str,
    port: int,
    allowlist: Iterable[AllowItem],
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
