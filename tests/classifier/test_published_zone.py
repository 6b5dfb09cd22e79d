"""A published time with a UTC offset is read as a day in the war's own zone (the pack's
`dates.zone`): weekdays and "last night" resolve against that day (sentences of our own)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from schemas.models import Article
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
