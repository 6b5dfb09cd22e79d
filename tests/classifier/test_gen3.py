"""Kinds of issue 13 fixed in round 3 (sentences of our own): a capital as the headline speaker or
naming its side's forces is no place attacked; a count before a subset clause between commas; an
actor followed by its bracketed abbreviation; captions naming incendiary munitions, an attack on
positions or a salvo; a caption place with two letters swapped; "all of them were destroyed"."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


def _names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


@pytest.mark.parametrize(
    ("text", "place", "speaker"),
    [
        (
            "Kyiv: Russian troops storm positions near Toretsk on Monday, shelling the town.",
            "Toretsk",
            "Kyiv",
        ),
        ("Moscow: Ukrainian drones struck an oil depot in Bryansk overnight on Sunday.", "Bryansk", "Moscow"),
        (
            "Russian artillery shelled Nikopol on Tuesday, killing two people, and Kyiv forces said they "
            "returned fire.",
            "Nikopol",
            "Kyiv",
        ),
    ],
)
def test_a_capital_as_the_speaker_is_no_place_attacked(
    classify: Callable[..., Classification], text: str, place: str, speaker: str
) -> None:
    names = _names(classify(text))
    assert place in names
    assert speaker not in names


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "Five residents, including a teenager, lost their lives and 20 others were wounded when "
            "shells hit a market in El Fasher on Tuesday.",
            5,
            20,
        ),
        (
            "Seven people, among them two children, were injured when Russian drones hit Sumy on Tuesday.",
            None,
            7,
        ),
        (
            "Two men, both farmers, were killed and nine people, including four children, were hurt when "
            "shelling hit Nikopol on Sunday.",
            2,
            9,
        ),
    ],
)
def test_a_count_before_a_subset_clause_is_the_count(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.injured) == (killed, injured)


@pytest.mark.parametrize(
    "text",
    [
        "Three people were killed after the Rapid Support Forces (RSF) fired artillery shells at a market "
        "in El Fasher on Tuesday.",
        "The Rapid Support Forces (RSF) drone strike on a power station in Atbara on Sunday cut electricity.",
        "Residents said the Rapid Support Forces (RSF) shelled a camp near Tawila on Friday, wounding six.",
    ],
)
def test_an_abbreviation_in_brackets_keeps_the_actor(
    classify: Callable[..., Classification], text: str
) -> None:
    assert classify(text).attacker == "Rapid Support Forces"


@pytest.mark.parametrize(
    "text",
    [
        "05/04/2022 Incendiary munitions used in Marinka",
        "07/05/2022 Separatist units attack Ukrainian positions",
        "09/06/2022 Grad launchers fire a rocket salvo on enemy lines",
    ],
)
def test_a_caption_naming_incendiary_munitions_an_assault_or_a_salvo_is_an_attack(
    classify: Callable[..., Classification], text: str
) -> None:
    assert classify(text, published=None).is_attack


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Shelling aftermath in Pokorvsk", "Pokrovsk"),
        ("Mortar fire in Kupainsk", "Kupiansk"),
        ("Incendiary munitions used in Bakhmtu", "Bakhmut"),
    ],
)
def test_a_caption_place_with_two_letters_swapped_is_the_known_town(
    classify: Callable[..., Classification], text: str, place: str
) -> None:
    assert _names(classify(text, published=None)) == {place}


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (
            "Russia sent 30 drones toward the Odesa region overnight and all of them were destroyed, "
            "the governor said on Tuesday.",
            30,
        ),
        (
            "The enemy fired 8 drones at Sumy region, all of which were intercepted, "
            "the Air Force said on Friday.",
            8,
        ),
        (
            "Russia launched 25 Shahed drones at Kharkiv overnight and all of them were shot down, "
            "officials said on Monday.",
            25,
        ),
    ],
)
def test_all_of_them_destroyed_intercepts_all_launched(
    classify: Callable[..., Classification], text: str, count: int
) -> None:
    p = classify(text).projectiles
    assert (p.launched, p.intercepted) == (count, count)


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        (
            "Russian air defences destroyed five Ukrainian drones over the Bryansk and Kursk regions "
            "overnight, the ministry said on Tuesday.",
            {"Bryansk Oblast", "Kursk Oblast"},
        ),
        (
            "Ukrainian drones attacked the Belgorod and Oryol regions overnight, damaging a substation, "
            "officials said on Monday.",
            {"Belgorod Oblast", "Oryol Oblast"},
        ),
        (
            "Russia struck the Sumy and Chernihiv regions with drones on Friday, damaging power lines.",
            {"Sumy Oblast", "Chernihiv Oblast"},
        ),
    ],
)
def test_both_regions_of_a_pair_are_places(
    classify: Callable[..., Classification], text: str, regions: set[str]
) -> None:
    assert regions <= _names(classify(text))


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        (
            "Eight Ukrainian drones were shot down over the Bryansk region overnight, Moscow said.",
            "Ukraine",
        ),
        ("Russian missiles were intercepted over Lviv on Sunday, the Air Force said.", "Russia"),
        ("Two Houthi drones were downed over the Red Sea on Monday, the US military said.", "Houthis"),
    ],
)
def test_weapons_shot_down_are_the_attackers(
    classify: Callable[..., Classification], text: str, attacker: str
) -> None:
    assert classify(text).attacker == attacker


@pytest.mark.parametrize(
    "text",
    [
        "Russian troops have launched a large-scale offensive near Kupiansk, with heavy shelling of "
        "Ukrainian positions since dawn on Tuesday, the commander said.",
        "Russian forces launched a massive assault on Vuhledar on Monday, attacking from the north and "
        "south under artillery cover.",
        "Ukrainian units repelled an assault near Siversk on Friday after hours of artillery shelling.",
    ],
)
def test_an_assault_under_shelling_is_a_ground_assault_and_artillery(
    classify: Callable[..., Classification], text: str
) -> None:
    assert {"ground_assault", "artillery"} <= set(classify(text).attack_types)
