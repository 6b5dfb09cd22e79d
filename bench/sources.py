"""What a live source costs the producer, for docs/operations.md: `python -m bench.sources`.

Measures, in one process on one core (CPU time of the calling thread, median of rounds):
- page text extraction (trafilatura, services/producer/sources/extract.py) on news pages of
  increasing size, up to the 2 MB the extractor is given at most;
- feed parsing (feedparser, services/producer/sources/feeds.py) of RSS 2.0 feeds of 50, 500 and
  5,000 items (the last about 10 MB, the fetch limit).
The pages and feeds are generated here: a news page's structure (navigation, adverts, comments
around the story) padded with reader comments, as large pages usually are.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from bench.common import machine
from services.producer.sources.extract import main_text
from services.producer.sources.feeds import parse_feed
from services.producer.sources.reader import EXTRACT_MAX_BYTES

PARAGRAPH = (
    "Emergency crews worked through the night to clear debris from the street after the blast, "
    "and officials said the water supply to the district would be restored by the afternoon. "
)
COMMENT = (
    '<div class="comment"><span class="author">reader{n}</span><p>Comment number {n}: nice {n}</p></div>'
)


def page(target_bytes: int) -> bytes:
    """A news page of about `target_bytes`: a 12-paragraph story, then reader comments."""
    story = "\n".join(f"<p>In hour {i} of the operation, {PARAGRAPH.lower() * 2}</p>" for i in range(12))
    head = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story</title></head><body>"
        "<header><nav><a href='/'>Home</a><a href='/world'>World</a></nav></header>"
        "<div class='ad'>Advertisement</div><main><article><h1>Blast damages homes</h1>"
        f"<div class='story-body'>{story}</div></article><section class='comments'>"
    )
    tail = "</section></main><footer>All rights reserved</footer></body></html>"
    parts, size, n = [head], len(head) + len(tail), 0
    while size < target_bytes:
        comment = COMMENT.format(n=n)
        parts.append(comment)
        size += len(comment)
        n += 1
    parts.append(tail)
    return "".join(parts).encode()


def feed(items: int) -> bytes:
    """An RSS 2.0 feed of `items` items with HTML summaries of ~2 KB (content-rich feeds)."""
    now = datetime(2025, 6, 10, tzinfo=UTC)
    entries = [
        f"<item><title>Story {i}</title><link>https://news.example.org/story/{i}?utm_source=rss</link>"
        f"<guid>https://news.example.org/story/{i}</guid>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate>"
        f"<description><![CDATA[<p>{PARAGRAPH * 10}</p>]]></description></item>"
        for i in range(items)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        "<link>https://news.example.org/</link><description>x</description>"
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def cpu_ms(work: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    """Median, min and max CPU milliseconds of `work()` over `rounds` calls (after one warm-up)."""
    work()
    times = []
    for _ in range(rounds):
        started = time.thread_time()
        work()
        times.append((time.thread_time() - started) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    m = machine()
    print(f"machine: {m.cores} cores ({m.cpu}), Python {m.python}; median of {args.rounds} rounds, CPU ms")
    print()
    print("| page size | extracted chars | CPU ms per page (min–max) |")
    print("|---|---|---|")
    for size in (60_000, 500_000, EXTRACT_MAX_BYTES):
        html = page(size)
        text = main_text(html, "https://news.example.org/x", max_input_bytes=EXTRACT_MAX_BYTES) or ""
        med, low, high = cpu_ms(
            lambda h=html: main_text(h, "https://news.example.org/x", max_input_bytes=EXTRACT_MAX_BYTES),
            args.rounds,
        )
        print(f"| {len(html) / 1e6:.2f} MB | {len(text):,} | {med:.0f} ({low:.0f}–{high:.0f}) |")
    print()
    print("| feed | size | CPU ms per parse (min–max) |")
    print("|---|---|---|")
    for items in (50, 500, 5000):
        body = feed(items)
        med, low, high = cpu_ms(
            lambda b=body: parse_feed(b, url="https://news.example.org/rss.xml"), max(1, args.rounds // 2)
        )
        print(f"| RSS 2.0, {items:,} items | {len(body) / 1e6:.2f} MB | {med:.0f} ({low:.0f}–{high:.0f}) |")


if __name__ == "__main__":
    main()
