"""Reading one source, without Redis: fetch and parse its feed, and get an item's article text
(its page's main text for full-text sources, else the feed's own). Shared by the poller and
`strikewatch sources check`."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from services.common.logs import log_event, milliseconds
from services.common.metrics import Metrics
from services.common.settings import Settings
from services.producer.sources.config import Source
from services.producer.sources.extract import CpuLane, main_text
from services.producer.sources.feeds import FeedItem, ParsedFeed, parse_feed
from services.producer.sources.fetch import Fetched, Fetcher
from services.producer.sources.to_article import TextOrigin, choose_text

__all__ = ["EXTRACT_MAX_BYTES", "EXTRACT_TIMEOUT_S", "FeedRead", "SourceReader"]

log = logging.getLogger("strikewatch.producer.sources")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, */*;q=0.8"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
# HTML handed to the extractor, at most: its time grows with the input (about 90 CPU-ms per MB,
# `python -m bench.sources`), and the article body sits well inside the first megabytes of a page.
EXTRACT_MAX_BYTES = 2_000_000
# A parse or an extraction taking longer than this is abandoned (the feed or page is counted as
# failed); the input caps bound how long the abandoned work can go on.
PARSE_TIMEOUT_S = 15.0
EXTRACT_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True)
class FeedRead:
    fetched: Fetched
    parsed: ParsedFeed | None  # None unless the fetch was `ok` and the parse finished in time


class SourceReader:
    """Fetches feeds and pages through one `Fetcher` and parses them on one `CpuLane`; counts each
    fetch in `metrics` when given."""

    def __init__(self, settings: Settings, fetcher: Fetcher, *, metrics: Metrics | None = None) -> None:
        self._settings = settings
        self.fetcher = fetcher
        self._metrics = metrics
        self._lane = CpuLane()

    async def aclose(self) -> None:
        self._lane.close()
        await self.fetcher.aclose()

    def _count(self, source: Source, kind: str, fetched: Fetched) -> None:
        if self._metrics is not None:
            self._metrics.source_fetches.labels(source.id, kind, fetched.outcome).inc()

    async def read_feed(self, source: Source, *, etag: str | None, last_modified: str | None) -> FeedRead:
        started = time.perf_counter()
        fetched = await self.fetcher.get(
            source.url, etag=etag, last_modified=last_modified, accept=FEED_ACCEPT
        )
        self._count(source, "feed", fetched)
        if fetched.outcome == "refused":
            log_event(
                log,
                "source.refused",
                level=logging.WARNING,
                source=source.id,
                url=source.url,
                reason=fetched.reason,
            )
        if fetched.outcome != "ok":
            return FeedRead(fetched, None)
        body, url, content_type = fetched.body, fetched.url, fetched.content_type
        try:
            parsed = await self._lane.run(
                PARSE_TIMEOUT_S, lambda: parse_feed(body, url=url, content_type=content_type)
            )
        except TimeoutError:
            log_event(
                log,
                "source.parse_timeout",
                level=logging.WARNING,
                source=source.id,
                bytes=len(body),
                duration_ms=milliseconds(time.perf_counter() - started),
            )
            # Not read: an error of this poll (backed off, validators kept from before), so the
            # next poll reads the feed again instead of being told "304, nothing new".
            reason = f"parsing {len(body)} bytes took longer than {PARSE_TIMEOUT_S:g} s"
            return FeedRead(replace(fetched, outcome="error", reason=reason), None)
        if parsed.malformed:
            if self._metrics is not None:
                self._metrics.source_malformed_feeds.labels(source.id).inc()
            log_event(
                log,
                "source.malformed",
                level=logging.WARNING,
                source=source.id,
                reason=parsed.malformed,
                items=len(parsed.items),
            )
        return FeedRead(fetched, parsed)

    async def page_text(self, source: Source, link: str) -> str | None:
        """The main text of the item's page, or None (fetch failed or refused, nothing extracted)."""
        fetched = await self.fetcher.get(link, accept=PAGE_ACCEPT)
        self._count(source, "page", fetched)
        if fetched.outcome != "ok":
            event = "source.page_refused" if fetched.outcome == "refused" else "source.page_failed"
            log_event(log, event, level=logging.WARNING, source=source.id, url=link, reason=fetched.reason)
            return None
        body, url = fetched.body, fetched.url
        try:
            return await self._lane.run(
                EXTRACT_TIMEOUT_S, lambda: main_text(body, url, max_input_bytes=EXTRACT_MAX_BYTES)
            )
        except TimeoutError:
            log_event(
                log,
                "source.extract_timeout",
                level=logging.WARNING,
                source=source.id,
                url=link,
                bytes=len(body),
            )
            return None
        except Exception as exc:  # the extractor on hostile HTML: the summary still serves
            log_event(
                log,
                "source.extract_failed",
                level=logging.WARNING,
                source=source.id,
                url=link,
                reason=f"{type(exc).__name__}: {exc}",
            )
            return None

    async def item_text(self, source: Source, item: FeedItem) -> tuple[str, TextOrigin]:
        """The article text of one item and where it came from (section 9: the page's text for
        `full_text` sources, the feed summary when that fails)."""
        page = await self.page_text(source, item.link) if source.full_text and item.link else None
        text, origin = choose_text(item, page)
        if source.full_text and self._metrics is not None:
            self._metrics.source_extractions.labels(source.id, origin).inc()
        return text, origin
