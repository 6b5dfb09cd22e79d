"""Red team 5 (round 6): a correction is applied to the figure it names, and only to this attack's.
N1: "the number of injured was revised down to 4" corrects injured, never the killed figure before it;
a corrected count of drones is no casualty figure. N2: a correction of another, earlier strike told
"separately" (uk "Окремо", ru "Отдельно") is not this attack's. Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "killed", "injured", "corrections"),
    [
        (
            "A Russian missile struck Poltava on Monday, killing 9. "
            "The number of injured was revised down to 4.",
            9,
            4,
            ["injured"],
        ),
        (
            "Drones hit Sumy overnight and killed 5 people. "
            "Officials later revised the number of wounded down to 7.",
            5,
            7,
            ["injured"],
        ),
        (
            "A glide bomb hit Kharkiv, injuring 20. The death toll was later revised down to 2.",
            2,
            20,
            ["killed"],
        ),
        (
            "A missile struck Dnipro, killing 12 and injuring 4. "
            "The number of drones launched was revised down to 3.",
            12,
            4,
            [],
        ),
    ],
)
def test_a_correction_goes_to_the_figure_its_words_name(
    classify: Classify, text: str, killed: int, injured: int, corrections: list[str]
) -> None:
    result = classify(text, published="2026-11-19")
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.corrections == corrections


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Уночі російські дрони атакували Харків, загинули 6 людей. Окремо, кількість загиблих унаслідок "
            "удару по Одесі минулого тижня уточнили до 3.",
            "Kharkiv",
        ),
        (
            "Вранці ворог обстріляв Херсон, загинули 5 людей. "
            "Окремо, кількість загиблих у Сумах уточнили до 2.",
            "Kherson",
        ),
        (
            "Ночью российские дроны атаковали Харьков, погибли 6 человек. "
            "Отдельно число погибших при ударе по Одессе на прошлой неделе уточнили до 3.",
            "Kharkiv",
        ),
    ],
)
def test_a_separately_told_correction_of_another_strike_is_not_this_attacks(
    classify: Classify, text: str, place: str
) -> None:
    result = classify(text, published="2026-11-19")
    assert result.is_attack
    assert result.casualties.killed in (5, 6)
    assert result.corrections == []
    assert [loc.name for loc in result.locations] == [place]
