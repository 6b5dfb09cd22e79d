"""Which network addresses strikewatch may connect to on its own initiative (feed fetches, webhook
deliveries): pure functions over addresses, host names and an allow-list.

The rule: only globally reachable unicast addresses (the standard library's `ipaddress.is_global`,
i.e. the IANA special-purpose address registries of RFC 6890), unless the operator lists the host
name or a network containing the address in an allow-list (`STRIKEWATCH_FETCH_ALLOWLIST`,
`STRIKEWATCH_WEBHOOK_ALLOWLIST`: comma-separated host names and CIDRs). The check runs on the
addresses DNS returned, and the caller connects to exactly the address chosen here, so a second
DNS answer cannot swap in a forbidden one (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

__all__ = [
    "AllowItem",
    "Allowlist",
    "IPAddress",
    "address_kind",
    "allowed",
    "check_literal",
    "choose_address",
    "literal_address",
    "parse_allowlist",
    "refusal",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AllowItem = ipaddress.IPv4Network | ipaddress.IPv6Network | str

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


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Parsed allow-list entries and the setting they came from (named in refusals, so the
    operator knows which variable to change)."""

    items: tuple[AllowItem, ...] = ()
    setting: str = "the allow-list"

    def __iter__(self) -> Iterator[AllowItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def parse_allowlist(text: str, *, setting: str) -> Allowlist:
    """`"127.0.0.1/32, feeds.internal, fd00::/8"` -> networks and lower-cased host names.

    An entry that parses as an address or CIDR is a network (host bits allowed: `10.1.2.3/8` means
    `10.0.0.0/8`); anything else is a host name, matched exactly (no wildcards)."""
    items: list[AllowItem] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            items.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            items.append(entry.lower().rstrip("."))
    return Allowlist(tuple(items), setting)


def address_kind(ip: IPAddress) -> str | None:
    """Why `ip` may not be used ("loopback", "private", "multicast", "6to4" ...), or None when it is a
    globally reachable unicast address.

    `is_global`, refusing multicast too, judging IPv4-mapped and NAT64 addresses by the IPv4
    address inside, and adding the registry entries older Pythons miss (`_NOT_GLOBAL`), so the
    answer is the same on every supported Python."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_kind(ip.ipv4_mapped)
        if ip in _NAT64:
            # A NAT64 gateway forwards to the embedded IPv4 address: judge that one.
            inner = address_kind(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
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


def _name(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def allowed(host: str, ip: IPAddress, allowlist: Iterable[AllowItem]) -> bool:
    """`host` is listed by name, or `ip` lies in a listed network. An IPv4-mapped IPv6 address
    (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries, as `address_kind` does."""
    name = _name(host)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for item in allowlist:
        if isinstance(item, str):
            if item == name:
                return True
        elif ip.version == item.version and ip in item:
            return True
    return False


def _setting(allowlist: Iterable[AllowItem]) -> str:
    return allowlist.setting if isinstance(allowlist, Allowlist) else "the allow-list"


def refusal(host: str, ip: IPAddress, allowlist: Iterable[AllowItem]) -> str | None:
    """Why connecting to `ip` (resolved from `host`) is refused, or None when it may be used."""
    kind = address_kind(ip)
    if kind is None or allowed(host, ip, allowlist):
        return None
    article = "an" if kind[0] in "aeiou" else "a"
    what = (
        f"{ip} is {article} {kind} address"
        if _name(host) == str(ip)
        else f"{host} resolves to {ip}, {article} {kind} address"
    )
    return f"{what}; add it to {_setting(allowlist)} to allow it"


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host spells out (`10.1.2.3`, `[::1]`), or None for a host name."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_literal(host: str, allowlist: Iterable[AllowItem]) -> str | None:
    """The refusal that needs no DNS, for a host that is an address literal (`10.1.2.3`, `[::1]`),
    e.g. when a URL is configured. None when the host passes or is a name: names are judged on
    the addresses DNS returns, by `choose_address`, before each connection."""
    ip = literal_address(host)
    return None if ip is None else refusal(str(ip), ip, allowlist)


def choose_address(
    host: str, addresses: Sequence[IPAddress], allowlist: Iterable[AllowItem]
) -> tuple[IPAddress | None, str | None]:
    """The first resolved address that may be used (connect to exactly that one), or None and the
    reason none may be: `(address, None)` or `(None, reason)`."""
    items = allowlist if isinstance(allowlist, Allowlist) else list(allowlist)
    reasons = []
    for ip in addresses:
        reason = refusal(host, ip, items)
        if reason is None:
            return ip, None
        reasons.append(reason)
    return None, reasons[0] if reasons else f"{host} did not resolve to any address"
