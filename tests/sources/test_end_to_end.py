"""End to end: a feed gains an attack report while the whole pipeline runs (producer polling the
feed, classifier, alerter), and an alert follows within 10 s of the poll that found it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from redis.asyncio import Redis

from schemas import Alert
from services.alerter.app import build_alerter
from services.common.runtime import ServiceFactory
from services.common.settings import Settings
from services.producer.app import build_producer
from tests.pipeline.conftest import read_stream, running
from tests.sources.conftest import write_sources
from tests.sources.polls import PollLog, articles, poller_of
from tests.sources.sites import Feed, Site
from tests.sources.stories import attack_story, calm_story

ALERT_WITHIN_S = 10.0


async def test_an_attack_report_in_a_feed_becomes_an_alert_within_10_s_of_the_poll(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path, classifier_factory: ServiceFactory
) -> None:
    feed = Feed(site)
    feed.add(calm_story(0, hours_ago=2))
    feed.add(calm_story(1, hours_ago=1))
    write_sources(
        tmp_path,
        [
            {
                "id": "news",
                "url": feed.url,
                "outlet": "Example News",
                "language": "en",
                "poll_s": 2,
                "full_text": True,
            }
        ],
    )
    names = sources_settings.names
    async with running(sources_settings, [build_producer, classifier_factory, build_alerter]) as app:
        polls = PollLog(poller_of(app))
        await read_stream(redis, names.articles, 2)
        assert await redis.xlen(names.alert_log) == 0  # calm news raises no alert
        already = len(site.hits("/rss.xml"))
        story = attack_story()
        feed.add(story)
        await polls.wait(
            lambda: any(r.new for r in polls.of("news")[1:]), "the poll that finds the attack report"
        )
        found_at = next(h.at for h in site.hits("/rss.xml")[already:])  # the request that served it
        remaining = found_at + ALERT_WITHIN_S - asyncio.get_running_loop().time()
        (raw,) = await read_stream(redis, names.alert_log, 1, timeout=max(remaining, 0.001))
    alert = Alert.model_validate(raw)
    assert alert.msg_type == "Alert" and alert.severity == "Severe"
    assert [loc.name for loc in alert.locations] == ["Kharkiv"]
    assert alert.casualties.killed == 2 and alert.casualties.injured == 11
    (attack,) = [a for a in await articles(redis, names.articles) if a["title"] == story.title]
    assert [s.article_id for s in alert.sources] == [attack["id"]]
