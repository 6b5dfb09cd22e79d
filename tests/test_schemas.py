"""The exported JSON Schema files are the models' schema, and the models hold the contract."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas import Article, Classification, WebhookSubscription
from schemas.export import rendered


def test_exported_json_schema_matches_the_models() -> None:
    stale = [
        path.name
        for path, text in rendered().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run `make schemas`: {stale} differ from the models"


def test_classification_rejects_values_outside_the_vocabulary() -> None:
    with pytest.raises(ValidationError):
        Classification(id="a", is_attack=True, attack_score=0.5, attack_types=["laser"])  # type: ignore[list-item]
    with pytest.raises(ValidationError):
        Classification(id="a", is_attack=True, attack_score=1.5)


def test_article_published_keeps_dates_as_dates() -> None:
    assert Article(id="a", text="t", published="2022-12-19").published_date().isoformat() == "2022-12-19"  # type: ignore[arg-type,union-attr]
    stamped = Article(id="a", text="t", published="2022-12-19T05:50:00+02:00")  # type: ignore[arg-type]
    assert stamped.published_date().isoformat() == "2022-12-19"  # type: ignore[union-attr]


def test_webhook_subscription_requires_a_standard_webhooks_secret() -> None:
    with pytest.raises(ValidationError):
        WebhookSubscription(id="ops", url="https://example.org/h", secret="plain")  # type: ignore[arg-type]
