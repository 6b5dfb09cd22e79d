"""A wave told city by city: a drone sentence with no side after a war event ("Drones also hit Poltava,
injuring 3") is that war's, so its place counts (found while checking red team 8's wave case).
Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

CASES = [
    (
        "Russian drones hit Kharkiv overnight, killing 2. Drones also hit Poltava, injuring 3.",
        ["Kharkiv", "Poltava"],
    ),
    (
        "Russian drones struck Odesa overnight, injuring 4. Drones hit Mykolaiv, wounding 2.",
        ["Odesa", "Mykolaiv"],
    ),
    (
        "Russian drones attacked Sumy on Tuesday, killing one. Drones also attacked Chernihiv, injuring 5.",
        ["Sumy", "Chernihiv"],
    ),
    # No harm told: the drones' flight is no attack of its own.
    ("Russian drones hit Kharkiv overnight, killing 2. Drones were also seen over Poltava.", ["Kharkiv"]),
    # No war event before it: drones alone stay no war sentence.
    ("A drone show lit up the sky over Lviv. Drones also flew over Kyiv.", []),
]


@pytest.mark.parametrize(("text", "places"), CASES)
def test_a_drone_sentence_after_a_war_event_keeps_its_place(run: Run, text: str, places: list[str]) -> None:
    result = run(text, "en")
    assert [loc.name for loc in result.locations] == places
