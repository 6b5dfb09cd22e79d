"""Red team (places10): a name that is a person's and a place attacked (stoplists `name_places`:
Volodymyr, Vladimir, Ukrainka; uk Володимир, ru Владимир) is the place where the sentence attacks it
the way it attacks places (after a place preposition or an attack verb), and the person elsewhere
("President Volodymyr Zelensky", "said Volodymyr ...", "Vladimir Putin", "Volodymyr said"). Volodymyr
is the city in Volyn Oblast (GeoNames' and the gazetteer's Volodymyr-Volynskyi), Vladimir the Russian city
in Vladimir Oblast. Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification
from services.classifier.rulepack import Stoplists

Run = Callable[[str, str], Classification]


def _places(result: Classification) -> set[tuple[str, str | None]]:
    return {(loc.name, loc.region) for loc in result.locations}


VOLODYMYR = ("Volodymyr-Volynskyi", "Volyn Oblast")
VLADIMIR = ("Vladimir", "Vladimir Oblast")

PLACES = [
    # en: after an attack verb, a place preposition, "the city of"
    ("Russian drones struck Volodymyr in Volyn region overnight, injuring 2.", "en", {VOLODYMYR}),
    ("Russian drones attacked Volodymyr overnight, injuring two people.", "en", {VOLODYMYR}),
    ("A Russian missile hit a warehouse in Volodymyr on Tuesday, injuring 2 people.", "en", {VOLODYMYR}),
    ("Drones struck the city of Volodymyr on Tuesday night, wounding one man.", "en", {VOLODYMYR}),
    ("RUSSIAN DRONES STRUCK VOLODYMYR OVERNIGHT, INJURING 2.", "en", {VOLODYMYR}),
    # the longer name of the city is the same city
    ("A Russian drone struck a depot in Volodymyr-Volynskyi, injuring 2.", "en", {VOLODYMYR}),
    (
        "Ukrainian drones struck Vladimir overnight, setting a plant on fire, the governor said.",
        "en",
        {VLADIMIR},
    ),
    ("Ukrainian drones attacked a factory in Vladimir overnight, injuring 3.", "en", {VLADIMIR}),
    # the region of Vladimir, and a town of it
    (
        "Ukrainian drones attacked an oil depot in the Vladimir region overnight, the governor said.",
        "en",
        {("Vladimir Oblast", "Vladimir Oblast")},
    ),
    (
        "Ukrainian drones struck a plant in Kovrov, Vladimir Oblast, overnight.",
        "en",
        {("Kovrov", "Vladimir Oblast")},
    ),
    # Ukrainka: the Kyiv Oblast town of a power plant, not the poet of "Lesya Ukrainka Boulevard"
    (
        "Russian missiles hit Ukrainka overnight, destroying the power plant, officials said.",
        "en",
        {("Ukrainka", "Kyiv Oblast")},
    ),
    # uk: every case of Володимир
    ("Уночі російські дрони атакували Володимир на Волині, двоє поранених.", "uk", {VOLODYMYR}),
    ("Уночі ворог завдав удару по Володимиру, поранено двох людей.", "uk", {VOLODYMYR}),
    ("У Володимирі пролунали вибухи: російський дрон влучив у склад, є поранені.", "uk", {VOLODYMYR}),
    ("Російський дрон влучив у склад у Володимирі Волинської області, поранено двох.", "uk", {VOLODYMYR}),
    # ru: every case of Владимир
    ("Украинские беспилотники атаковали Владимир ночью, пострадали двое.", "ru", {VLADIMIR}),
    ("Ночью во Владимире беспилотник попал в склад, пострадавших нет.", "ru", {VLADIMIR}),
    ("Ночью беспилотники ударили по Владимиру, пострадал один человек.", "ru", {VLADIMIR}),
    (
        "Ночью беспилотник атаковал склад во Владимирской области, сообщил губернатор.",
        "ru",
        {("Vladimir Oblast", "Vladimir Oblast")},
    ),
    # a Russian attacker does not strike its own Vladimir: the Volyn city
    ("Российская ракета ударила по Владимиру на Волыни, пострадали двое.", "ru", {VOLODYMYR}),
]


@pytest.mark.parametrize(("text", "lang", "want"), PLACES)
def test_a_name_the_sentence_attacks_as_a_place_is_the_place(
    run: Run, text: str, lang: str, want: set[tuple[str, str | None]]
) -> None:
    result = run(text, lang)
    assert result.is_attack
    assert _places(result) == want


PERSONS = [
    ("Russian drones hit Kharkiv overnight. President Volodymyr Zelensky said air defence must grow.", "en"),
    ("Russian drones hit Kharkiv overnight, killing 2, said Volodymyr Kuzmenko, a regional official.", "en"),
    ("Russian missiles hit Kharkiv on Monday. Vladimir Putin said the strikes were a response.", "en"),
    ("Russian drones hit Kharkiv overnight, injuring 3. Volodymyr said the blast woke him.", "en"),
    # a place preposition before the name, a surname after it: the person
    ("Russian drones hit Kharkiv overnight, injuring 3, on Volodymyr Zelensky's birthday.", "en"),
    ("Russian drones hit Kharkiv overnight, injuring 3, in Vladimir Putin's new escalation.", "en"),
    ("Russian drones hit Kyiv overnight, injuring 3, Wladimir Klitschko said.", "en"),
    # a possessive: a man's house, not the city's
    ("A Russian shell hit Volodymyr's house in Kharkiv overnight, injuring 2.", "en"),
    ("Russian drones hit Kyiv overnight, injuring 3; debris fell on Lesya Ukrainka Boulevard.", "en"),
    ("Дрони атакували Харків, поранено трьох. Президент Володимир Зеленський засудив удар.", "uk"),
    ("Уночі ворог атакував Харків, поранено трьох, повідомив Володимир Бондаренко.", "uk"),
    ("Дрони атакували Харків, поранено трьох. За словами Володимира Зеленського, удари тривали.", "uk"),
    ("Российские дроны атаковали Харьков ночью, трое раненых. Владимир Путин заявил об ответе.", "ru"),
    ("Беспилотник атаковал Курск, пострадали двое. В Кремле Владимир Путин провел совещание.", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), PERSONS)
def test_the_same_name_as_a_person_is_no_place(run: Run, text: str, lang: str) -> None:
    result = run(text, lang)
    assert result.is_attack
    assert {name for name, _ in _places(result)} <= {"Kharkiv", "Kyiv", "Kursk"}
    assert {name for name, _ in _places(result)}


KEPT_OUT = [
    # Kirov and Alexandria stay `not_places` (a surname and factory name; Egypt's or Virginia's city)
    ("Ukrainian drones struck Kirov overnight, the governor said.", "en"),
    ("A court in Alexandria ruled on the case after drones struck Kharkiv overnight.", "en"),
]


@pytest.mark.parametrize(("text", "lang"), KEPT_OUT)
def test_names_left_out_of_name_places_stay_no_place(run: Run, text: str, lang: str) -> None:
    assert {loc.name for loc in run(text, lang).locations} <= {"Kharkiv"}


def test_a_name_place_must_be_a_not_place() -> None:
    """Every other reader (villages, lists, captions) keeps such a name out as `not_places` says."""
    with pytest.raises(ValueError, match="not in not_places"):
        Stoplists(not_places=("Ivan",), name_places=("Volodymyr",))
    stop = Stoplists(not_places=("Ivan", "Volodymyr"), name_places=("Volodymyr",))
    assert stop.never_places == ("Ivan",) and stop.name_place_keys == {"volodymyr"}
