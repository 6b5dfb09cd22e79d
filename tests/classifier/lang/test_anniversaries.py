"""Anniversaries ("a year has passed since the strike", "a year ago today") are not attacks (LABELS.md
rule 1; sentences of our own); a new strike beside them still is."""

from __future__ import annotations

import pytest

from schemas.models import Article
from services.classifier.engine import Classifier


@pytest.mark.parametrize(
    "text",
    [
        "Минул год с удара по торговому центру в Кременчуге, в результате которого погибли 22 человека.",
        "Минуло два года с ракетного удара по Краматорску, тогда погибли 60 человек.",
        "Прошло три года после удара по драмтеатру в Мариуполе, погибли сотни человек.",
    ],
)
def test_a_year_since_a_strike_is_not_an_attack(classifier: Classifier, text: str) -> None:
    result = classifier.classify([Article(id="r", text=text, published="2026-11-30")])[0]
    assert not result.is_attack


def test_a_strike_tonight_is_still_an_attack(classifier: Classifier) -> None:
    text = "Ночью беспилотники атаковали Курск, погибли два человека, сообщил губернатор."
    result = classifier.classify([Article(id="r", text=text, published="2026-11-30")])[0]
    assert result.is_attack and result.casualties.killed == 2


@pytest.mark.parametrize(
    ("text", "injured"),
    [
        (
            "Exactly one year ago, Russian missiles hit Dnipro, killing 46. Overnight, Russian drones hit "
            "Dnipro again, injuring 5.",
            5,
        ),
        (
            "Overnight, Russian drones hit Dnipro again, injuring 5. Exactly one year ago, Russian missiles "
            "hit Dnipro, killing 46.",
            5,
        ),
        (
            "Ukraine remembers the victims of the 2022 strike on the Kramatorsk station, in which 61 died.",
            None,
        ),
        ("Минулого року в цей день російська ракета влучила в будинок у Дніпрі, загинули 9 людей.", None),
        ("В прошлом году в этот день ракета попала в дом в Днепре, погибли 9 человек.", None),
    ],
)
def test_a_strike_a_year_ago_gives_no_figure_and_no_attack_of_its_own(
    classifier: Classifier, text: str, injured: int | None
) -> None:
    """The old strike's deaths are never the new attack's; with no new strike there is no attack."""
    result = classifier.classify([Article(id="r", text=text, published="2026-11-30")])[0]
    assert result.is_attack is (injured is not None)
    assert result.casualties.killed is None
    assert result.casualties.injured == injured
