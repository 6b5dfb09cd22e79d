"""An earlier figure named after its correction never counts (the packs' `superseded` slot, F6): "killed
34 ..., correcting an earlier toll of 35" is 34, and 34 is the correction (`corrections`). A toll that
rose from an earlier figure is an update, not a correction. Sentences of our own; the cases where the
earlier figure is superseded are SUPERSEDED in test_corrections.py, with every other correction."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


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
