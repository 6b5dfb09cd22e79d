"""Red team 4 (round 6), English places: F7 (where someone spoke, met or gave a briefing is not a place
attacked) and F15 (a wave summary's "hits were recorded in X and Y regions" names the places attacked,
a list of three regions included). Every sentence is our own. The Ukrainian and Russian kinds are in
tests/classifier/lang/test_places7_ukru.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


def _places(result: Classification) -> set[str]:
    return {loc.name for loc in result.locations}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Speaking in Lviv, the prime minister said a Russian missile strike on Sumy overnight had "
            "killed three people.",
            {"Sumy"},
        ),
        (
            "At a news conference in Kyiv on Tuesday, the governor said Russian drones hit a school "
            "in Kharkiv, injuring four.",
            {"Kharkiv"},
        ),
        (
            "The foreign minister, who met his counterparts in Uzhhorod, said Russian shelling of "
            "Kherson had killed a woman.",
            {"Kherson"},
        ),
        (
            "Addressing lawmakers in Vilnius, the president said a Russian glide bomb struck a "
            "factory in Zaporizhzhia, wounding six workers.",
            {"Zaporizhzhia"},
        ),
    ],
)
def test_where_someone_spoke_is_not_attacked(classify: Classify, text: str, want: set[str]) -> None:
    result = classify(text)
    assert result.is_attack
    assert _places(result) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A Russian drone hit an apartment block in Lviv overnight, injuring two people.", {"Lviv"}),
        ("Officials told reporters that shelling in Kharkiv killed two people on Monday.", {"Kharkiv"}),
        ("The governor met families after a missile strike in Odesa killed three people.", {"Odesa"}),
    ],
)
def test_a_city_struck_near_speech_words_still_counts(classify: Classify, text: str, want: set[str]) -> None:
    # Contrast: a place the words of speech only lead up to ("told reporters that shelling in X").
    result = classify(text)
    assert result.is_attack
    assert _places(result) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Russia fired 80 drones and 4 missiles at Ukraine overnight; air defences downed 70 "
            "drones. Hits were recorded in Zhytomyr and Rivne regions.",
            {"Zhytomyr Oblast", "Rivne Oblast"},
        ),
        (
            "Russia attacked Ukraine overnight with 90 drones, of which 75 were shot down. Hits were "
            "recorded in Zhytomyr, Rivne and Lviv regions.",
            {"Zhytomyr Oblast", "Rivne Oblast", "Lviv Oblast"},
        ),
        (
            "Russia launched 60 drones overnight and air defences destroyed 52. Impacts were reported "
            "in Lviv and Volyn regions.",
            {"Lviv Oblast", "Volyn Oblast"},
        ),
        (
            "Russian forces launched 50 Shahed drones overnight, 45 of them were downed. The air "
            "force recorded hits in Poltava region.",
            {"Poltava Oblast"},
        ),
    ],
)
def test_a_waves_hits_name_the_regions_attacked(classify: Classify, text: str, want: set[str]) -> None:
    result = classify(text)
    assert result.is_attack
    assert _places(result) == want
