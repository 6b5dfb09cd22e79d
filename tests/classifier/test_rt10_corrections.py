"""Red team 6 (round 7): a correction changes only the figure it is about, of this attack, to the value
the text ends on. R1/R6: a correction of another day's strike or of a strike on another place touches
none of this attack's figures, places or weapons. R2: a correction of a subset ("injured children") is
no correction of the total. R3: a downward revision to a value above the figure it would lower is not
that figure's. R11: "revised down to 10, then raised to 11" ends on 11. N3: "lowered ... to 5 from 11",
"5, not eleven" are corrections. N4/N9: an earlier report's figures are superseded, not the correction;
"тепер їх 7" is the figure now. N10: the place a correction of this attack names is the attack's. N11:
"as many as 20" is an upper bound. Every sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

from .test_rt11_figures import NOT_M

Classify = Callable[..., Classification]
PUBLISHED = "2026-11-19"


# R1/R6: (text, killed, place, attack types) — the correction sentence is about another strike.
ANOTHER_STRIKE = [
    (
        "Уночі російські дрони атакували Харків, загинули 3 людини. "
        "Кількість загиблих унаслідок удару по Харкову 10 днів тому уточнили до 12.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Харьков, погибли 3 человека. "
        "Число погибших при ударе по Харькову 10 дней назад уточнили до 12.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Russian drones hit Kharkiv overnight, killing 3. "
        "The toll from the strike on Kharkiv 10 days ago was revised to 12.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "A Russian missile struck Kharkiv on Monday, killing 3 people. "
        "Separately, the toll from the strike on Odesa a week ago was revised to 10.",
        3,
        "Kharkiv",
        ["missile"],
    ),
    (
        "Russian drones hit Sumy overnight, killing 4. "
        "The death toll from the missile attack on Dnipro two weeks ago was later revised to 12.",
        4,
        "Sumy",
        ["drone"],
    ),
    (
        "Russian drones hit Kharkiv overnight, killing 3. "
        "Separately, the toll from last month's Iskander missile strike on Odesa was corrected to 9.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Russian drones hit Kharkiv overnight, killing 3. The death toll in Odesa was revised to 10.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Уночі російські дрони атакували Харків, загинули 3 людини. "
        "Кількість загиблих в Одесі уточнили до 10.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Харьков, погибли 3 человека. "
        "Число погибших в Одессе уточнили до 10.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Уночі російські дрони атакували Харків, загинули 3 людини. "
        "Кількість загиблих унаслідок удару по Одесі тиждень тому уточнили до 10.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Російські дрони атакували Суми, загинули 4 людини. "
        "Кількість загиблих після ракетного удару по Дніпру два тижні тому уточнили до 12.",
        4,
        "Sumy",
        ["drone"],
    ),
    (
        "Уночі російські дрони атакували Херсон, загинули 2 людини. "
        "Кількість загиблих унаслідок удару по Одесі місяць тому зменшилася до 9.",
        2,
        "Kherson",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Харьков, погибли 3 человека. "
        "Число погибших при ударе по Одессе неделю назад уточнили до 10.",
        3,
        "Kharkiv",
        ["drone"],
    ),
    (
        "Российские дроны атаковали Сумы, погибли 4 человека. "
        "Число погибших после ракетного удара по Днепру две недели назад уточнили до 12.",
        4,
        "Sumy",
        ["drone"],
    ),
    (
        "Ночью российские дроны атаковали Херсон, погибли 2 человека. "
        "Число погибших при ударе по Одессе месяц назад снизилось до 9.",
        2,
        "Kherson",
        ["drone"],
    ),
]


@pytest.mark.parametrize(("text", "killed", "place", "types"), ANOTHER_STRIKE)
def test_a_correction_of_another_days_or_another_places_strike_is_not_this_attacks(
    classify: Classify, text: str, killed: int, place: str, types: list[str]
) -> None:
    result = classify(text, published=PUBLISHED)
    alone = classify(text.rsplit(". ", 1)[0] + ".", published=PUBLISHED)
    assert result.is_attack
    assert result.casualties.killed == killed
    assert result.corrections == []
    assert [loc.name for loc in result.locations] == [place]
    assert result.attack_types == types
    assert result.weapons == alone.weapons
    assert result.severity == alone.severity


# R2: (text, killed, injured) — the corrected figure is of a part of the victims.
SUBSET = [
    (
        "A Russian missile hit Dnipro, killing 5 and injuring 60. "
        "The number of injured children was corrected to 3.",
        5,
        60,
    ),
    (
        "Russian drones hit Kharkiv on Monday, wounding 40 people. "
        "The number of wounded women was later revised to 6.",
        None,
        40,
    ),
    (
        "Russian shelling of Kherson killed 7 people. "
        "The number of children among the dead was revised to 2.",
        7,
        None,
    ),
    (
        "Російська ракета влучила в Дніпро, поранено 60 людей. Кількість поранених дітей уточнили до 3.",
        None,
        60,
    ),
    ("Російські дрони атакували Харків, загинули 7 людей. Кількість загиблих жінок уточнили до 2.", 7, None),
    (
        "Російська армія обстріляла Херсон, поранено 25 людей. "
        "Кількість поранених підлітків зменшилася до 4.",
        None,
        25,
    ),
    ("Российская ракета попала в Днепр, ранены 60 человек. Число раненых детей уточнили до 3.", None, 60),
    ("Российские дроны атаковали Харьков, погибли 7 человек. Число погибших женщин уточнили до 2.", 7, None),
    ("Обстрел Херсона, ранены 25 человек. Число раненых подростков снизилось до 4.", None, 25),
]


@pytest.mark.parametrize(("text", "killed", "injured"), SUBSET)
def test_a_correction_of_a_subset_is_no_correction_of_the_total(
    classify: Classify, text: str, killed: int | None, injured: int | None
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.corrections == []


# R3: a downward revision to a value above the killed figure is no correction of it.
@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "Russian missiles hit Kharkiv, killing 12 and injuring 40. "
            "The toll was later revised down to 35.",
            12,
            40,
        ),
        (
            "A Russian drone strike on Sumy killed 4 people and wounded 30. "
            "Officials revised the toll down to 20.",
            4,
            30,
        ),
        ("Russian shelling killed 6 people in Kherson and injured 18; the toll was lowered to 15.", 6, 18),
    ],
)
def test_a_downward_revision_above_the_figure_it_would_lower_changes_nothing(
    classify: Classify, text: str, killed: int, injured: int
) -> None:
    result = classify(text, published=PUBLISHED)
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.corrections == []


# (text, killed, injured, corrections): the figure the text ends on, and whether it is a correction.
LAST_VALUE = [
    # R1, R2, R3 counter-cases: a correction of this attack's whole toll stands. "a week ago" names
    # the article's own attack when that attack is a week old.
    (
        "A Russian missile struck Odesa on November 12, killing 9 people. "
        "The toll from the strike a week ago was revised to 10.",
        10,
        None,
        ["killed"],
    ),
    # "children's" names the place struck, not a part of the victims.
    (
        "A Russian missile hit Kyiv on Monday, killing 20. "
        "The death toll of the children's hospital strike was later revised to 22.",
        22,
        None,
        ["killed"],
    ),
    # A downward revision below the figure it lowers.
    (
        "Russian missiles hit Kharkiv, killing 12 and injuring 40. The toll was later revised down to 10.",
        10,
        40,
        ["killed"],
    ),
    # R11: revised, then revised again in the same sentence.
    (
        "A Russian missile hit Dnipro, killing 14. The death toll was revised down to 10, then raised to 11.",
        11,
        None,
        ["killed"],
    ),
    (
        "Russian drones struck Sumy, killing 9 people. "
        "Officials revised the toll down to 6 and later raised it to 7.",
        7,
        None,
        ["killed"],
    ),
    (
        "A Russian strike on Kharkiv injured 30 people. "
        "The number of injured was corrected to 20, then revised to 22.",
        None,
        22,
        ["injured"],
    ),
    (
        "Російська ракета влучила в Дніпро, загинули 14 людей. "
        "Кількість загиблих уточнили до 10, а потім збільшили до 11.",
        11,
        None,
        ["killed"],
    ),
    (
        "Ворог атакував Суми дронами, поранено 30 людей. "
        "Кількість поранених зменшилася до 20, а згодом зросла до 22.",
        None,
        22,
        ["injured"],
    ),
    (
        "Ракета попала в Днепр, погибли 14 человек. Число погибших уточнили до 10, а затем увеличили до 11.",
        11,
        None,
        ["killed"],
    ),
    (
        "Дроны атаковали Сумы, ранены 30 человек. Число раненых снизилось до 20, а потом выросло до 22.",
        None,
        22,
        ["injured"],
    ),
    # Review 8: a revision's "from" figure, a verbless or intransitive second revision.
    (
        "A Russian missile hit Dnipro, killing 14. "
        "The death toll was revised down to 10 from 14, then raised to 11.",
        11,
        None,
        ["killed"],
    ),
    (
        "Russian drones hit Kyiv on Monday, killing 4 people; the toll was revised to 5, then to 6.",
        6,
        None,
        ["killed"],
    ),
    (
        "A Russian missile hit Dnipro, killing 14. "
        "The death toll was revised down to 10 but later rose to 11.",
        11,
        None,
        ["killed"],
    ),
    # Review 8: a downward revision within a range or above a lower bound is plausible.
    (
        "Russian missiles hit Kharkiv, killing 30 to 50 people. The death toll was later revised down to 40.",
        40,
        None,
        ["killed"],
    ),
    (
        "Russian missiles hit Kharkiv, killing at least 12 people. "
        "Officials later revised the toll down to 15.",
        15,
        None,
        ["killed"],
    ),
    # Review 8: a subset's own figure earlier in the sentence does not make the total's a subset's.
    (
        "Russian missiles hit Dnipro on Monday, killing 10. The number of children killed rose to 3, "
        "and the overall death toll was later revised to 12.",
        12,
        None,
        ["killed"],
    ),
    (
        "Российская ракета попала в Днепр, погибли 10 человек. "
        "Число погибших детей выросло до 3, а общее число погибших уточнили до 12.",
        12,
        None,
        ["killed"],
    ),
    # N3: other wordings of a downward correction.
    (
        "Russian missiles hit Dnipro on Monday. Ukrainian officials lowered the death toll to 5 from 11.",
        5,
        None,
        ["killed"],
    ),
    (
        "Russian missiles hit Dnipro on Monday. "
        "Officials corrected the number of injured in the Russian strike from 40 to 14.",
        None,
        14,
        ["injured"],
    ),
    (
        "The regional governor corrected the number of injured in the Russian missile strike on Dnipro "
        "from 40 to 14.",
        None,
        14,
        ["injured"],
    ),
    ("A Russian missile hit Dnipro on Monday, killing 5 people, not eleven.", 5, None, ["killed"]),
    (
        "Russian missiles hit Dnipro on Monday, killing 5 people, not 11 as first reported.",
        5,
        None,
        ["killed"],
    ),
    ("The Russian drone strike on Kharkiv on Monday killed 3, not 8.", 3, None, ["killed"]),
    ("Russian shelling wounded 12 people in Sumy on Monday, not 20.", None, 12, ["injured"]),
    ("Внаслідок російського удару по Дніпру кількість загиблих зменшилася з 11 до 5.", 5, None, ["killed"]),
    ("В результате российского удара по Днепру число погибших уменьшилось с 11 до 5.", 5, None, ["killed"]),
    # N4: an earlier report's figures, both of them, are superseded.
    (
        "A Russian missile hit Kharkiv on Monday. Earlier reports said 9 were killed and 20 injured. "
        "Officials now say 7 people were killed and 25 injured.",
        7,
        25,
        ["killed", "injured"],
    ),
    (
        "Russian drones struck Sumy overnight, killing 4 and injuring 11. "
        "Initial reports had said 6 were killed and 15 injured.",
        4,
        11,
        ["killed", "injured"],
    ),
    (
        "A Russian missile hit Odesa on Monday, killing 2 people and wounding 8. "
        "Earlier reports said 3 were killed and 10 wounded.",
        2,
        8,
        ["killed", "injured"],
    ),
    (
        "Російська ракета влучила в Харків. Раніше повідомлялося про 9 загиблих і 20 поранених. "
        "Тепер відомо про 7 загиблих і 25 поранених.",
        7,
        25,
        ["killed", "injured"],
    ),
    (
        "Росіяни атакували Суми дронами, загинули 4 людини, поранено 11. "
        "Спочатку повідомляли про 6 загиблих і 15 поранених.",
        4,
        11,
        ["killed", "injured"],
    ),
    (
        "Ракета попала в Харьков. Ранее сообщалось о 9 погибших и 20 раненых. "
        "Сейчас известно о 7 погибших и 25 раненых.",
        7,
        25,
        ["killed", "injured"],
    ),
    (
        "Дроны атаковали Сумы, погибли 4 человека, ранены 11. Сначала сообщали о 6 погибших и 15 раненых.",
        4,
        11,
        ["killed", "injured"],
    ),
    # N9: "earlier 3, now 7": the figure now, counted once.
    (
        "Російська ракета влучила в Дніпро. Раніше повідомлялося про 3 загиблих, тепер їх 7.",
        7,
        None,
        ["killed"],
    ),
    (
        "Росіяни атакували Суми дронами. Спочатку повідомляли про 5 поранених, тепер їх 9.",
        None,
        9,
        ["injured"],
    ),
    ("Российская ракета попала в Днепр. Ранее сообщалось о 3 погибших, теперь их 7.", 7, None, ["killed"]),
]


# Red team 7 N3: "N, not M" corrects M to N (test_rt11_figures.NOT_M).
@pytest.mark.parametrize(("text", "killed", "injured", "corrections"), [*LAST_VALUE, *NOT_M])
def test_the_figure_a_correction_ends_on_stands_as_a_correction(
    classify: Classify, text: str, killed: int | None, injured: int | None, corrections: list[str]
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert result.corrections == corrections


# N10: the place a correction of this attack names is the attack's place.
@pytest.mark.parametrize(
    ("text", "killed", "injured", "place"),
    [
        (
            "Russian missiles struck the region on Monday. The death toll in Dnipro was revised down to 5.",
            5,
            None,
            "Dnipro",
        ),
        (
            "Russian drones attacked the region overnight. "
            "The number of injured in Chuhuiv was later corrected to 4.",
            None,
            4,
            "Chuhuiv",
        ),
        (
            "A Russian missile attack hit the south on Tuesday. The death toll in Mykolaiv was lowered to 3.",
            3,
            None,
            "Mykolaiv",
        ),
        (
            "Уночі російські ракети атакували область. Кількість загиблих у Дніпрі уточнили до 5.",
            5,
            None,
            "Dnipro",
        ),
        (
            "Ночью российские ракеты атаковали область. Число погибших в Днепре уточнили до 5.",
            5,
            None,
            "Dnipro",
        ),
        (
            "Уночі російські дрони атакували Харків, загинули 3 людини. "
            "Кількість загиблих у Харкові уточнили до 4.",
            4,
            None,
            "Kharkiv",
        ),
        # Review 8: a sentence that tells of this attack's strike on a second city is not another strike's.
        (
            "A Russian missile struck Kharkiv on Monday, killing 3. "
            "Russian drones also hit Odesa, where the death toll was later revised to 5.",
            5,
            None,
            "Odesa",
        ),
        (
            "Російська ракета влучила в Харків у понеділок, загинули 3 людини. "
            "Також дрони атакували Одесу, де кількість загиблих уточнили до 5.",
            5,
            None,
            "Odesa",
        ),
    ],
)
def test_the_place_of_a_correction_of_this_attack_is_its_place(
    classify: Classify, text: str, killed: int | None, injured: int | None, place: str
) -> None:
    result = classify(text, published=PUBLISHED)
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)
    assert place in [loc.name for loc in result.locations]


# N11: "as many as" is an upper bound, as "up to" is.
@pytest.mark.parametrize(
    ("text", "killed_max", "injured_max"),
    [
        ("Russian missiles hit Dnipro on Monday, killing as many as 20 people.", 20, None),
        ("As many as 15 people were wounded in the Russian strike on Sumy on Monday.", None, 15),
        ("A Russian drone attack on Odesa on Monday killed as many as 8 civilians.", 8, None),
    ],
)
def test_as_many_as_is_an_upper_bound(
    classify: Classify, text: str, killed_max: int | None, injured_max: int | None
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.casualties.killed is None and result.casualties.injured is None
    assert (result.casualties.killed_max, result.casualties.injured_max) == (killed_max, injured_max)
