"""The retry schedule and the settings that give it: pure."""

from __future__ import annotations

import pytest

from services.alerter.webhooks.policy import RETRY_JITTER, retry_delay
from services.common.settings import (
    DEFAULT_RETRY_SCHEDULE,
    SettingsError,
    legacy_retry_schedule,
    load_settings,
    parse_retry_schedule,
)


def test_default_schedule_retries_for_more_than_a_day() -> None:
    """Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about 27.6 hours."""
    assert DEFAULT_RETRY_SCHEDULE == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
    assert load_settings().webhook_retry_schedule == DEFAULT_RETRY_SCHEDULE
    total_h = sum(DEFAULT_RETRY_SCHEDULE) / 3600
    assert 27.5 < total_h < 27.6
    # With the jitter, the last attempt comes between about 24.8 and 30.3 hours after the first.
    assert total_h * (1 - RETRY_JITTER) > 24 and total_h * (1 + RETRY_JITTER) < 31


def test_each_retry_waits_its_step_with_ten_percent_jitter() -> None:
    schedule = DEFAULT_RETRY_SCHEDULE
    for failed in range(1, len(schedule)):
        step = schedule[failed]
        low = retry_delay(schedule, failed, retry_after_s=None, rand=0.0)
        high = retry_delay(schedule, failed, retry_after_s=None, rand=0.999999)
        assert low == pytest.approx(step * 0.9)
        assert high == pytest.approx(step * 1.1, rel=1e-5)


def test_the_schedule_spent_means_dead_letter() -> None:
    assert retry_delay((0.0, 5.0), 1, retry_after_s=None, rand=0.5) == 5.0
    assert retry_delay((0.0, 5.0), 2, retry_after_s=None, rand=0.5) is None
    assert retry_delay((0.0,), 1, retry_after_s=None, rand=0.5) is None


def test_retry_after_asks_for_longer_up_to_the_longest_step() -> None:
    schedule = (0.0, 5.0, 300.0)
    assert retry_delay(schedule, 1, retry_after_s=120, rand=0.5) == 120
    assert retry_delay(schedule, 1, retry_after_s=1, rand=0.5) == 5.0  # never sooner than the schedule
    assert retry_delay(schedule, 1, retry_after_s=86400, rand=0.5) == 300
    assert retry_delay(schedule, 3, retry_after_s=60, rand=0.5) is None  # no extra attempt either


def test_schedule_setting_is_comma_separated_seconds() -> None:
    assert parse_retry_schedule("0, 0.5,30") == (0.0, 0.5, 30.0)
    settings = load_settings(webhook_retry_schedule="0,1,2")
    assert settings.webhook_retry_schedule == (0.0, 1.0, 2.0)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("5,10", "must start with 0"),
        ("0,ten", "comma-separated seconds"),
        ("0,-1", "0 to 604800 seconds"),
        ("0,nan", "0 to 604800 seconds"),
        ("0,700000", "0 to 604800 seconds"),
        (",".join(["0"] * 101), "1 to 100 attempts"),
    ],
)
def test_a_bad_schedule_stops_start_up_with_the_reason(value: str, says: str) -> None:
    with pytest.raises(SettingsError, match="STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE") as caught:
        load_settings(webhook_retry_schedule=value)
    assert says in str(caught.value)


def test_old_backoff_settings_still_work_as_the_schedule_they_described() -> None:
    """STRIKEWATCH_WEBHOOK_MAX_ATTEMPTS / _BACKOFF_BASE_S / _BACKOFF_MAX_S (0.1) become a schedule."""
    assert legacy_retry_schedule(attempts=5, base_s=0.5, max_s=3) == (0, 0.5, 1, 2, 3)
    settings = load_settings(webhook_max_attempts=5, webhook_backoff_base_s=0.5, webhook_backoff_max_s=3)
    assert settings.webhook_retry_schedule == (0, 0.5, 1, 2, 3)
    # Only the attempts given: 0.1's defaults for the rest (base 2 s, cap 3600 s).
    assert load_settings(webhook_max_attempts=3).webhook_retry_schedule == (0, 2, 4)


def test_old_and_new_retry_settings_together_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIKEWATCH_WEBHOOK_BACKOFF_BASE_S", "1")
    monkeypatch.setenv("STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE", "0,5")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "STRIKEWATCH_WEBHOOK_BACKOFF_BASE_S (deprecated)" in message
    assert "keep only STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE" in message


def test_schedule_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE", "0,0.2,0.4")
    assert load_settings().webhook_retry_schedule == (0.0, 0.2, 0.4)
