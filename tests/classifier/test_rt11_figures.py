"""Red team 7 (round 8), classifier figures. A forecast of the toll ("could rise to 10") states no
figure: the stated one stays, with no maximum. "N, not M" / "N, а не M" corrects M to N, and so does
a revision with an active verb ("знизили до 5") or a colon ("уточнили: 4 человека"). Every sentence
is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]
PUBLISHED = "2026-11-19"


# (text, killed): the forecast's figure is none; the stated figure stays.
FORECAST = [
    (
        "A Russian drone hit Odesa on Monday. "
        "Four people were killed, and officials said the death toll may rise to 12.",
        4,
    ),
    ("Russian missiles struck Kharkiv overnight, killing 6 people; the toll is expected to rise to 15.", 6),
    (
        "A Russian missile struck Sumy on Monday. "
        "Two people died, and the number of dead could rise to 9, the governor warned.",
        2,
    ),
    (
        "Russian drones attacked Odesa overnight, killing 4 people, "
        "and the mayor said the toll could climb to 9.",
        4,
    ),
    # uk/ru: the packs read no figure from a forecast (guards; these passed before).
    ("Російська ракета влучила в Дніпро, загинули 3 людини, кількість загиблих може зрости до 10.", 3),
    (
        "Російські дрони атакували Одесу, загинули 4 людини; "
        "за словами мера, кількість загиблих може збільшитися до 9.",
        4,
    ),
    ("Российская ракета попала в Днепр, погибли 3 человека, число погибших может вырасти до 10.", 3),
    (
        "Российские дроны атаковали Одессу, погибли 4 человека; "
        "по словам мэра, число погибших может увеличиться до 9.",
        4,
    ),
]


@pytest.mark.parametrize(("text", "killed"), FORECAST)
def test_a_forecast_of_the_toll_is_no_figure(classify: Classify, text: str, killed: int) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.killed_max) == (killed, None)
    assert result.corrections == []


# (text, killed, injured, corrections): "N, not M" and its uk/ru wordings correct M to N.
NOT_M = [
    (
        "Russian missiles hit Poltava on Thursday, killing 6, not twelve, as earlier reported.",
        6,
        None,
        ["killed"],
    ),
    (
        "The Russian drone strike on Kherson on Monday killed 4, not nine, as initially reported.",
        4,
        None,
        ["killed"],
    ),
    (
        "Russian shelling injured 7 people in Sumy on Monday, not 12, as first reported.",
        None,
        7,
        ["injured"],
    ),
    (
        "Кількість загиблих після удару дронів по Полтаві знизили до 2, раніше йшлося про 4.",
        2,
        None,
        ["killed"],
    ),
    (
        "Кількість поранених унаслідок удару ракети по Сумах зменшили до 6, а раніше повідомляли про 10.",
        None,
        6,
        ["injured"],
    ),
    (
        "Росіяни вдарили ракетою по Харкову, загинули 3 людини, а не 8, як повідомлялося раніше.",
        3,
        None,
        ["killed"],
    ),
    ("Кількість загиблих унаслідок обстрілу Херсона уточнили: 5 людей, а не 7.", 5, None, ["killed"]),
    (
        "Российская ракета попала в Сумы, погибли 3 человека, а не 7, как сообщалось ранее.",
        3,
        None,
        ["killed"],
    ),
    (
        "Число раненых при ударе дронов по Харькову снизили до 5, ранее сообщалось о 9.",
        None,
        5,
        ["injured"],
    ),
    ("Число погибших при обстреле Херсона уточнили: 6 человек, а не 10.", 6, None, ["killed"]),
]


@pytest.mark.parametrize(("text", "killed", "injured", "corrections"), NOT_M)
def test_n_not_m_is_a_correction_of_m_to_n(
    classify: Classify, text: str, killed: int | None, injured: int | None, corrections: list[str]
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.corrections == corrections
