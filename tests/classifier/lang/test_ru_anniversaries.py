"""Russian anniversaries told as "a year has passed since the strike" are not attacks (LABELS.md
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
