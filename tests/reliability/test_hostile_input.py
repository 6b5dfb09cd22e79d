"""Hostile input (issue 10 item 2): every adversarial article is classified or refused alone, and
the expensive stages are never given more work than the bounds allow.

Cost is asserted as work (characters, runs, tokens the stages see), never as time: the CPU figures
per article live in RELIABILITY.md, written by `python -m bench.hostile`."""

from __future__ import annotations

import re

import pytest

from bench.hostile import (
    DECLARED,
    RU_ENDINGS,
    RU_LETTERS,
    SENTENCE,
    UK_ENDINGS,
    UK_LETTERS,
    UNDER_BOUND,
    adversarial_corpus,
    mixed_script,
    unique_words,
)
from schemas import Article, Classification
from services.classifier.engine import Bounds, Classifier
from services.classifier.normalise import MAX_SYMBOL_RUN, MAX_TOKEN_CHARS, Normalised
from services.classifier.rulepack import load_language
from services.common.outcome import Rejected

CORPUS = adversarial_corpus()


@pytest.mark.parametrize(("name", "text"), CORPUS, ids=[name for name, _ in CORPUS])
def test_adversarial_article_is_bounded_then_classified_or_refused(
    engine: Classifier, name: str, text: str
) -> None:
    article = Article(id="hostile", text=text, language=DECLARED.get(name))
    seen = engine.prepare(article)
    result = engine.classify([article])[0]
    if len(text) > engine.bounds.max_chars:
        assert isinstance(seen, Rejected) and isinstance(result, Rejected)
        assert str(engine.bounds.max_chars) in result.reason and "'hostile'" in result.reason
        return
    assert isinstance(seen, Normalised) and isinstance(result, Classification)
    # The work the expensive stages get is bounded by size, whatever the input's shape.
    assert len(seen.text) <= engine.bounds.stage_chars
    assert max((len(m) for m in re.findall(r"[^\w\s]+", seen.text)), default=0) <= MAX_SYMBOL_RUN
    assert max((len(t) for t in seen.text.split()), default=0) <= MAX_TOKEN_CHARS
    assert "\n\n\n" not in seen.text and "  " not in seen.text
    for ev in result.evidence:
        assert text[ev.start : ev.end] == ev.text


def test_pathological_runs_collapse_to_the_sentence_they_hide(engine: Classifier) -> None:
    wrapped = "(" * 20_000 + SENTENCE + ")" * 20_000
    seen = engine.prepare(Article(id="p", text=wrapped))
    assert isinstance(seen, Normalised)
    # The sentence's closing "." joins the run of ")" that follows it: 8 symbols in all are kept.
    assert seen.text == "(" * MAX_SYMBOL_RUN + SENTENCE + ")" * (MAX_SYMBOL_RUN - 1)
    result = engine.classify([Article(id="p", text=wrapped)])[0]
    assert isinstance(result, Classification) and result.is_attack
    assert result.casualties.injured == 4 and {loc.name for loc in result.locations} == {"Kharkiv"}


def test_a_refused_article_does_not_hold_back_the_others(engine: Classifier) -> None:
    articles = [
        Article(id="good-1", text=SENTENCE),
        Article(id="huge", text="a" * (engine.bounds.max_chars + 1)),
        Article(id="good-2", text=SENTENCE.replace("Kharkiv", "Odesa")),
    ]
    results = engine.classify(articles)
    assert isinstance(results[1], Rejected) and "'huge'" in results[1].reason
    assert [r.id for r in (results[0], results[2]) if isinstance(r, Classification)] == ["good-1", "good-2"]
    assert all(isinstance(r, Classification) and r.is_attack for r in (results[0], results[2]))


def test_stages_read_at_most_the_bound_of_a_long_article(engine: Classifier) -> None:
    long_text = (SENTENCE + "\n") * 1_000  # ~80,000 characters, under the refusal bound
    seen = engine.prepare(Article(id="l", text=long_text))
    assert isinstance(seen, Normalised) and len(seen.text) <= engine.bounds.stage_chars
    assert seen.text.endswith("said.")  # cut at a line break, not inside a sentence


def test_the_vocabulary_stays_bounded_and_classification_survives_a_rebuild() -> None:
    engine = Classifier(Bounds(max_vocab_strings=len(Classifier().nlp.vocab.strings) + 5_000))
    before = engine.nlp
    junk = [
        Article(id=f"junk-{i}", text=" ".join(f"zq{i}x{j}" for j in range(2_000)) + ".") for i in range(6)
    ]
    for article in junk:
        engine.classify([article])
        assert len(engine.nlp.vocab.strings) <= engine.bounds.max_vocab_strings
    assert engine.nlp is not before  # rebuilt at least once
    (result,) = engine.classify(
        [Article(id="after", text="Russian drones struck Kharkiv overnight, killing two.")]
    )
    assert isinstance(result, Classification) and result.is_attack and result.casualties.killed == 2


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("uk", unique_words(UK_LETTERS, UK_ENDINGS, UNDER_BOUND)),
        ("ru", unique_words(RU_LETTERS, RU_ENDINGS, UNDER_BOUND)),
        ("uk", mixed_script(UNDER_BOUND)),
    ],
    ids=["unique Ukrainian words", "unique Russian words", "mixed scripts"],
)
def test_the_lemmatiser_meets_at_most_the_words_the_stages_read(
    engine: Classifier, language: str, text: str
) -> None:
    """199,000 characters of words no dictionary holds, each new: pymorphy3 (the expensive part of
    a Cyrillic article, ~0.1 ms a word) is asked about at most the words of the bounded text, once
    each, not about the article's ~19,000."""
    lemmas = engine.reader(language).nlp.get_pipe("strikewatch_lemmas")  # type: ignore[union-attr]
    asked: list[str] = []
    forms = lemmas.forms

    def counted(word: str) -> tuple[str, ...]:
        asked.append(word)
        return forms(word)

    # Every word new, as for the first article that holds them (another test may have met them).
    lemmas.cache.clear()
    lemmas.by_orth.clear()
    lemmas.forms = counted
    try:
        article = Article(id="cyr", text=text)
        seen = engine.prepare(article)
        (result,) = engine.classify([article])
    finally:
        lemmas.forms = forms
    assert isinstance(seen, Normalised) and len(seen.text) <= engine.bounds.stage_chars
    assert isinstance(result, Classification) and result.language == language
    assert len(text.split()) > 10 * len(seen.text.split())
    assert 0 < len(asked) <= len(seen.text.split())
    assert len(asked) == len(set(asked))


def test_a_declared_language_the_text_contradicts_is_not_believed(engine: Classifier) -> None:
    english = Article(id="en-as-uk", text=(SENTENCE + " ") * 2_000, language="uk")
    (result,) = engine.classify([english])
    assert isinstance(result, Classification) and result.language == "en" and result.is_attack
    assert result.casualties.injured == 4


@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_a_run_of_digit_groups_is_read_at_most_five_groups_at_a_time(language: str) -> None:
    """The pack's `digits` reads "1 200 000" whole but never joins more than five groups: an
    unbounded run made every start position re-read the rest of a run of 3-digit numbers (the
    cost of a 12,000-character run grew with its square: 20 s)."""
    digits = re.compile(load_language(language).numbers.digits)
    assert [m.group() for m in digits.finditer("1 200 000 and 1,500")] == ["1 200 000", "1,500"]
    run = " ".join(str(100 + i) for i in range(40))
    assert max(len(m.group().split()) for m in digits.finditer(run)) == 5
