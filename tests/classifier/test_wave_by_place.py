"""Red team 9: a wave told city by city ("Drones also hit Poltava, killing 3") sums its casualties over
its places (LABELS.md rule 2), though it gives no projectile count; the pack's `wave_also` finds the
places added to the attack as parts of it. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

SUMMED = [
    (
        "Russian drones hit Kharkiv overnight, killing 2. Drones also hit Poltava, killing 3. "
        "Drones also hit Sumy, killing 4.",
        "en",
        9,
        ["Kharkiv", "Poltava", "Sumy"],
    ),
    (
        "Russia attacked Kharkiv overnight, killing 2 people. "
        "Poltava was also struck, and 3 people were killed there.",
        "en",
        5,
        ["Kharkiv", "Poltava"],
    ),
    (
        "Russian missiles struck Kyiv, killing 3. In Dnipro, 2 people were also killed.",
        "en",
        5,
        ["Kyiv", "Dnipro"],
    ),
    (
        "Російські дрони вдарили по Харкову, загинули 2 людини. "
        "Також дрони атакували Полтаву, загинули 3 людини.",
        "uk",
        5,
        ["Kharkiv", "Poltava"],
    ),
    (
        "Российские дроны атаковали Харьков, погибли 2 человека. В Сумах также погибли 4 человека.",
        "ru",
        6,
        ["Kharkiv", "Sumy"],
    ),
]


@pytest.mark.parametrize(("text", "language", "killed", "places"), SUMMED)
def test_a_wave_told_city_by_city_sums_its_places(
    run: Run, text: str, language: str, killed: int, places: list[str]
) -> None:
    result = run(text, language)
    assert result.casualties.killed == killed
    assert [loc.name for loc in result.locations] == places


def test_a_toll_update_of_one_place_is_not_added_to_it(run: Run) -> None:
    # Kharkiv's 2 rose to 4: the place's latest figure, plus Sumy's 1.
    result = run(
        "Russian drones hit Kharkiv, killing 2. The toll in Kharkiv rose to 4. "
        "Drones also hit Sumy, killing 1.",
        "en",
    )
    assert result.casualties.killed == 5


def test_also_of_one_strike_adds_no_place(run: Run) -> None:
    result = run("A Russian missile hit Kharkiv, killing 2. The strike also injured 5 people.", "en")
    assert (result.casualties.killed, result.casualties.injured) == (2, 5)


def test_a_separate_attack_is_not_summed(run: Run) -> None:
    result = run(
        "Russian missiles struck Kyiv, killing 3. In a separate attack, shelling also killed 2 in Kherson.",
        "en",
    )
    assert result.casualties.killed == 3


@pytest.mark.parametrize(
    "text",
    [
        # Red team 14 F7: another incident is never added to the wave.
        "Russian drones struck Kharkiv overnight, killing 2. "
        "Separately, artillery shelling of Kherson in the afternoon killed 4.",
        "Russian drones struck Kharkiv overnight, killing 2. A day earlier, drones also hit Sumy, killing 3.",
        "Russian drones hit Kharkiv overnight, killing 2. The day before, drones also hit Sumy, killing 3.",
    ],
)
def test_a_separate_or_earlier_incident_is_not_added(run: Run, text: str) -> None:
    result = run(text, "en")
    assert result.casualties.killed == 2
    assert [loc.name for loc in result.locations] == ["Kharkiv"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Російські дрони вдарили по Харкову, загинули двоє. "
            "Крім того, окремо росіяни обстріляли Нікополь, загинули троє.",
            "uk",
        ),
        (
            "Российские дроны ударили по Харькову, погибли двое. "
            "Кроме того, отдельно ВСУ обстреляли Горловку, погибли трое.",
            "ru",
        ),
    ],
)
def test_besides_separately_opens_another_incident(run: Run, text: str, language: str) -> None:
    """Red team 15 F9: "Крім того, окремо ..." added Nikopol's toll and place."""
    result = run(text, language)
    assert result.casualties.killed == 2
    assert [loc.name for loc in result.locations] == ["Kharkiv"]
