"""Poll timing: interval with jitter, exponential backoff, Retry-After; pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from services.common.outbound import parse_retry_after
from services.producer.sources.schedule import first_delay, next_delay


def test_healthy_sources_poll_at_their_interval_with_ten_percent_jitter() -> None:
    assert next_delay(120, 0, rand=0.0, max_backoff_s=3600) == 108
    assert next_delay(120, 0, rand=0.5, max_backoff_s=3600) == 120
    assert round(next_delay(120, 0, rand=0.999999, max_backoff_s=3600)) == 132


def test_failures_back_off_exponentially_up_to_the_cap() -> None:
    """poll_s * 2^failures with equal jitter; never longer than the cap, never shorter than poll_s."""
    assert next_delay(60, 1, rand=0.0, max_backoff_s=3600) == 60  # half of 120, floored at poll_s
    assert next_delay(60, 1, rand=0.999, max_backoff_s=3600) < 120
    assert next_delay(60, 3, rand=0.0, max_backoff_s=3600) == 240
    assert next_delay(60, 30, rand=0.999, max_backoff_s=3600) <= 3600
    assert next_delay(7200, 5, rand=0.5, max_backoff_s=3600) == 7200  # the cap never shortens the interval


def test_retry_after_is_honoured_within_the_cap() -> None:
    assert next_delay(60, 1, rand=0.0, max_backoff_s=3600, retry_after_s=900) == 900
    assert next_delay(60, 1, rand=0.0, max_backoff_s=3600, retry_after_s=86400) == 3600


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now=now) == 120
    assert parse_retry_after("Tue, 10 Jun 2025 12:05:00 GMT", now=now) == 300
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


def test_first_polls_spread_over_at_most_ten_seconds() -> None:
    assert first_delay(120, 0.5) == 5
    assert first_delay(2, 0.5) == 1
