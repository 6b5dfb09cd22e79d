"""Putting articles on the `{p}:articles` stream: pipelined, plain JSON, capped with MAXLEN ~."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from redis.asyncio import Redis

from schemas import Article
from services.common.metrics import Metrics
from services.common.retry import retry_transient
from services.common.settings import Settings
from services.common.streams import add_dead_letter, dead_letter, encode


def stamped(article: Article) -> Article:
    """The article with the time it entered the pipeline, for end-to-end latency."""
    return article.model_copy(update={"ingested_at": datetime.now(UTC)})


async def publish_articles(redis: Redis, settings: Settings, articles: Sequence[Article]) -> list[str]:
    """XADD every article in one round trip; returns the stream ids."""
    if not articles:
        return []
    entries = [encode(stamped(article)) for article in articles]

    async def write() -> list[object]:
        pipe = redis.pipeline(transaction=False)
        for entry in entries:
            pipe.xadd(settings.names.articles, entry, maxlen=settings.articles_maxlen, approximate=True)  # type: ignore[arg-type]
        result: list[object] = await pipe.execute()
        return result

    ids = await retry_transient(write)
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


async def reject(
    redis: Redis,
    settings: Settings,
    reason: str,
    payload: bytes | str,
    *,
    source: str,
    metrics: Metrics | None = None,
) -> None:
    """Keep input the producer cannot accept on the dead-letter stream, with the reason."""
    await add_dead_letter(
        redis,
        settings.names,
        settings.deadletter_maxlen,
        dead_letter("producer", reason, payload, source_stream=None, source_id=source),
    )
    if metrics is not None:
        metrics.deadletter.labels("producer").inc()
