"""spaCy components (registered factories) that mark places and domain vocabulary as span groups."""

from __future__ import annotations

import json
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .gazetteer import load_gazetteer

PLACES_KEY = "sw_places"
LEXICON_KEY = "sw_lexicon"


def load_lexicon() -> dict[str, list[str]]:
    text = resources.files("services.classifier").joinpath("data", "lexicon.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


class PlaceMatcher:
    """Marks gazetteer names (case-sensitive, so 'Reading' the verb at a sentence start is rarer)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        gaz = load_gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_key: dict[str, list[str]] = {}
        for surface, key in gaz.phrases.items():
            by_key.setdefault(key, []).append(surface)
        for key, surfaces in by_key.items():
            self.matcher.add(key, list(nlp.tokenizer.pipe(surfaces)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        self.set_annotations(doc, matches)
        return doc

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in matches]
        # Longest match wins ("Gulf of Aden" over "Aden", "Kryvyi Rih" over "Rih").
        spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[Span] = []
        last_end = -1
        for span in spans:
            if span.start >= last_end:
                kept.append(span)
                last_end = span.end
        doc.spans[PLACES_KEY] = kept


class LexiconMatcher:
    """Marks weapons, attack words, targets, actors and context cues, all in one PhraseMatcher pass."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, terms in load_lexicon().items():
            self.matcher.add(label, list(nlp.tokenizer.pipe(terms)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        self.set_annotations(doc, matches)
        return doc

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        doc.spans[LEXICON_KEY] = [Span(doc, start, end, label=match_id) for match_id, start, end in matches]


@Language.factory("strikewatch_places", assigns=["doc.spans"])
def make_places(nlp: Language, name: str) -> PlaceMatcher:
    return PlaceMatcher(nlp, name)


@Language.factory("strikewatch_lexicon", assigns=["doc.spans"])
def make_lexicon(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher(nlp, name)
