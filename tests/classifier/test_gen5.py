"""Kinds of issue 13 fixed in round 5 (sentences of our own): explosions heard while air defence works
during an alert are an attack in progress; ..."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


def _names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


# --- explosions heard while air defence works: an attack in progress (LABELS.md rule 1) -------------


@pytest.mark.parametrize(
    ("text", "place", "types", "attacker"),
    [
        (
            "Blasts heard in Lviv, air defence at work\n\nSeveral explosions were heard in Lviv during an "
            "air raid alert, local media reported.\nAn alert was declared across the country because of "
            "the threat of a Russian missile attack.",
            "Lviv",
            ["missile"],
            "Russia",
        ),
        (
            "Explosions rang out in Odesa on Thursday night as air defence was activated, the regional "
            "governor said. The air force had warned of attack drones heading for the city.",
            "Odesa",
            ["drone"],
            None,
        ),
        (
            "Loud explosions were heard over Kharkiv while an air alert was in force; the mayor said air "
            "defences were engaging targets.",
            "Kharkiv",
            [],
            None,
        ),
        (
            "Air defence units are working over Dnipro, the governor wrote, after a series of blasts shook "
            "the city during the alert.",
            "Dnipro",
            [],
            None,
        ),
    ],
)
def test_explosions_while_air_defence_works_are_an_attack(
    classify: Callable[..., Classification],
    text: str,
    place: str,
    types: list[str],
    attacker: str | None,
) -> None:
    c = classify(text)
    assert c.is_attack
    assert place in _names(c)
    assert c.attack_types == types
    assert c.attacker == attacker
    assert c.severity == "Minor"


@pytest.mark.parametrize(
    "text",
    [
        "An air raid alert was declared in Kyiv on Monday evening; residents were urged to take shelter.",
        "The air force warned of a missile threat to Zaporizhzhia and an alert sounded across the region.",
        "Air defence units were working in the Sumy region, the governor warned, asking people to stay "
        "in shelters until the alert is over.",
    ],
)
def test_an_alert_with_no_explosion_is_not_an_attack(
    classify: Callable[..., Classification], text: str
) -> None:
    assert not classify(text).is_attack


# --- rocket vs missile: a group that fires rockets (LABELS.md rule 8) ------------------------------


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "Missile attack on a village in northern Israel kills two, officials say\nTwo people were "
            "killed when a rocket fired by Hezbollah hit a house in the village of Shlomi on Tuesday, "
            "Israeli officials said.",
            ["rocket"],
        ),
        (
            "Hamas fired a barrage of rockets at Ashkelon on Sunday, injuring four people. The missile "
            "attack set cars on fire, police said.",
            ["rocket"],
        ),
        (
            "Islamic Jihad fired rockets at Sderot on Friday, Israeli police said. The missile strike "
            "damaged a school and injured a guard.",
            ["rocket"],
        ),
        # A kind of missile named as well: both.
        (
            "Hezbollah said it fired anti-tank missiles and rockets at an Israeli army post near Metula "
            "on Monday.",
            ["missile", "rocket"],
        ),
        # A state's "rocket" beside "missile" stays the missile (translated Ukrainian wording).
        (
            "Russian missile attack on Dnipro: a rocket hit an apartment block, killing three people on "
            "Friday.",
            ["missile"],
        ),
    ],
)
def test_rocket_fire_called_a_missile_attack(
    classify: Callable[..., Classification], text: str, types: list[str]
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attack_types == types


# --- another incident's weapon is not a type of the primary attack --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Russian shelling of Kherson kills one\nOne resident was killed overnight when Russian artillery "
        "shelled a district of Kherson, the regional administration said. Moscow also fired a new "
        "barrage of missiles against Ukrainian cities early on Monday, most of which were shot down.",
        "Mortar fire hit homes in a border village of the Kharkiv region on Sunday, killing a man. "
        "Russia launched cruise missiles on other cities overnight, the air force said.",
        "Russian artillery shelled Nikopol on Tuesday, wounding two residents. Russian forces also "
        "launched drones at several towns in the Sumy region, the governor said.",
    ],
)
def test_a_barrage_on_other_cities_adds_no_type(classify: Callable[..., Classification], text: str) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attack_types == ["artillery"]


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "Russian shelling kills two in Nikopol\nTwo residents were killed by Russian shelling "
            "overnight in Nikopol, the governor said, adding that the town had been bombed six times "
            "since the morning.",
            ["artillery"],
        ),
        (
            "Shelling of Kupiansk wounds a woman; the town was bombed again in the evening, officials said.",
            ["artillery"],
        ),
        ("A house in Deir al-Balah was bombed overnight, killing four people, medics said.", ["airstrike"]),
        ("Syrian government aircraft bombed the town of Ariha on Monday, killing three.", ["airstrike"]),
    ],
)
def test_bombed_is_an_airstrike_only_when_no_other_type_is_named(
    classify: Callable[..., Classification], text: str, types: list[str]
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attack_types == types
