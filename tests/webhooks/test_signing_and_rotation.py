"""Signatures with one or several secrets, and the state changes of rotation and disabling: pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from schemas import WebhookSubscription
from services.alerter.webhooks.signing import generate_secret, signed_headers
from services.alerter.webhooks.subscriptions import (
    MAX_PREVIOUS_SECRETS,
    PreviousSecret,
    Subscription,
    SubscriptionConflict,
    SubscriptionState,
    public_view,
    rotated,
    with_status,
)

OLD, NEW, OTHER = generate_secret(), generate_secret(), generate_secret()
T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
DAY = 86400.0


def subscription(secret: str = NEW, state: SubscriptionState | None = None) -> Subscription:
    definition = WebhookSubscription(id="desk", url="https://user:pw@example.org/h?key=1", secret=secret)  # type: ignore[arg-type]
    return Subscription(definition, "api", state or SubscriptionState())


def test_two_secrets_give_two_signatures_each_verifiable_alone() -> None:
    """`v1,<sig new> v1,<sig old>`: a receiver holding either secret verifies the same request."""
    body, now = '{"alert_id": "sw-1"}', datetime.now(UTC)
    headers = signed_headers([NEW, OLD], "msg_1", body, at=now)
    first, second = headers["webhook-signature"].split(" ")
    assert first.startswith("v1,") and second.startswith("v1,")
    assert first == Webhook(NEW).sign("msg_1", now.astimezone(UTC), body)
    assert Webhook(NEW).verify(body, headers) == {"alert_id": "sw-1"}
    assert Webhook(OLD).verify(body, headers) == {"alert_id": "sw-1"}
    with pytest.raises(WebhookVerificationError):
        Webhook(OTHER).verify(body, headers)
    with pytest.raises(ValueError, match="at least one secret"):
        signed_headers([], "msg_1", body, at=now)


def test_each_attempt_has_its_own_timestamp_and_signature_but_the_same_id() -> None:
    body = "{}"
    first = signed_headers([NEW], "msg_1", body, at=T0)
    later = signed_headers([NEW], "msg_1", body, at=T0 + timedelta(seconds=5))
    assert first["webhook-id"] == later["webhook-id"] == "msg_1"
    assert int(later["webhook-timestamp"]) - int(first["webhook-timestamp"]) == 5
    assert first["webhook-signature"] != later["webhook-signature"]


def test_a_rotated_secret_signs_until_the_overlap_window_ends() -> None:
    state = rotated(subscription(OLD), now=T0, overlap_s=DAY)
    after = Subscription(subscription(NEW).definition, "api", state)
    assert after.signing_secrets(now=T0, overlap_s=DAY) == [NEW, OLD]
    assert after.signing_secrets(now=T0 + timedelta(hours=23), overlap_s=DAY) == [NEW, OLD]
    assert after.signing_secrets(now=T0 + timedelta(hours=24), overlap_s=DAY) == [NEW]
    # The window is read at send time: shortening the setting ends the overlap sooner.
    assert after.signing_secrets(now=T0 + timedelta(hours=2), overlap_s=3600) == [NEW]


def test_no_overlap_drops_the_old_secret_at_once() -> None:
    assert rotated(subscription(OLD), now=T0, overlap_s=0).previous_secrets == ()


def test_rotations_keep_every_secret_still_in_its_window_and_drop_expired_ones() -> None:
    expired = PreviousSecret(secret=OTHER, rotated_at=T0 - timedelta(days=2))
    state = rotated(subscription(OLD, SubscriptionState(previous_secrets=(expired,))), now=T0, overlap_s=DAY)
    assert [p.secret for p in state.previous_secrets] == [OLD]


def test_too_many_rotations_within_the_window_are_refused() -> None:
    live = tuple(
        PreviousSecret(secret=generate_secret(), rotated_at=T0 - timedelta(hours=n))
        for n in range(MAX_PREVIOUS_SECRETS)
    )
    with pytest.raises(SubscriptionConflict, match="rotate again after"):
        rotated(subscription(OLD, SubscriptionState(previous_secrets=live)), now=T0, overlap_s=DAY)


def test_disabling_keeps_the_first_cause_and_enabling_clears_it() -> None:
    gone = with_status(SubscriptionState(), "disabled", reason="410 Gone", at=T0)
    again = with_status(gone, "disabled", reason="410 Gone again", at=T0 + timedelta(minutes=1))
    assert (again.status, again.disabled_reason, again.disabled_at) == ("disabled", "410 Gone", T0)
    enabled = with_status(again, "active", reason="", at=T0)
    assert (enabled.status, enabled.disabled_reason, enabled.disabled_at) == ("active", None, None)


def test_public_view_masks_the_url_and_secrets_and_shows_state() -> None:
    state = rotated(subscription(OLD), now=T0, overlap_s=DAY)
    state = with_status(state, "disabled", reason="POST … answered 410 Gone", at=T0)
    view = public_view(Subscription(subscription(NEW).definition, "api", state), now=T0, overlap_s=DAY)
    assert view["url"] == "https://***@example.org/h?key=***"
    assert view["secret"] == f"whsec_…{NEW[-4:]}"
    assert view["previous_secrets"] == [
        {"secret": f"whsec_…{OLD[-4:]}", "signs_until": (T0 + timedelta(days=1)).isoformat()}
    ]
    assert (view["status"], view["disabled_reason"], view["disabled_at"]) == (
        "disabled",
        "POST … answered 410 Gone",
        T0.isoformat(),
    )
    assert NEW not in str(view) and OLD not in str(view) and "pw" not in view["url"]
    assert public_view(subscription(NEW), now=T0, overlap_s=DAY, reveal_secret=True)["secret"] == NEW
