"""`Classification.corrections`: the figures a text states as a correction of an earlier figure (the
packs' `revised_to` slot), which the alerter lets replace a published figure even downward
(docs/contract.md sections 4 and 6). A plain rise is no correction. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


# The packs' `revised_to` slot: a figure corrected to a new value.
REVISED = [
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
]


# An earlier figure named after its correction (`superseded`, F6): it never counts, and the
# sentence's own figure is the correction.
SUPERSEDED = [
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
        "A Russian drone hit a school in Sumy, wounding 3 pupils; officials previously reported 9 injured.",
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
        "Російська ракета влучила в Дніпро. Кількість загиблих уточнили до 6, раніше повідомлялося про 8.",
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
]


# Red team 4's downward corrections worded other ways (F3, F5).
OTHER_WORDINGS = [
    # F3, "not N as previously reported"
    (
        "The toll from Tuesday's Russian drone strike on Kharkiv now stands at 3, not 7 as earlier reported.",
        3,
        None,
        ["killed"],
    ),
    (
        "Russian shelling of Kherson on Friday killed 2 people, not 5 as initially reported, police said.",
        2,
        None,
        ["killed"],
    ),
    (
        "A Russian missile hit Sumy on Sunday; the number of injured now stands at 6, "
        "not 11 as previously stated.",
        None,
        6,
        ["injured"],
    ),
    # F3, a sentence naming only the earlier figure
    (
        "A Russian missile attack on Poltava on Monday killed two people. "
        "Earlier reports had put the death toll at 10.",
        2,
        None,
        ["killed"],
    ),
    (
        "Russian drones struck Mykolaiv on Wednesday, killing 5 civilians. "
        "Initial estimates had put the number of dead at 14.",
        5,
        None,
        ["killed"],
    ),
    (
        "Russian artillery hit Nikopol on Saturday and wounded 4 residents. Initial reports had said 9.",
        None,
        4,
        ["injured"],
    ),
    # F5, uk/ru: the earlier figure in a sentence of its own
    (
        "Унаслідок російської атаки на Суми загинули 3 людини. "
        "Раніше міська рада повідомляла про 8 загиблих.",
        3,
        None,
        ["killed"],
    ),
    (
        "Росіяни вдарили по Херсону, загинули 2 людини. Раніше повідомлялося про 6 загиблих.",
        2,
        None,
        ["killed"],
    ),
    (
        "Ракетний удар по Полтаві: поранено 5 людей. Раніше голова ОВА повідомляв про 12 поранених.",
        None,
        5,
        ["injured"],
    ),
    (
        "В результате удара по Курску погибли 3 человека. Ранее губернатор сообщал о 8 погибших.",
        3,
        None,
        ["killed"],
    ),
    (
        "Беспилотник атаковал Белгород, погибли 2 человека. Ранее мэр говорил о 5 погибших.",
        2,
        None,
        ["killed"],
    ),
    (
        "Обстрел Донецка: ранены 4 человека. Ранее власти заявляли о 10 раненых.",
        None,
        4,
        ["injured"],
    ),
    # F5, uk/ru: a toll that fell
    (
        "Кількість загиблих унаслідок удару по Сумах знизилася до 3, повідомили в ОВА.",
        3,
        None,
        ["killed"],
    ),
    (
        "Після ракетного удару по Харкову кількість поранених зменшилася до 7 після перевірки.",
        None,
        7,
        ["injured"],
    ),
    ("Внаслідок обстрілу Херсона кількість загиблих знизилась до 2.", 2, None, ["killed"]),
    ("Число погибших в результате удара по Курску снизилось до 3, сообщили власти.", 3, None, ["killed"]),
    ("Количество раненых после обстрела Белгорода уменьшилось до 6.", None, 6, ["injured"]),
    ("Число погибших при ударе по Донецку сократилось до 2 после уточнения.", 2, None, ["killed"]),
]


@pytest.mark.parametrize(
    ("text", "killed", "injured", "corrections"), [*REVISED, *SUPERSEDED, *OTHER_WORDINGS]
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
