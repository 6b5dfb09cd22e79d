"""The main text of a news page (the article body, without navigation, adverts, related links and
reader comments), by trafilatura, and one thread that runs such CPU-bound work off the event loop.

trafilatura is the maintained extractor that scores best on news pages in the published
comparisons (its own and ScrapingHub's article-extraction benchmark); it needs `lxml_html_clean`
beside it since lxml 5.2 split the cleaner out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["MIN_PAGE_TEXT_CHARS", "CpuLane", "main_text"]

# Less text than this from a page means the extractor found no article there (a paywall, a page
# built by JavaScript, a video page): the feed's own text is used instead.
MIN_PAGE_TEXT_CHARS = 200

T = TypeVar("T")
log = logging.getLogger("strikewatch.producer.sources")


def main_text(page: bytes, url: str, *, max_input_bytes: int) -> str | None:
    """The article text of an HTML page (paragraphs separated by line breaks), or None when none is
    found. Only the first `max_input_bytes` are read: the extractor's time grows with the input,
    and a news article's body sits well inside the first megabytes of its page."""
    import trafilatura  # imported on first use: ~130 ms, needed only by full-text sources

    text = trafilatura.extract(
        page[:max_input_bytes],
        url=url,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    return text.strip() if text and text.strip() else None


class CpuLane:
    """One worker thread for CPU-bound parsing (feeds, pages), so the event loop keeps serving
    probes, metrics and other sources meanwhile; one thread, so bursts queue instead of piling up
    threads. A job over its time limit is abandoned by the caller (it still runs to its end, bounded
    by its input size) and its result discarded."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="strikewatch-parse")

    async def run(self, timeout_s: float, fn: Callable[[], T]) -> T:
        """`fn()` in the worker thread; TimeoutError after `timeout_s` seconds."""
        future = asyncio.get_running_loop().run_in_executor(self._pool, fn)
        return await asyncio.wait_for(future, timeout=timeout_s)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
