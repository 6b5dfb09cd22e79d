"""Classifier service: reads `{p}:articles` in the "classifier" consumer group, writes one
Classification per article id to `{p}:classified`, and dead-letters what it cannot read or refuses.

Only wiring lives here: the stage shell (services/common/stage.py) decodes, retries, dead-letters
and acknowledges; the `Classifier` is the pure handler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from schemas import Article, Classification
from services.classifier.engine import Classifier
from services.common.articles import REUSED_ID_REASON, article_from_entry, fingerprint
from services.common.logs import log_event, milliseconds
from services.common.outcome import Rejected
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.common.stage import PublishOnce, StageSpec, stage_router

log = logging.getLogger("strikewatch.classifier")


def build_classifier(rt: Runtime, classifier: Classifier | None = None) -> ServiceParts:
    settings, names, metrics = rt.settings, rt.names, rt.metrics
    engine = classifier or Classifier()

    async def classify(articles: Sequence[Article]) -> Sequence[Classification | Rejected]:
        # CPU-bound: off the event loop, so health checks and the broker keep answering.
        return await asyncio.to_thread(engine.classify, articles)

    def observe(results: Sequence[Classification | Rejected], seconds: float) -> None:
        per_article = seconds / len(results) if results else 0.0
        for result in results:
            metrics.classify_seconds.observe(per_article)
            if isinstance(result, Classification):
                metrics.classifications.labels("true" if result.is_attack else "false").inc()
                if result.skipped_reason is not None:
                    metrics.unsupported_language.labels(result.language or "und").inc()
                if result.truncated:
                    metrics.articles_truncated.inc()
                # One canonical line per article (the dead-lettered ones get theirs from the shell).
                log_event(
                    log,
                    "article.classified",
                    article_id=result.id,
                    outcome="attack"
                    if result.is_attack
                    else "skipped"
                    if result.skipped_reason
                    else "not_attack",
                    language=result.language,
                    severity=result.severity,
                    truncated=result.truncated,
                    duration_ms=milliseconds(per_article),
                )

    router, reclaimer = stage_router(
        rt,
        StageSpec(
            stage="classifier",
            stream=names.articles,
            decode=lambda fields: article_from_entry(fields, max_bytes=settings.max_article_bytes),
            handle=classify,
            record_id=lambda article: article.id,
            pure=True,
            publish=PublishOnce(
                stream=names.classified,
                maxlen=settings.classified_maxlen,
                marker=lambda result: names.classified_marker(result.id),
                payload=lambda result: result.model_dump_json(),
                fingerprint=fingerprint,
                reused=REUSED_ID_REASON,
            ),
            observe=observe,
            title="classify-articles",
            description="Classifies articles; writes one Classification per article id to the "
            "classified stream.",
        ),
    )
    # Every reader and the language detector are built before the service subscribes, not on the
    # first article of their language (which stalled the replica ~6 s).
    return ServiceParts(name="classifier", router=router, background=[reclaimer], warm=[engine.warm])


def __getattr__(name: str) -> Any:
    # `faststream run services.classifier.app:app` reads `app`; building it here, on first access,
    # keeps configuration out of import time.
    if name == "app":
        return standalone_app("classifier", build_classifier)
    raise AttributeError(name)
