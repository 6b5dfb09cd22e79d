"""Classifier throughput beside spaCy's bare tokenizer on the same texts, in one process.

Rounds interleave the two (tokenizer, classifier, tokenizer, ...) so a colleague's load hits both
alike; the ratio of each round is what the report trusts. "Per core" is articles per CPU-second of
this single-threaded process, which holds still when the machine is shared; wall-clock rates are
reported next to it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import spacy

from bench.common import ROOT, dev_articles, dev_uk_ru_articles, median, seed_articles, spread, word_count
from schemas import Article
from services.classifier.engine import Classifier
from services.classifier.normalise import Normalised


@dataclass
class Rates:
    """One corpus, one contender: per-round rates."""

    cpu_rate: list[float] = field(default_factory=list)  # articles per CPU-second
    wall_rate: list[float] = field(default_factory=list)  # articles per wall-second


@dataclass
class CorpusResult:
    name: str
    articles: int
    words: int
    classifier: Rates = field(default_factory=Rates)
    tokenizer: Rates = field(default_factory=Rates)
    ratios: list[float] = field(default_factory=list)  # classifier CPU cost / tokenizer CPU cost, per round

    @property
    def words_per_article(self) -> float:
        return self.words / max(1, self.articles)


@dataclass
class ClassifierResult:
    corpora: list[CorpusResult]
    rounds: int
    notes: list[str]
    peak_rss_kb: int = 0  # a fresh process that builds a Classifier and classifies the seeds
    build_s: float = 0.0  # its time to build the Classifier (pack, gazetteer, matchers)
    # Ukrainian and Russian (issue 14): per language, beside spacy.blank(<language>)'s tokenizer.
    languages: list[CorpusResult] = field(default_factory=list)


# VmHWM of the probe's own memory (getrusage's ru_maxrss would carry the parent's peak over the fork).
_RSS_PROBE = """
import time
t0 = time.perf_counter()
from bench.common import seed_articles
from services.classifier.engine import Classifier
engine = Classifier()
built = time.perf_counter() - t0
engine.classify(seed_articles())
status = open("/proc/self/status").read()
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), built)
"""


def process_footprint() -> tuple[int, float]:
    """(peak RSS in KB, seconds to build) of a classifier process: its own process, so the benchmark's
    other objects do not count."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[0]), float(out[1])


def _timed(
    work: Callable[[], None], prepare: Callable[[], None], min_seconds: float
) -> tuple[int, float, float]:
    """Repeat `prepare` (untimed) then `work` until `min_seconds` of CPU time went into `work`;
    returns (repeats, cpu s, wall s) of `work` alone."""
    repeats, cpu, wall = 0, 0.0, 0.0
    while cpu < min_seconds and repeats < 10_000:
        prepare()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        work()
        cpu += time.process_time() - cpu0
        wall += time.perf_counter() - wall0
        repeats += 1
    return repeats, cpu, wall


def _cold(tokenizer: Any) -> Callable[[], None]:
    """Empty a tokenizer's cache of already-seen strings. Timed passes start cold on both sides:
    repeating the same texts would otherwise turn the baseline into cache lookups, which a stream of
    new articles never gets (the services' tokenizer meets each article once)."""

    def reset() -> None:
        tokenizer.rules = tokenizer.rules

    return reset


def run(*, rounds: int = 5, min_seconds: float = 1.5) -> ClassifierResult:
    engine = Classifier()
    # As the service does before it subscribes (app.py's warm-up): every reader built, then frozen.
    engine.warm()
    blank = spacy.blank("en")
    notes: list[str] = []
    seeds, dev = seed_articles(), dev_articles()
    if not dev:
        notes.append("dev texts absent (../shared/data/dev.jsonl): the seeds + dev row uses the seeds only")
    corpora: list[tuple[str, Sequence[Article]]] = [
        ("seeds + dev texts", [*seeds, *dev]),
        # The contract's reference size: real articles of ~550 words. (Synthetic reports repeat their
        # vocabulary, which makes the tokenizer's own cache the baseline: no use for a ratio.)
        ("seed articles (seed-sized)", list(seeds)),
    ]
    results = [CorpusResult(name, len(arts), word_count(arts)) for name, arts in corpora]
    # Warm up both (vocab growth, lazy init) before anything is timed.
    for _, arts in corpora:
        engine.classify(arts)
        list(blank.tokenizer.pipe([a.text for a in arts]))
    for _ in range(rounds):
        for result, (_, arts) in zip(results, corpora, strict=True):
            # The tokenizer sees exactly the text the classifier feeds its pipeline.
            texts = [p.text for p in map(engine.prepare, arts) if isinstance(p, Normalised)]
            n_tok, cpu_tok, wall_tok = _timed(
                lambda t=texts: list(blank.tokenizer.pipe(t)),
                _cold(blank.tokenizer),
                min_seconds,  # type: ignore[misc]
            )
            n_cls, cpu_cls, wall_cls = _timed(
                lambda a=arts: engine.classify(a),
                _cold(engine.nlp.tokenizer),
                min_seconds,  # type: ignore[misc]
            )
            n = len(arts)
            result.tokenizer.cpu_rate.append(n * n_tok / cpu_tok)
            result.tokenizer.wall_rate.append(n * n_tok / wall_tok)
            result.classifier.cpu_rate.append(n * n_cls / cpu_cls)
            result.classifier.wall_rate.append(n * n_cls / wall_cls)
            result.ratios.append((cpu_cls / n_cls) / (cpu_tok / n_tok))
    languages = run_languages(engine, rounds=rounds, min_seconds=min_seconds, notes=notes)
    rss_kb, build_s = process_footprint()
    return ClassifierResult(results, rounds, notes, rss_kb, build_s, languages)


