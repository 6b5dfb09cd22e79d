"""A full articles stream never loses an article silently (issue 10, item 5). Trimming keeps every
entry a consumer group has not read and acknowledged; what does not fit is refused at once (replay
counts it as rejected, POST /articles answers 503 with Retry-After, a metric counts it), and what
was refused can be offered again once the classifier has caught up."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from schemas import Article
from services.common.metrics import create_metrics
from services.common.runtime import ServiceFactory
from services.common.settings import Settings
from services.common.streams import PUBLISH_ONCE_LUA, encode, ensure_groups
from services.producer.app import build_producer
from services.producer.publish import publish_articles
from services.producer.replay import replay
from tests.pipeline.conftest import read_stream, running

CAP = 1000  # the smallest cap STRIKEWATCH_ARTICLES_MAXLEN allows


def short_articles(count: int, tag: str) -> list[Article]:
    return [
        Article(id=f"{tag}-{n}", text=f"Report {n}: drones hit the port of Odesa overnight.")
        for n in range(count)
    ]


async def fill(redis: Redis, settings: Settings, count: int) -> list[str]:
    pipe = redis.pipeline(transaction=False)
    for article in short_articles(count, "filler"):
        pipe.xadd(settings.names.articles, encode(article))  # type: ignore[arg-type]
    return [i.decode() for i in await pipe.execute()]


async def classifier_caught_up(redis: Redis, settings: Settings, timeout: float = 60.0) -> None:
    """Bounded wait until the classifier group has read and acknowledged every article (Redis
    sends no event for it)."""
    async with asyncio.timeout(timeout):
        while True:
            (group,) = await redis.xinfo_groups(settings.names.articles)
            if group["pending"] == 0 and group["lag"] == 0:
                return
            await asyncio.sleep(0.05)


@pytest.mark.slow
async def test_replay_into_a_full_stream_refuses_instead_of_trimming_unread_articles(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory, tmp_path: Path
) -> None:
    """The reproduction of the issue: the classifier's group exists but the classifier is stopped,
    and 1,300 articles are replayed into a stream capped at 1,000."""
    s = settings.model_copy(update={"articles_maxlen": CAP})
    await ensure_groups(redis, s.names)
    articles = short_articles(1300, "full")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(a.model_dump_json() + "\n" for a in articles))
    warnings: list[str] = []
    report = await replay(redis, s, [batch], warn=warnings.append)
    assert report.summary() == "published 1000 article(s); 300 rejected"
    assert any("is full of articles not yet classified" in w for w in warnings)
    assert await redis.xlen(s.names.articles) == CAP
    # Once the classifier has caught up, the refused articles (the last 300) are taken.
    rest = tmp_path / "rest.jsonl"
    rest.write_text("".join(a.model_dump_json() + "\n" for a in articles[1000:]))
    async with running(s, [classifier_factory]):
        await read_stream(redis, s.names.classified, 1000, timeout=120)
        await classifier_caught_up(redis, s)
        again = await replay(redis, s, [rest], warn=warnings.append)
        assert again.summary() == "published 300 article(s); 0 rejected"
        await read_stream(redis, s.names.classified, 1300, timeout=120)
    classified = {json.loads(f[b"__data__"])["id"] for _, f in await redis.xrange(s.names.classified)}
    assert classified == {a.id for a in articles}


async def test_trimming_keeps_what_any_group_has_not_read_and_acknowledged(
    redis: Redis, settings: Settings
) -> None:
    s = settings.model_copy(update={"articles_maxlen": CAP})
    names = s.names
    await ensure_groups(redis, names)
    ids = await fill(redis, s, CAP)
    # The classifier read 700 and acknowledged the first 600; a second group read 300 and acknowledged all.
    read = await redis.xreadgroup("classifier", "c1", {names.articles: ">"}, count=700)
    await redis.xack(names.articles, "classifier", *[i for i, _ in read[0][1][:600]])
    await redis.xgroup_create(names.articles, "audit", id=ids[299])
    published = await publish_articles(redis, s, short_articles(300, "new"))
    # The floor: the classifier's oldest pending entry (the 601st) and what follows audit's last
    # read (the 301st): the first 300 go, nothing either group still needs.
    assert published.refused == 0 and published.trimmed == 300
    remaining = [i.decode() for i, _ in await redis.xrange(names.articles)]
    assert remaining[: CAP - 300] == ids[300:]
    # Nothing left that both groups are done with: no room, so new articles are refused.
    more = await publish_articles(redis, s, short_articles(5, "more"))
    assert more.ids == [] and more.refused == 5
    assert await redis.xlen(names.articles) == CAP


async def test_post_articles_answers_503_with_retry_after_when_full(redis: Redis, settings: Settings) -> None:
    s = settings.model_copy(update={"articles_maxlen": CAP})
    await ensure_groups(redis, s.names)
    await fill(redis, s, CAP - 1)
    async with running(s, [build_producer]) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://producer") as client:
            body = "".join(a.model_dump_json() + "\n" for a in short_articles(3, "http"))
            answer = await client.post("/articles", content=body.encode())
            metrics = (await client.get("/metrics")).text
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == str(s.refused_retry_after_s)
    reply = answer.json()
    assert reply["accepted"] == ["http-0"] and reply["refused"] == ["http-1", "http-2"]
    assert "strikewatch_articles_refused_total 2.0" in metrics


async def test_a_stream_nobody_reads_is_trimmed_to_its_cap_and_the_loss_counted(
    redis: Redis, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    s = settings.model_copy(update={"articles_maxlen": CAP})
    await fill(redis, s, CAP)  # no consumer group at all
    metrics = create_metrics()
    published = await publish_articles(redis, s, short_articles(10, "late"), metrics=metrics)
    assert published.refused == 0 and published.trimmed_unread == 10
    assert await redis.xlen(s.names.articles) == CAP
    assert (
        metrics.registry.get_sample_value("strikewatch_trimmed_unread_total", {"stream": s.names.articles})
        == 10
    )
    assert any("nobody had read" in r.getMessage() for r in caplog.records)


async def test_the_classified_stream_grows_past_its_cap_rather_than_lose_unread_classifications(
    redis: Redis, settings: Settings
) -> None:
    """The classifier's output stream: while the alerter lags, nothing it has not processed is
    trimmed (the cap is soft there: the classifier must not lose work it already did); once the
    alerter has caught up, the stream is trimmed back to about its cap."""
    names = settings.names
    await ensure_groups(redis, names)
    publish_once = redis.register_script(PUBLISH_ONCE_LUA)

    async def classify(tag: str, count: int) -> None:
        pipe = redis.pipeline(transaction=False)
        for n in range(count):
            await publish_once(
                keys=[names.classified_marker(f"{tag}-{n}"), names.classified, names.deadletter],
                args=[3600, CAP, json.dumps({"id": f"{tag}-{n}"}), f"{n:x}", "", "", CAP],
                client=pipe,
            )
        await pipe.execute()

    await classify("lagging", CAP + 500)
    assert await redis.xlen(names.classified) == CAP + 500
    await redis.xreadgroup("alerter", "a1", {names.classified: ">"}, count=CAP + 500)
    pending = await redis.xpending(names.classified, "alerter")
    await redis.xack(names.classified, "alerter", *[i for i, _ in (await redis.xrange(names.classified))])
    assert pending["pending"] == CAP + 500
    await classify("later", 10)
    assert await redis.xlen(names.classified) <= CAP + 110  # trimmed by whole radix-tree nodes (~)
