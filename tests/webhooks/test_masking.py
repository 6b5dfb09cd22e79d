"""What of a subscription's URL and secret is shown: pure."""

from __future__ import annotations

import pytest

from services.alerter.webhooks.masking import mask_secret, mask_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://hooks.example.org/strikewatch", "https://hooks.example.org/strikewatch"),
        ("https://user:pa55word@hooks.example.org/x", "https://***@hooks.example.org/x"),
        ("https://t0kenonly@hooks.example.org/x", "https://***@hooks.example.org/x"),
        ("https://h.example/x?token=abc&team=7", "https://h.example/x?token=***&team=***"),
        ("https://h.example/x?abc123secret", "https://h.example/x?***"),
        ("https://h.example/x#access=abc", "https://h.example/x#***"),
        (
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "https://hooks.slack.com/services/T00000000/B00000000/***",
        ),
        ("https://h.example/hook/a1b2c3d4e5f6a7b8c9d0", "https://h.example/hook/***"),
        (
            "https://h.example/alerts/incoming-webhooks-for-desk",
            "https://h.example/alerts/incoming-webhooks-for-desk",
        ),
        ("http://[::1]:8080/hook?k=v", "http://[::1]:8080/hook?k=***"),
        ("http://127.0.0.1:5000/hook", "http://127.0.0.1:5000/hook"),
    ],
)
def test_credentials_query_values_and_token_segments_are_masked(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_an_unparseable_url_is_masked_whole() -> None:
    assert mask_url("http://h.example:99999999/x") == "***"


def test_secrets_show_only_their_last_four_characters() -> None:
    assert mask_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == "whsec_…LaSw"
    assert mask_secret("whsec_AA==") == "whsec_…"
