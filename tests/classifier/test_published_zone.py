"""A published time with a UTC offset is read as a day in the war's own zone (the pack's
`dates.zone`): weekdays and "last night" resolve against that day (sentences of our own)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from schemas.models import Article, Classification
from services.classifier.dates import local_day
from services.classifier.engine import Classifier

SUNDAY_LATE_UTC = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # 01:30 on Monday 30 November in Kyiv
MONDAY = date(2026, 11, 30)


def test_local_day_converts_aware_times_and_keeps_dates_and_naive_times() -> None:
    assert local_day(SUNDAY_LATE_UTC, "Europe/Kyiv") == MONDAY
    assert local_day(SUNDAY_LATE_UTC, "America/New_York") == date(2026, 11, 29)
    assert local_day(datetime(2026, 11, 29, 23, 30), "Europe/Kyiv") == date(2026, 11, 29)
    assert (
        local_day(datetime(2026, 11, 30, 1, 10, tzinfo=timezone(timedelta(hours=2))), "Europe/Kyiv") == MONDAY
    )
    assert local_day(date(2026, 11, 29), "Europe/Kyiv") == date(2026, 11, 29)
    assert local_day(None, "Europe/Kyiv") is None


@pytest.mark.parametrize(
    "text",
    [
        "Overnight into Monday, Russian drones struck Poltava, damaging a substation, the governor said.",
        "Russian drones hit Sumy last night, injuring two people, the regional administration said.",
        "В ніч на понеділок російські дрони атакували Полтаву, пошкоджено підстанцію.",
        "В ночь на понедельник беспилотники атаковали Курск, повреждена подстанция.",
    ],
)
def test_a_report_stamped_late_sunday_utc_is_dated_the_monday_it_was_there(
    classifier: Classifier, text: str
) -> None:
    result = classifier.classify([Article(id="late", text=text, published=SUNDAY_LATE_UTC)])[0]
    assert result.is_attack
    assert result.event_date == MONDAY


@pytest.mark.parametrize(
    "text",
    [
        "On 24 February 2022 Russian missiles struck Kyiv and Kharkiv, killing dozens of civilians.",
        "Russian drones hit the port of Izmail on 2 August 2023, damaging grain silos.",
        "24 лютого 2022 року російські ракети вдарили по Києву та Харкову.",
        "24 февраля 2022 года ракеты ударили по Харькову, погибли люди.",
    ],
)
def test_a_strike_dated_long_before_publication_is_retold_not_reported(
    classify: Callable[..., Classification], text: str
) -> None:
    assert not classify(text, "2026-11-29").is_attack
    # The same sentence with no published date to set it against is news.
    day = classify(text, None)
    assert day.is_attack
