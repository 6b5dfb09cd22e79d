"""The classifier's public interface: build the pipelines once, classify batches of articles.

One *reader* per language with a rule pack (`READ_LANGUAGES`): the pack, its gazetteer (Latin names
for English, Cyrillic for Ukrainian and Russian) and the spaCy pipeline built from them; every reader
runs the same stages. Each article's language is read first (`language.py`: the article's own field,
else a script check, else the detector); an article in a language without a pack is not read and
says so (`skipped_reason`), never a silent "no attack". Output is English and canonical whatever the
language; evidence spans index the article's own text.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.models import Article, Classification
from services.common.articles import MAX_ARTICLE_CHARS
from services.common.outcome import Rejected

from .classify import classify_doc
from .gazetteer import Gazetteer, load_gazetteer
from .language import UNDETERMINED, LanguageReader
from .normalise import Normalised, normalise
from .pipeline import build_nlp
from .rulepack import RULES_DIR, RulePack, load_language

CLASSIFIER_VERSION = "rules-0.14.0"
# Languages with a rule pack under rules/ (English is built at start-up, the others on first use).
READ_LANGUAGES: tuple[str, ...] = tuple(
    sorted(p.name for p in RULES_DIR.iterdir() if (p / "pack.yaml").is_file())
)
_CYRILLIC = frozenset({"uk", "ru"})


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much work one article may cost, by size (never by wall-clock, so a result does not depend
    on how loaded the machine is).

    `max_chars`: an article longer than this is refused (`Rejected`): ~30,000 words, far beyond any
    news page, so only junk or an attack on the service is refused. `stage_chars`: the expensive
    stages (tokenizer, matchers, patterns) read at most this many normalised characters, cut at a
    line or sentence break: ~2,000 words, where a report's primary attack has long been told.
    `max_vocab_strings`: spaCy's vocabulary keeps every string it has ever met, so a long-running
    classifier fed new words (or junk) would grow without end; past this many strings a language's
    pipeline is rebuilt (~2-3 s, once per some hundred thousand new words), which frees them."""

    max_chars: int = MAX_ARTICLE_CHARS
    stage_chars: int = 12_000
    max_vocab_strings: int = 500_000


@dataclass(frozen=True, slots=True)
class Reader:
    """Everything one language needs: its pack, its place names, its pipeline."""

    pack: RulePack
    gazetteer: Gazetteer
    nlp: object  # spacy.language.Language (untyped library)


def skipped_reason(language: str) -> str:
    """The Classification's `skipped_reason` for an article in `language` (no pack, or "und")."""
    if language == UNDETERMINED:
        return "language could not be determined (und)"
    return f"language {language} not supported"


