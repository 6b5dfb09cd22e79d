"""spaCy components (registered factories) that mark lexicon phrases and place names.

In spaCy's shape: typed factory arguments, data given to `initialize` (or read by `from_disk`), never
inside the config; `__call__` is `set_annotations(doc, self.match(doc))`. Matches are stored as plain
`(meaning, start_char, end_char)` tuples in `doc.user_data` rather than as `Span`s: the stages need only
meanings and character offsets, and building ~100 spans per article cost more than the matching.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .rulepack import LexiconRecord

PLACES_KEY = "sw_places"
LEXICON_KEY = "sw_lexicon"


class Cue(NamedTuple):
    """A lexicon phrase found in the text: what it means, and where (character offsets)."""

    record: LexiconRecord
    start: int
    end: int


class PlaceMatch(NamedTuple):
    """A gazetteer name found in the text: its lower-case surface (a `Gazetteer.surfaces` key), and where."""

    key: str
    start: int
    end: int


def _spans(doc: Doc, matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(match id, start char, end char) of token matches: the first token's offset and the last
    token's end, read from those two tokens alone (an article has ~60 matches and ~1,000 tokens:
    half the cost of every token's offsets as an array)."""
    out: list[tuple[int, int, int]] = []
    for match_id, start, end in matches:
        last = doc[end - 1]
        out.append((match_id, doc[start].idx, last.idx + len(last)))
    return out


def cues_of(doc: Doc) -> list[Cue]:
    found = doc.user_data.get(LEXICON_KEY)
    return found if isinstance(found, list) else []


def places_of(doc: Doc) -> list[PlaceMatch]:
    found = doc.user_data.get(PLACES_KEY)
    return found if isinstance(found, list) else []


def _phrase_docs(
    nlp: Language,
    phrases: Sequence[str],
    attr: str = "ORTH",
    lemmas_from: Language | None = None,
    *,
    places: bool = False,
    spelled: frozenset[str] = frozenset(),
) -> list[Doc]:
    """`phrases` tokenised by `nlp`. On LEMMA, each phrase once per way the pipeline's
    `strikewatch_lemmas` (of `lemmas_from`, default `nlp`) may lemmatise a form of it (`places`: a
    place phrase, `spelled`: the pack's own spellings among them), or lower-cased without one."""
    docs = list(nlp.tokenizer.pipe(phrases))  # type: ignore[union-attr]
    if attr != "LEMMA":
        return docs
    source = lemmas_from or nlp
    if "strikewatch_lemmas" not in source.pipe_names:
        for doc in docs:
            for token in doc:
                token.lemma_ = token.lower_
        return docs
    lemmas = source.get_pipe("strikewatch_lemmas")
    return [
        variant
        for phrase, doc in zip(phrases, docs, strict=True)
        for variant in lemmas.phrase_variants(doc, place=places, spelled=phrase.lower() in spelled)  # type: ignore[attr-defined]
    ]


