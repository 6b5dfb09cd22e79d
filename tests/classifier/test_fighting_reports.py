"""A General Staff style report of ground fighting names where the fighting is: "Russian troops have
intensified offensive actions in the areas of A, B and C" is an attack at each place now, though
"intensified" is a trend word that makes other sentences summaries ("has intensified its attacks on
the grid in recent weeks"). Issue 13 kind 4 (ground fighting) and kind 2 (summaries are not counted).
Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "Russian troops have intensified offensive actions in the areas of Toretsk and Shcherbynivka "
            "in Donetsk region, the General Staff reported.",
            {"Toretsk", "Shcherbynivka"},
        ),
        (
            "Russian forces intensified their assaults near Kupiansk and Borova over the past day, the "
            "General Staff said.",
            {"Kupiansk", "Borova"},
        ),
        (
            "According to the General Staff, the Russian army has intensified its offensive actions in the "
            "areas of Pokrovsk, Myrnohrad and Selydove, where 40 attacks were repelled.",
            {"Pokrovsk", "Myrnohrad", "Selydove"},
        ),
    ],
)
def test_intensified_fighting_at_named_places_is_ground_fighting_there(
    classify: Classify, text: str, places: set[str]
) -> None:
    result = classify(text, published="2026-11-20")
    assert result.is_attack
    assert "ground_assault" in result.attack_types
    assert {loc.name for loc in result.locations} == places


@pytest.mark.parametrize(
    "text",
    [
        "Russia has intensified its attacks on Ukraine's energy grid in recent weeks, officials said.",
        "Fighting has continued near Bakhmut for months, with both sides suffering heavy losses.",
        "Russian forces have intensified assaults near Pokrovsk since the summer, analysts said in a report.",
    ],
)
def test_a_trend_over_a_period_stays_a_summary(classify: Classify, text: str) -> None:
    assert not classify(text, published="2026-11-20").is_attack
