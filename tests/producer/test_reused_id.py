"""An article id already classified for another text is refused by the producer (HTTP 409,
`strikewatch replay`; the feed poller: tests/sources/test_reused_id.py) with the classifier's
dead-letter reason, before it is published; the same text again is a duplicate. Real Redis; the
producer over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from schemas import Article, DeadLetter
from services.common.articles import REPEATED_ID_REASON, REUSED_ID_REASON, article_id
from services.common.runtime import ServiceFactory, build_app, start_http
from services.common.settings import Settings
from services.producer.app import build_producer
from services.producer.publish import screened
from services.producer.replay import replay
from tests.pipeline.conftest import read_stream

FIRST = "Shelling hit a bakery in Kherson on Tuesday morning; three people were injured."
SECOND = "Two glide bombs struck an apartment block in Zaporizhzhia; one woman was killed."
THIRD = "Air defence downed eleven drones over Poltava region overnight, the governor said."


def _reason(record_id: str, earlier: str, text: str) -> str:
    return REUSED_ID_REASON.format(id=record_id, earlier=earlier, fingerprint=article_id(text))


def test_the_marker_decides_new_duplicate_or_conflict() -> None:
    """No marker: new. The same text's fingerprint, or a marker from before fingerprints ('1', not
    hex): the same article. Another hex fingerprint: a conflict, with the classifier's reason."""
    articles = [Article(id=str(n), text=FIRST) for n in range(5)]
    found = screened(articles, [None, article_id(FIRST), "1", "", article_id(SECOND)])
    assert [a.id for a in found.articles] == ["0", "1", "2", "3"]
    assert found.duplicates == ["1", "2", "3"]
    assert found.conflict_ids == ["4"]
    (conflict,) = found.conflicts
    assert conflict.reason == _reason("4", article_id(SECOND), FIRST)
    assert conflict.reason.startswith("article id '4' was already classified for a different text")
    assert json.loads(conflict.payload)["text"] == FIRST


@asynccontextmanager
async def _serving(settings: Settings, factories: list[ServiceFactory]) -> AsyncIterator[str]:
    """The services in-process, HTTP on a free loopback port; yields the base URL."""
    app, _ = build_app(settings, factories, title="test", http_port=0)
    server, serving = await start_http(app, 0)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    assert host == "127.0.0.1"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def _post(base: str, *records: dict[str, str]) -> httpx.Response:
    body = b"\n".join(json.dumps(r).encode() for r in records)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        return await client.post("/articles", content=body)


async def _letters(redis: Redis, settings: Settings) -> list[DeadLetter]:
    entries = await redis.xrange(settings.names.deadletter)
    return [DeadLetter.model_validate_json(fields[b"__data__"]) for _, fields in entries]