class Classifier:
    """Built once per process (the composition root): the rule packs and the gazetteers are loaded
    here and passed to every stage; the spaCy pipelines are built from them.

    `pack`/`gazetteer`: the English reader's (tests give their own); `languages`: which packs may be
    read (default: every pack shipped). Readers other than the given pack's are built on first use
    (~2 s each), so an English-only process never loads the Cyrillic tables or the morphology."""

    def __init__(
        self,
        bounds: Bounds | None = None,
        *,
        pack: RulePack | None = None,
        gazetteer: Gazetteer | None = None,
        languages: Sequence[str] | None = None,
    ) -> None:
        self.bounds = bounds or Bounds()
        self.pack = pack or load_language("en")
        places = gazetteer or load_gazetteer(not_places=self.pack.stoplists.never_places)
        self.gazetteer = places.with_spellings(self.pack.place_spellings)
        self.nlp = build_nlp(self.pack, self.gazetteer.phrases())
        self.languages = frozenset(languages if languages is not None else READ_LANGUAGES) | {
            self.pack.language
        }
        self.readers: dict[str, Reader] = {self.pack.language: Reader(self.pack, self.gazetteer, self.nlp)}
        self.language_reader = LanguageReader()
        self._lock = threading.Lock()
        self._cyrillic: Gazetteer | None = None
        self._refreeze = False  # see `_bound_vocabulary`

    def reader(self, language: str) -> Reader | None:
        """The reader of `language`, built on first use; None for a language without a pack."""
        found = self.readers.get(language)
        if found is not None or language not in self.languages:
            return found
        with self._lock:
            found = self.readers.get(language)
            if found is None:
                pack = load_language(language)
                if language in _CYRILLIC:
                    if self._cyrillic is None:
                        self._cyrillic = load_gazetteer(script="cyrillic")
                    base = self._cyrillic
                else:
                    base = load_gazetteer(not_places=pack.stoplists.never_places)
                places = base.with_spellings(pack.place_spellings)
                found = Reader(pack, places, build_nlp(pack, places.phrases()))
                self.readers[language] = found
        return found

    def warm(self) -> None:
        """Build every allowed language's reader and the language detector now (~6 s with uk/ru),
        so a service's first Cyrillic article does not pay for them; then keep what was built out of
        the cyclic collector's reach (`gc.freeze`, see below). Idempotent; thread-safe."""
        for language in sorted(self.languages):
            self.reader(language)
        self.language_reader.detector()
        # The gazetteer and the packs are ~340,000 tracked objects that live as long as the process.
        # Every full collection walked them all (0.2-0.9 s each; in a warmed process one per ~5,000
        # seed and dev articles, ~2% of the CPU; unwarmed, one per ~1,000-2,000); frozen, a full
        # collection walks only what was made since. They are never garbage, so nothing is kept
        # that would have been freed (`_bound_vocabulary` thaws them before it drops a pipeline).
        # Process-wide: the service's warm-up is the place.
        gc.freeze()

    def prepare(self, article: Article) -> Normalised | Rejected:
        """What the expensive stages will read of `article`, or why it is refused."""
        read = self._read(article)
        return read if isinstance(read, Rejected) else read[0]

    def _read(self, article: Article) -> tuple[Normalised, bool] | Rejected:
        """`prepare`, and whether the text was cut at `stage_chars` (reported as `truncated`)."""
        size = len(article.text)
        if size > self.bounds.max_chars:
            limit = self.bounds.max_chars
            return Rejected(f"article {article.id!r} is {size} characters; the classifier's limit is {limit}")
        whole = normalise(article.text)
        seen = whole.cut(self.bounds.stage_chars)
        return seen, len(seen.text) < len(whole.text)

    def classify(self, articles: Sequence[Article]) -> list[Classification | Rejected]:
        """One result per article, in order: a Classification, or a Rejected with its reason.

        Articles are grouped by language so each pipeline reads its batch in one `nlp.pipe`."""
        if self._refreeze:
            self._refreeze = False
            gc.collect()  # frees the pipeline `_bound_vocabulary` dropped (~0.5 s, once a rebuild)
            gc.freeze()
        reads = [self._read(a) for a in articles]
        prepared = [r if isinstance(r, Rejected) else r[0] for r in reads]
        cut = [not isinstance(r, Rejected) and r[1] for r in reads]
        out: list[Classification | Rejected | None] = [None] * len(articles)
        groups: dict[str, list[int]] = {}
        for i, (article, item) in enumerate(zip(articles, prepared, strict=True)):
            if isinstance(item, Rejected):
                out[i] = item
                continue
            language = self.language_reader.read(item.text, article.language).language
            if self.reader(language) is None:
                out[i] = _skipped(article, language)
                continue
            groups.setdefault(language, []).append(i)
        for language, indices in groups.items():
            reader = self.readers[language]
            texts = [prepared[i].text for i in indices]  # type: ignore[union-attr]
            docs = reader.nlp.pipe(texts, batch_size=64)  # type: ignore[attr-defined]
            for i, doc in zip(indices, docs, strict=True):
                item = prepared[i]
                assert isinstance(item, Normalised)
                result = classify_doc(
                    doc,
                    item,
                    article=articles[i],
                    pack=reader.pack,
                    gazetteer=reader.gazetteer,
                    version=CLASSIFIER_VERSION,
                    language=language,
                )
                out[i] = _as_read(result, articles[i], item, cut=cut[i])
            self._bound_vocabulary(language)
        return [r for r in out if r is not None]

    def _bound_vocabulary(self, language: str) -> None:
        """Rebuild `language`'s pipeline once its vocabulary holds more than `max_vocab_strings`
        strings (see `Bounds`). The rule packs and gazetteer are kept; only spaCy's state is new."""
        reader = self.readers[language]
        if len(reader.nlp.vocab.strings) <= self.bounds.max_vocab_strings:  # type: ignore[attr-defined]
            return
        with self._lock:
            nlp = build_nlp(reader.pack, reader.gazetteer.phrases())
            self.readers[language] = Reader(reader.pack, reader.gazetteer, nlp)
            if language == self.pack.language:
                self.nlp = nlp
            if gc.get_freeze_count():
                # The old pipeline (cyclic: its components point back at it) was frozen by `warm`,
                # and `classify` still holds it: thaw now; the next `classify` frees it, then freezes.
                gc.unfreeze()
                self._refreeze = True


def _as_read(result: Classification, article: Article, seen: Normalised, *, cut: bool) -> Classification:
    """`result` with what the stages did not see made explicit: the article's `published_basis`, and
    when the text was cut at `Bounds.stage_chars`, `truncated` and `read_chars` (characters of the
    article's own text read from its start, mapped back through normalisation)."""
    update: dict[str, object] = {}
    if article.published_basis != result.published_basis:
        update["published_basis"] = article.published_basis
    if cut:
        update |= {"truncated": True, "read_chars": seen.span(0, len(seen.text))[1]}
    return result.model_copy(update=update) if update else result


def _skipped(article: Article, language: str) -> Classification:
    return Classification(
        id=article.id,
        is_attack=False,
        attack_score=0.0,
        title=article.title,
        published=article.published,
        published_basis=article.published_basis,
        source=article.source,
        url=article.url,
        ingested_at=article.ingested_at,
        classifier_version=CLASSIFIER_VERSION,
        language=language,
        skipped_reason=skipped_reason(language),
    )