def _cold_reader(engine: Classifier, language: str, *, lemmas_too: bool) -> Callable[[], None]:
    """Empty the reader's tokenizer cache and, with `lemmas_too`, its remembered lemmas (every word
    of the text then goes through pymorphy3 again, as a word never seen before does)."""
    reader = engine.reader(language)
    assert reader is not None
    nlp: Any = reader.nlp

    def reset() -> None:
        nlp.tokenizer.rules = nlp.tokenizer.rules
        if lemmas_too and "strikewatch_lemmas" in nlp.pipe_names:
            lemmas = nlp.get_pipe("strikewatch_lemmas")
            lemmas.cache.clear()
            lemmas.by_orth.clear()

    return reset


def run_languages(
    engine: Classifier, *, rounds: int, min_seconds: float, notes: list[str]
) -> list[CorpusResult]:
    """Ukrainian and Russian articles (the labelled dev_uk_ru texts of each language): the classifier
    (language reading, lemmas, matchers, stages) beside `spacy.blank(<language>)`'s tokenizer on the same
    texts, both caches emptied before each timed pass. Two classifier rows: remembered lemmas kept (a
    stream's steady state: news repeats its words) and emptied too (every word new to pymorphy3)."""
    out: list[CorpusResult] = []
    for language in ("uk", "ru"):
        arts = dev_uk_ru_articles(language)
        if not arts:
            notes.append("dev_uk_ru.jsonl absent: no Ukrainian/Russian rows")
            return out
        blank = spacy.blank(language)
        engine.classify(arts)  # builds the reader
        list(blank.tokenizer.pipe([a.text for a in arts]))
        texts = [p.text for p in map(engine.prepare, arts) if isinstance(p, Normalised)]
        for lemmas_too in (False, True):
            label = f"{language}: {len(arts)} dev_uk_ru texts" + (", lemmas new" if lemmas_too else "")
            result = CorpusResult(label, len(arts), word_count(arts))
            for _ in range(rounds):
                n_tok, cpu_tok, wall_tok = _timed(
                    lambda t=texts, b=blank: list(b.tokenizer.pipe(t)),  # type: ignore[misc]
                    _cold(blank.tokenizer),
                    min_seconds,
                )
                n_cls, cpu_cls, wall_cls = _timed(
                    lambda a=arts: engine.classify(a),  # type: ignore[misc]
                    _cold_reader(engine, language, lemmas_too=lemmas_too),
                    min_seconds,
                )
                n = len(arts)
                result.tokenizer.cpu_rate.append(n * n_tok / cpu_tok)
                result.tokenizer.wall_rate.append(n * n_tok / wall_tok)
                result.classifier.cpu_rate.append(n * n_cls / cpu_cls)
                result.classifier.wall_rate.append(n * n_cls / wall_cls)
                result.ratios.append((cpu_cls / n_cls) / (cpu_tok / n_tok))
            out.append(result)
    return out


def rows(result: ClassifierResult, *, languages: bool = False) -> list[list[str]]:
    """Table rows: corpus, contender, art/s/core, words/s/core, wall art/s, × tokenizer (English
    corpora, or with `languages` the Ukrainian and Russian ones)."""
    out: list[list[str]] = []
    for c in result.languages if languages else result.corpora:
        size = f"{c.name}: {c.articles} articles, {c.words_per_article:.0f} words avg"
        lang = c.name[:2] if languages else "en"
        contenders = [
            ("classifier (`Classifier().classify`)", c.classifier, c.ratios),
            (f'`spacy.blank("{lang}")` tokenizer (baseline)', c.tokenizer, []),
        ]
        for label, rates, ratios in contenders:
            rate = median(rates.cpu_rate)
            out.append(
                [
                    size,
                    label,
                    f"**{rate:,.0f}** ({spread(rates.cpu_rate)})",
                    f"{rate * c.words_per_article:,.0f}",
                    f"{median(rates.wall_rate):,.0f}",
                    f"**{median(ratios):.2f}×** ({spread(ratios)})" if ratios else "1.00×",
                ]
            )
    return out
