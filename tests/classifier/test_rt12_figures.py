"""Red team 8 (round 9), classifier figures. #3: "N are in serious condition" (uk "у важкому стані",
ru "в тяжелом состоянии") counts at least N injured. #2: an increment ("a further 3", "two more", "ще 3",
"еще 3") adds to the figure of its kind before it. #4: a revision of a bare toll ("the toll was revised to
25") after a text that states both killed and injured may be the casualty total: it corrects neither
figure, and both stay as stated; a "death toll" names the dead and is applied. Every sentence is our
own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]
PUBLISHED = "2026-11-27"


# (text, killed, injured)
BARE_TOLL = [
    # Both stated, a bare toll revised (not down): neither figure changes (revised down it lowers the
    # killed figure: test_rt10_corrections).
    (
        "A Russian missile strike on Poltava on Friday killed 9 and injured 30. "
        "The toll was later revised to 25.",
        9,
        30,
    ),
    (
        "Russian drones hit Chernihiv overnight, killing 3 people and wounding 17. "
        "Officials later revised the toll to 20.",
        3,
        17,
    ),
    # Guards (passed before): a death toll names the dead; a bare toll with only the dead stated is theirs.
    (
        "A Russian missile strike on Poltava on Friday killed 9 and injured 30. "
        "The death toll was later revised to 11.",
        11,
        30,
    ),
    ("A Russian missile strike on Poltava on Friday killed 9. The toll was later revised to 11.", 11, None),
]


@pytest.mark.parametrize(("text", "killed", "injured"), BARE_TOLL)
def test_a_bare_toll_revision_after_killed_and_injured_changes_neither(
    classify: Classify, text: str, killed: int, injured: int | None
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


# (text, killed, injured): an increment adds to the figure before it.
INCREMENTS = [
    ("Russian drones struck Sumy on Tuesday. 3 people were killed; a further 2 died in hospital.", 5, None),
    (
        "Russian missiles hit Dnipro overnight; 5 people were killed, "
        "and later three more bodies were found under the rubble.",
        8,
        None,
    ),
    ("Вночі дрони атакували Суми, загинули 3 людини, ще 2 померли в лікарні.", 5, None),
    ("Ночью дроны атаковали Сумы, погибли 3 человека, еще 2 скончались в больнице.", 5, None),
    # Guard (passed before): an increment of the other kind adds to nothing.
    ("Russian drones struck Sumy on Tuesday, killing 3 people; another 2 were injured.", 3, 2),
]


@pytest.mark.parametrize(("text", "killed", "injured"), INCREMENTS)
def test_an_increment_adds_to_the_figure_before_it(
    classify: Classify, text: str, killed: int, injured: int | None
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert (result.casualties.killed, result.casualties.injured) == (killed, injured)


# (text, injured): the injured in serious condition are at least injured; a stated total stays.
SERIOUS = [
    (
        "A Russian drone struck Sumy on Monday. "
        "The injured were taken to a hospital; 4 are in serious condition.",
        4,
    ),
    ("Російський дрон атакував Суми. Поранених доставили до лікарні, 4 перебувають у важкому стані.", 4),
    ("Российский дрон атаковал Сумы. Раненых доставили в больницу, 4 находятся в тяжелом состоянии.", 4),
    # Guards (passed before): the total stays the figure.
    ("A Russian drone struck Sumy on Monday, injuring 12 people; 4 of them are in critical condition.", 12),
    ("Російський дрон атакував Суми, поранено 12 людей, 4 з них у важкому стані.", 12),
]


@pytest.mark.parametrize(("text", "injured"), SERIOUS)
def test_the_injured_in_serious_condition_are_at_least_injured(
    classify: Classify, text: str, injured: int
) -> None:
    result = classify(text, published=PUBLISHED)
    assert result.is_attack
    assert result.casualties.injured == injured
    assert result.severity != "Minor"
