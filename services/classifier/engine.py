"""The classifier's public interface: build the pipeline once, classify batches of articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.models import Article, Classification
from services.common.outcome import Rejected

from .classify import classify_doc
from .gazetteer import Gazetteer, load_gazetteer
from .normalise import Normalised, normalise
from .pipeline import build_nlp
from .rulepack import RulePack, load_language

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
    """Built once per process (the composition root): the rule pack and the gazetteer are loaded
    here and passed to every stage; the spaCy pipeline is built from them."""

    def __init__(
        self,
        bounds: Bounds | None = None,
        *,
        pack: RulePack | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.bounds = bounds or Bounds()
        self.pack = pack or load_language("en")
        places = gazetteer or load_gazetteer(not_places=self.pack.stoplists.not_places)
        self.gazetteer = places.with_spellings(self.pack.place_spellings)
        self.nlp = build_nlp(self.pack, self.gazetteer.phrases())

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
            result = classify_doc(
                next(docs),
                item,
                article=article,
                pack=self.pack,
                gazetteer=self.gazetteer,
                version=CLASSIFIER_VERSION,
            )
            out.append(result)
        return out
