"""Red team 7 (round 8), classifier figures. R1: a figure of another strike (a toll that rose, a
count, of a strike a week ago or, for a toll update, on another city than the attack's) lends this
attack no figure, place or weapon, whether or not it is a revision. A forecast of the toll ("could
rise to 10") states no figure: the stated one stays, with no maximum. "N, not M" / "N, а не M"
corrects M to N, and so does a revision with an active verb ("знизили до 5") or a colon ("уточнили:
4 человека"). Two weapons, one each, one of them named ("with a Kh-101 missile and a Shahed drone"),
are launched 2 (LABELS.md rule 5). Every sentence is our own."""

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


# R1: (text, killed, injured, place, attack types): the second sentence's figure is another strike's.
ANOTHER_STRIKE = [
    # A plain rise of a strike dated back.
    (
        "Russian drones struck Kherson overnight, killing 2 people. "
        "The death toll from a Russian missile strike on Odesa two weeks ago has risen to 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
    (
        "A Russian missile struck Kharkiv on Monday, killing 4. "
        "The death toll from the drone attack on Sumy three weeks ago has climbed to 12.",
        4,
        None,
        "Kharkiv",
        ["missile"],
    ),
    (
        "Уночі російські дрони атакували Херсон, загинули 2 людини. "
        "Кількість загиблих унаслідок ракетного удару по Одесі два тижні тому зросла до 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
    (
        "Російська авіабомба влучила в Краматорськ, поранено 8 людей. "
        "Тим часом кількість загиблих після удару по Запоріжжю минулого тижня збільшилася до 14.",
        None,
        8,
        "Kramatorsk",
        ["airstrike"],
    ),
    (
        "Ночью российские дроны атаковали Херсон, погибли 2 человека. "
        "Число погибших в результате ракетного удара по Одессе две недели назад возросло до 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
    (
        "Российская авиабомба попала в Краматорск, ранены 8 человек. "
        "Тем временем число погибших после удара по Запорожью на прошлой неделе выросло до 14.",
        None,
        8,
        "Kramatorsk",
        ["airstrike"],
    ),
    # A count of a strike dated back.
    (
        "Russian drones hit Sumy overnight, injuring 5 people. "
        "A Russian missile strike on Poltava a week ago killed 7 people.",
        None,
        5,
        "Sumy",
        ["drone"],
    ),
    (
        "Уночі російські дрони атакували Суми, поранено 5 людей. "
        "Ракетний удар по Полтаві тиждень тому забрав життя 7 людей.",
        None,
        5,
        "Sumy",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Сумы, ранены 5 человек. "
        "При ракетном ударе по Полтаве неделю назад погибли 7 человек.",
        None,
        5,
        "Sumy",
        ["drone"],
    ),
    # A toll update of a strike on another city than the attack's.
    (
        "Russian drones struck Kherson overnight, killing 2 people. "
        "The toll from the Russian missile strike on Odesa has risen to 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
    (
        "Уночі російські дрони атакували Херсон, загинули 2 людини. "
        "Кількість загиблих унаслідок ракетного удару по Одесі зросла до 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Херсон, погибли 2 человека. "
        "Число погибших в результате ракетного удара по Одессе возросло до 23.",
        2,
        None,
        "Kherson",
        ["drone"],
    ),
]


@pytest.mark.parametrize(("text", "killed", "injured", "place", "types"), ANOTHER_STRIKE)
def test_a_figure_of_another_strike_lends_this_attack_nothing(
    classify: Classify, text: str, killed: int | None, injured: int | None, place: str, types: list[str]
) -> None:
    result = classify(text, published=PUBLISHED)
    alone = classify(text.rsplit(". ", 1)[0] + ".", published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert [loc.name for loc in result.locations] == [place]
    assert result.attack_types == types
    assert result.weapons == alone.weapons
    assert result.severity == alone.severity


# A wave told city by city, and another city's count with no past period, stay the attack's
# (LABELS.md rule 2): (text, killed, injured, places).
@pytest.mark.parametrize(
    ("text", "killed", "injured", "places"),
    [
        (
            "Russia attacked Ukraine overnight with drones and missiles. "
            "A drone strike on Kharkiv injured 5. The death toll from the missile strike on Odesa rose to 4.",
            4,
            5,
            ["Kharkiv", "Odesa"],
        ),
        (
            "Russian drones hit Sumy overnight, injuring 5 people. "
            "A Russian missile strike on Poltava killed 7 people.",
            7,
            5,
            ["Sumy", "Poltava"],
        ),
    ],
)
def test_another_citys_figure_of_the_same_night_stays(
    classify: Classify, text: str, killed: int, injured: int, places: list[str]
) -> None:
    result = classify(text, published=PUBLISHED)
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert [loc.name for loc in result.locations] == places


# (text, launched): each weapon written with "a"/"an" is one; their sum is launched.
@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Russia struck Dnipro with a Kh-101 missile and a Shahed drone overnight.", 2),
        ("Russia attacked Odesa with a Kalibr missile and an Iskander-M missile on Monday.", 2),
        ("Russian forces attacked Zaporizhzhia using a Kh-59 missile and a guided bomb on Tuesday.", 2),
        # No weapon named: how many is unknown (LABELS.md rule 5).
        ("Russian forces hit Sumy with a missile and a drone overnight.", None),
    ],
)
def test_two_weapons_one_each_are_launched_two(classify: Classify, text: str, launched: int | None) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert result.projectiles.launched == launched
