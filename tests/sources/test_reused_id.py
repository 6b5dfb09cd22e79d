"""The feed poller refuses an item whose article id was already classified for another text, as
`POST /articles` and `strikewatch replay` do (tests/producer/test_reused_id.py). Real feed on
loopback, real Redis."""

from __future__ import annotations

import json
from pathlib import Path

from redis.asyncio import Redis

from schemas import DeadLetter
from services.common.articles import REUSED_ID_REASON, article_id
from services.common.settings import Settings
from services.producer.app import build_producer
from tests.pipeline.conftest import read_stream, running
from tests.sources.conftest import write_sources
from tests.sources.polls import PollLog, poller_of
from tests.sources.sites import Feed, Site
from tests.sources.stories import calm_story

OTHER = "Two glide bombs struck an apartment block in Zaporizhzhia; one woman was killed."


async def _letters(redis: Redis, settings: Settings) -> list[DeadLetter]:
    entries = await redis.xrange(settings.names.deadletter)
    return [DeadLetter.model_validate_json(fields[b"__data__"]) for _, fields in entries]


async def test_the_feed_poller_skips_an_item_whose_id_was_classified_for_another_text(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """The poller's article (a content-hash id) meets a marker holding another text's fingerprint:
    the item is counted `skipped`, dead-lettered with the reason and never published. The id comes
    from a first producer under another prefix polling the same feed."""
    feed = Feed(site)
    feed.add(calm_story(0, hours_ago=1))
    write_sources(tmp_path, [{"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1}])
    first_run = sources_settings.model_copy(update={"prefix": sources_settings.prefix + "-first"})
    async with running(first_run, [build_producer]):
        (published,) = await read_stream(redis, first_run.names.articles, 1)
    names = sources_settings.names
    await redis.set(names.classified_marker(published["id"]), article_id(OTHER), ex=3600)
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        await polls.wait(lambda: sum(r.skipped for r in polls.of("news")) == 1, "the item skipped")
        skipped = app.runtime.metrics.registry.get_sample_value(
            "strikewatch_source_items_total", {"source": "news", "outcome": "skipped"}
        )
    expected = REUSED_ID_REASON.format(
        id=published["id"], earlier=article_id(OTHER), fingerprint=article_id(published["text"])
    )
    (letter,) = await _letters(redis, sources_settings)
    assert letter.stage == "producer" and letter.reason == expected
    assert json.loads(letter.payload)["text"] == published["text"]
    assert skipped == 1
    assert await redis.xlen(names.articles) == 0
