"""Red team 8 #1: a text that only updates a toll in a named place is a death-toll update, an attack
report (LABELS.md rule 1), unless it names another cause of death (the pack's `toll_cause`).
Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]

CASES = [
    ("The death toll in Zhytomyr was revised down to 5, the governor said.", "en", True),
    ("The death toll in Kharkiv has risen to 9, the mayor said.", "en", True),
    ("Кількість загиблих у Житомирі уточнили до 5.", "uk", True),
    ("Кількість загиблих у Сумах зросла до 6, повідомила ОВА.", "uk", True),
    ("Число погибших в Днепре снизилось до 5.", "ru", True),
    ("Число погибших в Херсоне возросло до 4.", "ru", True),
    # Another cause of death named: that disaster's toll, no attack.
    ("The death toll from the fire at a shopping centre in Odesa has risen to 12.", "en", False),
    ("The death toll in Lviv rose to 7 after a building collapsed.", "en", False),
    ("Кількість загиблих унаслідок ДТП на Київщині зросла до 4.", "uk", False),
    ("Число погибших при пожаре в Одессе возросло до 3.", "ru", False),
]


@pytest.mark.parametrize(("text", "language", "attack"), CASES)
def test_a_toll_update_alone_is_an_attack_report(run: Run, text: str, language: str, attack: bool) -> None:
    result = run(text, language)
    assert result.is_attack is attack
    if attack:
        assert result.locations and result.casualties.killed is not None
