"""The classifier service builds every language's reader and the detector before it subscribes,
and /readyz says so until it has (a real Redis; the state is checked, never a duration)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from services.classifier.app import build_classifier
from services.classifier.engine import Classifier
from services.common.embedded import EmbeddedRedis, free_port
from services.common.runtime import Runtime, ServiceParts, StrikewatchApp, build_app
from services.common.settings import Settings
from tests.conftest import ROOT
from tests.pipeline.conftest import WAIT_S, read_stream, running


@asynccontextmanager
async def warming_first(
    settings: Settings, engine: Classifier, first: Callable[[], None]
) -> AsyncIterator[tuple[StrikewatchApp, httpx.AsyncClient]]:
    """A classifier service (not awaited to be ready) whose first warm-up is `first`, and an HTTP
    client on its /readyz."""

    def factory(rt: Runtime) -> ServiceParts:
        parts = build_classifier(rt, engine)
        parts.warm.insert(0, first)
        return parts

    app, _ = build_app(settings, [factory], title="test", http_port=0)
    async with (
        app.start_lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app.http), base_url="http://t") as client,
    ):
        yield app, client


async def test_after_start_every_reader_and_the_detector_exist(redis: Redis, settings: Settings) -> None:
    engine = Classifier()  # fresh: only the English reader exists until warmed
    assert set(engine.readers) == {"en"} and engine.language_reader._detector is None

    def factory(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, engine)

    async with running(settings, [factory]):
        assert set(engine.readers) == set(engine.languages) >= {"en", "uk", "ru"}
        assert engine.language_reader._detector is not None
        await redis.xadd(
            settings.names.articles,
            {"text": "Уночі дрони атакували порт в Одесі, загинули двоє людей.", "id": "warm-uk"},
        )
        out = await read_stream(redis, settings.names.classified, 1)
    assert out[0]["id"] == "warm-uk" and out[0]["language"] == "uk"


async def test_not_ready_and_not_subscribed_while_warming(settings: Settings, engine: Classifier) -> None:
    entered, gate = threading.Event(), threading.Event()

    def held() -> None:
        entered.set()
        gate.wait(WAIT_S)

    async with warming_first(settings, engine, held) as (app, client):
        try:
            assert await asyncio.to_thread(entered.wait, WAIT_S)
            # Redis is reached meanwhile ("connecting to Redis"), then only the warm-up holds the
            # service back; every answer until the gate opens is 503 with no subscriber running.
            async with asyncio.timeout(WAIT_S):
                while True:
                    answer = await client.get("/readyz")
                    assert answer.status_code == 503, answer.text
                    assert app.broker is not None and not any(sub.running for sub in app.broker.subscribers)
                    if answer.text == "warming up (classifier)":
                        break
                    await asyncio.sleep(0.02)
            assert not app.started.is_set()
        finally:
            gate.set()
        async with asyncio.timeout(WAIT_S):
            await app.started.wait()
        answer = await client.get("/readyz")
        assert answer.status_code == 200, answer.text


async def test_a_failed_warm_up_is_said_by_readyz_and_nothing_subscribes(
    settings: Settings, engine: Classifier
) -> None:
    def broken() -> None:
        raise ValueError("rule pack unreadable")

    async with warming_first(settings, engine, broken) as (app, client):
        async with asyncio.timeout(WAIT_S):
            while True:
                answer = await client.get("/readyz")
                assert answer.status_code == 503, answer.text
                if answer.text.startswith("warm-up failed"):
                    break
                await asyncio.sleep(0.02)
        assert answer.text == "warm-up failed (classifier): ValueError"
        assert app.broker is not None and not any(sub.running for sub in app.broker.subscribers)
        assert not app.started.is_set()


@pytest.mark.slow
def test_sigterm_while_warming_up_exits_without_waiting_for_the_warm_up(
    redis_server: EmbeddedRedis, prefix: str, tmp_path: Path
) -> None:
    """A real process whose warm-up never returns (tests/pipeline/hung_warm_up.py): SIGTERM while
    /readyz says "warming up" ends it, with status 0. Nothing subscribed, so nothing is lost; the
    warm-up thread used to be joined at exit (~7 s for the real warm-up, forever for this one)."""
    port = free_port()
    env = {
        **os.environ,
        "STRIKEWATCH_REDIS_URL": redis_server.url,
        "STRIKEWATCH_PREFIX": prefix,
        "STRIKEWATCH_HTTP_HOST": "127.0.0.1",
    }
    log = tmp_path / "classifier.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.pipeline.hung_warm_up", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # Bounded: importing and building the English pipeline takes seconds on a loaded machine.
        deadline = time.monotonic() + WAIT_S
        said = "no answer"
        while said != "warming up (classifier)":
            assert process.poll() is None and time.monotonic() < deadline, said
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2.0)
                assert answer.status_code == 503, answer.text
                said = answer.text
            except httpx.TransportError as exc:
                said = type(exc).__name__
                time.sleep(0.1)  # the port is not open yet
        process.send_signal(signal.SIGTERM)
        # Generous: the contract's bound is 5 s; a process held by its warm-up never exits.
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError("SIGTERM during the warm-up: the process did not exit") from None
        assert code == 0, log.read_text(errors="replace")[-1500:]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
