"""One classifier per test session: building the pipeline parses GeoNames and compiles matchers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from schemas.models import Article, Classification
from services.classifier.engine import Classifier


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier()


@pytest.fixture(scope="session")
def classify(classifier: Classifier) -> Callable[..., Classification]:
    def run(text: str, published: str | None = "2024-03-04") -> Classification:
        pub = date.fromisoformat(published) if published else None
        return classifier.classify([Article(id="t", text=text, published=pub)])[0]

    return run


@pytest.fixture(scope="session")
def run(classifier: Classifier) -> Callable[[str, str], Classification]:
    """Classify `text` as written in `language` ("en", "uk", "ru"), with no published date."""

    def classify(text: str, language: str) -> Classification:
        return classifier.classify([Article(id="t", text=text, language=language)])[0]

    return classify
