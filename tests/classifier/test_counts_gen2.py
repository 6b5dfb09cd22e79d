"""Counting kinds of issue 13 (sentences of our own): injuries counted as a noun, one weapon counted
only when it is named, and drones counted as shot down that are no launch count."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("The Russian strike on Sloviansk on Monday resulted in 4 deaths and 17 injuries.", 4, 17),
        ("A drone attack on Sumy on Friday caused 9 injuries, the mayor said.", None, 9),
        ("Shelling of Nikopol on Tuesday left two deaths and five serious injuries.", 2, 5),
    ],
)
def test_a_count_of_injuries_is_a_count_of_the_injured(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.injured) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Russian forces hit the town hall in Sumy with a missile on Tuesday.", None),
        ("Russian forces shelled Nikopol with a rocket on Sunday, damaging a school.", None),
        ("Russian aircraft struck Kharkiv with a guided aerial bomb on Sunday.", 1),
        ("Russian troops attacked Kramatorsk with a Kh-38 missile on Monday, hitting a shop.", 1),
        ("Russia struck a port in Odesa using an Iskander missile on Friday.", 1),
    ],
)
def test_with_one_weapon_counts_only_a_named_weapon(
    classify: Callable[..., Classification], text: str, launched: int | None
) -> None:
    assert classify(text).projectiles.launched == launched


@pytest.mark.parametrize(
    ("text", "intercepted"),
    [
        ("A US destroyer shot down 3 drones launched by the Houthis in the Red Sea on Sunday.", 3),
        ("Air defences destroyed 14 drones launched from Crimea overnight.", 14),
        ("Ukrainian gunners downed 6 Shahed drones launched at Odesa on Monday night.", 6),
    ],
)
def test_drones_shot_down_are_no_launch_count(
    classify: Callable[..., Classification], text: str, intercepted: int
) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (None, intercepted)
