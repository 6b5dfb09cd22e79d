"""Which secrets may sign webhooks, and generated ones: pure."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import ValidationError
from standardwebhooks import Webhook

from schemas import WebhookSubscription, secret_problem
from schemas.models import STORED
from services.alerter.webhooks.signing import generate_secret


def whsec(key: bytes) -> str:
    return "whsec_" + base64.b64encode(key).decode()


@pytest.mark.parametrize("size", [24, 32, 64])
def test_random_keys_of_24_to_64_bytes_are_accepted(size: int) -> None:
    assert secret_problem(whsec(os.urandom(size))) is None


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        ("whsec_AA==", "1 byte(s) long"),
        (whsec(os.urandom(23)), "23 byte(s) long"),
        (whsec(os.urandom(65)), "65 byte(s) long"),
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "does not start with 'whsec_'"),
        ("whsec_", "0 byte(s) long"),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "not standard base64"),  # unpadded
        ("whsec_" + base64.urlsafe_b64encode(b"\xfb\xff" * 16).decode(), "not standard base64"),
        ("whsec_MfKQ9r8GKYqrTwjU PD8ILPZIo2LaLaSw", "not standard base64"),
        (whsec(b"password" * 4), "distinct byte values"),
        (whsec(bytes(32)), "distinct byte values"),
    ],
)
def test_weak_or_malformed_secrets_are_refused_saying_why(secret: str, says: str) -> None:
    problem = secret_problem(secret)
    assert problem is not None and says in problem
    body = secret.removeprefix("whsec_")
    assert not body or body not in problem, "the error never echoes the secret"
    with pytest.raises(ValidationError) as caught:
        WebhookSubscription(id="s", url="https://example.org/h", secret=secret)  # type: ignore[arg-type]
    (error,) = caught.value.errors(include_input=False)
    assert error["loc"] == ("secret",) and says in error["msg"]


def test_subscriptions_stored_before_the_check_keep_loading() -> None:
    """A weak secret accepted by an earlier version still loads from storage (flagged elsewhere)."""
    data = {"id": "old", "url": "https://example.org/h", "secret": "whsec_AA==", "regions": ["Kyiv"]}
    stored = WebhookSubscription.model_validate(data, context=STORED)
    assert stored.secret == "whsec_AA==" and stored.regions == ["Kyiv"]


def test_generated_secrets_are_strong_distinct_and_usable() -> None:
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert secret_problem(first) is None and secret_problem(second) is None
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
    Webhook(first)  # the reference library accepts it


def test_regions_are_region_slugs_with_a_suggestion_when_misspelt() -> None:
    subscription = WebhookSubscription(
        id="s", url="https://example.org/h", regions=["Kyiv City", "donetsk-oblast"]
    )  # type: ignore[arg-type]
    assert subscription.regions == ["kyiv-city", "donetsk-oblast"]
    with pytest.raises(ValidationError) as caught:
        WebhookSubscription(id="s", url="https://example.org/h", regions=["Donetsk"])  # type: ignore[arg-type]
    assert "did you mean 'donetsk-oblast'" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        WebhookSubscription(id="s", url="https://example.org/h", regions=["atlantis"])  # type: ignore[arg-type]
    assert "kharkiv-oblast" in str(caught.value), "no close match: every valid slug is listed"


def test_attack_types_errors_list_the_choices() -> None:
    with pytest.raises(ValidationError) as caught:
        WebhookSubscription(id="s", url="https://example.org/h", attack_types=["drones"])  # type: ignore[arg-type, list-item]
    assert "'drone'" in str(caught.value) and "'glide_bomb'" in str(caught.value)