async def test_post_of_another_text_under_a_classified_id_answers_409_with_the_reason(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    """End to end: article 42 is classified; another text under 42 is answered 409 with the
    dead letter's reason, dead-lettered by the producer and never put on the stream; the same text
    under 42 again is 202 and listed as a duplicate."""
    names = settings.names
    async with _serving(settings, [build_producer, classifier_factory]) as base:
        first = await _post(base, {"id": "42", "text": FIRST})
        assert first.status_code == 202, first.text
        assert first.json()["duplicates"] == [] and first.json()["conflicts"] == []
        await read_stream(redis, names.classified, 1)  # the marker is written with the output
        clash = await _post(base, {"id": "42", "text": SECOND})
        again = await _post(base, {"id": "42", "text": "  " + FIRST.upper()})
    expected = _reason("42", article_id(FIRST), SECOND)
    assert clash.status_code == 409, clash.text
    assert clash.json() == {
        "accepted": [],
        "stream_ids": [],
        "errors": [expected],
        "refused": [],
        "duplicates": [],
        "conflicts": ["42"],
    }
    (letter,) = await _letters(redis, settings)
    assert letter.stage == "producer" and letter.reason == expected
    assert json.loads(letter.payload)["text"] == SECOND
    assert again.status_code == 202, again.text
    assert again.json()["accepted"] == ["42"] and again.json()["duplicates"] == ["42"]
    texts = [json.loads(f[b"__data__"])["text"] for _, f in await redis.xrange(names.articles)]
    assert SECOND not in texts and len(texts) == 2


async def test_a_conflict_among_good_articles_is_listed_and_the_rest_taken(
    redis: Redis, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """JSONL with one reused id and one new article: 202, the new one taken, the reused one in
    `conflicts` and `errors`, dead-lettered, counted and logged as the classifier's stage would."""
    names = settings.names
    caplog.set_level(logging.WARNING, logger="strikewatch.producer")
    await redis.set(names.classified_marker("7"), article_id(FIRST), ex=3600)  # as the classifier does
    app, rt = build_app(settings, [build_producer], title="test", http_port=0)
    server, serving = await start_http(app, 0)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        answer = await _post(
            f"http://127.0.0.1:{port}", {"id": "7", "text": THIRD}, {"id": "8", "text": THIRD}
        )
    finally:
        server.should_exit = True
        await serving
    expected = _reason("7", article_id(FIRST), THIRD)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["accepted"] == ["8"] and body["conflicts"] == ["7"] and body["errors"] == [expected]
    (letter,) = await _letters(redis, settings)
    assert letter.stage == "producer" and letter.reason == expected
    assert rt.metrics.registry.get_sample_value("strikewatch_deadletter_total", {"stage": "producer"}) == 1
    assert any(
        getattr(r, "reason", None) == expected and r.msg == "record.dead_lettered" for r in caplog.records
    )
    assert [json.loads(f[b"__data__"])["id"] for _, f in await redis.xrange(names.articles)] == ["8"]


async def test_replay_skips_a_reused_id_with_the_reason(
    redis: Redis, settings: Settings, tmp_path: Path
) -> None:
    """`strikewatch replay` of a JSONL file: the reused id is not published, counted as rejected,
    its reason warned and dead-lettered; the same text under its id is published (a duplicate the
    classifier counts), and a new article too."""
    names = settings.names
    await redis.set(names.classified_marker("r1"), article_id(FIRST), ex=3600)
    await redis.set(names.classified_marker("r2"), article_id(SECOND), ex=3600)
    path = tmp_path / "batch.jsonl"
    lines = [{"id": "r1", "text": THIRD}, {"id": "r2", "text": SECOND}, {"id": "r3", "text": FIRST}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    warnings: list[str] = []
    report = await replay(redis, settings, [path], warn=warnings.append)
    expected = _reason("r1", article_id(FIRST), THIRD)
    assert report.published == 2 and report.rejected == 1
    assert report.errors == [expected]
    assert warnings == [f"skipped: {expected}"]
    (letter,) = await _letters(redis, settings)
    assert letter.stage == "producer" and letter.reason == expected
    assert [json.loads(f[b"__data__"])["id"] for _, f in await redis.xrange(names.articles)] == ["r2", "r3"]


def test_one_id_twice_in_a_batch_with_another_text_is_a_conflict() -> None:
    """Red team 7 R5: the first article under an id is taken, a later one with another text is
    refused with the reason; the same text again is taken (the classifier counts the copy). A
    refused article leaves its id free for a later one that the marker allows."""
    articles = [
        Article(id="a", text=FIRST),
        Article(id="a", text=SECOND),
        Article(id="a", text="  " + FIRST.upper()),
        Article(id="b", text=SECOND),
        Article(id="b", text=FIRST),
    ]
    found = screened(articles, [None, None, None, article_id(FIRST), article_id(FIRST)])
    assert [(a.id, a.text) for a in found.articles] == [
        ("a", FIRST),
        ("a", "  " + FIRST.upper()),
        ("b", FIRST),
    ]
    assert found.conflict_ids == ["a", "b"]
    repeated, reused = found.conflicts
    assert repeated.reason == REPEATED_ID_REASON.format(
        id="a", earlier=article_id(FIRST), fingerprint=article_id(SECOND)
    )
    assert json.loads(repeated.payload)["text"] == SECOND
    assert reused.reason == _reason("b", article_id(FIRST), SECOND)


async def test_post_of_one_id_twice_with_different_texts_takes_the_first_only(
    redis: Redis, settings: Settings
) -> None:
    """Red team 7 R5 end to end: one JSONL request, id 42 twice with different texts. The first is
    taken (202), the second listed in `conflicts` with the reason, dead-lettered, never published."""
    async with _serving(settings, [build_producer]) as base:
        answer = await _post(base, {"id": "42", "text": FIRST}, {"id": "42", "text": SECOND})
    expected = REPEATED_ID_REASON.format(id="42", earlier=article_id(FIRST), fingerprint=article_id(SECOND))
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["accepted"] == ["42"] and body["conflicts"] == ["42"] and body["errors"] == [expected]
    (letter,) = await _letters(redis, settings)
    assert letter.stage == "producer" and letter.reason == expected
    texts = [json.loads(f[b"__data__"])["text"] for _, f in await redis.xrange(settings.names.articles)]
    assert texts == [FIRST]
