"""The live-source poller in a running producer, against real feeds on loopback and the session's
real Redis: new items become articles once each (also across a restart, with two replicas, and when
two feeds list one page); bad cases are counted and logged, and never stop the loop."""

from __future__ import annotations

import itertools
import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from services.common.names import CLASSIFIER_GROUP
from services.common.settings import Settings
from services.common.streams import ensure_groups
from services.producer import app as producer_app
from services.producer.app import build_producer
from tests.pipeline.conftest import read_stream, running
from tests.sources.conftest import write_sources
from tests.sources.polls import PollLog, articles, poller_of
from tests.sources.sites import Feed, Reply, Site, stream_of
from tests.sources.stories import attack_story, calm_story
from tests.sources.test_feeds import MALFORMED

FIFTY_MB = 50 * 1024 * 1024


def _sample(settings_app: Any, name: str, labels: dict[str, str]) -> float:
    value = settings_app.runtime.metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else float(value)


async def test_new_items_of_rss_atom_and_a_broken_feed_become_articles_once(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    rss = Feed(site, path="/rss.xml", kind="rss", outlet="Example News")
    rss.link_query = "?utm_source=rss&utm_medium=feed&gclid=x"
    rss.add(calm_story(0, hours_ago=3))
    rss.add(attack_story())
    atom = Feed(site, path="/atom.xml", kind="atom", outlet="Example Wire")
    atom.add(calm_story(1, hours_ago=2))
    site.routes["/broken.xml"] = Reply(body=MALFORMED.replace(b"2025", b"2099"))
    write_sources(
        tmp_path,
        [
            {
                "id": "news",
                "url": rss.url,
                "outlet": "Example News",
                "language": "en",
                "poll_s": 1,
                "full_text": True,
            },
            {"id": "wire", "url": atom.url, "outlet": "Example Wire", "poll_s": 1},
            {"id": "broken", "url": site.url("/broken.xml"), "outlet": "Broken News", "poll_s": 1},
        ],
    )
    names = sources_settings.names
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        published = await read_stream(redis, names.articles, 5)
        # Two more polls of every feed after the articles arrived: nothing is published twice.
        for source in ("news", "wire", "broken"):
            await polls.polls(source, len(polls.of(source)) + 2)
        assert len(await articles(redis, names.articles)) == 5
        metrics_app = app
        assert (
            _sample(
                metrics_app,
                "strikewatch_source_fetches_total",
                {"source": "news", "kind": "feed", "outcome": "not_modified"},
            )
            >= 1
        )
        assert (
            _sample(metrics_app, "strikewatch_source_items_total", {"source": "news", "outcome": "new"}) == 2
        )
        assert (
            _sample(metrics_app, "strikewatch_source_items_total", {"source": "news", "outcome": "seen"}) == 0
        )
        assert (
            _sample(metrics_app, "strikewatch_source_items_total", {"source": "broken", "outcome": "seen"})
            >= 2
        )
        assert _sample(metrics_app, "strikewatch_source_malformed_feeds_total", {"source": "broken"}) >= 1
        assert (
            _sample(
                metrics_app, "strikewatch_source_extractions_total", {"source": "news", "outcome": "page"}
            )
            == 2
        )
        freshness = _sample(metrics_app, "strikewatch_source_freshness_seconds", {"source": "news"})
        assert 0 < freshness < 3600  # the attack story was published half an hour ago

    by_url = {a["url"]: a for a in published}
    strike = by_url[site.url("/news/kharkiv-strike")]  # tracking parameters stripped
    assert strike["source"] == "Example News"
    assert strike["title"] == "Drone strike on Kharkiv apartment block kills two"
    assert "killing two residents and injuring eleven" in strike["text"]  # the page's text,
    assert "Stay safe" not in strike["text"] and "Cheap flights" not in strike["text"]  # not its furniture
    assert strike["published"].endswith("Z") or strike["published"].endswith("+00:00")
    wire = by_url[site.url("/news/story-1")]
    assert wire["source"] == "Example Wire" and wire["text"].startswith("Wheat harvest expected to grow (1)")
    broken = [a for a in published if a["source"] == "Broken News"]
    # The broken feed's two good items; its truncated third one was dead-lettered (nothing in it).
    assert sorted(a["title"] for a in broken) == ["Market hall restored", "Tram line extended"]


async def test_a_restart_publishes_only_what_is_new(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """Seen markers and HTTP validators live in Redis: a restarted producer neither republishes nor
    refetches what did not change, and publishes the story added while it was down."""
    feed = Feed(site)
    feed.add(calm_story(0))
    feed.add(calm_story(1))
    write_sources(
        tmp_path, [{"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1, "full_text": True}]
    )
    names = sources_settings.names
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        await read_stream(redis, names.articles, 2)
        await polls.polls("news", 2)
    feed.add(calm_story(2))
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        await read_stream(redis, names.articles, 3)
        await polls.polls("news", 3)
        assert [r.outcome for r in polls.of("news")][1:] == ["not_modified", "not_modified"]
    stream = await articles(redis, names.articles)
    assert len(stream) == 3
    assert [a["title"] for a in stream][-1] == "New footbridge opens (2)"
    assert len(site.hits("/news/story-0")) == 1  # each page fetched once, restart or not


async def test_two_replicas_share_one_schedule_and_publish_once(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """Two producers poll the same file: a lease in Redis gives each poll to one of them, so the feed
    is fetched once per interval, not twice, and every item becomes one article."""
    feed = Feed(site)
    for i in range(3):
        feed.add(calm_story(i, hours_ago=3 - i))
    write_sources(
        tmp_path, [{"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1, "full_text": True}]
    )
    names = sources_settings.names
    async with (
        running(sources_settings, [build_producer]) as one,
        running(sources_settings, [build_producer]) as two,
    ):
        polls = PollLog(poller_of(one), poller_of(two))
        await read_stream(redis, names.articles, 3)
        await polls.polls("news", 7)
        hits = site.hits("/rss.xml")
        made = poller_of(one).polls + poller_of(two).polls
    # Every fetch of the feed was one poll of one replica, and no two came together: replicas that
    # both polled would fetch in pairs (gaps near 0). The interval is 1 s less 10% jitter; the bound
    # leaves room for a loaded machine (a first poll's robots.txt request, scheduling delays).
    assert len(hits) == made
    gaps = [b.at - a.at for a, b in itertools.pairwise(hits)]
    assert min(gaps) > 0.5, gaps
    # On average one fetch per interval, not two (without the lease: about 0.5 s apart).
    assert sum(gaps) / len(gaps) > 0.8, gaps
    assert len(await articles(redis, names.articles)) == 3
    for i in range(3):
        assert len(site.hits(f"/news/story-{i}")) == 1


async def test_one_page_in_two_feeds_is_one_article(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """The same story listed by two feeds (with different tracking parameters) is fetched and
    published once."""
    first = Feed(site, path="/a.xml")
    second = Feed(site, path="/b.xml", outlet="Partner Site")
    second.link_query = "?utm_source=partner&fbclid=abc"
    story = attack_story()
    first.add(story)
    second.add(story, page=False)
    second.add(calm_story(2))
    write_sources(
        tmp_path,
        [
            {"id": "a", "url": first.url, "outlet": "Example News", "poll_s": 1, "full_text": True},
            {"id": "b", "url": second.url, "outlet": "Partner Site", "poll_s": 1, "full_text": True},
        ],
    )
    names = sources_settings.names
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        await read_stream(redis, names.articles, 2)
        await polls.polls("a", 3)
        await polls.polls("b", 3)
    stream = await articles(redis, names.articles)
    assert sorted(a["title"] for a in stream) == sorted([story.title, "New footbridge opens (2)"])
    assert len(site.hits("/news/kharkiv-strike")) == 1


async def test_a_refused_article_stays_unseen_and_is_published_later(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """When the articles stream is full of entries the classifier has not processed, it refuses the
    items' articles: they are not marked seen and the feed's validators are dropped, so once the
    classifier catches up the next poll reads the feed again and publishes each item once."""
    settings = sources_settings.model_copy(update={"articles_maxlen": 1000})
    names = settings.names
    await ensure_groups(redis, names)
    async with redis.pipeline(transaction=False) as pipe:
        for i in range(1000):
            pipe.xadd(names.articles, {"__data__": json.dumps({"id": f"backlog-{i}", "text": "queued"})})
        await pipe.execute()
    feed = Feed(site)
    feed.add(calm_story(0, hours_ago=2))
    feed.add(calm_story(1, hours_ago=1))
    write_sources(tmp_path, [{"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1}])
    async with running(settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        (first,) = await polls.polls("news", 1)
        assert (first.deferred, first.new) == (2, 0)
        # The classifier catches up: it reads and acknowledges the backlog.
        backlog = await redis.xreadgroup(CLASSIFIER_GROUP, "catch-up", {names.articles: ">"}, count=1000)
        await redis.xack(names.articles, CLASSIFIER_GROUP, *[entry_id for entry_id, _ in backlog[0][1]])
        await polls.wait(lambda: sum(r.new for r in polls.of("news")) == 2, "both items published")
        await polls.polls("news", len(polls.of("news")) + 1)
        refused = _sample(app, "strikewatch_articles_refused_total", {})
        deferred = _sample(app, "strikewatch_source_items_total", {"source": "news", "outcome": "deferred"})
    assert refused >= 1 and deferred >= 2
    hits = site.hits("/rss.xml")
    assert "if-none-match" not in hits[1].headers  # the refused poll left no validators behind
    titles = [a["title"] for a in await articles(redis, names.articles) if a.get("title")]
    assert sorted(titles) == ["Council approves library budget (0)", "Wheat harvest expected to grow (1)"]


async def test_bad_sources_are_counted_and_logged_and_the_good_one_still_flows(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A slow feed, a feed on an address that is not allow-listed, items whose pages are 50 MB or
    redirect to a loopback address that is not allow-listed, and an item with nothing in it: each
    is counted and logged; the good items still become articles and the loop goes on."""
    caplog.set_level(logging.INFO, logger="strikewatch")
    feed = Feed(site)
    huge = calm_story(0, hours_ago=3)
    hidden = calm_story(1, hours_ago=2)
    good = attack_story()
    feed.add(huge, page=False)
    feed.add(hidden, page=False)
    feed.add(good)
    site.routes[feed.page_path(huge)] = Reply(body=stream_of(FIFTY_MB), headers={"content-type": "text/html"})
    site.routes[feed.page_path(hidden)] = Reply(302, headers={"location": "http://127.0.0.2:8080/admin"})
    site.routes["/slow.xml"] = Reply(body=b"<rss/>", delay_s=60)
    site.routes["/empty.xml"] = Reply(
        body=b'<rss version="2.0"><channel><title>E</title><item></item></channel></rss>'
    )
    write_sources(
        tmp_path,
        [
            {"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1, "full_text": True},
            {"id": "slow", "url": site.url("/slow.xml"), "outlet": "Slow", "poll_s": 1},
            {"id": "elsewhere", "url": "http://127.0.0.3:8080/rss.xml", "outlet": "Elsewhere", "poll_s": 1},
            {"id": "empty", "url": site.url("/empty.xml"), "outlet": "Empty", "poll_s": 1},
        ],
    )
    names = sources_settings.names
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        published = await read_stream(redis, names.articles, 3)
        await polls.polls("slow", 2)
        await polls.polls("elsewhere", 2)
        await polls.polls("empty", 2)
        await polls.polls("news", len(polls.of("news")) + 1)

        def count(name: str, **labels: str) -> float:
            return _sample(app, name, labels)

        assert count("strikewatch_source_fetches_total", source="slow", kind="feed", outcome="error") >= 2
        assert (
            count("strikewatch_source_fetches_total", source="elsewhere", kind="feed", outcome="refused") >= 2
        )
        assert count("strikewatch_source_fetches_total", source="news", kind="page", outcome="error") == 1
        assert count("strikewatch_source_fetches_total", source="news", kind="page", outcome="refused") == 1
        assert count("strikewatch_source_extractions_total", source="news", outcome="summary") == 2
        assert count("strikewatch_source_items_total", source="empty", outcome="skipped") == 1
        assert count("strikewatch_deadletter_total", stage="producer") == 1
    slow = polls.of("slow")
    assert slow[0].failed and "timed out" in (slow[0].reason or "")
    elsewhere = polls.of("elsewhere")[0]
    assert elsewhere.outcome == "refused"
    assert (
        elsewhere.reason
        == "127.0.0.3 is a loopback address; add it to STRIKEWATCH_FETCH_ALLOWLIST to allow it"
    )
    # The items whose pages failed were published from their feed text.
    texts = {a["title"]: a["text"] for a in published}
    assert texts[huge.title].startswith(huge.title + "\n\n" + huge.paragraphs[0][:40])
    assert texts[good.title].startswith(good.paragraphs[0][:40]) or good.paragraphs[0] in texts[good.title]
    assert len(await articles(redis, names.articles)) == 3
    # The item with nothing in it went to the dead-letter stream once, with the reason.
    (letter,) = await redis.xrange(names.deadletter)
    assert b"the item has no title, no text and no page text" in letter[1][b"__data__"]
    events = [getattr(r, "event", r.getMessage()) for r in caplog.records]
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "source.page_refused" in messages and "source.page_failed" in messages
    assert "source.item_rejected" in messages and "source.polled" in messages
    assert events


async def test_an_invalid_sources_file_stops_the_producer_naming_the_entry(
    sources_settings: Settings, tmp_path: Path
) -> None:
    write_sources(
        tmp_path,
        [
            {"id": "ok", "url": "https://a.example/rss", "outlet": "A"},
            {"id": "bad", "url": "x", "outlet": "B"},
        ],
    )
    from services.common.runtime import build_app

    with pytest.raises(ValueError, match=r"entry 2 \(id 'bad'\): url: Value error, must be an http"):
        build_app(sources_settings, [producer_app.build_producer], title="t", http_port=0)


async def test_a_producer_stopped_mid_poll_hands_the_source_back(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path
) -> None:
    """A rolling restart during a slow fetch releases the source's lease at once, so another
    replica polls it without waiting for the lease to run out."""
    site.routes["/slow.xml"] = Reply(body=b"<rss/>", delay_s=60)
    write_sources(tmp_path, [{"id": "slow", "url": site.url("/slow.xml"), "outlet": "Slow", "poll_s": 1}])
    lease = sources_settings.names.source_lease("slow")
    async with running(sources_settings, [build_producer]):
        await site.wait_hits("/slow.xml", 1)
        assert await redis.exists(lease)
    assert not await redis.exists(lease)


async def test_a_feed_that_cannot_be_parsed_in_time_is_read_again_next_poll(
    redis: Redis, sources_settings: Settings, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parse over its time limit is an error of that poll: no validators are kept for the unread
    feed, so the next poll gets it whole (not a 304) and publishes its items."""
    from services.producer.sources import reader as reader_module

    # The first parse blocks until the poll has given up on it, so the time limit always wins (a
    # tiny limit alone races the parse on a loaded machine).
    release = threading.Event()
    real_parse = reader_module.parse_feed
    parses: list[int] = []

    def first_parse_hangs(*args: Any, **kwargs: Any) -> Any:
        parses.append(1)
        if len(parses) == 1:
            release.wait(timeout=30)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(reader_module, "parse_feed", first_parse_hangs)
    monkeypatch.setattr(reader_module, "PARSE_TIMEOUT_S", 0.05)
    feed = Feed(site)
    feed.add(calm_story(0))
    write_sources(tmp_path, [{"id": "news", "url": feed.url, "outlet": "Example News", "poll_s": 1}])
    names = sources_settings.names
    async with running(sources_settings, [build_producer]) as app:
        polls = PollLog(poller_of(app))
        (first,) = await polls.polls("news", 1)
        release.set()
        monkeypatch.setattr(reader_module, "PARSE_TIMEOUT_S", 15.0)
        await read_stream(redis, names.articles, 1)
    assert first.outcome == "error" and "took longer than" in (first.reason or "")
    assert all("if-none-match" not in hit.headers for hit in site.hits("/rss.xml")[:2])
