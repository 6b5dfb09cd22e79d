"""Red team 10. #1: a toll that rose "from 5 to 11" (uk "зросла з 5 до 11", ru "выросло с 5 до 11") is
the later figure, which supersedes the earlier (LABELS.md rule 2), and "has increased" there is the
toll's verb, no trend of the war. #2: a wave told city by city in one sentence ("Drones also hit Sumy,
killing 3, and Poltava, killing 4"; "Kharkiv's toll has since risen to 4, and Sumy's to 5") sums each
place's own figure (LABELS.md rule 2); a separate incident or another day is still never added.
Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from schemas.models import Article, Classification
from services.classifier.engine import Classifier

Run = Callable[[str, str], Classification]
PUBLISHED = date(2026, 11, 30)


@pytest.fixture(scope="module")
def on_day(classifier: Classifier) -> Run:
    """Classify `text` in `language`, published on the red team's day."""

    def classify(text: str, language: str) -> Classification:
        return classifier.classify([Article(id="t", text=text, language=language, published=PUBLISHED)])[0]

    return classify


ROSE_FROM_TO = [
    # (text, language, killed, injured)
    (
        "Russian drones struck Sumy overnight; the number of injured has increased from 4 to 12.",
        "en",
        None,
        12,
    ),
    ("Russian drones struck Sumy overnight; the number of wounded rose from 4 to 12.", "en", None, 12),
    (
        "Russian missiles hit Odesa overnight, killing 3. "
        "By noon the number of injured had risen from 6 to 14.",
        "en",
        3,
        14,
    ),
    (
        "Russian missiles hit Odesa overnight, killing 3. The number of people killed has since increased "
        "from 3 to 8.",
        "en",
        8,
        None,
    ),
    ("Російські дрони вдарили по Сумах уночі. Кількість поранених зросла з 4 до 12.", "uk", None, 12),
    ("Російські дрони вдарили по Сумах уночі. Кількість поранених збільшилася з 4 до 12.", "uk", None, 12),
    ("Російські ракети влучили в Одесу. Кількість загиблих зросла з 3 до 8.", "uk", 8, None),
    ("Российские дроны ударили по Сумам ночью. Число раненых выросло с 4 до 12.", "ru", None, 12),
    ("Российские дроны ударили по Сумам ночью. Число раненых увеличилось с 4 до 12.", "ru", None, 12),
    ("Российские ракеты попали в Одессу. Число погибших выросло с 3 до 8.", "ru", 8, None),
]


@pytest.mark.parametrize(("text", "language", "killed", "injured"), ROSE_FROM_TO)
def test_a_toll_that_rose_from_one_figure_to_another_is_the_later(
    on_day: Run, text: str, language: str, killed: int | None, injured: int | None
) -> None:
    """A rise "from N to M" is an attack's toll update, and M is its figure."""
    result = on_day(text, language)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.severity == "Severe"


def test_a_death_toll_that_rose_from_to_keeps_the_later(on_day: Run) -> None:
    """Worked before: "the death toll rose from 3 to 8" is 8, not the 3 killed first told."""
    result = on_day("Russian missiles hit Odesa overnight, killing 3. The death toll rose from 3 to 8.", "en")
    assert result.casualties.killed == 8


WAVE_IN_ONE_SENTENCE = [
    # (text, language, killed, injured)
    (
        "Russian drones hit Kherson overnight, killing 1. Drones also hit Mykolaiv, killing 2, "
        "and Odesa, killing 5.",
        "en",
        8,
        None,
    ),
    (
        "Russian drones hit Kherson overnight, killing 1. Drones also hit Mykolaiv, killing 2, "
        "and Odesa, injuring 6.",
        "en",
        3,
        6,
    ),
    (
        "Russian drones hit Kherson overnight, killing 1. Drones also hit Mykolaiv, killing 2. "
        "Kherson's toll has since risen to 3, and Mykolaiv's to 4.",
        "en",
        7,
        None,
    ),
    (
        "Russian drones hit Kherson overnight, killing 1. Drones also hit Mykolaiv, killing 2. "
        "The toll in Kherson has since risen to 3, and in Mykolaiv to 4.",
        "en",
        7,
        None,
    ),
    (
        "Російські дрони вдарили по Херсону, загинула 1 людина. Також дрони атакували Миколаїв, де "
        "загинули 2 людини, і Одесу, де загинули 5 людей.",
        "uk",
        8,
        None,
    ),
    (
        "Российские дроны атаковали Херсон, погиб 1 человек. Также дроны атаковали Николаев, где погибли "
        "2 человека, и Одессу, где погибли 5 человек.",
        "ru",
        8,
        None,
    ),
    (
        "Російські дрони вдарили по Херсону, загинула 1 людина. Також дрони атакували Миколаїв, загинули "
        "2 людини. Кількість загиблих у Херсоні зросла до 3, у Миколаєві — до 4.",
        "uk",
        7,
        None,
    ),
    (
        "Российские дроны атаковали Херсон, погиб 1 человек. Также дроны атаковали Николаев, погибли "
        "2 человека. Число погибших в Херсоне выросло до 3, в Николаеве — до 4.",
        "ru",
        7,
        None,
    ),
]


@pytest.mark.parametrize(("text", "language", "killed", "injured"), WAVE_IN_ONE_SENTENCE)
def test_a_wave_told_city_by_city_in_one_sentence_sums_its_places(
    on_day: Run, text: str, language: str, killed: int, injured: int | None
) -> None:
    """Each figure is of the place named just before it, and the wave sums its places' latest."""
    result = on_day(text, language)
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


NOT_SUMMED = [
    # (text, killed): places named together share one figure; another incident or day is not added.
    ("Russian drones hit Kherson and Mykolaiv overnight, killing 4.", 4),
    # One count over two places ("3 in A and 2 in B") is no place's own figure.
    (
        "Russian drones hit Kherson overnight, killing 1. Drones also hit Mykolaiv, killing 2. "
        "Later the toll rose to 3 in Kherson and 4 in Mykolaiv.",
        7,
    ),
    (
        "Russian drones hit Kherson overnight, killing 1. In a separate attack, drones also hit "
        "Mykolaiv, killing 2, and Odesa, killing 5.",
        1,
    ),
    (
        "Russian drones hit Kherson overnight, killing 1. Two weeks ago drones also hit Mykolaiv, "
        "killing 2, and Odesa, killing 5.",
        1,
    ),
]


@pytest.mark.parametrize(("text", "killed"), NOT_SUMMED)
def test_what_is_not_the_waves_own_place_is_not_summed(on_day: Run, text: str, killed: int) -> None:
    """Worked before and still: no figure of another place, incident or day is added."""
    assert on_day(text, "en").casualties.killed == killed