class LexiconMatcher:
    """Marks the rule pack's lexicon (weapons, attack words, targets, actors, context cues) in one
    PhraseMatcher pass, on the token attribute the pack names (`LOWER` for English)."""

    def __init__(self, nlp: Language, name: str, attr: str) -> None:
        self.nlp, self.name, self.attr = nlp, name, attr
        self.matcher = PhraseMatcher(nlp.vocab, attr=attr)
        self.records: list[LexiconRecord] = []
        self.meanings: dict[int, LexiconRecord] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        records: Sequence[LexiconRecord] = (),
    ) -> None:
        """Load the lexicon (the pack's records); phrases that mean the same share one match id."""
        self.matcher = PhraseMatcher(self.nlp.vocab, attr=self.attr)
        self.records = list(records)
        by_key: dict[str, tuple[LexiconRecord, list[str]]] = {}
        for record in self.records:
            by_key.setdefault(record.key, (record, []))[1].append(record.pattern)
        self.meanings = {}
        for key, (record, patterns) in by_key.items():
            self.matcher.add(key, _phrase_docs(self.nlp, patterns, self.attr))
            self.meanings[self.nlp.vocab.strings[key]] = record

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        return self.matcher(doc)

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        meanings = self.meanings
        make = Cue._make  # tuple.__new__ in C: cheaper than calling the class (~40 cues an article)
        doc.user_data[LEXICON_KEY] = [make((meanings[m], s, e)) for m, s, e in _spans(doc, matches)]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "lexicon.jsonl").open("w", encoding="utf-8") as f:
            for record in self.records:
                f.write(record.model_dump_json(exclude_defaults=True) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LexiconMatcher:
        lines = (Path(path) / "lexicon.jsonl").read_text(encoding="utf-8").splitlines()
        self.initialize(records=[LexiconRecord.model_validate(json.loads(x)) for x in lines if x.strip()])
        return self


class PlaceMatcher:
    """Marks gazetteer names. Longest match wins ("Gulf of Aden" over "Aden", "Kryvyi Rih" over "Rih");
    which matches are places is the places stage's decision (case, common words, context)."""

    def __init__(self, nlp: Language, name: str, attr: str) -> None:
        self.nlp, self.name, self.attr = nlp, name, attr
        # The ~70,000 place names are tokenised into a vocabulary of their own: matches compare
        # string hashes, which do not depend on the vocabulary, and the pipeline's own vocabulary
        # stays small (a large one slows every article's tokenizer lookups by ~5%).
        self.names = spacy.blank(nlp.lang or "en")
        self.matcher = PhraseMatcher(self.names.vocab, attr=attr)
        self.phrases: dict[str, str] = {}
        self.keys: dict[int, str] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        phrases: Mapping[str, str] | None = None,
        spelled: Iterable[str] = (),
    ) -> None:
        """Load `phrases` (surface form → place key, from the gazetteer and the pack's spellings;
        `spelled`: the lower-case surfaces that are the pack's own spellings)."""
        self.matcher = PhraseMatcher(self.names.vocab, attr=self.attr)
        self.phrases = dict(phrases or {})
        by_key: dict[str, list[str]] = {}
        for surface, key in self.phrases.items():
            by_key.setdefault(key, []).append(surface)
        self.keys = {}
        for key, surfaces in by_key.items():
            docs = _phrase_docs(
                self.names, surfaces, self.attr, self.nlp, places=True, spelled=frozenset(spelled)
            )
            if docs:
                self.matcher.add(key, docs)
            self.keys[self.names.vocab.strings[key]] = key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        kept: list[tuple[int, int, int]] = []
        last_end = -1
        for match in matches:
            if match[1] >= last_end:
                kept.append(match)
                last_end = match[2]
            elif match[1:] == kept[-1][1:] and self._own(doc, match) and not self._own(doc, kept[-1]):
                # Two names on one span: the one the text itself reads wins over one whose own form
                # only reads the same (Сміла, the town, over Сміл, an old name of Izmail read as сміла).
                kept[-1] = match
        return kept

    def _own(self, doc: Doc, match: tuple[int, int, int]) -> bool:
        """Whether the match's surface is what its tokens read (their LEMMA or LOWER, by `attr`)."""
        lemma = self.attr == "LEMMA"
        read = "".join((t.lemma_ if lemma else t.lower_) + t.whitespace_ for t in doc[match[1] : match[2]])
        return self.keys[match[0]] == read.rstrip()

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        keys = self.keys
        make = PlaceMatch._make
        doc.user_data[PLACES_KEY] = [make((keys[m], s, e)) for m, s, e in _spans(doc, matches)]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "phrases.jsonl").open("w", encoding="utf-8") as f:
            for surface, key in self.phrases.items():
                f.write(json.dumps({"pattern": surface, "key": key}, ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PlaceMatcher:
        rows = [
            json.loads(x) for x in (Path(path) / "phrases.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        self.initialize(phrases={row["pattern"]: row["key"] for row in rows})
        return self


@Language.factory("strikewatch_lexicon", assigns=["doc.user_data"], default_config={"attr": "LOWER"})
def make_lexicon(nlp: Language, name: str, attr: str) -> LexiconMatcher:
    return LexiconMatcher(nlp, name, attr)


@Language.factory("strikewatch_places", assigns=["doc.user_data"], default_config={"attr": "LOWER"})
def make_places(nlp: Language, name: str, attr: str) -> PlaceMatcher:
    return PlaceMatcher(nlp, name, attr)
