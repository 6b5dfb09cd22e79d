"""spaCy components (registered factories) that mark places and domain vocabulary.

Matches are stored as plain `(label, start_char, end_char)` tuples in `doc.user_data` rather than as
`Span` objects: the extraction only needs labels and character offsets, and building ~100 spans per
article (plus reading them back) cost more than the phrase matching itself.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import cast

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .gazetteer import load_gazetteer

PLACES_KEY = "sw_places"
LEXICON_KEY = "sw_lexicon"
_OFFSETS_KEY = "sw_offsets"

Match = tuple[str, int, int]  # (label, start_char, end_char)


def load_lexicon() -> dict[str, list[str]]:
    text = resources.files("services.classifier").joinpath("data", "lexicon.json").read_text("utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def _offsets(doc: Doc) -> list[int]:
    """idx, length, idx, length, ... of the tokens (flat: half the cost of a list of pairs), computed
    once per doc (C loop) and shared by both components."""
    cached = doc.user_data.get(_OFFSETS_KEY)
    if cached is None:
        cached = cast(list[int], doc.to_array([IDX, LENGTH]).ravel().tolist()) if len(doc) else []
        doc.user_data[_OFFSETS_KEY] = cached
    return cached


def _char_matches(doc: Doc, matches: list[tuple[int, int, int]], labels: dict[int, str]) -> list[Match]:
    offsets = _offsets(doc)
    return [
        (labels[match_id], offsets[2 * start], offsets[2 * end - 2] + offsets[2 * end - 1])
        for match_id, start, end in matches
    ]


def matches_of(doc: Doc, key: str) -> list[Match]:
    found = doc.user_data.get(key)
    return found if isinstance(found, list) else []


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
        self.labels = {nlp.vocab.strings[key]: key for key in by_key}

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        self.set_annotations(doc, matches)
        return doc

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        # Longest match wins ("Gulf of Aden" over "Aden", "Kryvyi Rih" over "Rih").
        matches = sorted(matches, key=lambda m: (m[1], -(m[2] - m[1])))
        kept: list[tuple[int, int, int]] = []
        last_end = -1
        for match in matches:
            if match[1] >= last_end:
                kept.append(match)
                last_end = match[2]
        doc.user_data[PLACES_KEY] = _char_matches(doc, kept, self.labels)


class LexiconMatcher:
    """Marks weapons, attack words, targets, actors and context cues, all in one PhraseMatcher pass."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        lexicon = load_lexicon()
        for label, terms in lexicon.items():
            self.matcher.add(label, list(nlp.tokenizer.pipe(terms)))  # type: ignore[union-attr]
        self.labels = {nlp.vocab.strings[label]: label for label in lexicon}

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        self.set_annotations(doc, matches)
        return doc

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        doc.user_data[LEXICON_KEY] = _char_matches(doc, matches, self.labels)


@Language.factory("strikewatch_places", assigns=["doc.user_data"])
def make_places(nlp: Language, name: str) -> PlaceMatcher:
    return PlaceMatcher(nlp, name)


@Language.factory("strikewatch_lexicon", assigns=["doc.user_data"])
def make_lexicon(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher(nlp, name)
