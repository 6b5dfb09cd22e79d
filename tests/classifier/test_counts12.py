"""Red team findings in figures and types (counts12). #1: "both"/"all three" as a pronoun for weapons
named just before ("Russia fired missiles at Dnipro. Both were shot down.") and after a clause between
commas ("Обидві ракети, якими ..., збито") count the downed. #2: a wave's parts aimed at different
places are summed (LABELS.md rule 5). #3: one victim named by role ("killing the driver") is one.
#4: an attack on positions is a ground assault (LABELS.md rule 8). Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

# #1 and #2: (text, language, launched, intercepted)
PRONOUNS_AND_PARTS = [
    ("Russia fired missiles at Dnipro overnight. Both were shot down by air defence.", "en", None, 2),
    (
        "Russian drones attacked Poltava overnight. All three were destroyed, the air force said.",
        "en",
        None,
        3,
    ),
    ("Russia sent drones towards Odesa, and both were downed over the sea.", "en", None, 2),
    ("Both missiles, which Russia fired at Kyiv overnight, were shot down.", "en", None, 2),
    ("Росіяни атакували Київ ракетами вночі. Обидві збито.", "uk", None, 2),
    ("Ворог атакував Полтаву дронами. Усі три знищено.", "uk", None, 3),
    ("Обидві ракети, якими росіяни атакували Київ уночі, збито.", "uk", None, 2),
    ("Враг атаковал Курск ракетами ночью. Обе сбиты.", "ru", None, 2),
    ("Противник атаковал Брянск дронами. Все три уничтожены.", "ru", None, 3),
    ("Обе ракеты, выпущенные ВСУ по Белгороду ночью, сбиты.", "ru", None, 2),
    (
        "Russia fired two missiles at Kyiv and six drones at Sumy overnight; both missiles were shot down.",
        "en",
        8,
        2,
    ),
    ("Russia launched 12 drones at the port of Odesa and three missiles at Mykolaiv.", "en", 15, None),
    ("Росія випустила дві ракети по Києву і шість дронів по Сумах уночі; обидві ракети збито.", "uk", 8, 2),
    ("Россия выпустила две ракеты по Киеву и шесть дронов по Сумам ночью; обе ракеты сбиты.", "ru", 8, 2),
]


@pytest.mark.parametrize(("text", "language", "launched", "intercepted"), PRONOUNS_AND_PARTS)
def test_pronouns_and_parts_of_a_wave_are_counted(
    run: Run, text: str, language: str, launched: int | None, intercepted: int | None
) -> None:
    """A pronoun counting weapons named just before is the intercepted figure (no launch unless told);
    a wave's parts aimed at different places are summed into the launched figure."""
    result = run(text, language)
    assert result.is_attack
    assert (result.projectiles.launched, result.projectiles.intercepted) == (launched, intercepted)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russian drones hit houses in Poltava. Both residents were injured.", "en"),
        ("A Russian missile hit Kharkiv overnight. All three members of a family were killed.", "en"),
        ("Російські дрони влучили у три будинки в Сумах. Усі три знищено.", "uk"),
    ],
)
def test_people_and_counted_things_are_no_interceptions(run: Run, text: str, language: str) -> None:
    """ "Both residents", "all three members": people, no interception; "усі три" after a figure that
    counts something else ("три будинки") is no interception either."""
    result = run(text, language)
    assert result.projectiles.intercepted is None


# #3: (text, language, killed, injured)
ONE_BY_ROLE = [
    ("Russian drones hit a car in Kherson, killing the driver.", "en", 1, None),
    ("A Russian drone hit a minibus in Kherson, wounding the driver.", "en", None, 1),
    ("Russian shelling hit a tractor near Beryslav, killing the elderly driver.", "en", 1, None),
]


@pytest.mark.parametrize(("text", "language", "killed", "injured"), ONE_BY_ROLE)
def test_one_victim_named_by_role_is_one(
    run: Run, text: str, language: str, killed: int | None, injured: int | None
) -> None:
    """ "killing the driver": one person, as "killing a driver" is."""
    result = run(text, language)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


# #4: (text, language, attack types)
POSITIONS = [
    (
        "Ukraine's forces attacked Russian positions near Bakhmut, killing 30 soldiers.",
        "en",
        ["ground_assault"],
    ),
    ("Russian troops attacked Ukrainian positions near Avdiivka on Tuesday.", "en", ["ground_assault"]),
    ("Сили оборони атакували російські позиції біля Бахмута.", "uk", ["ground_assault"]),
    ("ВСУ атаковали российские позиции под Бахмутом.", "ru", ["ground_assault"]),
    # A weapon named is the type (kinds.py drops an assault word beside a ranged weapon).
    ("Russian drones attacked Ukrainian positions near Kupiansk.", "en", ["drone"]),
]


@pytest.mark.parametrize(("text", "language", "types"), POSITIONS)
def test_an_attack_on_positions_is_a_ground_assault(
    run: Run, text: str, language: str, types: list[str]
) -> None:
    """LABELS.md rule 8: battles and assaults on positions are ground_assault."""
    result = run(text, language)
    assert result.is_attack
    assert result.attack_types == types
