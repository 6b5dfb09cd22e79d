"""How the classifier found the attack's date (`event_date_basis`), and whether the text names the
evening or night that starts on that day (`event_date_evening`) or the night that ends on it
(`event_date_night`): what the alerter needs to keep two nights at one place apart (docs/contract.md
sections 4 and 5). Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from schemas.models import Article, Classification
from services.classifier.engine import Classifier

MONDAY = "2026-11-30"  # a Monday; reports below are published on it

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "day", "evening", "night"),
    [
        (
            "Overnight into Monday, Russian drones struck Poltava, damaging a substation.",
            "2026-11-30",
            False,
            True,
        ),
        ("Russian drones struck Poltava on Sunday night, damaging a substation.", "2026-11-29", True, False),
        ("Russian drones struck Poltava late on Sunday, damaging a substation.", "2026-11-29", True, False),
        (
            "Russian drones struck Poltava on Sunday evening, setting a depot on fire.",
            "2026-11-29",
            True,
            False,
        ),
        (
            "On the night of Sunday to Monday Russian drones struck Poltava, damaging a depot.",
            "2026-11-30",
            False,
            True,
        ),
        ("Russian missiles struck Poltava on 28 November, killing two people.", "2026-11-28", False, False),
        ("Russian drones struck Poltava on Saturday, damaging a school.", "2026-11-28", False, False),
        (
            "У неділю ввечері російські дрони атакували Полтаву, пошкоджено підстанцію.",
            "2026-11-29",
            True,
            False,
        ),
        (
            "В ніч з неділі на понеділок російські дрони атакували Полтаву, пошкоджено склад.",
            "2026-11-29",
            True,
            False,
        ),
        (
            "В ніч на понеділок російські дрони атакували Полтаву, пошкоджено підстанцію.",
            "2026-11-30",
            False,
            True,
        ),
        (
            "В воскресенье вечером беспилотники атаковали Курск, повреждена подстанция.",
            "2026-11-29",
            True,
            False,
        ),
        (
            "В ночь с воскресенья на понедельник беспилотники атаковали Курск, поврежден склад.",
            "2026-11-29",
            True,
            False,
        ),
        (
            "В ночь на понедельник беспилотники атаковали Курск, повреждена подстанция.",
            "2026-11-30",
            False,
            True,
        ),
    ],
)
def test_a_day_written_in_the_text_is_text_and_an_evening_or_a_night_says_so(
    classify: Classify, text: str, day: str, evening: bool, night: bool
) -> None:
    result = classify(text, MONDAY)
    assert result.is_attack
    assert result.event_date == date.fromisoformat(day)
    assert result.event_date_basis == "text"
    assert result.event_date_evening is evening
    # Red team 7 #3: "overnight into Monday" is the night that ends on Monday, "on Saturday" the day.
    assert result.event_date_night is night


@pytest.mark.parametrize(
    ("text", "night"),
    [
        ("Russian drones hit Sumy last night, injuring two people, the regional administration said.", True),
        ("Russian shelling hit Kherson yesterday, wounding a man, the governor said.", False),
        ("Вчора російські дрони атакували Суми, поранено двох людей.", False),
        ("Прошлой ночью беспилотники атаковали Белгород, ранены двое.", True),
        ("Уночі російські дрони атакували Суми, поранено двох людей.", True),
        ("Russian drones hit Sumy overnight, injuring two people.", True),
        ("Russian shelling hit Kherson this morning, wounding a man.", False),
    ],
)
def test_a_relative_word_is_relative_never_an_evening_and_a_night_when_it_names_one(
    classify: Classify, text: str, night: bool
) -> None:
    """A relative word that names a night ("last night", "прошлой ночью") is the night into the
    published day (`event_date_night`, red team 9: before, never a night, so "last night" in Saturday's
    report and "Friday's attack" were two alerts); "yesterday" and "this morning" name days."""
    result = classify(text, MONDAY)
    assert result.is_attack
    assert result.event_date is not None
    assert result.event_date_basis == "relative"
    assert result.event_date_evening is False
    assert result.event_date_night is night


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
    assert result.event_date_night is False


def test_no_date_at_all_has_no_basis(classify: Classify) -> None:
    result = classify("Russian drones struck Poltava, damaging a substation.", None)
    assert result.event_date is None
    assert result.event_date_basis is None
    assert result.event_date_evening is False
    assert result.event_date_night is False


MONDAY_EVENING = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 22:00 on Monday in Kyiv, 23:00 in Moscow


def classify_at(classifier: Classifier, text: str, published: date | datetime | None) -> Classification:
    return classifier.classify([Article(id="t", text=text, published=published)])[0]


@pytest.mark.parametrize(
    "text",
    [
        "Overnight into Tuesday, Russian drones attacked Kyiv, damaging a house.",
        "The night into Tuesday, Russian drones attacked Kyiv, damaging a house.",
        "On the night of Monday to Tuesday Russian drones attacked Kyiv, damaging a house.",
        "В ніч на вівторок російські дрони атакували Київ, пошкоджено будинок.",
        "В ночь на вторник беспилотники атаковали Курск, поврежден дом.",
    ],
)
def test_a_night_into_the_next_day_is_that_day_not_a_week_back(classifier: Classifier, text: str) -> None:
    # Red team 7 R4: published on Monday evening, the night into Tuesday is the coming one; the
    # Tuesday six days back made one night two alerts.
    result = classify_at(classifier, text, MONDAY_EVENING)
    assert result.event_date == date(2026, 12, 1)
    assert result.event_date_basis == "text"
    assert result.event_date_evening is False
    assert result.event_date_night is True


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # The night that ended on the published Monday, however late the report is out.
        ("Overnight into Monday, Russian drones attacked Kyiv, damaging a house.", "2026-11-30"),
        # A plain weekday is never a day after publication: the Tuesday before.
        ("On Tuesday Russian drones attacked Kyiv, damaging a house.", "2026-11-24"),
        # A night into a weekday two days on is not this report's: the latest such day before it.
        ("Overnight into Wednesday, Russian drones attacked Kyiv, damaging a house.", "2026-11-25"),
    ],
)
def test_only_a_night_into_the_day_after_publication_is_dated_after_it(
    classifier: Classifier, text: str, day: str
) -> None:
    assert classify_at(classifier, text, MONDAY_EVENING).event_date == date.fromisoformat(day)


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        # Red team 7 R7: a night into a day and month is read as that day, not as "overnight".
        (
            "Overnight into 1 December, Russian drones attacked Kyiv, damaging a house.",
            MONDAY_EVENING,
            "2026-12-01",
        ),
        (
            "Overnight into 1 December, Russian drones attacked Kyiv, damaging a house.",
            date(2026, 12, 1),
            "2026-12-01",
        ),
        (
            "В ніч на 1 грудня російські дрони атакували Київ, пошкоджено будинок.",
            MONDAY_EVENING,
            "2026-12-01",
        ),
        ("В ночь на 1 декабря беспилотники атаковали Курск, поврежден дом.", MONDAY_EVENING, "2026-12-01"),
        # The year is the one that puts the day nearest the published day, at most a day after it.
        (
            "Overnight into 1 January, Russian drones attacked Kyiv, damaging a house.",
            datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
            "2027-01-01",
        ),
        ("On 31 December Russian drones attacked Kyiv, damaging a house.", date(2027, 1, 2), "2026-12-31"),
        ("On December 1 Russian drones attacked Kyiv, damaging a house.", date(2026, 12, 2), "2026-12-01"),
        ("On 1 January Russian drones attacked Kyiv, damaging a house.", date(2027, 1, 3), "2027-01-01"),
    ],
)
def test_a_day_and_month_take_the_nearest_year(
    classifier: Classifier, text: str, published: date | datetime, day: str
) -> None:
    result = classify_at(classifier, text, published)
    assert result.event_date == date.fromisoformat(day)
    assert result.event_date_basis == "text"


@pytest.mark.parametrize(
    "text",
    [
        # Red team 7 R8: a page date outside the published years is no date ("yesterday" a day before
        # 0001-01-01 overflowed; 3500-01-01 stood in as the event's date).
        "date 0001-01-01\nYesterday Russian drones attacked Kyiv, damaging a house.",
        "date 3500-01-01\nRussian drones attacked Kyiv, damaging a house.",
    ],
)
def test_a_page_date_outside_the_published_years_gives_no_date(classifier: Classifier, text: str) -> None:
    result = classify_at(classifier, text, None)
    assert result.is_attack
    assert result.event_date is None
    assert result.event_date_basis is None


def test_an_event_date_past_the_published_years_is_dropped(classifier: Classifier) -> None:
    # The night into 1 January 3000, read in a report of 31 December 2999: no date rather than one
    # outside the contract's years; the published day stands in.
    text = "Overnight into 1 January, Russian drones attacked Kyiv, damaging a house."
    result = classify_at(classifier, text, date(2999, 12, 31))
    assert result.event_date == date(2999, 12, 31)
    assert result.event_date_basis == "published"


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # Red team 7 #9: "1 January" read on 30 December is the last 1 January (a year back, too old
        # to be news); the published date stood in as an invented day.
        ("On 1 January Russian drones attacked Kyiv, damaging a house.", date(2026, 12, 30)),
        ("1 січня російські дрони атакували Київ, пошкоджено будинок.", date(2026, 12, 30)),
        ("1 января беспилотники атаковали Курск, поврежден дом.", date(2026, 12, 30)),
        # A written year after publication (not the night into the next day) is refused the same way.
        ("On 5 January 2027 Russian drones attacked Kyiv, damaging a house.", date(2026, 12, 30)),
    ],
)
def test_a_day_the_attack_names_but_that_is_refused_gives_no_date(
    classifier: Classifier, text: str, published: date
) -> None:
    result = classify_at(classifier, text, published)
    assert result.is_attack
    assert result.event_date is None
    assert result.event_date_basis is None


@pytest.mark.parametrize(
    "text",
    [
        # Background in the lead ("the war that began on 24 February 2022") is no day of this attack.
        "The full-scale war began on 24 February 2022. Russian drones attacked Kyiv, damaging a house.",
        # A numeric dateline may be month-first (12/30 read as 12 March is refused): no day for sure.
        "Kyiv, 12/30/2026 1:05 AM: Russian drones attacked Kyiv, damaging a house.",
    ],
)
def test_a_refused_day_outside_the_attack_or_not_in_words_leaves_the_published_date(
    classifier: Classifier, text: str
) -> None:
    result = classify_at(classifier, text, date(2026, 12, 30))
    assert result.is_attack
    assert result.event_date == date(2026, 12, 30)
    assert result.event_date_basis == "published"


SATURDAY = "2026-11-28"


@pytest.mark.parametrize(
    ("text", "language", "day", "basis", "evening", "night"),
    [
        # Red team 14 F3: "ночью на среду" is the night into Wednesday, not "ночью" (last night).
        (
            "Ночью на среду дроны атаковали Белгород, погибли 2 человека.",
            "ru",
            "2026-11-25",
            "text",
            False,
            True,
        ),
        (
            "Вночі на середу дрони атакували Харків, загинули 2 людини.",
            "uk",
            "2026-11-25",
            "text",
            False,
            True,
        ),
        (
            "Ночью на 25 ноября дроны атаковали Белгород, погибли 2 человека.",
            "ru",
            "2026-11-25",
            "text",
            False,
            True,
        ),
        # ... "the night before last" is not "last night".
        (
            "Позапрошлой ночью дроны атаковали Белгород, погибли 2 человека.",
            "ru",
            "2026-11-27",
            "relative",
            False,
            True,
        ),
        (
            "Позаминулої ночі дрони атакували Харків, загинули 2 людини.",
            "uk",
            "2026-11-27",
            "relative",
            False,
            True,
        ),
        # F5: Ukrainian night words other than "вночі" are read.
        (
            "Минулої ночі російські дрони атакували Харків, загинули 2 людини.",
            "uk",
            SATURDAY,
            "relative",
            False,
            True,
        ),
        (
            "Цієї ночі російські дрони атакували Суми, поранено 3 людей.",
            "uk",
            SATURDAY,
            "relative",
            False,
            True,
        ),
        # F4: an evening word is the night that starts on its day.
        (
            "Russian drones are attacking Kharkiv tonight; explosions have killed 2.",
            "en",
            SATURDAY,
            "relative",
            True,
            False,
        ),
        (
            "Russian drones hit Kharkiv yesterday evening, killing 2.",
            "en",
            "2026-11-27",
            "relative",
            True,
            False,
        ),
        (
            "Вчера вечером дроны атаковали Белгород, погибли 2 человека.",
            "ru",
            "2026-11-27",
            "relative",
            True,
            False,
        ),
        # Red team 15 F5: "yesterday night", "the previous night" start on the day before.
        (
            "Russian drones hit Sumy the previous night, killing 3.",
            "en",
            "2026-11-27",
            "relative",
            True,
            False,
        ),
        ("Russian drones hit Sumy yesterday night, killing 3.", "en", "2026-11-27", "relative", True, False),
        (
            "Вчора вночі російські дрони атакували Суми, загинули 3 людини.",
            "uk",
            "2026-11-27",
            "relative",
            True,
            False,
        ),
        (
            "Вчера ночью дроны атаковали Курск, погибли 3 человека.",
            "ru",
            "2026-11-27",
            "relative",
            True,
            False,
        ),
        # ... and a day word stays a day.
        (
            "Сьогодні російські дрони атакували Харків, загинули 2 людини.",
            "uk",
            SATURDAY,
            "relative",
            False,
            False,
        ),
    ],
)
def test_night_and_evening_words_in_every_language(
    classifier: Classifier, text: str, language: str, day: str, basis: str, evening: bool, night: bool
) -> None:
    result = classifier.classify([Article(id="t", text=text, language=language, published=SATURDAY)])[0]
    assert result.is_attack
    assert (result.event_date, result.event_date_basis) == (date.fromisoformat(day), basis)
    assert (result.event_date_evening, result.event_date_night) == (evening, night)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian drones attacked Sumy, killing 2. This evening the mayor will hold a briefing.", "en"),
        ("Russian drones attacked Sumy, killing 2. Tonight the city expects another attack.", "en"),
        ("Російські дрони атакували Суми, загинули 2 людини. Сьогодні ввечері мер проведе нараду.", "uk"),
        ("Дроны атаковали Курск, погибли 2 человека. Сегодня вечером губернатор проведет совещание.", "ru"),
    ],
)
def test_an_evening_word_outside_the_attack_sentence_is_no_evening_of_the_attack(
    classifier: Classifier, text: str, language: str
) -> None:
    """Red team 15 F1: a later sentence's "this evening" made the attack the next night (two alerts)."""
    result = classifier.classify([Article(id="t", text=text, language=language, published=SATURDAY)])[0]
    assert result.is_attack
    assert (result.event_date_evening, result.event_date_night) == (False, False)
