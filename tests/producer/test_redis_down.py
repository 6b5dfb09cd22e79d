"""While Redis is down, the HTTP endpoints answer at once with a 503 JSON error and Retry-After
(red-team finding 23: `POST /articles` hung for 45 s and more, then published the article when
Redis came back, after the client had given up; `GET /alerts` answered a plain-text 500)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from redis.asyncio import Redis

from services.alerter.app import build_alerter
from services.common.embedded import EmbeddedRedis
from services.common.runtime import build_app, start_http
from services.common.settings import Settings, SettingsError, load_settings
from services.producer.app import build_producer

WAIT_S = 1.0
RETRY_AFTER_S = 7
# Generous beside WAIT_S (a loaded machine); the bug was an answer after 45 s or none.
ANSWER_BOUND_S = 15.0


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Producer and alerter in one process serving HTTP on a free loopback port."""
    app, _rt = build_app(settings, [build_producer, build_alerter], title="redis-down", http_port=0)
    server, task = await start_http(app, 0)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60.0) as client:
            yield client
    finally:
        server.should_exit = True
        await task


def article(n: int) -> bytes:
    return json.dumps(
        {"id": f"down-{n}", "text": f"A drone struck a depot near Sumy on day {n}; nobody was hurt."}
    ).encode()


def assert_unavailable(answer: httpx.Response, took: float) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == str(RETRY_AFTER_S)
    assert answer.headers["content-type"].startswith("application/json")
    assert "Redis is unreachable" in answer.json()["error"]
    assert took < ANSWER_BOUND_S, f"the answer took {took:.1f}s"


async def test_endpoints_answer_503_with_retry_after_while_redis_is_down(prefix: str) -> None:
    own = EmbeddedRedis().start()
    restarted: list[EmbeddedRedis] = []
    try:
        settings = load_settings(
            redis_url=own.url,
            prefix=prefix,
            http_host="127.0.0.1",
            http_redis_wait_s=WAIT_S,
            refused_retry_after_s=RETRY_AFTER_S,
        )
        async with serving(settings) as client:
            taken = await client.post("/articles", content=article(1))
            assert taken.status_code == 202, taken.text
            assert (await client.get("/alerts")).status_code == 200

            assert own.pid is not None and own.process is not None
            os.kill(own.pid, signal.SIGKILL)
            await asyncio.to_thread(own.process.wait, 30)

            jsonl = article(3) + b"\n" + article(4)
            for what, send in [
                ("POST /articles", lambda: client.post("/articles", content=article(2))),
                ("POST /articles (JSONL)", lambda: client.post("/articles", content=jsonl)),
                ("GET /alerts", lambda: client.get("/alerts")),
            ]:
                started = time.monotonic()
                answer = await send()
                print(f"{what} with Redis down: {answer.status_code} in {time.monotonic() - started:.2f}s")
                assert_unavailable(answer, time.monotonic() - started)

            # Redis back (empty, on the same port): the refused articles were not written behind
            # the clients' backs, and a resend is taken.
            restarted.append(EmbeddedRedis(port=own.port).start())
            resent = await client.post("/articles", content=article(2))
            assert resent.status_code == 202, resent.text
            redis = Redis.from_url(restarted[0].url)
            try:
                entries = await redis.xrange(settings.names.articles)
            finally:
                await redis.aclose()
            assert [json.loads(fields[b"__data__"])["id"] for _, fields in entries] == ["down-2"]
    finally:
        for server in restarted:
            server.stop()
        own.stop()


def test_the_wait_is_a_setting_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIKEWATCH_HTTP_REDIS_WAIT_S", "2.5")
    assert load_settings().http_redis_wait_s == 2.5
    monkeypatch.setenv("STRIKEWATCH_HTTP_REDIS_WAIT_S", "0")
    with pytest.raises(SettingsError, match="STRIKEWATCH_HTTP_REDIS_WAIT_S"):
        load_settings()
