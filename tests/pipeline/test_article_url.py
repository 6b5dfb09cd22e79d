"""`Article.url` is an absolute http(s) address: anything else is rejected with its reason, into the
dead-letter stream when it comes through Redis, and the articles beside it go through."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from schemas import Article, DeadLetter
from services.common.runtime import ServiceFactory
from services.common.settings import Settings
from tests.pipeline.conftest import read_stream, running

TEXT = "A drone hit a warehouse in Lviv overnight, the regional governor said."


@pytest.mark.parametrize(
    "url",
    ["https://news.example.org/2026/12/report?id=4", "http://example.net", "HTTPS://Example.org/Path"],
)
def test_absolute_web_addresses_are_kept_as_written(url: str) -> None:
    assert Article(id="a", text=TEXT, url=url).url == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("data:text/html,<b>x</b>", "scheme 'data'"),
        ("/2026/12/report", "scheme 'missing'"),
        ("ftp://files.example.org/a", "scheme 'ftp'"),
        ("https://", "no host"),
        ("java\tscript:alert(1)", "control character"),
        ("https://example.org/a b", "whitespace"),
        ("https://example.org/" + "a" * 2100, "2120 characters; the limit is 2048"),
        ("https://example.org:99999/a", "out of range"),
        ("https://example.org/\u202egpj.exe", "format character"),
    ],
)
def test_other_addresses_are_refused_with_the_reason(url: str, why: str) -> None:
    with pytest.raises(ValidationError, match="not an http\\(s\\) URL") as caught:
        Article(id="a", text=TEXT, url=url)
    assert why in str(caught.value)


async def test_a_bad_url_is_dead_lettered_and_the_good_beside_it_go_through(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    async with running(settings, [classifier_factory]):
        await redis.xadd(names.articles, {"text": TEXT, "id": "good-1", "url": "https://news.example.org/a"})
        bad = json.dumps({"id": "bad", "text": TEXT, "url": "javascript:alert(document.cookie)"})
        await redis.xadd(names.articles, {"__data__": bad})
        await redis.xadd(names.articles, {"text": TEXT + " Nobody was hurt.", "id": "good-2"})
        letters = [DeadLetter.model_validate(d) for d in await read_stream(redis, names.deadletter, 1)]
        out = await read_stream(redis, names.classified, 2)
    assert len(letters) == 1 and letters[0].stage == "classifier"
    assert "url" in letters[0].reason and "scheme 'javascript'" in letters[0].reason
    assert sorted(o["id"] for o in out) == ["good-1", "good-2"]
    assert {o["id"]: o.get("url") for o in out}["good-1"] == "https://news.example.org/a"
