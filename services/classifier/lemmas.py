"""The seam for inflected languages: a lemmatiser applied to candidate tokens only.

A rule pack for a language whose words change by case (Ukrainian Харків → у Харкові) names a lemmatiser
in its `pack.yaml` and sets `match_attr: LEMMA`; the pipeline then runs `strikewatch_lemmas` before the
matchers, which sets `token.lemma_` on every token: the dictionary form for a candidate token (a
capitalised word, or one that starts like a word of the pack's lexicon), the lower-case text for the
rest. Both phrase matchers compare lemmas, and the phrases themselves (lexicon patterns, place names)
are lemmatised by the same function, so "у Харкові" meets the gazetteer's "Харків".

A lemmatiser is registered by name in `LEMMATISERS` as a factory of `str -> tuple[str, ...]`: the
possible dictionary forms of a lower-case word, most likely first (pymorphy3 for Ukrainian and
Russian, whose dictionaries load once per process). Among them the component takes the first that is
a *known* word (the dictionary form of a word of the lexicon or of a place name), else the first:
pymorphy3 reads "Харкові" as the surname Харко before the city Харків, and "Києві" as кий before Київ.
English needs none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

Forms = Callable[[str], tuple[str, ...]]
# name -> factory of a forms function (built once per pipeline).
LEMMATISERS: dict[str, Callable[[], Callable[[str], Any]]] = {}
# A token is a candidate when its first PREFIX letters start a lexicon word: inflection changes
# Ukrainian and Russian words after the stem's first letters (збити / збили, погибнуть / погибли).
PREFIX = 3
# Words whose lemma is remembered; the cache is emptied when full (news text repeats its words).
CACHE_WORDS = 200_000
# Ways one phrase may be lemmatised (each word as itself or as one of its readings).
MAX_VARIANTS = 8


def _is_word(word: str) -> bool:
    """Letters, with an apostrophe inside allowed: Ukrainian writes one in Слов'янськ and Куп'янськ
    (normalise() reads every apostrophe sign as "'", which is how pymorphy3's dictionary spells them)."""
    return word.replace("'", "").isalpha() and word[:1] != "'" and word[-1:] != "'"


def lemmatiser(name: str) -> Forms:
    """The registered forms function `name` (ValueError naming the known ones otherwise). A factory
    may also give a plain `str -> str` lemma function: its one lemma is then the only reading."""
    factory = LEMMATISERS.get(name)
    if factory is None:
        known = ", ".join(sorted(LEMMATISERS)) or "none"
        raise ValueError(f"no lemmatiser named {name!r} is registered (known: {known})")
    made: Callable[[str], Any] = factory()

    def forms(word: str) -> tuple[str, ...]:
        found = made(word)
        return (found,) if isinstance(found, str) else tuple(found)

    return forms


def _pymorphy(lang: str) -> Callable[[], Forms]:
    def build() -> Forms:
        import pymorphy3  # type: ignore[import-untyped]

        morph = pymorphy3.MorphAnalyzer(lang=lang)

        def forms(word: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(p.normal_form for p in morph.parse(word)))

        return forms

    return build


LEMMATISERS["pymorphy3-uk"] = _pymorphy("uk")
LEMMATISERS["pymorphy3-ru"] = _pymorphy("ru")


class CandidateLemmas:
    """Sets `token.lemma_`: the chosen dictionary form of candidate tokens, the lower case of others."""

    def __init__(self, nlp: Language, name: str, lemmatiser_name: str) -> None:
        self.name = name
        self.forms = lemmatiser(lemmatiser_name)
        self.prefixes: frozenset[str] = frozenset()
        self.known: frozenset[str] = frozenset()
        self.names: frozenset[str] = frozenset()
        self.cache: dict[str, str] = {}
        self.by_orth: dict[int, int] = {}  # written form's hash -> its lemma's hash
        self.banned_places: frozenset[str] = frozenset()
        self.preferred: frozenset[str] = frozenset()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        triggers: Iterable[str] = (),
        known: Iterable[str] = (),
        names: Iterable[str] | None = None,
        preferred: Iterable[str] = (),
    ) -> None:
        """`triggers`: the lexicon's words (dictionary form; their first letters make a token a
        candidate); `known`: every word a phrase may hold (lexicon and place names), preferred among
        a word's readings; `names`: the one-word place names (default: `known`). A name that is
        no reading of a lexicon word is taken by a capitalised word before any other known reading
        (Лозову reads лозовий, the adjective and a word of Лозовий Яр, before лозова, the town).
        `preferred`: the rule pack's one-word place spellings (its big cities); a capitalised word
        that may read as one takes it before even itself: "поблизу Львова" is Lviv (львів), not the
        village Львове, whose readings hold the surname Львова; "поблизу Сум" is Суми, not сум."""
        words = {w.lower() for w in triggers}
        places = {w.lower() for w in known}
        self.known = frozenset(f for w in {*words, *places} for f in self.readings(w))
        named = places if names is None else {w.lower() for w in names}
        self.names = frozenset(named - {f for w in words for f in self.readings(w)})
        self.prefixes = frozenset(w[:PREFIX] for w in {*words, *self.known} if _is_word(w))
        self.preferred = frozenset(w.lower() for w in preferred)
        self.cache = {}
        self.by_orth = {}
        self.banned_places = frozenset()

    def readings(self, word: str) -> tuple[str, ...]:
        """Every lemma the text may give for a form of `word`: itself, then its readings."""
        return tuple(dict.fromkeys((word, *(self.forms(word) if _is_word(word) else ()))))

    def ban_places(
        self,
        lexicon_words: Iterable[str],
        not_places: Iterable[str],
        spelled: Iterable[str],
        names: Iterable[str] = (),
    ) -> None:
        """Lemmas a GeoNames place phrase may not read as: a lexicon word's (the village Атаки is the
        plural of атака, "attack"), a stoplisted word's, and a rule pack spelling's, which wins (the
        village Черкаське and the region adjective Черкаська both read черкаський). `names`: lemmas of
        stoplisted names that are also places (Володимир, a person's and a city's), kept for the places
        stage to decide by their context."""
        banned = {f for w in lexicon_words for f in self.readings(w.lower())}
        banned |= {f for w in not_places if " " not in w for f in self.readings(w.lower())} - set(names)
        banned |= {" ".join(v) for phrase in spelled for v in self._variants(phrase.lower().split())}
        self.banned_places = frozenset(banned)

    def _variants(self, words: list[str]) -> list[tuple[str, ...]]:
        out: list[tuple[str, ...]] = [()]
        for word in words:
            out = [(*v, f) for v in out for f in self.readings(word)][:MAX_VARIANTS]
        return out

    def phrase_variants(self, doc: Doc, *, place: bool = False, spelled: bool = False) -> list[Doc]:
        """`doc` (a phrase) once per way the text may lemmatise it: each word as itself or as any of
        its readings, at most MAX_VARIANTS. A place phrase (`place`) drops the variants a GeoNames
        name may not read as (`ban_places`); a pack spelling (`spelled`) keeps them all."""
        words = [t.lower_ for t in doc]
        out: list[Doc] = []
        for variant in self._variants(words):
            if place and not spelled and " ".join(variant) in self.banned_places:
                continue
            copy = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
            for token, lemma in zip(copy, variant, strict=True):
                token.lemma_ = lemma
            out.append(copy)
        return out

    def lemma(self, word: str, *, capitalised: bool = False) -> str:
        """The dictionary form of lower-case `word`: its first reading that is a known word, else its
        first reading. A `capitalised` word that is one of its own readings stays itself: a name or a
        sentence's first word ("Из-за" is no case of the village Иза), where a lower-case word takes
        the known reading ("дронов" is the plural of дрон before it is the surname Дронов), unless
        a reading is a pack spelling (`preferred`: Львова reads Львів, the city). Another
        capitalised word takes its first reading that is a place name, if any (Смілу: the town
        Сміла, not the adjective смілий; Лозову: Лозова, not лозовий)."""
        key = word if not capitalised else word + "\x00"
        found = self.cache.get(key)
        if found is None:
            readings = self.forms(word)
            if not readings:
                found = word
            elif capitalised and (big := next((f for f in readings if f in self.preferred), None)):
                found = big
            elif capitalised and word in readings:
                found = word
            elif capitalised and (name := next((f for f in readings if f in self.names), None)):
                found = name
            else:
                found = next((f for f in readings if f in self.known), readings[0])
            if len(self.cache) >= CACHE_WORDS:
                self.cache.clear()
            self.cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        # Token objects cost more than the lemmas (measured: 22% of a Ukrainian article's time), so
        # the lemmas are read and written as arrays of string hashes, remembered per written form.
        if not len(doc):
            return doc
        by_orth, strings = self.by_orth, doc.vocab.strings
        orths = doc.to_array([ORTH]).tolist()
        lemmas = [by_orth.get(h) for h in orths]
        if None in lemmas:
            for k, h in enumerate(orths):
                if lemmas[k] is None:
                    lemmas[k] = by_orth[h] = strings.add(self.lemma_of_written(strings[h]))
            if len(by_orth) >= CACHE_WORDS:
                by_orth.clear()
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))  # type: ignore[arg-type]
        return doc

    def lemma_of_written(self, text: str) -> str:
        """The lemma of a token written `text`: the dictionary form of a candidate (capitalised, or
        starting like a lexicon word), the lower case of anything else."""
        low = text.lower()
        capitalised = text[:1].isupper()
        if _is_word(low) and (capitalised or low[:PREFIX] in self.prefixes):
            return self.lemma(low, capitalised=capitalised)
        return low


@Language.factory("strikewatch_lemmas", assigns=["token.lemma"], default_config={"lemmatiser_name": ""})
def make_lemmas(nlp: Language, name: str, lemmatiser_name: str) -> CandidateLemmas:
    return CandidateLemmas(nlp, name, lemmatiser_name)
