"""A Redis that comes back without its data (no persistence, or flushed) loses the consumer groups;
FastStream stops a subscriber that meets NOGROUP. The services recreate the groups and restart the
subscribers by themselves, without a supervisor."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from services.common.embedded import EmbeddedRedis
from services.common.runtime import ServiceFactory
from services.common.settings import load_settings
from services.producer.replay import replay
from tests.conftest import SEEDS
from tests.pipeline.conftest import read_stream, running


async def test_consumers_heal_after_redis_loses_its_data(
    prefix: str, tmp_path: Path, classifier_factory: ServiceFactory
) -> None:
    with EmbeddedRedis(data_dir=tmp_path / "redis") as server:
        settings = load_settings(redis_url=server.url, prefix=prefix, poll_ms=20)
        redis = Redis.from_url(server.url)
        try:
            async with running(settings, [classifier_factory]) as app:
                await replay(redis, settings, [SEEDS])
                assert len(await read_stream(redis, settings.names.classified, 5)) == 5
                await redis.flushall()
                # Articles written after the loss are still classified, once each.
                await replay(redis, settings, [SEEDS])
                assert len(await read_stream(redis, settings.names.classified, 5)) == 5
                assert all(subscriber.running for subscriber in app.broker.subscribers)  # type: ignore[union-attr]
        finally:
            await redis.aclose()
