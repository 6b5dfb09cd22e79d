"""An earlier figure named after its correction never counts (the packs' `superseded` slot, F6): "killed
34 ..., correcting an earlier toll of 35" is 34, and 34 is the correction (`corrections`). A toll that
rose from an earlier figure is an update, not a correction. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "killed", "injured", "corrections"),
    [
        (
            "Russian missiles struck Dnipro on Monday, killing 34 people, correcting an earlier toll of 35.",
            34,
            None,
            ["killed"],
        ),
        (
            "The Russian strike on Kharkiv killed 12 people, down from an earlier reported toll of 15.",
            12,
            None,
            ["killed"],
        ),
        (
            "Officials said 6 people were killed in the Russian strike on Kharkiv; "
            "earlier reports had said 8 were killed.",
            6,
            None,
            ["killed"],
        ),
        (
            "A Russian drone hit a school in Sumy, wounding 3 pupils; "
            "officials previously reported 9 injured.",
            None,
            3,
            ["injured"],
        ),
        (
            "Внаслідок російського удару по Харкову загинули 5 людей, раніше повідомлялося про 7 загиблих.",
            5,
            None,
            ["killed"],
        ),
        (
            "Російська ракета влучила в Дніпро. "
            "Кількість загиблих уточнили до 6, раніше повідомлялося про 8.",
            6,
            None,
            ["killed"],
        ),
        (
            "Російська армія обстріляла Херсон, поранено 4 людей, спершу повідомляли про 7 поранених.",
            None,
            4,
            ["injured"],
        ),
        (
            "В результате удара по Харькову погибли 5 человек, ранее сообщалось о 7 погибших.",
            5,
            None,
            ["killed"],
        ),
        ("Ракета попала в Днепр. Число погибших уточнили до 6, ранее сообщалось о 8.", 6, None, ["killed"]),
        ("Обстрел Белгорода, ранены 4 человека, сначала сообщали о 7 раненых.", None, 4, ["injured"]),
    ],
)
def test_an_earlier_figure_after_its_correction_never_counts(
    classify: Classify, text: str, killed: int | None, injured: int | None, corrections: list[str]
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed == killed
    assert result.casualties.injured == injured
    assert result.corrections == corrections


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        ("Russian drones struck Kharkiv, wounding 20 people; the injury toll rose from an earlier 14.", 20),
        (
            "Russian drones struck Kharkiv. Earlier, 3 people were injured in a strike on the same district.",
            3,
        ),
    ],
)
def test_a_rise_from_an_earlier_figure_or_an_earlier_strike_is_no_correction(
    classify: Classify, text: str, injured: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured == injured
    assert result.corrections == []
