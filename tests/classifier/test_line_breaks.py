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


@pytest.mark.parametrize(
    ("text", "place", "figures"),
    [
        ("Russian drones struck homes in\nKharkiv overnight, killing two people.", "Kharkiv", (2, None)),
        ("A Russian missile hit a school near\nOdesa on Sunday, injuring five.", "Odesa", (None, 5)),
        ("Russian shelling of\nKherson killed three people and wounded six.", "Kherson", (3, 6)),
        ("Уночі російські дрони атакували будинки у\nХаркові, загинули двоє людей.", "Kharkiv", (2, None)),
        ("Ракета попала в жилой дом в\nОдессе, ранены пять человек.", "Odesa", (None, 5)),
    ],
)
def test_a_break_after_a_word_that_never_ends_a_sentence_is_inside_it(
    classify: Callable[..., Classification], text: str, place: str, figures: tuple[int | None, int | None]
) -> None:
    """Red team F13: a line break before a capitalised word ended the sentence even after "in", "near",
    "of" (the pack's `line_joiners`), so the place and the figures after it were lost."""
    c = classify(text)
    assert place in [loc.name for loc in c.locations]
    assert (c.casualties.killed, c.casualties.injured) == figures


def test_joiners_keep_a_break_inside_the_sentence_only_after_those_words() -> None:
    joiners = frozenset({"in", "near"})
    assert len(split("Drones struck homes in\nKharkiv overnight.", joiners)) == 1
    assert len(split("Drones struck homes IN\nKharkiv overnight.", joiners)) == 1
    assert len(split("Drones struck homes in\nKharkiv overnight.")) == 2  # no joiners given
    assert len(split("Strike on Kyiv\nThree people were killed.", joiners)) == 2  # "Kyiv" ends the line
    assert len(split("Drones struck Berlin\nKharkiv was hit too.", joiners)) == 2  # "in" inside "Berlin"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Russian drones hit building No. 15 in Odesa overnight, killing 2.", "Odesa"),
        ("Russian drones hit Kharkiv's School No. 3 overnight, killing 2.", "Kharkiv"),
        ("A Russian missile struck Lyceum No. 7 in Sumy, killing 2 people.", "Sumy"),
    ],
)
def test_a_number_sign_does_not_end_the_sentence(
    classify: Callable[..., Classification], text: str, place: str
) -> None:
    """Red team 14 F9: "No." before its number ended the sentence, and the place and figure after it
    were lost (Moderate, no figure)."""
    c = classify(text)
    assert c.casualties.killed == 2
    assert [loc.name for loc in c.locations] == [place]
    assert c.severity == "Severe"


def test_saint_and_number_abbreviations_are_not_sentence_ends() -> None:
    text = "Drones hit St. Petersburg and Mt. Hermon. Shelling hit School No. 5. The end."
    assert [text[s:e] for s, e in split(text)] == [
        "Drones hit St. Petersburg and Mt. Hermon.",
        "Shelling hit School No. 5.",
        "The end.",
    ]
