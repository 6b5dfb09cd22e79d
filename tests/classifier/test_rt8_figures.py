"""Red team round 6 (rt8) figure findings, with sentences of our own:

- F3: a downward correction worded "now stands at 4, not 9 as previously reported", or by a sentence
  that names only the earlier figure ("Initial reports had put the number of dead at 12"), is a
  correction of the current figure (`corrections`), and the earlier figure never counts;
- F4: "rose to 12; it had earlier been revised down to 4": a revision told as history is superseded by
  the latest statement of the toll (12, no correction);
- F5: uk/ru, "Раніше ОВА повідомляла про 9 загиблих" never counts and makes the current figure a
  correction; "кількість загиблих знизилася до 4" / "число погибших снизилось до 4" is a correction to 4;
- F16: uk/ru "могли загинути до 15 людей" is killed_max 15 only, as en "up to 15 may have been killed";
- F17: ru "ранены десятки человек" gives a lower bound of 10 injured, as uk "десятки поранених".

The F3/F5 corrections are OTHER_WORDINGS in test_corrections.py, with every other correction."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "The toll from Monday's Russian missile strike on Dnipro climbed to 9, officials said; "
            "it had earlier been revised down to 3.",
            9,
        ),
        (
            "The death toll from the Russian drone attack on Odesa has risen to 7; "
            "it had previously been corrected to 5.",
            7,
        ),
        (
            "The death toll in the Russian strike on Kryvyi Rih rose to 15 on Thursday, "
            "after it had initially been lowered to 11.",
            15,
        ),
    ],
)
def test_a_revision_told_as_history_yields_to_the_latest_toll(
    classify: Classify, text: str, killed: int
) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed == killed
    assert result.casualties.killed_max is None
    assert result.corrections == []


@pytest.mark.parametrize(
    "text",
    [
        "Up to 20 people may have been killed when Russian missiles hit a market in Kostiantynivka.",
        "Унаслідок удару по Кременчуку могли загинути до 20 людей.",
        "Після обстрілу Херсона до 20 людей могли загинути, кажуть рятувальники.",
        "У Сумах внаслідок російської атаки дронів могли загинути до 20 мешканців.",
        "В результате удара по Белгороду могли погибнуть до 20 человек.",
        "После обстрела Донецка до 20 человек могли погибнуть, говорят спасатели.",
        "В Курске при атаке дронов могли погибнуть до 20 жителей.",
    ],
)
def test_up_to_n_may_have_died_is_an_upper_end_in_every_language(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.killed is None
    assert result.casualties.killed_max == 20


@pytest.mark.parametrize(
    "text",
    [
        "В результате удара по Белгороду ранены десятки человек.",
        "После атаки дронов на Курск ранено десятки жителей.",
        "При обстреле Донецка пострадали десятки мирных жителей.",
        "Після удару по Харкову поранено десятки людей.",
    ],
)
def test_tens_of_injured_is_a_lower_bound_in_russian_as_in_ukrainian(classify: Classify, text: str) -> None:
    result = classify(text)
    assert result.is_attack
    assert result.casualties.injured is None
    assert any("at least 10" in reason for reason in result.severity_reasons)
