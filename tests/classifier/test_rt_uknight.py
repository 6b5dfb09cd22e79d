"""Red team uknight: uk/ru attacks told impersonally or passively, and "tonight" in an evening report.

1. "Вночі Дніпро атакували", "Херсон був атакований", "Горловку атаковали": an impersonal or passive
   attack verb right after a place names a war act on it with no weapon or side (`place_attacked`),
   as English "Dnipro came under attack" already does; hackers and fans who attacked stay no attack.
2. "Сьогодні вночі" / "сегодня ночью" in a report published from 18:00 local is the night that
   starts on the published day (`event_date_evening`); in a morning report, or with a date alone, the
   night just past (`event_date_night`). English "tonight" names the coming night at any hour.
Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from schemas.models import Article, Classification
from services.classifier.engine import Classifier

Run = Callable[[str, str], Classification]

PLACE_ATTACKED = [
    ("Вночі Дніпро атакували, загинули двоє людей.", "uk", "Dnipro", 2, None),
    ("Уночі Херсон був атакований, загинули двоє.", "uk", "Kherson", 2, None),
    ("Увечері Полтаву знову атакували, поранено 4 людей.", "uk", "Poltava", None, 4),
    ("Ночью Горловку атаковали, погибли два человека.", "ru", "Horlivka", 2, None),
    ("Ночью Горловка была атакована, ранены три человека.", "ru", "Horlivka", None, 3),
    ("Вночі атакували Дніпро, загинули двоє людей.", "uk", "Dnipro", 2, None),
    ("Херсон знову під атакою, загинули двоє.", "uk", "Kherson", 2, None),
    ("Ночью атаковали Горловку, погибли двое.", "ru", "Horlivka", 2, None),
    ("Горловка снова под атакой, погибли двое.", "ru", "Horlivka", 2, None),
]


@pytest.mark.parametrize(("text", "language", "place", "killed", "injured"), PLACE_ATTACKED)
def test_a_place_attacked_impersonally_or_passively_is_an_attack(
    run: Run, text: str, language: str, place: str, killed: int | None, injured: int | None
) -> None:
    result = run(text, language)
    assert result.is_attack is True
    assert result.attack_types == ["other"]
    assert [loc.name for loc in result.locations] == [place]
    assert result.casualties.killed == killed
    assert result.casualties.injured == injured


# A text too long to read as a caption: English needs the same rule there.
LONG = (
    " The city administration said rescuers worked at the site for several hours, clearing rubble and"
    " helping residents of nearby buildings. Schools in the district will stay closed on Monday,"
    " officials said, and a day of mourning was declared."
)


@pytest.mark.parametrize(
    ("text", "place", "killed", "injured"),
    [
        ("Dnipro came under attack overnight; 2 people were killed." + LONG, "Dnipro", 2, None),
        ("Kherson was attacked again on Sunday evening, injuring 3 people." + LONG, "Kherson", None, 3),
    ],
)
def test_an_english_place_attacked_in_a_long_report_is_an_attack(
    run: Run, text: str, place: str, killed: int | None, injured: int | None
) -> None:
    result = run(text, "en")
    assert result.is_attack is True
    assert result.attack_types == ["other"]
    assert [loc.name for loc in result.locations] == [place]
    assert result.casualties.killed == killed
    assert result.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "Kherson was attacked by hackers on Sunday, and the city council website went down." + LONG,
        "Kherson came under a cyber attack on Sunday, and 3 people were injured in the panic." + LONG,
        "Fans attacked a referee in Kherson after the match, and 2 people were injured." + LONG,
    ],
)
def test_english_hackers_and_fans_stay_no_attack_in_a_long_report(run: Run, text: str) -> None:
    assert run(text, "en").is_attack is False


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Херсон зазнав атаки, є поранені.", "uk"),
        ("Горловка подверглась атаке, погибли двое.", "ru"),
        ("Dnipro came under attack overnight; 2 people were killed.", "en"),
    ],
)
def test_a_place_that_came_under_attack_stays_an_attack(run: Run, text: str, language: str) -> None:
    result = run(text, language)
    assert result.is_attack is True
    assert result.attack_types == ["other"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Хакери атакували сайт міської ради Херсона.", "uk"),
        ("Вболівальники атакували суддю після матчу в Херсоні, є поранені.", "uk"),
        ("Чоловік у Херсоні зазнав теплового удару.", "uk"),
        ("Херсон атакували хакери, сайт міськради не працює.", "uk"),
        ("Вночі атакували сайт Херсонської міськради, є поранені.", "uk"),
        ("Херсон під атакою хакерів, сайт не працює.", "uk"),
        ("Вчора атакували вболівальників у Херсоні, є поранені.", "uk"),
        ("Хакеры атаковали сайт администрации Горловки.", "ru"),
        ("Ночью атаковали сайт администрации Горловки, есть раненые.", "ru"),
        ("Болельщики атаковали судью после матча в Горловке, есть раненые.", "ru"),
    ],
)
def test_hackers_fans_and_heatstroke_stay_no_attack(run: Run, text: str, language: str) -> None:
    assert run(text, language).is_attack is False


KYIV = timezone(timedelta(hours=2))
MOSCOW = timezone(timedelta(hours=3))


@pytest.fixture(scope="module")
def at(classifier: Classifier) -> Callable[[str, str, date], Classification]:
    def classify(text: str, language: str, published: date) -> Classification:
        return classifier.classify([Article(id="t", text=text, language=language, published=published)])[0]

    return classify


TONIGHT = [
    # (text, language, published, evening, night)
    (
        "Сьогодні вночі російські дрони атакують Суми, вже є поранені.",
        "uk",
        datetime(2024, 3, 4, 22, 0, tzinfo=KYIV),
        True,
        False,
    ),
    (
        "Сьогодні вночі російські дрони атакують Суми, вже є поранені.",
        "uk",
        datetime(2024, 3, 4, 20, 0, tzinfo=UTC),
        True,
        False,
    ),
    (
        "Сьогодні вночі російські дрони атакували Суми, є поранені.",
        "uk",
        datetime(2024, 3, 4, 8, 0, tzinfo=KYIV),
        False,
        True,
    ),
    ("Сьогодні вночі російські дрони атакували Суми, є поранені.", "uk", date(2024, 3, 4), False, True),
    (
        "Сегодня ночью украинские дроны атакуют Курск, уже есть раненые.",
        "ru",
        datetime(2024, 3, 4, 22, 0, tzinfo=MOSCOW),
        True,
        False,
    ),
    (
        "Сегодня ночью украинские дроны атаковали Курск, есть раненые.",
        "ru",
        datetime(2024, 3, 4, 8, 0, tzinfo=MOSCOW),
        False,
        True,
    ),
    ("Сегодня ночью украинские дроны атаковали Курск, есть раненые.", "ru", date(2024, 3, 4), False, True),
    (
        "Russian drones are attacking Sumy tonight, and people have already been injured.",
        "en",
        datetime(2024, 3, 4, 22, 0, tzinfo=KYIV),
        True,
        False,
    ),
    (
        "Air defence is repelling a Russian drone attack on Sumy tonight, two people were injured.",
        "en",
        datetime(2024, 3, 4, 8, 0, tzinfo=KYIV),
        True,
        False,
    ),
    (
        "Вночі російські дрони атакували Суми, є поранені.",
        "uk",
        datetime(2024, 3, 4, 22, 0, tzinfo=KYIV),
        False,
        True,
    ),
]


@pytest.mark.parametrize(("text", "language", "published", "evening", "night"), TONIGHT)
def test_tonight_in_an_evening_report_is_the_coming_night_and_in_a_morning_one_the_last(
    at: Callable[[str, str, date], Classification],
    text: str,
    language: str,
    published: date,
    evening: bool,
    night: bool,
) -> None:
    result = at(text, language, published)
    assert result.is_attack is True
    assert result.event_date == date(2024, 3, 4)
    assert result.event_date_basis == "relative"
    assert result.event_date_evening is evening
    assert result.event_date_night is night
