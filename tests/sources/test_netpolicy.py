"""The shared address policy (services/common/netpolicy.py): global unicast only, unless allow-listed,
judged on resolved addresses; pure, no network."""

from __future__ import annotations

import ipaddress

import pytest

from services.common.netpolicy import (
    address_kind,
    check_literal,
    choose_address,
    parse_allowlist,
    refusal,
)

ip = ipaddress.ip_address
FETCH = "STRIKEWATCH_FETCH_ALLOWLIST"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoints
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),  # is_global says True on Python 3.11
        ("ff02::1", "multicast"),
        ("100.64.0.1", "shared (carrier-grade NAT)"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped: judged by the IPv4 address inside
        ("64:ff9b::7f00:1", "NAT64 loopback"),
        ("2002:7f00:1::1", "6to4"),
        ("192.0.2.7", "private"),  # documentation range
    ],
)
def test_non_global_addresses_say_what_they_are(address: str, kind: str) -> None:
    """Every special-purpose range is refused with a word for what it is."""
    assert address_kind(ip(address)) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "8.8.8.8"])
def test_global_unicast_addresses_pass(address: str) -> None:
    """Public addresses need no allow-list."""
    assert address_kind(ip(address)) is None


def test_allowlist_parses_networks_and_host_names() -> None:
    """CIDRs and bare addresses become networks; anything else a lower-cased host name."""
    allow = parse_allowlist(" 127.0.0.1/32, Feeds.Internal. ,[::1], 10.1.2.3/8,, ", setting=FETCH)
    assert allow.items == (
        ipaddress.ip_network("127.0.0.1/32"),
        "feeds.internal",
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/8"),
    )
    assert allow.setting == FETCH


def test_an_allow_listed_network_admits_exactly_its_addresses() -> None:
    """`127.0.0.1/32` admits 127.0.0.1 and not 127.0.0.2; the refusal names the setting to change."""
    allow = parse_allowlist("127.0.0.1/32", setting=FETCH)
    assert refusal("127.0.0.1", ip("127.0.0.1"), allow) is None
    reason = refusal("127.0.0.2", ip("127.0.0.2"), allow)
    assert reason == f"127.0.0.2 is a loopback address; add it to {FETCH} to allow it"


def test_an_ipv4_mapped_address_is_allowed_as_its_ipv4_address() -> None:
    """`[::ffff:127.0.0.1]` is 127.0.0.1 written in IPv6: the IPv4 entry admits it (and only it)."""
    allow = parse_allowlist("127.0.0.1/32", setting=FETCH)
    assert check_literal("[::ffff:127.0.0.1]", allow) is None
    assert check_literal("[::ffff:127.0.0.2]", allow) is not None


def test_an_allow_listed_name_admits_what_it_resolves_to() -> None:
    """A listed host name may resolve to a private address; another name to the same address may not."""
    allow = parse_allowlist("feeds.internal", setting=FETCH)
    assert refusal("FEEDS.internal.", ip("10.0.0.5"), allow) is None
    assert "other.internal resolves to 10.0.0.5, a private address" in (
        refusal("other.internal", ip("10.0.0.5"), allow) or ""
    )


def test_choose_address_takes_the_first_usable_one_after_dns() -> None:
    """A name resolving to a loopback and a public address connects to the public one; to loopback
    only, it is refused with the first reason; to nothing, it says so."""
    allow = parse_allowlist("", setting=FETCH)
    assert choose_address("news.example", [ip("127.0.0.1"), ip("93.184.215.14")], allow) == (
        ip("93.184.215.14"),
        None,
    )
    chosen, why = choose_address("news.example", [ip("::1"), ip("127.0.0.1")], allow)
    assert (
        chosen is None
        and why == f"news.example resolves to ::1, a loopback address; add it to {FETCH} to allow it"
    )
    assert choose_address("news.example", [], allow) == (None, "news.example did not resolve to any address")


def test_plain_sequences_work_like_the_webhook_allowlist() -> None:
    """The webhook worker passes a list of networks and names; the same calls work on it."""
    allow = [ipaddress.ip_network("127.0.0.1/32")]
    assert choose_address("localhost", [ip("127.0.0.1")], allow) == (ip("127.0.0.1"), None)
    assert "the allow-list" in (refusal("x", ip("10.0.0.1"), allow) or "")


def test_check_literal_judges_address_literals_before_dns() -> None:
    """`http://[::1]/` and `http://169.254.169.254/` are refused without a lookup; names wait for DNS."""
    allow = parse_allowlist("127.0.0.1/32", setting=FETCH)
    assert check_literal("[::1]", allow) == f"::1 is a loopback address; add it to {FETCH} to allow it"
    assert check_literal("169.254.169.254", allow) is not None
    assert check_literal("127.0.0.1", allow) is None
    assert check_literal("news.example.org", allow) is None
