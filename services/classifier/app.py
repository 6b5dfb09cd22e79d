"""Classifier service: reads `{p}:articles` in the "classifier" consumer group, writes one
Classification per article id to `{p}:classified`, and dead-letters what it cannot read.

Only wiring lives here; `decode_batch` and the `Classifier` are the pure parts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from faststream.redis import RedisRouter, RedisStreamMessage

from schemas import Article, Classification
from services.classifier.engine import Classifier
from services.common.articles import Entry, decode_batch
from services.common.consume import abandoned_entries, entries, group_batches, keep_raw
from services.common.logs import log_event, milliseconds
from services.common.retry import retry_transient
from services.common.runtime import Runtime, ServiceParts, standalone_app
from services.common.streams import PUBLISH_ONCE_LUA, add_dead_letter, dead_letter, raw_bytes

log = logging.getLogger("strikewatch.classifier")


def build_classifier(rt: Runtime, classifier: Classifier | None = None) -> ServiceParts:
    settings, names, metrics = rt.settings, rt.names, rt.metrics
    engine = classifier or Classifier()
    publish_once = rt.redis.register_script(PUBLISH_ONCE_LUA)
    router = RedisRouter()

    def classify_all(articles: Sequence[Article]) -> tuple[list[Classification], list[tuple[Article, str]]]:
        """Classify a batch; if the batch fails, classify one by one so one poison article
        cannot hold back the others."""
        try:
            return engine.classify(articles), []
        except Exception:
            done: list[Classification] = []
            failed: list[tuple[Article, str]] = []
            for article in articles:
                try:
                    done.extend(engine.classify([article]))
                except Exception as exc:
                    failed.append((article, f"classifier exception: {type(exc).__name__}: {exc}"))
            return done, failed

    async def process(batch: list[Entry]) -> None:
        articles, rejects = decode_batch(batch, max_bytes=settings.max_article_bytes)
        started = time.perf_counter()
        results, failures = await asyncio.to_thread(classify_all, articles) if articles else ([], [])
        per_article = (time.perf_counter() - started) / len(articles) if articles else 0.0
        for _ in articles:
            metrics.classify_seconds.observe(per_article)
        letters = [
            dead_letter(
                "classifier", reason, raw_bytes(fields), source_stream=names.articles, source_id=entry_id
            )
            for entry_id, fields, reason in rejects
        ] + [
            dead_letter(
                "classifier",
                reason,
                article.model_dump_json(),
                source_stream=names.articles,
                source_id=article.id,
            )
            for article, reason in failures
        ]
        outputs = [(names.classified_marker(r.id), r.model_dump_json()) for r in results]

        async def write() -> None:
            pipe = rt.redis.pipeline(transaction=False)
            for marker, payload in outputs:
                await publish_once(
                    keys=[marker, names.classified],
                    args=[settings.done_marker_ttl_s, settings.classified_maxlen, payload],
                    client=pipe,
                )
            for letter in letters:
                add_dead_letter(pipe, names, settings.deadletter_maxlen, letter)
            await pipe.execute()

        # Acknowledged only after this returns: outputs are written before the input is acked.
        await retry_transient(write)
        for result in results:
            metrics.classifications.labels("true" if result.is_attack else "false").inc()
            log_event(
                log,
                "article.classified",
                article_id=result.id,
                outcome="attack" if result.is_attack else "not_attack",
                severity=result.severity,
                duration_ms=milliseconds(per_article),
            )
        if letters:
            metrics.deadletter.labels("classifier").inc(len(letters))
        for letter in letters:
            log_event(
                log,
                "article.dead_lettered",
                level=logging.WARNING,
                article_id=letter.source_id,
                outcome="dead_letter",
                reason=letter.reason,
            )

    @router.subscriber(
        stream=group_batches(rt, names.articles, "classifier"),
        parser=keep_raw,
        title="classify-articles",
        description="Classifies articles; writes one Classification per article id to the classified stream.",
    )
    async def on_articles(body: Any, message: RedisStreamMessage) -> None:
        await process(entries(message))

    @router.subscriber(
        stream=abandoned_entries(rt, names.articles, "classifier"),
        parser=keep_raw,
        title="reclaim-articles",
        description="Claims articles left pending by a consumer that died; dead-letters repeat offenders.",
    )
    async def on_abandoned(body: Any, message: RedisStreamMessage) -> None:
        claimed = entries(message)
        if await message.get_delivery_count() > settings.max_deliveries:
            pipe = rt.redis.pipeline(transaction=False)
            for entry_id, fields in claimed:
                reason = f"delivered more than {settings.max_deliveries} times without being processed"
                add_dead_letter(
                    pipe,
                    names,
                    settings.deadletter_maxlen,
                    dead_letter(
                        "classifier",
                        reason,
                        raw_bytes(fields),
                        source_stream=names.articles,
                        source_id=entry_id,
                        attempts=settings.max_deliveries,
                    ),
                )
            await pipe.execute()
            metrics.deadletter.labels("classifier").inc(len(claimed))
            return
        await process(claimed)

    return ServiceParts(name="classifier", router=router)


def __getattr__(name: str) -> Any:
    # `faststream run services.classifier.app:app` reads `app`; building it here, on first access,
    # keeps configuration out of import time.
    if name == "app":
        return standalone_app("classifier", build_classifier)
    raise AttributeError(name)
