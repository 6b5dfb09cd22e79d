"""Which addresses webhooks may reach: the standard library's `is_global`, with the gaps of older
Pythons closed. Pure."""

from __future__ import annotations

import ipaddress

import pytest

from services.common.netpolicy import address_kind, choose_address, literal_address, refusal
from services.common.outbound import resolve
from services.common.settings import load_settings

# One address of each class that must never receive a webhook unless allow-listed.
NON_GLOBAL = {
    "loopback": "127.0.0.1",
    "loopback IPv6": "::1",
    "private 10/8": "10.1.2.3",
    "private 172.16/12": "172.16.5.4",
    "private 192.168/16": "192.168.0.10",
    "link-local (cloud metadata)": "169.254.169.254",
    "link-local IPv6": "fe80::1",
    "unique-local IPv6": "fd00::5",
    "carrier-grade NAT": "100.64.0.1",
    "unspecified": "0.0.0.0",
    "unspecified IPv6": "::",
    "multicast": "224.0.0.1",
    "multicast IPv6": "ff02::1",
    "reserved 240/4": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "IETF protocol assignments 192.0.0.0/24": "192.0.0.8",
    "PCP anycast in 192.0.0.0/24": "192.0.0.9",
    "6to4 2002::/16": "2002::1",
    "6to4 of a private address": "2002:a00:1::1",
    "6to4 relay anycast": "192.88.99.1",
    "documentation 192.0.2.0/24": "192.0.2.1",
    "documentation IPv6": "2001:db8::1",
    "benchmarking 198.18/15": "198.18.0.1",
    "Teredo 2001::/32": "2001::1",
    "IPv4-mapped loopback": "::ffff:127.0.0.1",
    "IPv4-mapped private": "::ffff:10.0.0.1",
    "NAT64 of a private address": "64:ff9b::a00:1",
    "local-use NAT64": "64:ff9b:1::1",
    "IPv4-compatible (deprecated)": "::127.0.0.1",
    "discard-only IPv6": "100::1",
}
GLOBAL = [
    "93.184.215.14",
    "8.8.8.8",
    "2606:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("address", NON_GLOBAL.values(), ids=NON_GLOBAL.keys())
def test_non_global_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_kind(ip) is not None
    reason = refusal(address, ip, load_settings().allowlist())
    assert reason is not None and "STRIKEWATCH_WEBHOOK_ALLOWLIST" in reason and address in reason


@pytest.mark.parametrize("address", GLOBAL)
def test_global_unicast_addresses_are_allowed(address: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) is None


def test_the_reason_names_the_host_the_address_and_its_class() -> None:
    ip = ipaddress.ip_address("10.0.0.7")
    none_allowed = load_settings().allowlist()
    assert refusal("hooks.example.org", ip, none_allowed) == (
        "hooks.example.org resolves to 10.0.0.7, a private address; "
        "add it to STRIKEWATCH_WEBHOOK_ALLOWLIST to allow it"
    )
    assert refusal("2002::1", ipaddress.ip_address("2002::1"), none_allowed) == (
        "2002::1 is a 6to4 address; add it to STRIKEWATCH_WEBHOOK_ALLOWLIST to allow it"
    )


def test_allowlist_admits_listed_networks_and_host_names_only() -> None:
    allow = load_settings(webhook_allowlist="127.0.0.1/32, fd00::/8, Internal.Example").allowlist()
    assert refusal("127.0.0.1", ipaddress.ip_address("127.0.0.1"), allow) is None
    assert refusal("127.0.0.2", ipaddress.ip_address("127.0.0.2"), allow) is not None
    assert refusal("fd00::5", ipaddress.ip_address("fd00::5"), allow) is None
    assert refusal("internal.example.", ipaddress.ip_address("10.0.0.1"), allow) is None


def test_literal_addresses_are_recognised_in_url_hosts() -> None:
    assert literal_address("10.1.2.3") == ipaddress.ip_address("10.1.2.3")
    assert literal_address("[2002::1]") == ipaddress.ip_address("2002::1")
    assert literal_address("hooks.example.org") is None


def test_a_name_is_usable_when_any_of_its_addresses_is() -> None:
    public = ipaddress.ip_address("93.184.215.14")
    private = ipaddress.ip_address("10.0.0.1")
    assert choose_address("h.example", [private, public], []) == (public, None)
    chosen, reason = choose_address("h.example", [private], [])
    assert chosen is None and reason is not None and "private" in reason
    assert choose_address("h.example", [], [])[1] == "h.example did not resolve to any address"


@pytest.mark.parametrize(
    ("host", "address"),
    [("127.0.0.1", "127.0.0.1"), ("::1", "::1"), ("fe80::1%eth0", "fe80::1"), ("8.8.8.8", "8.8.8.8")],
)
async def test_an_address_literal_is_its_own_answer(host: str, address: str) -> None:
    assert await resolve(host, 443) == [ipaddress.ip_address(address)]


async def test_legacy_address_forms_and_names_still_go_to_the_resolver() -> None:
    # 127.1 is not a form `ipaddress` reads; getaddrinfo does, and the policy then sees 127.0.0.1.
    assert await resolve("127.1", 80) == [ipaddress.ip_address("127.0.0.1")]
    assert ipaddress.ip_address("127.0.0.1") in await resolve("localhost", 80)
    with pytest.raises(OSError):
        await resolve("no-such-host.invalid", 80)
