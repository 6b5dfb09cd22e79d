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
    # Red team 14: other accidents and accidental detonations of mines and old ordnance.
    ("A bus and a lorry collided near Zhytomyr on Sunday, killing 11 people.", "en"),
    ("A van crashed into a tram stop in Lviv, killing 3 pedestrians.", "en"),
    ("Blast at a coal mine near Pokrovsk kills 6.", "en"),
    ("Four miners died in an underground explosion at a colliery in Pavlohrad.", "en"),
    ("A gas cylinder exploded in a flat in Lviv, killing 2 and injuring 5.", "en"),
    ("Explosion at a warehouse in Odesa: 2 dead. Police say a leaking pipe ignited.", "en"),
    ("A farmer was killed near Izium when his tractor ran over an anti-tank mine.", "en"),
    ("Two boys were killed in Kherson region when an old shell they had found detonated.", "en"),
    ("A sapper was killed while clearing unexploded ordnance near Mykolaiv.", "en"),
    ("Під Ізюмом тракторист підірвався на протитанковій міні й загинув.", "uk"),
    ("Двоє саперів загинули під час розмінування поля на Херсонщині.", "uk"),
    ("В Курской области мужчина подорвался на неразорвавшемся снаряде и погиб.", "ru"),
    ("Водитель автобуса погиб, столкнувшись с грузовиком под Брянском; в ДТП ранены 5 человек.", "ru"),
    # Red team 15 F4: a side that only qualifies the place ("Russian-occupied") makes no attack.
    ("A gas explosion in a block of flats in Russian-occupied Horlivka killed 3 people on Sunday.", "en"),
    ("Russian soldiers were killed in a road accident near Melitopol, 4 dead.", "en"),
    ("Two workers were killed during blasting at a quarry near Korosten on Sunday.", "en"),
]

ATTACKS = [
    ("A Russian missile hit a mine in Pavlohrad, killing 5.", "en", "Pavlohrad"),
    ("A Russian drone hit a gas pipeline in Sumy, causing a gas explosion that injured 2.", "en", "Sumy"),
    ("Fire at an oil depot in Bryansk after explosions.", "en", "Bryansk"),
    ("Shelling of Kherson: a blast at a bus station killed 2.", "en", "Kherson"),
    # Red team 14 F1: an attack act keeps the attack whatever accident it caused.
    ("The strike on Kharkiv caused a gas explosion, killing 2.", "en", "Kharkiv"),
    ("A strike on Pavlohrad overnight caused a mine collapse, killing 3 miners.", "en", "Pavlohrad"),
    ("Attack on Kherson: 2 killed, a car accident blocked the road to the site.", "en", "Kherson"),
    ("Russian shelling killed 2 deminers clearing a field near Kherson.", "en", "Kherson"),
    # A remnant with no one hurt is an attack's caption, not an accident.
    ("Unexploded Russian rocket lodged in a building in Kharkiv.", "en", "Kharkiv"),
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
