"""The classifier's public interface: build the pipeline once, classify batches of articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.models import Article, Classification, Evidence
from services.common.outcome import Rejected

from .extract import classify_doc
from .normalise import Normalised, normalise
from .pipeline import build_nlp

CLASSIFIER_VERSION = "rules-0.5.0"


@dataclass(frozen=True, slots=True)
class Bounds:
    """How much work one article may cost, by size (never by wall-clock, so a result does not depend
    on how loaded the machine is).

    `max_chars`: an article longer than this is refused (`Rejected`): ~30,000 words, far beyond any
    news page, so only junk or an attack on the service is refused. `stage_chars`: the expensive
    stages (tokenizer, matchers, patterns) read at most this many normalised characters, cut at a
    line or sentence break: ~2,000 words, where a report's primary attack has long been told."""

    max_chars: int = 200_000
    stage_chars: int = 12_000


class Classifier:
    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()
        self.nlp = build_nlp()

    def prepare(self, article: Article) -> Normalised | Rejected:
        """What the expensive stages will read of `article`, or why it is refused."""
        size = len(article.text)
        if size > self.bounds.max_chars:
            limit = self.bounds.max_chars
            return Rejected(f"article {article.id!r} is {size} characters; the classifier's limit is {limit}")
        return normalise(article.text).cut(self.bounds.stage_chars)

    def classify(self, articles: Sequence[Article]) -> list[Classification | Rejected]:
        """One result per article, in order: a Classification, or a Rejected with its reason."""
        prepared = [self.prepare(a) for a in articles]
        readable = [p for p in prepared if isinstance(p, Normalised)]
        docs = iter(self.nlp.pipe([p.text for p in readable], batch_size=64))
        out: list[Classification | Rejected] = []
        for article, item in zip(articles, prepared, strict=True):
            if isinstance(item, Rejected):
                out.append(item)
                continue
            result = classify_doc(next(docs), article=article, version=CLASSIFIER_VERSION, text=item.text)
            out.append(_in_original(result, item))
        return out


def _in_original(result: Classification, norm: Normalised) -> Classification:
    """Evidence spans re-pointed from the normalised text into the article's own text."""
    if norm.text is norm.original or not result.evidence:
        return result
    evidence = []
    for ev in result.evidence:
        start, end = norm.span(ev.start, ev.end)
        evidence.append(Evidence(field=ev.field, text=norm.original[start:end], start=start, end=end))
    return result.model_copy(update={"evidence": evidence})
