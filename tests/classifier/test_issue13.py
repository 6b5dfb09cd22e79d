"""Issue 13, classifier generalisation: the six kinds, each with sentences of our own (never copied
from the labelled data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


# --- kind 4: is it an attack that just happened? Terse captions and titles ----------------------


@pytest.mark.parametrize(
    "caption",
    [
        "03/09/2023 Aftermath of shelling near the bus depot",
        "11/10/2023 Artillery strike at a maternity ward",
        "17/08/2023 Remains of a cruise missile in a sunflower field",
        "02/02/2023 Cluster submunitions scattered across a schoolyard",
        "21/06/2023 Positional fighting near a village outside the town",
        "09/04/2023 Crater in a courtyard after the night's barrage",
        "14/05/2023 Rocket lodged in the roof of a garage",
        "05/05/2023 Unexploded submunition by the playground",
    ],
)
def test_terse_caption_naming_an_attack_is_one(classify: Classify, caption: str) -> None:
    assert classify(caption, published=None).is_attack


@pytest.mark.parametrize(
    "caption",
    [
        "03/09/2023 Convoy of trucks moving towards the border",
        "11/10/2023 Self-propelled guns parked behind a warehouse",
        "17/08/2023 Damage to the roof of the town library",
        "02/02/2023 Fire at a furniture factory",
        "21/06/2023 Soldiers seen patrolling the central square",
        "09/04/2023 Satellite image of helicopters stationed at an airfield",
    ],
)
def test_terse_caption_without_an_attack_is_not_one(classify: Classify, caption: str) -> None:
    assert not classify(caption, published=None).is_attack


def test_caption_date_prefix_is_the_event_date(classify: Classify) -> None:
    c = classify("14/05/2023 Strike on a grain terminal in Izmail", published=None)
    assert c.is_attack and str(c.event_date) == "2023-05-14"
    assert {loc.name for loc in c.locations} == {"Izmail"}


# --- kind 6: places -----------------------------------------------------------------------------


def test_landmark_after_a_town_keeps_the_town(classify: Classify) -> None:
    c = classify("Russian missiles struck the Zmiiv Thermal Power Plant in Kharkiv region overnight.")
    assert "Zmiiv" in {loc.name for loc in c.locations}


def test_place_attacked_by_is_a_place_not_a_speaker(classify: Classify) -> None:
    c = classify("02/09/2023 Fuel depot in Belgorod attacked by drones", published=None)
    assert c.is_attack and {loc.name for loc in c.locations} == {"Belgorod"}


def test_unknown_hamlet_in_a_caption_is_the_place(classify: Classify) -> None:
    c = classify("02/09/2023 Shelling in Zaporozhnivka-Horishni", published=None)
    assert [loc.name for loc in c.locations] == ["Zaporozhnivka-Horishni"]


def test_weapon_name_is_not_a_place(classify: Classify) -> None:
    c = classify("02/09/2023 Pantsir booster rocket lodged above a shop in Kursk", published=None)
    assert {loc.name for loc in c.locations} == {"Kursk"}
