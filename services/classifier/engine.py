"""The classifier's public interface: build the pipeline once, classify batches of articles."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.models import Article, Classification

from .extract import classify_doc, safe_text
from .pipeline import build_nlp

CLASSIFIER_VERSION = "rules-0.4.0"

# Articles beyond this length are cut: news pages rarely exceed it, and it bounds the cost per message.
MAX_CHARS = 60_000


class Classifier:
    def __init__(self) -> None:
        self.nlp = build_nlp()

    def classify(self, articles: Sequence[Article]) -> list[Classification]:
        texts = [safe_text(a.text[:MAX_CHARS]) for a in articles]
        docs = self.nlp.pipe(texts, batch_size=64)
        return [
            classify_doc(doc, article=a, version=CLASSIFIER_VERSION, text=t)
            for doc, a, t in zip(docs, articles, texts, strict=True)
        ]
