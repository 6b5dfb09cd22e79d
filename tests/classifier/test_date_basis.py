"""How the classifier found the attack's date (`event_date_basis`), and whether the text names the
evening or night that starts on that day (`event_date_evening`): what the alerter needs to keep two
nights at one place apart (docs/contract.md sections 4 and 5). Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from schemas.models import Classification

MONDAY = "2026-11-30"  # a Monday; reports below are published on it

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "day", "evening"),
    [
        ("Overnight into Monday, Russian drones struck Poltava, damaging a substation.", "2026-11-30", False),
        ("Russian drones struck Poltava on Sunday night, damaging a substation.", "2026-11-29", True),
        ("Russian drones struck Poltava late on Sunday, damaging a substation.", "2026-11-29", True),
        ("Russian drones struck Poltava on Sunday evening, setting a depot on fire.", "2026-11-29", True),
        (
            "On the night of Sunday to Monday Russian drones struck Poltava, damaging a depot.",
            "2026-11-30",
            False,
        ),
        ("Russian missiles struck Poltava on 28 November, killing two people.", "2026-11-28", False),
        ("Russian drones struck Poltava on Saturday, damaging a school.", "2026-11-28", False),
        ("У неділю ввечері російські дрони атакували Полтаву, пошкоджено підстанцію.", "2026-11-29", True),
        (
            "В ніч з неділі на понеділок російські дрони атакували Полтаву, пошкоджено склад.",
            "2026-11-29",
            True,
        ),
        ("В ніч на понеділок російські дрони атакували Полтаву, пошкоджено підстанцію.", "2026-11-30", False),
        ("В воскресенье вечером беспилотники атаковали Курск, повреждена подстанция.", "2026-11-29", True),
        (
            "В ночь с воскресенья на понедельник беспилотники атаковали Курск, поврежден склад.",
            "2026-11-29",
            True,
        ),
        ("В ночь на понедельник беспилотники атаковали Курск, повреждена подстанция.", "2026-11-30", False),
    ],
)
def test_a_day_written_in_the_text_is_text_and_an_evening_says_so(
    classify: Classify, text: str, day: str, evening: bool
) -> None:
    result = classify(text, MONDAY)
    assert result.is_attack
    assert result.event_date == date.fromisoformat(day)
    assert result.event_date_basis == "text"
    assert result.event_date_evening is evening


@pytest.mark.parametrize(
    "text",
    [
        "Russian drones hit Sumy last night, injuring two people, the regional administration said.",
        "Russian shelling hit Kherson yesterday, wounding a man, the governor said.",
        "Вчора російські дрони атакували Суми, поранено двох людей.",
        "Прошлой ночью беспилотники атаковали Белгород, ранены двое.",
    ],
)
def test_a_relative_word_is_relative_and_never_an_evening(classify: Classify, text: str) -> None:
    result = classify(text, MONDAY)
    assert result.is_attack
    assert result.event_date is not None
    assert result.event_date_basis == "relative"
    assert result.event_date_evening is False


@pytest.mark.parametrize(
    "text",
    [
        "Russian drones struck Poltava, damaging a substation, the governor said.",
        "Російські дрони атакували Полтаву, пошкоджено підстанцію.",
        "Беспилотники атаковали Курск, повреждена подстанция.",
    ],
)
def test_no_day_in_the_text_is_the_published_date(classify: Classify, text: str) -> None:
    result = classify(text, MONDAY)
    assert result.is_attack
    assert result.event_date == date.fromisoformat(MONDAY)
    assert result.event_date_basis == "published"
    assert result.event_date_evening is False


def test_no_date_at_all_has_no_basis(classify: Classify) -> None:
    result = classify("Russian drones struck Poltava, damaging a substation.", None)
    assert result.event_date is None
    assert result.event_date_basis is None
    assert result.event_date_evening is False
