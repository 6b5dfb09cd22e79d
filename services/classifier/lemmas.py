"""The seam for inflected languages: a lemmatiser applied to candidate tokens only.

A rule pack for a language whose words change by case (Ukrainian Харків → у Харкові) names a lemmatiser
in its `pack.yaml` and sets `match_attr: LEMMA`; the pipeline then runs `strikewatch_lemmas` before the
matchers, which sets `token.lemma_` on the tokens that may start a phrase (capitalised words and the
pack's trigger words), so the phrase matchers compare dictionary forms at a small cost. A lemmatiser
is registered by name in `LEMMATISERS` as a factory returning `str -> str` (for instance one built on
pymorphy3, whose dictionaries load once). English needs none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

Lemma = Callable[[str], str]
# name -> factory of a lemma function (built once per pipeline, on first use).
LEMMATISERS: dict[str, Callable[[], Lemma]] = {}


def lemmatiser(name: str) -> Lemma:
    """The registered lemma function `name` (ValueError naming the known ones otherwise)."""
    factory = LEMMATISERS.get(name)
    if factory is None:
        known = ", ".join(sorted(LEMMATISERS)) or "none"
        raise ValueError(f"no lemmatiser named {name!r} is registered (known: {known})")
    return factory()


class CandidateLemmas:
    """Sets `token.lemma_` on candidate tokens: capitalised ones and those holding a trigger word."""

    def __init__(self, nlp: Language, name: str, lemmatiser_name: str) -> None:
        self.name = name
        self.lemma = lemmatiser(lemmatiser_name)
        self.triggers: tuple[str, ...] = ()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        triggers: Iterable[str] = (),
    ) -> None:
        self.triggers = tuple(triggers)

    def __call__(self, doc: Doc) -> Doc:
        lemma, triggers = self.lemma, self.triggers
        for token in doc:
            text = token.lower_
            if token.is_alpha and (token.text[:1].isupper() or any(t in text for t in triggers)):
                token.lemma_ = lemma(text)
            else:
                token.lemma_ = text
        return doc


@Language.factory("strikewatch_lemmas", assigns=["token.lemma"], default_config={"lemmatiser_name": ""})
def make_lemmas(nlp: Language, name: str, lemmatiser_name: str) -> CandidateLemmas:
    return CandidateLemmas(nlp, name, lemmatiser_name)
