"""A line break inside a sentence (hard-wrapped or pasted text) does not end it: the figures after
the break stay the attack's (sentences of our own)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification
from services.classifier.sentences import split


@pytest.mark.parametrize(
    "text",
    [
        "Russian missiles struck Poltava overnight,\nkilling 3 people and injuring 14, the governor said.",
        "Russian missiles struck Poltava overnight,\u2028killing 3 people and injuring 14.",
        "Russian missiles struck Poltava overnight,\x0bkilling 3 people and injuring 14.",
        "Russian missiles struck Poltava overnight\nkilling 3 people and injuring 14 in the city centre.",
        "Уночі російські ракети вдарили по Полтаві,\nзагинули 3 людини, ще 14 поранені.",
    ],
)
def test_figures_after_a_line_break_inside_a_sentence_count(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.injured) == (3, 14)
    assert c.severity == "Severe"


@pytest.mark.parametrize(
    "text",
    [
        "Russian missiles hit Odesa overnight. The strike killed\n12 people and injured 45.",
        "Russian drones struck Sumy, killing\n12 people and injuring 45.",
        "Ракети вдарили по Одесі вночі. Загинули\n12 людей, ще 45\nпоранені.",
        "Ракеты ударили по Одессе ночью. Погибли\n12 человек, еще 45\nранены.",
    ],
)
def test_a_figure_wrapped_onto_the_next_line_counts(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.injured) == (12, 45)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Strike on Kyiv\nThree people were killed.", 2),  # a headline, then a capitalised sentence
        ("Casualties:\n- three killed", 2),  # a list after a colon
        ("drones struck the port,\nkilling two", 1),
        ("дрони атакували порт;\nзагинули двоє", 1),
        ("the strike killed\n12 people", 1),
    ],
)
def test_only_a_break_between_lower_case_words_or_after_a_comma_is_wrapped(text: str, parts: int) -> None:
    assert len(split(text)) == parts
