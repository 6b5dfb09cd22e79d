"""Channels, subscription filters, the retry schedule, the destination policy and signatures: all pure."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from schemas import WebhookSubscription
from services.alerter.clustering import assign
from services.alerter.render import alert_from_state
from services.alerter.routing import channels, subscription_wants, wants
from services.alerter.webhooks.policy import endpoint_caps, retry_delay, retryable_status
from services.alerter.webhooks.signing import signed_headers, webhook_id
from services.common.names import Names
from services.common.netpolicy import choose_address, refusal
from services.common.outbound import parse_retry_after
from services.common.settings import legacy_retry_schedule, load_settings

from .factories import KHARKIV, KYIV, MAKIIVKA, report

NOW = datetime(2022, 12, 19, 12, tzinfo=UTC)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def alert_for(**kwargs):
    return alert_from_state(assign([], report("a", **kwargs), now=NOW, sender="strikewatch").state)


def test_channels_of_an_alert() -> None:
    alert = alert_for(locations=[KYIV, KHARKIV], types=["drone", "missile"])
    assert channels(alert, Names("p")) == [
        "p:alerts",
        "p:alerts:severity:severe",
        "p:alerts:region:kyiv-city",
        "p:alerts:region:kharkiv-oblast",
        "p:alerts:type:drone",
        "p:alerts:type:missile",
    ]


def subscription(**kwargs) -> WebhookSubscription:
    return WebhookSubscription.model_validate(
        {"id": "s", "url": "https://example.org/h", "secret": SECRET, **kwargs}
    )


def test_subscription_filters() -> None:
    severe_kyiv = alert_for(locations=[KYIV])
    extreme = alert_for(locations=[MAKIIVKA], severity="Extreme", types=["rocket"])
    assert subscription_wants(subscription(), severe_kyiv)
    assert not subscription_wants(subscription(min_severity="extreme"), severe_kyiv)
    assert subscription_wants(subscription(min_severity="extreme"), extreme)
    assert subscription_wants(subscription(min_severity="moderate"), severe_kyiv)
    assert subscription_wants(subscription(regions=["kyiv-city"]), severe_kyiv)
    assert not subscription_wants(subscription(regions=["kyiv-oblast"]), severe_kyiv)
    assert subscription_wants(subscription(attack_types=["rocket", "missile"]), extreme)
    assert not subscription_wants(subscription(attack_types=["drone"]), extreme)
    with pytest.raises(ValueError, match="unknown severity"):
        wants(extreme, min_severity="huge")


def test_legacy_backoff_settings_describe_an_exponential_capped_schedule() -> None:
    """0.1's base/max/attempts settings (exponential backoff with jitter) now describe a retry
    schedule; the jitter belongs to the schedule (contract change: issue 11)."""
    schedule = legacy_retry_schedule(attempts=8, base_s=2, max_s=60)
    assert schedule == (0, 2, 4, 8, 16, 32, 60, 60)
    low = [retry_delay(schedule, n, retry_after_s=None, rand=0.0) for n in range(1, 8)]
    high = [retry_delay(schedule, n, retry_after_s=None, rand=0.999) for n in range(1, 8)]
    assert all(lo is not None and hi is not None and lo < hi <= 66 for lo, hi in zip(low, high, strict=True))
    assert retry_delay(schedule, 8, retry_after_s=None, rand=0.5) is None


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    schedule = (0.0, 2.0, 60.0)
    assert retry_delay(schedule, 1, retry_after_s=30, rand=0.5) == 30
    assert retry_delay(schedule, 1, retry_after_s=600, rand=0.5) == 60
    assert parse_retry_after("120", now=NOW) == 120
    http_date = (NOW + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(http_date, now=NOW) == 90
    assert parse_retry_after("soon", now=NOW) is None
    assert parse_retry_after(None, now=NOW) is None


def test_retryable_statuses() -> None:
    assert [s for s in (200, 301, 400, 404, 408, 429, 500, 503) if retryable_status(s)] == [
        408,
        429,
        500,
        503,
    ]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00::5",
        "100.64.0.1",
        "0.0.0.0",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(address: str) -> None:
    reason = refusal("hooks.example.org", ipaddress.ip_address(address), load_settings().allowlist())
    assert reason is not None and "STRIKEWATCH_WEBHOOK_ALLOWLIST" in reason


def test_allowlist_lets_listed_networks_and_hosts_through() -> None:
    allow = load_settings(webhook_allowlist="127.0.0.1/32, internal.example").allowlist()
    assert refusal("localhost", ipaddress.ip_address("127.0.0.1"), allow) is None
    assert refusal("localhost", ipaddress.ip_address("127.0.0.2"), allow) is not None
    assert refusal("internal.example", ipaddress.ip_address("10.0.0.1"), allow) is None
    assert refusal("example.org", ipaddress.ip_address("93.184.215.14"), []) is None


def test_choose_address_takes_the_first_permitted_address() -> None:
    public = ipaddress.ip_address("93.184.215.14")
    assert choose_address("h", [ipaddress.ip_address("10.0.0.1"), public], []) == (public, None)
    chosen, reason = choose_address("h", [ipaddress.ip_address("10.0.0.1")], [])
    assert chosen is None and reason and "private" in reason


def test_signature_verifies_with_standardwebhooks() -> None:
    msg_id = webhook_id("sw-1", 2, "ops")
    assert msg_id == webhook_id("sw-1", 2, "ops") != webhook_id("sw-1", 3, "ops")
    body = '{"alert_id": "sw-1"}'
    headers = signed_headers([SECRET], msg_id, body, at=datetime.now(UTC))
    assert Webhook(SECRET).verify(body, headers) == {"alert_id": "sw-1"}
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body + " ", headers)


def test_endpoint_caps_share_free_slots_between_subscriptions_of_one_endpoint() -> None:
    """Two subscriptions at one endpoint share its slots; a subscription not seen yet is its own
    endpoint; an endpoint with every slot taken gets no more."""
    endpoint_of = {"a": "https://one:443", "b": "https://one:443", "c": "https://two:443"}
    caps = endpoint_caps(["a", "a", "b", "c", "c", "c", "c", "new"], endpoint_of, concurrency=4)
    assert sorted((cap, sorted(subs)) for cap, subs in caps) == [(0, ["c"]), (1, ["a", "b"]), (3, ["new"])]
    assert endpoint_caps([], {}, concurrency=4) == []


def test_endpoints_holding_jobs_leave_the_last_slots_to_endpoints_holding_none() -> None:
    """With few slots free in all, an endpoint already holding deliveries (a hanging one) takes
    no more of them: `concurrency` slots stay for endpoints that hold none."""
    endpoint_of = {"stuck": "https://stuck:443", "slow": "https://slow:443", "idle": "https://idle:443"}
    held = ["stuck", "stuck", "slow"]
    # Plenty free: only the per-endpoint cap counts.
    caps = endpoint_caps(held, endpoint_of, concurrency=4, free_in_all=60)
    assert sorted((cap, subs) for cap, subs in caps) == [(2, ["stuck"]), (3, ["slow"]), (4, ["idle"])]
    # Six free: the busy endpoints take two between them, an idle one its four.
    caps = endpoint_caps(held, endpoint_of, concurrency=4, free_in_all=6)
    busy = sum(cap for cap, subs in caps if subs != ["idle"])
    assert busy == 2
    assert dict((subs[0], cap) for cap, subs in caps)["idle"] == 4
    # Four free or fewer: only an endpoint holding nothing may take one.
    caps = endpoint_caps(held, endpoint_of, concurrency=4, free_in_all=4)
    assert sorted((cap, subs) for cap, subs in caps) == [(0, ["slow"]), (0, ["stuck"]), (4, ["idle"])]
