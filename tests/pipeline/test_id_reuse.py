"""An article id reused for a different article is dead-lettered with the reason, never dropped;
the same article sent again under its id is a duplicate (nothing written twice). Real Redis, real
services (producer over HTTP, classifier, alerter)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from schemas import Alert, Classification, DeadLetter
from services.alerter.app import build_alerter
from services.common.articles import article_from_record, article_id, fingerprint
from services.common.embedded import EmbeddedRedis
from services.common.runtime import ServiceFactory, StrikewatchApp
from services.common.settings import Settings
from services.common.streams import PUBLISH_ONCE_LUA
from services.producer.app import build_producer
from services.producer.publish import publish_articles
from tests.pipeline.conftest import read_stream, running, wait_drained

FIRST = "Russian drones hit a residential block in Sumy overnight; two people were injured."
SECOND = "A Russian missile struck Nikopol on Monday, killing six people and injuring 30."


def test_the_fingerprint_is_the_normalised_texts_hash() -> None:
    a = article_from_record({"id": "7", "text": FIRST, "title": "Drones over Sumy"})
    # Spacing and case are not a different text; a title or ingest time is not part of it.
    b = article_from_record({"id": "7", "text": "  " + FIRST.upper().replace(" ", "\n "), "title": "Other"})
    c = article_from_record({"id": "7", "text": SECOND})
    d = article_from_record({"id": "7", "text": "Shelling of Kherson damaged a school; nobody was hurt."})
    assert fingerprint(a) == fingerprint(b) == article_id(FIRST)
    assert len({fingerprint(a), fingerprint(c), fingerprint(d)}) == 3
    assert all(len(fingerprint(x)) == 16 and int(fingerprint(x), 16) >= 0 for x in (a, c, d))


async def _post(app: StrikewatchApp, *records: dict[str, str]) -> list[str]:
    body = b"\n".join(json.dumps(r).encode() for r in records)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as client:
        answer = await client.post("/articles", content=body)
    assert answer.status_code == 202, answer.text
    accepted: list[str] = answer.json()["accepted"]
    return accepted


def _count(app: StrikewatchApp, name: str) -> float:
    value = app.runtime.metrics.registry.get_sample_value(name, {"stage": "classifier"})
    return value or 0.0


async def _alerts(redis: Redis, settings: Settings) -> list[Alert]:
    entries: Any = await redis.xrange(settings.names.alert_log)
    return [Alert.model_validate_json(f[b"__data__"]) for _, f in entries]


async def test_the_same_article_twice_under_one_id_is_classified_once_and_not_dead_lettered(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    async with running(settings, [build_producer, classifier_factory, build_alerter]) as app:
        assert await _post(app, {"id": "42", "text": FIRST}) == ["42"]
        await wait_drained(redis, settings)
        alerts_before = await _alerts(redis, settings)
        # A resend: other spacing, another title; the same text.
        assert await _post(app, {"id": "42", "text": FIRST + "  ", "title": "again"}) == ["42"]
        await wait_drained(redis, settings)
        duplicates = _count(app, "strikewatch_duplicates_total")
        dead = _count(app, "strikewatch_deadletter_total")
    assert await redis.xlen(names.articles) == 2
    assert await redis.xlen(names.classified) == 1
    assert await redis.xlen(names.deadletter) == 0
    assert duplicates == 1 and dead == 0
    assert len(alerts_before) == 1
    assert await _alerts(redis, settings) == alerts_before


async def test_another_article_under_a_used_id_is_dead_lettered_with_the_reason(
    redis: Redis,
    settings: Settings,
    classifier_factory: ServiceFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    names = settings.names
    caplog.set_level(logging.WARNING, logger="strikewatch.stage")
    async with running(settings, [build_producer, classifier_factory, build_alerter]) as app:
        assert await _post(app, {"id": "42", "text": FIRST}) == ["42"]
        await wait_drained(redis, settings)
        alerts_before = await _alerts(redis, settings)
        # Straight onto the stream, as when the marker is written between the producer's check
        # and the classification (POST /articles now answers 409 once it is there:
        # tests/producer/test_reused_id.py); the classifier's dead letter is the authority then.
        race = article_from_record({"id": "42", "text": SECOND})
        assert len((await publish_articles(redis, settings, [race])).ids) == 1
        (letter,) = [DeadLetter.model_validate(d) for d in await read_stream(redis, names.deadletter, 1)]
        await wait_drained(redis, settings)
        dead = _count(app, "strikewatch_deadletter_total")
        duplicates = _count(app, "strikewatch_duplicates_total")
    (classified,) = [Classification.model_validate(d) for d in await read_stream(redis, names.classified, 1)]
    assert classified.id == "42" and classified.casualties.injured == 2
    assert letter.stage == "classifier" and letter.source_id == "42"
    assert letter.source_stream == names.articles
    expected = (
        f"article id '42' was already classified for a different text (fingerprint {article_id(FIRST)}; "
        f"this text's is {article_id(SECOND)}); give each article its own id and send this one again"
    )
    assert letter.reason == expected
    assert json.loads(letter.payload)["text"] == SECOND  # all the user needs to resend it
    assert dead == 1 and duplicates == 0
    assert any(getattr(r, "reason", None) == expected for r in caplog.records)
    # The first article's alert is as it was: one incident, its figures, its one source.
    (alert,) = await _alerts(redis, settings)
    assert alerts_before == [alert]
    assert alert.casualties.killed is None and alert.casualties.injured == 2
    assert [s.article_id for s in alert.sources] == ["42"]


async def test_two_articles_under_one_id_in_one_batch_publish_the_first_and_dead_letter_the_second(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    async with running(settings, [classifier_factory]):
        pipe = redis.pipeline(transaction=True)
        pipe.xadd(names.articles, {"id": "dup", "text": FIRST})
        pipe.xadd(names.articles, {"id": "dup", "text": SECOND})
        await pipe.execute()
        # Both entries are handled in order, so the second's letter comes with or after the first's
        # output (no alerter runs here, so the pipeline never drains: no wait_drained).
        (letter,) = [DeadLetter.model_validate(d) for d in await read_stream(redis, names.deadletter, 1)]
    (classified,) = await read_stream(redis, names.classified, 1)
    assert await redis.xlen(names.classified) == 1
    assert classified["id"] == "dup" and classified["casualties"]["injured"] == 2
    assert letter.reason.startswith("article id 'dup' was already classified for a different text")
    assert "Nikopol" in letter.payload and "Sumy" not in letter.payload


async def test_a_marker_written_before_fingerprints_counts_as_the_same_article(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    """After an upgrade, a marker holding '1' (the old code's) is never taken for a reused id."""
    names = settings.names
    await redis.set(names.classified_marker("old"), "1", ex=3600)
    async with running(settings, [classifier_factory]):
        await redis.xadd(names.articles, {"id": "old", "text": SECOND})
        await redis.xadd(names.articles, {"id": "new", "text": FIRST})
        # Entries are handled in order: when "new" is out, "old" was handled before or with it.
        (classified,) = await read_stream(redis, names.classified, 1)
    assert classified["id"] == "new"
    assert await redis.xlen(names.classified) == 1
    assert await redis.xlen(names.deadletter) == 0
    assert await redis.get(names.classified_marker("old")) == b"1"
    assert await redis.get(names.classified_marker("new")) == article_id(FIRST).encode()


async def test_two_replicas_racing_on_one_id_publish_once_and_dead_letter_the_other(
    redis: Redis, settings: Settings, redis_server: EmbeddedRedis
) -> None:
    """The check and the write are one script: two replicas (two connections, each in its own
    MULTI/EXEC, as the stage shell writes) racing on one id with different texts publish one
    output and dead-letter the other, whichever wins."""
    names = settings.names
    script = PUBLISH_ONCE_LUA

    async def replica(text: str) -> Any:
        client = Redis.from_url(redis_server.url)
        try:
            async with client.pipeline(transaction=True) as pipe:
                await client.register_script(script)(
                    keys=[names.classified_marker("race"), names.classified, names.deadletter],
                    args=[
                        3600,
                        1000,
                        json.dumps({"id": "race", "text": text}),
                        article_id(text),
                        '{"reason": "earlier ',
                        '"}',
                        1000,
                    ],
                    client=pipe,
                )
                return (await pipe.execute())[0]
        finally:
            await client.aclose()

    replies = await asyncio.gather(*(replica(t) for t in [FIRST, SECOND] * 10))
    published = [r for r in replies if isinstance(r, bytes)]
    lettered = [r for r in replies if isinstance(r, list)]
    assert len(published) == 1 and len(lettered) == 10 and replies.count(None) == 9
    (entry,) = await read_stream(redis, names.classified, 1)
    winner = article_id(entry["text"])
    assert {r[0].decode() for r in lettered} == {winner}
    assert await redis.xlen(names.classified) == 1 and await redis.xlen(names.deadletter) == 10
    letters = await read_stream(redis, names.deadletter, 10)
    assert all(letter == {"reason": f"earlier {winner}"} for letter in letters)
