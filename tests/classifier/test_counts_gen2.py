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


_LEAD = (
    "A Russian missile hit a school in Sumy, injuring 4 people, officials said Monday.\n\n"
    "By JANE ROE\n\nThe Daily Wire\n\n"
)


@pytest.mark.parametrize(
    ("later", "day", "phrase"),
    [
        ("The missile struck the school gym late on Sunday, the mayor said.", "2024-03-03", "late on Sunday"),
        (
            "Officials said the attack began on Saturday night and lasted an hour.",
            "2024-03-02",
            "on Saturday",
        ),
        ("The drone crashed into the roof on Friday evening.", "2024-03-01", "on Friday"),
    ],
)
def test_a_later_sentence_on_the_same_attack_dates_it_when_the_lead_does_not(
    classify: Callable[..., Classification], later: str, day: str, phrase: str
) -> None:
    c = classify(_LEAD + later)
    assert str(c.event_date) == day
    assert [ev.text for ev in c.evidence if ev.field == "event_date"] == [phrase]


def test_a_later_background_date_does_not_date_the_attack(classify: Callable[..., Classification]) -> None:
    c = classify(_LEAD + "The war began in 2022, and the town was first shelled on Sunday a year ago.")
    assert str(c.event_date) == "2024-03-04"


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian artillery shelled the centre of Kursk on Saturday, killing three people, the governor "
        "said. A missile danger alarm sounded in Kursk, and a missile warning was launched for the region.",
        "Russian shelling hit Nikopol on Monday, wounding two men. A missile danger signal was then launched "
        "for the district.",
        "Ukrainian shells struck Horlivka on Sunday, killing one woman. Officials said the missile "
        "warning was launched at noon.",
    ],
)
def test_a_missile_warning_names_no_weapon_that_struck(
    classify: Callable[..., Classification], text: str
) -> None:
    assert classify(text).attack_types == ["artillery"]


@pytest.mark.parametrize(
    "text",
    [
        "Russian missiles hit Kharkiv on Monday, damaging a school, officials said. Ukrainian drones struck "
        "Belgorod the same day, killing 14. Most of those killed were soldiers, Moscow said.",
        "Hamas rockets hit Ashkelon on Friday, damaging two houses. Earlier, Israeli strikes on Gaza killed "
        "40 people. Many of those who died were children.",
        "Iranian missiles hit Haifa on Tuesday, damaging a shop. Israeli jets struck Tehran that "
        "night, killing 9; the majority of those killed were officers, Iran said.",
    ],
)
def test_those_killed_points_back_at_a_toll_and_is_no_death_of_its_own(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert c.casualties.killed is None
    assert c.severity == "Moderate", c.severity_reasons


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        (
            "A guided aerial bomb struck a garage in Kharkiv on Monday. Minutes earlier, guided bombs were "
            "launched towards the city, the air force said.",
            None,
        ),
        (
            "A Russian missile hit a warehouse in Odesa on Sunday. Several missiles were fired at the region "
            "overnight, the governor said.",
            None,
        ),
        (
            "A Russian drone slammed into a house in Sumy on Friday. Drones had been launched from the "
            "border area, officials said.",
            None,
        ),
        ("A Russian glide bomb struck a block of flats in Zaporizhzhia on Tuesday, injuring five.", 1),
    ],
)
def test_one_weapon_beside_the_same_weapons_in_the_plural_is_no_count(
    classify: Callable[..., Classification], text: str, launched: int | None
) -> None:
    assert classify(text).projectiles.launched == launched
