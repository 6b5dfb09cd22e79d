"""The producer's live-source loop: each source polled on its own schedule, by one replica at a time
(a lease in Redis that lasts until the next poll is due), its new items published as articles once.

Exactly once, in order: an item is skipped when its canonical URL is marked done; otherwise it is
claimed (a short `pending` marker, so two replicas or two feeds listing it do not both fetch it),
its text fetched, the article's content id claimed too (the same text under another URL), the
article published, and only then both markers set `done`. When the articles stream refuses it
(full of entries not yet processed) or anything fails, the claims are dropped and the feed's HTTP
validators forgotten, so the next poll reads the whole feed again and retries the item."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from redis.asyncio import Redis
from redis.exceptions import RedisError

from schemas import Article
from services.common.logs import log_event, milliseconds
from services.common.metrics import (
    SOURCE_EXTRACTION_OUTCOMES,
    SOURCE_FETCH_KINDS,
    SOURCE_FETCH_OUTCOMES,
    SOURCE_ITEM_OUTCOMES,
    Metrics,
)
from services.common.retry import raise_if_cancelling
from services.common.settings import Settings
from services.common.streams import add_dead_letter, dead_letter
from services.producer.publish import publish_articles, reject_reused_ids, screen_reused_ids
from services.producer.sources.config import Source
from services.producer.sources.feeds import FeedItem, item_key
from services.producer.sources.reader import EXTRACT_TIMEOUT_S, SourceReader
from services.producer.sources.schedule import first_delay, next_delay
from services.producer.sources.state import SourceState, SourceStore
from services.producer.sources.to_article import article_from_item

__all__ = ["PollReport", "SourcePoller"]

log = logging.getLogger("strikewatch.producer.sources")

# Sources polled at the same moment by one process; the rest wait their turn.
MAX_PARALLEL_POLLS = 8
# Within the runtime's 1 s for stopping background loops.
LEASE_RELEASE_TIMEOUT_S = 0.5


@dataclass
class PollReport:
    """What one poll did, for the canonical log line and the tests."""

    source: str
    outcome: str  # the feed fetch's: ok, not_modified, error, refused
    status: int | None = None
    items: int = 0
    new: int = 0
    seen: int = 0
    skipped: int = 0
    deferred: int = 0
    newest: float | None = None
    reason: str | None = None
    retry_after_s: float | None = None
    article_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.outcome in ("error", "refused")


class _StopPoll(Exception):
    """The articles stream refused an article: the rest of this poll waits for the next one."""


class SourcePoller:
    """Polls `sources` forever (`run`), publishing new items onto the articles stream."""

    def __init__(
        self,
        redis: Redis,
        settings: Settings,
        metrics: Metrics,
        sources: Sequence[Source],
        reader: SourceReader,
        *,
        owner: str | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._redis = redis
        self._settings = settings
        self._metrics = metrics
        self.sources = tuple(sources)
        self._reader = reader
        self._store = SourceStore(redis, settings.names, owner=owner or f"{uuid.uuid4().hex}")
        self._rand = rand
        self._parallel = asyncio.Semaphore(MAX_PARALLEL_POLLS)
        # The longest one item (page fetch with its robots.txt, extraction, publish) may take: the
        # lease and an item's pending claim outlive it.
        self._item_budget_s = 2 * settings.fetch_deadline_s + EXTRACT_TIMEOUT_S + 30.0
        self._done_ms = settings.source_seen_ttl_s * 1000
        self.polls = 0  # polls this process made (the lease went to it)
        # Called with each poll's report (tests wait on these; nothing else needs them yet).
        self.observers: list[Callable[[PollReport], None]] = []

    def register_metrics(self) -> None:
        """Zero series for every source, so rate() sees the first event and the rule its threshold."""
        for source in self.sources:
            for kind in SOURCE_FETCH_KINDS:
                for outcome in SOURCE_FETCH_OUTCOMES:
                    self._metrics.source_fetches.labels(source.id, kind, outcome)
            for outcome in SOURCE_ITEM_OUTCOMES:
                self._metrics.source_items.labels(source.id, outcome)
            self._metrics.source_malformed_feeds.labels(source.id)
            if source.full_text:
                for outcome in SOURCE_EXTRACTION_OUTCOMES:
                    self._metrics.source_extractions.labels(source.id, outcome)
            self._metrics.source_stale_after.labels(source.id).set(source.stale_after_s)

    # -- the loop ---------------------------------------------------------------------------------

    async def run(self) -> None:
        """Poll every source when due, until cancelled. Never returns otherwise."""
        self.register_metrics()
        loop = asyncio.get_running_loop()
        due = {s.id: loop.time() + first_delay(s.poll_s, self._rand()) for s in self.sources}
        running: dict[asyncio.Task[float], Source] = {}
        log_event(log, "sources.started", sources=len(self.sources), owner=self._store.owner)
        try:
            while True:
                raise_if_cancelling()
                now = loop.time()
                busy = {s.id for s in running.values()}
                for source in self.sources:
                    if source.id not in busy and due[source.id] <= now:
                        running[asyncio.create_task(self.tick(source), name=f"source-{source.id}")] = source
                idle = [due[s.id] for s in self.sources if s.id not in {r.id for r in running.values()}]
                wait = max(0.0, min(idle) - now) if idle else None
                if running:
                    finished, _ = await asyncio.wait(
                        running, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                    )
                else:
                    await asyncio.sleep(wait if wait is not None else 3600.0)
                    finished = set()
                for task in finished:
                    source = running.pop(task)
                    due[source.id] = loop.time() + task.result()
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def tick(self, source: Source) -> float:
        """Poll `source` if this replica gets its lease; seconds until it should look again.
        Never raises (but for cancellation): a failure is logged and backed off."""
        try:
            lease_ms = int(max(self._item_budget_s, source.poll_s) * 1000)
            if not await self._store.acquire(source.id, lease_ms):
                # Another replica polls it; look again when its lease runs out. Meanwhile report the
                # freshness it recorded, so every replica exports the same value.
                newest = await self._store.newest(source.id)
                if newest is not None:
                    self._metrics.source_freshness.newest[source.id] = newest
                left = await self._store.lease_left_ms(source.id) / 1000
                return left + self._rand() * min(1.0, 0.1 * source.poll_s)
            started = time.monotonic()
            try:
                async with self._parallel:
                    report, failures = await self.poll(source)
            except asyncio.CancelledError:
                # Stopped mid-poll (a rolling restart): hand the source back at once rather than
                # leave it unpolled until the lease runs out.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._store.release_lease(source.id), LEASE_RELEASE_TIMEOUT_S)
                raise
            delay = next_delay(
                source.poll_s,
                failures,
                rand=self._rand(),
                max_backoff_s=self._settings.source_backoff_max_s,
                retry_after_s=report.retry_after_s,
            )
            remaining = max(0.001, delay - (time.monotonic() - started))
            # The lease now lasts until the next poll is due: whichever replica takes it then polls.
            await self._store.extend(source.id, int(remaining * 1000))
            return remaining
        except (RedisError, OSError) as exc:
            log_event(
                log,
                "source.poll_failed",
                level=logging.WARNING,
                source=source.id,
                reason=f"Redis: {type(exc).__name__}: {exc}",
            )
            return next_delay(
                source.poll_s, 1, rand=self._rand(), max_backoff_s=self._settings.source_backoff_max_s
            )
        except Exception as exc:  # a bug must not stop the other sources: logged with its traceback
            log.exception("polling source %s failed: %s", source.id, exc)
            return next_delay(
                source.poll_s, 1, rand=self._rand(), max_backoff_s=self._settings.source_backoff_max_s
            )

    # -- one poll ---------------------------------------------------------------------------------

    async def poll(self, source: Source) -> tuple[PollReport, int]:
        """Fetch the feed and publish its new items; returns the report and the source's count of
        consecutive failed polls (0 after a success). Redis errors propagate."""
        self.polls += 1
        started = time.perf_counter()
        state = await self._store.state(source.id, source.url)
        read = await self._reader.read_feed(source, etag=state.etag, last_modified=state.last_modified)
        fetched = read.fetched
        report = PollReport(
            source.id,
            fetched.outcome,
            fetched.status,
            reason=fetched.reason,
            retry_after_s=fetched.retry_after_s,
        )
        validators: tuple[str | None, str | None] | None = None
        if read.parsed is not None:
            report.items = len(read.parsed.items)
            complete = await self._publish_items(source, read.parsed.items, state, report)
            # Validators only when every item was handled: otherwise a 304 next time would hide
            # the items still to publish.
            validators = (fetched.etag, fetched.last_modified) if complete else (None, None)
        failures = state.failures + 1 if report.failed else 0
        newest = report.newest if report.newest is not None else state.newest
        await self._store.save(
            source.id, url=source.url, failures=failures, newest=newest, validators=validators
        )
        if newest is not None:
            self._metrics.source_freshness.newest[source.id] = newest
        log_event(
            log,
            "source.polled",
            level=logging.WARNING if report.failed else logging.INFO,
            source=source.id,
            outcome=report.outcome,
            status=report.status,
            items=report.items,
            new=report.new,
            seen=report.seen,
            skipped=report.skipped,
            deferred=report.deferred,
            failures=failures,
            reason=report.reason,
            duration_ms=milliseconds(time.perf_counter() - started),
        )
        for observer in self.observers:
            observer(report)
        return report, failures

    async def _publish_items(
        self, source: Source, items: Sequence[FeedItem], state: SourceState, report: PollReport
    ) -> bool:
        """Publish the new ones among `items`; True when none is left for a later poll."""
        now = datetime.now(UTC)
        oldest = now.timestamp() - self._settings.source_max_item_age_s
        keyed: dict[str, FeedItem] = {}
        newest = state.newest
        for item in items:
            published = item.published.timestamp() if item.published else None
            if published is not None:
                # A date in the future (a feed's clock or typo) must not hide staleness forever.
                newest = max(newest or 0.0, min(published, now.timestamp()))
                if published < oldest:
                    self._count(source, "skipped", report)
                    continue
            keyed.setdefault(item_key(item, source.url), item)
        done = await self._store.done_among(list(keyed), done_ms=self._done_ms)
        for _ in done:
            self._count(source, "seen", report)
        todo = [(k, i) for k, i in keyed.items() if k not in done]
        # Oldest first, so the stream carries a feed's items in the order they were published.
        todo.sort(key=lambda pair: pair[1].published or now)
        complete = True
        for position, (key, item) in enumerate(todo):
            try:
                outcome = await self._publish_item(source, key, item, now)
            except _StopPoll:
                left = len(todo) - position
                for _ in range(left):
                    self._count(source, "deferred", report)
                log_event(
                    log,
                    "source.deferred",
                    level=logging.WARNING,
                    source=source.id,
                    items=left,
                    reason="the articles stream refused an article (full of unprocessed entries)",
                )
                return False
            self._count(source, outcome, report)
            if outcome == "deferred":
                complete = False
            elif outcome == "new" and item.published is None:
                newest = max(newest or 0.0, now.timestamp())
            await self._store.extend(source.id, int(self._item_budget_s * 1000))
        report.newest = newest
        return complete

    def _count(self, source: Source, outcome: str, report: PollReport) -> None:
        self._metrics.source_items.labels(source.id, outcome).inc()
        setattr(report, outcome, getattr(report, outcome) + 1)

    async def _publish_item(self, source: Source, key: str, item: FeedItem, now: datetime) -> str:
        """One item: "new" (published), "seen", "skipped" (unusable, dead-lettered) or "deferred"."""
        pending_ms = int(self._item_budget_s * 1000)
        claim = await self._store.claim([key], pending_ms=pending_ms, done_ms=self._done_ms)
        if claim != "claimed":
            return "seen" if claim == "done" else "deferred"
        keys = [key]
        try:
            text, origin = await self._reader.item_text(source, item)
            try:
                if not text.strip():
                    raise ValueError("the item has no title, no text and no page text")
                article = article_from_item(
                    item, source, text, first_seen=now, max_bytes=self._settings.max_article_bytes
                )
            except ValueError as exc:
                await self._dead_letter(source, item, str(exc))
                await self._store.confirm(keys, done_ms=self._done_ms)  # rejected once, not every poll
                return "skipped"
            content_key = f"a:{article.id}"
            claim = await self._store.claim([content_key], pending_ms=pending_ms, done_ms=self._done_ms)
            if claim == "done":  # the same text under another URL, already published
                await self._store.confirm(keys, done_ms=self._done_ms)
                return "seen"
            if claim == "pending":
                await self._store.release(keys)
                return "deferred"
            keys.append(content_key)
            found = await screen_reused_ids(self._redis, self._settings, [article])
            if found.conflicts:  # the item's id was classified for another text (an edited item)
                await reject_reused_ids(
                    self._redis, self._settings, found, source=source.url, metrics=self._metrics
                )
                await self._store.confirm(keys, done_ms=self._done_ms)  # rejected once, not every poll
                return "skipped"
            if not await self._publish(article):
                await self._store.release(keys)
                raise _StopPoll
            await self._store.confirm(keys, done_ms=self._done_ms)
        except BaseException:
            with contextlib.suppress(RedisError, OSError):
                await self._store.release(keys)
            raise
        log_event(
            log,
            "source.item_published",
            source=source.id,
            article_id=article.id,
            url=article.url,
            text_from=origin,
            chars=len(article.text),
        )
        return "new"

    async def _publish(self, article: Article) -> bool:
        """True when the articles stream took the article; False when it refused it (full of entries
        not yet processed: counted in strikewatch_articles_refused_total)."""
        published = await publish_articles(self._redis, self._settings, [article], metrics=self._metrics)
        return len(published.ids) == 1

    async def _dead_letter(self, source: Source, item: FeedItem, reason: str) -> None:
        payload = json.dumps(
            {"source": source.id, "link": item.link, "guid": item.guid, "title": item.title},
            ensure_ascii=False,
        )
        letter = dead_letter("producer", f"source {source.id}: {reason}", payload, source_id=source.url)
        await add_dead_letter(self._redis, self._settings.names, self._settings.deadletter_maxlen, letter)
        self._metrics.deadletter.labels("producer").inc()
        log_event(
            log, "source.item_rejected", level=logging.WARNING, source=source.id, url=item.link, reason=reason
        )

    async def aclose(self) -> None:
        await self._reader.aclose()


def poller_from_settings(redis: Redis, settings: Settings, metrics: Metrics, *, owner: str) -> SourcePoller:
    """The poller of STRIKEWATCH_SOURCES_FILE (read now, once). SourcesFileError (a ValueError)
    naming the entry at fault when the file is invalid."""
    from services.producer.sources.config import load_sources
    from services.producer.sources.fetch import Fetcher

    assert settings.sources_file is not None, "STRIKEWATCH_SOURCES_FILE is not set"
    sources = load_sources(settings.sources_file)
    if not sources:
        log.warning("%s lists no sources: nothing to poll", settings.sources_file)
    reader = SourceReader(settings, Fetcher(settings), metrics=metrics)
    return SourcePoller(redis, settings, metrics, sources, reader, owner=f"{owner}-{uuid.uuid4().hex[:8]}")
