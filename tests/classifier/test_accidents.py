"""Red team 9: an event sentence that names an accident (a mine blast, a gas explosion, a road
accident) and no weapon or side tells of that accident, not an attack (LABELS.md rule 1: accidental
mine detonations are no attack; the pack's `accident`). A weapon or a side keeps the attack, and a
fire after explosions is an attack's effect, not another cause. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

ACCIDENTS = [
    ("The death toll in the Pavlohrad mine blast rose to 12.", "en"),
    ("A mine blast killed 5 in Pavlohrad. The death toll rose to 12.", "en"),
    ("The death toll from the mine explosion in Donetsk has risen to 9.", "en"),
    ("A gas explosion killed 3 in a block of flats in Dnipro.", "en"),
    ("A road accident near Lviv killed 4.", "en"),
    ("Boiler blast at a school in Sumy, 2 injured.", "en"),
    ("Вибух газу в житловому будинку в Дніпрі: загинули 3.", "uk"),
    ("Кількість загиблих унаслідок вибуху на шахті в Павлограді зросла до 12.", "uk"),
    ("Авария на шахте в Павлограде: погибли 7 горняков.", "ru"),
]

ATTACKS = [
    ("A Russian missile hit a mine in Pavlohrad, killing 5.", "en", "Pavlohrad"),
    ("A Russian drone hit a gas pipeline in Sumy, causing a gas explosion that injured 2.", "en", "Sumy"),
    ("Fire at an oil depot in Bryansk after explosions.", "en", "Bryansk"),
    ("Shelling of Kherson: a blast at a bus station killed 2.", "en", "Kherson"),
]


@pytest.mark.parametrize(("text", "language"), ACCIDENTS)
def test_an_accident_is_no_attack(run: Run, text: str, language: str) -> None:
    result = run(text, language)
    assert result.is_attack is False
    assert result.severity is None


@pytest.mark.parametrize(("text", "language", "place"), ATTACKS)
def test_a_weapon_a_side_or_a_fire_keeps_the_attack(run: Run, text: str, language: str, place: str) -> None:
    result = run(text, language)
    assert result.is_attack is True
    assert [loc.name for loc in result.locations] == [place]
