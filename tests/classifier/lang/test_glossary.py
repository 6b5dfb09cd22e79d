"""The severity reasons of a Ukrainian or Russian report are English: the damage words the `critical`
and `civil_damage` slots match are given by the pack's glossary (rules/{uk,ru}/glossary.yaml)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from schemas.models import Classification
from services.classifier.rulepack import RulePack, _top_alternatives, expand, load_language

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SLOTS = ("critical", "civil_damage")


def _alternatives(pack: RulePack, slot: str) -> list[str]:
    """The alternatives of a slot's `\\b(?:a|b|...)` regex as written in slots.yaml."""
    source = expand(getattr(pack.slots, slot).regex, {})
    m = re.fullmatch(r"\\b\(\?:(.*)\)(?:\\b)?", source)
    assert m is not None, f"{pack.language} {slot}: not one \\b(?:...) alternation"
    return _top_alternatives(m.group(1))


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_every_damage_alternative_has_an_english_term(language: str) -> None:
    pack = load_language(language)
    patterns = {entry.pattern for entry in pack.glossary.terms}
    for slot in SLOTS:
        alternatives = _alternatives(pack, slot)
        assert len(alternatives) > 10
        missing = [a for a in alternatives if a not in patterns]
        assert not missing, f"{language} {slot}: no glossary entry for {missing}"
    for entry in pack.glossary.terms:
        assert not CYRILLIC.search(entry.term), entry


def _sample(alternative: str) -> str:
    """A word `alternative` matches: the shortest stem ("підстанці\\w*" -> "підстанці"), one letter for
    `\\w+`, the first choice of a group or set."""
    word = alternative.replace("\\b", "").replace("\\w*", "").replace("\\w+", "а")
    word = re.sub(r"\[(.)[^\]]*\]", r"\1", word)
    return re.sub(r"\(\?:([^|)]*)[^)]*\)", r"\1", word)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_no_earlier_entry_shadows_an_alternative(language: str) -> None:
    """A word of each alternative gets that alternative's own term, not an earlier entry's."""
    pack = load_language(language)
    own = {entry.pattern: entry.term for entry in pack.glossary.terms}
    for slot in SLOTS:
        for alternative in _alternatives(pack, slot):
            word = _sample(alternative)
            assert re.fullmatch(alternative, word), (alternative, word)
            assert pack.glossary.english(word) == own[alternative], (alternative, word)


def test_the_first_fullmatching_entry_gives_the_term_and_unknown_words_stay() -> None:
    uk, en = load_language("uk"), load_language("en")
    assert uk.glossary.english("житловий будинок") == "homes"
    assert uk.glossary.english("будинок") == "houses"
    assert uk.glossary.english("підстанцію") == "substation"
    assert uk.glossary.english("будинок культури") == "будинок культури"  # no entry: as written
    assert en.glossary.english("substation") == "substation"  # the English pack has no glossary


CASES = [
    (
        "uk",
        "Вночі росіяни атакували Харків дронами. Пошкоджено житловий будинок, лікарню та приватні будинки.",
        "Moderate",
        ["homes", "hospital", "houses"],
    ),
    (
        "uk",
        "Уранці ворог завдав ракетного удару по Одесі. Пошкоджено підстанцію та електростанцію.",
        "Severe",
        ["substation", "power plant"],
    ),
    (
        "uk",
        "Ввечері окупанти обстріляли Херсон з артилерії. "
        "Зруйновано будинок, пошкоджено будинки, автомобілі та вікна.",
        "Moderate",
        ["houses", "cars", "windows"],
    ),
    (
        "ru",
        "Ночью ВСУ атаковали Белгород беспилотниками. Повреждены жилой дом, больница и частные дома.",
        "Moderate",
        ["homes", "hospital", "houses"],
    ),
    (
        "ru",
        "Утром дрон атаковал Курск. Повреждена подстанция, а также нефтебаза.",
        "Severe",
        ["substation", "oil depot"],
    ),
    (
        "ru",
        "Вечером Донецк обстреляли из артиллерии. Разрушен дом, повреждены здания, машины и окна.",
        "Moderate",
        ["houses", "buildings", "cars", "windows"],
    ),
]


@pytest.mark.parametrize(
    ("language", "text", "severity", "words"), CASES, ids=[f"{c[0]}-{'-'.join(c[3])}" for c in CASES]
)
def test_severity_reasons_are_english(
    run: Callable[[str, str], Classification], language: str, text: str, severity: str, words: list[str]
) -> None:
    result = run(text, language)
    assert result.is_attack
    assert result.severity == severity
    assert result.severity_reasons
    for reason in result.severity_reasons:
        assert not CYRILLIC.search(reason), reason
    damage = next(r for r in result.severity_reasons if r.startswith("damage to"))
    for word in words:
        assert word in damage, (word, damage)
    # Each English term once, though two words of the text give it.
    m = re.fullmatch(r"damage to (?:critical infrastructure \((.*)\)|(.*)) → \w+", damage)
    assert m is not None, damage
    listed = (m.group(1) or m.group(2)).split(", ")
    assert len(listed) == len(set(listed)), damage
