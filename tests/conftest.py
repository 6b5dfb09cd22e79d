"""Shared fixtures: a real Redis-protocol server per test session (never fakeredis), a fresh key
prefix per test so tests never see each other's data, and settings pointing at both."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from redis.asyncio import Redis

from services.common.embedded import EmbeddedRedis
from services.common.settings import Settings, load_settings

if TYPE_CHECKING:
    from services.classifier.engine import Classifier
    from services.common.runtime import Runtime, ServiceFactory, ServiceParts

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        yield server


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def settings(redis_server: EmbeddedRedis, prefix: str) -> Settings:
    return load_settings(redis_url=redis_server.url, prefix=prefix, poll_ms=20, claim_idle_ms=1000)


@pytest.fixture
async def redis(redis_server: EmbeddedRedis) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def engine() -> Classifier:
    """Built once: building the spaCy pipeline and gazetteer takes seconds."""
    from services.classifier.engine import Classifier

    return Classifier()


@pytest.fixture
def classifier_factory(engine: Classifier) -> ServiceFactory:
    """The classifier service, sharing the session's engine instead of building its own."""
    from services.classifier.app import build_classifier

    def factory(rt: Runtime) -> ServiceParts:
        return build_classifier(rt, engine)

    return factory
