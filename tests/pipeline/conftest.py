"""Running services in-process against the session's real Redis server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.asyncio import Redis

from services.classifier.app import build_classifier
from services.classifier.engine import Classifier
from services.common.runtime import Runtime, ServiceFactory, ServiceParts, StrikewatchApp, build_app
from services.common.settings import Settings

WAIT_S = 60.0


@pytest.fixture(scope="session")
def engine() -> Classifier:
    return Classifier()


@pytest.fixture
def classifier_factory(engine: Classifier) -> ServiceFactory:
    def factory(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, engine)

    return factory


@asynccontextmanager
async def running(settings: Settings, factories: Sequence[ServiceFactory]) -> AsyncIterator[StrikewatchApp]:
    app, _ = build_app(settings, factories, title="test", http_port=0)
    async with app.start_lifespan_context():
        yield app


async def read_stream(redis: Redis, stream: str, count: int, *, timeout: float = WAIT_S) -> list[dict[str, Any]]:
    """Block until `stream` holds `count` entries (XREAD BLOCK: woken by each write, no sleeping),
    then return their JSON bodies. Fails the test if they do not arrive in time."""
    entries: list[tuple[bytes, dict[bytes, bytes]]] = []
    last = "0"
    loop = __import__("asyncio").get_running_loop()
    deadline = loop.time() + timeout
    while len(entries) < count:
        remaining_ms = int((deadline - loop.time()) * 1000)
        assert remaining_ms > 0, f"{stream}: {len(entries)} of {count} entries after {timeout}s"
        reply = await redis.xread({stream: last}, block=remaining_ms, count=1000)
        for _, batch in reply:
            entries.extend(batch)
            last = batch[-1][0].decode()
    return [json.loads(fields[b"__data__"]) for _, fields in entries]
