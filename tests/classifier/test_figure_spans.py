"""Every figure the classifier reports, a zero and a maximum included, has the span that states it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


def spans(c: Classification, field: str) -> list[str]:
    return [ev.text for ev in c.evidence if ev.field == field]


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "A Russian drone hit a garage in Sumy overnight. There were no casualties, officials said.",
            ["no casualties"],
            ["no casualties"],
        ),
        (
            "Russian shells hit a market in Kherson on Monday. "
            "No deaths were reported, but 5 people were hurt.",
            ["No deaths"],
            None,
        ),
        (
            "A missile struck a depot in Odesa on Sunday; nobody was killed, the governor said.",
            ["nobody was killed"],
            ["nobody was killed"],
        ),
    ],
)
def test_a_zero_figure_has_the_words_that_state_it(
    classify: Callable[..., Classification], text: str, killed: list[str], injured: list[str] | None
) -> None:
    c = classify(text)
    assert c.casualties.killed == 0
    assert spans(c, "killed") == killed
    if injured is not None:
        assert c.casualties.injured == 0
        assert spans(c, "injured") == injured


@pytest.mark.parametrize(
    ("text", "low", "high", "span"),
    [
        (
            "A Russian missile struck a school in Kharkiv on Sunday, killing between 8 and 12 people.",
            8,
            12,
            "between 8 and 12",
        ),
        ("Russian shelling of Kherson killed 30–40 people on Monday, the governor said.", 30, 40, "30–40"),
        ("An air strike on a village near Sumy on Friday killed 5 to 9 residents.", 5, 9, "5 to 9"),
    ],
)
def test_a_range_has_one_span_covering_both_ends(
    classify: Callable[..., Classification], text: str, low: int, high: int, span: str
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.killed_max) == (low, high)
    assert spans(c, "killed") == [span]
    assert spans(c, "killed_max") == []


def test_competing_claims_give_the_larger_claim_its_own_span(
    classify: Callable[..., Classification],
) -> None:
    c = classify(
        "Ukrainian rockets hit a barracks in Donetsk on Monday. Moscow admitted 12 soldiers were killed; "
        "Kyiv put the toll at 150 killed."
    )
    assert (c.casualties.killed, c.casualties.killed_max) == (12, 150)
    assert spans(c, "killed") == ["12"]
    assert spans(c, "killed_max") == ["150"]
