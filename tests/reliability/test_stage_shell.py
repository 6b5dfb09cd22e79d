"""The stage shell's housekeeping over a real Redis: a pending entry deleted before it could be
claimed is counted and logged (lost input is never silent), and consumers that left the group long
ago are removed so their names do not pile up across restarts."""

from __future__ import annotations

import asyncio
import logging

import pytest
from redis.asyncio import Redis

from bench.corpus import incident_reports
from services.common.runtime import ServiceFactory
from services.common.settings import Settings
from services.common.streams import encode, ensure_groups
from tests.pipeline.conftest import read_stream, running


async def test_a_pending_entry_deleted_before_its_claim_is_counted_and_logged(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory, caplog: pytest.LogCaptureFixture
) -> None:
    names = settings.names
    await ensure_groups(redis, names)
    articles = incident_reports(3, 1, seed=2)
    ids = [await redis.xadd(names.articles, encode(a)) for a in articles]  # type: ignore[arg-type]
    # A consumer that read them and died without acknowledging; then one entry is deleted.
    await redis.xreadgroup("classifier", "died-1", {names.articles: ">"}, count=10)
    await redis.xdel(names.articles, ids[1])
    with caplog.at_level(logging.ERROR, logger="strikewatch.stage"):
        async with running(settings, [classifier_factory]) as app:
            out = await read_stream(redis, names.classified, 2)
            registry = app.runtime.metrics.registry
    assert sorted(o["id"] for o in out) == sorted([articles[0].id, articles[2].id])
    assert registry.get_sample_value("strikewatch_claimed_deleted_total", {"stream": names.articles}) == 1
    assert any(ids[1].decode() in record.getMessage() for record in caplog.records)


async def test_consumers_gone_for_long_are_removed_and_live_ones_kept(
    redis: Redis, settings: Settings, classifier_factory: ServiceFactory
) -> None:
    names = settings.names
    s = settings.model_copy(update={"consumer_forget_after_s": 1.0})
    await ensure_groups(redis, names)
    await redis.execute_command("XGROUP", "CREATECONSUMER", names.articles, "classifier", "gone-1")

    async def consumers() -> set[str]:
        return {c["name"].decode() for c in await redis.xinfo_consumers(names.articles, "classifier")}

    async with running(s, [classifier_factory]) as app:
        async with asyncio.timeout(30):
            while "gone-1" in await consumers():  # noqa: ASYNC110 - Redis sends no event for it
                await asyncio.sleep(0.1)
        live = await consumers()
    assert app.runtime.consumer("classifier") in live
