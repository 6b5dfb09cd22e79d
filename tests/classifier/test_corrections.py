"""`Classification.corrections`: the figures a text states as a correction of an earlier figure (the
packs' `revised_to` slot), which the alerter lets replace a published figure even downward
(docs/contract.md sections 4 and 6). A plain rise is no correction. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "killed", "injured", "corrections"),
    [
        (
            "Russian missiles struck Dnipro on Monday. "
            "Officials later revised the death toll down from 35 to 34.",
            34,
            None,
            ["killed"],
        ),
        (
            "A Russian drone hit a house in Sumy, killing five people; "
            "the governor later corrected the figure to 7 killed.",
            7,
            None,
            ["killed"],
        ),
        (
            "Russian shelling hit Kherson, wounding six people. "
            "Authorities later lowered the number of injured to 4.",
            None,
            4,
            ["injured"],
        ),
        ("Російські ракети влучили в Дніпро. Кількість загиблих уточнили до 6.", 6, None, ["killed"]),
        (
            "Російський дрон атакував Суми, загинули троє людей. Згодом кількість загиблих уточнили до 2.",
            2,
            None,
            ["killed"],
        ),
        ("Російська армія обстріляла Херсон. Кількість поранених уточнили до 9.", None, 9, ["injured"]),
        ("Ракеты попали в Днепр. Число погибших уточнили до 6.", 6, None, ["killed"]),
        (
            "Беспилотник атаковал Белгород, погибли трое. Позже число погибших уточнили до 2.",
            2,
            None,
            ["killed"],
        ),
        ("Обстрел Белгорода. Число раненых уточнили до 9.", None, 9, ["injured"]),
    ],
)
def test_a_corrected_figure_is_marked_a_correction(
    classify: Classify, text: str, killed: int | None, injured: int | None, corrections: list[str]
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed == killed
    assert result.casualties.injured == injured
    assert result.corrections == corrections


@pytest.mark.parametrize(
    "text",
    [
        "Russian missiles struck Dnipro on Monday; the death toll rose to 14.",
        "Russian missiles struck Dnipro on Monday, killing 12 people and wounding 30.",
        "Російські ракети влучили в Дніпро, кількість загиблих зросла до 14.",
        "Ракеты попали в Днепр, число погибших выросло до 14.",
    ],
)
def test_a_rise_or_a_plain_figure_is_no_correction(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed in (12, 14)
    assert result.corrections == []
