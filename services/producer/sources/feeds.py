"""Feeds to items: RSS 0.9x/1.0 (RDF)/2.0 and Atom through feedparser, which also reads broken
feeds (an unclosed tag, an undefined entity) as far as they go. Pure: bytes in, items out."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser  # type: ignore[import-untyped]  # no stubs published
import lxml.html
from lxml.etree import ParserError

from services.producer.sources.urls import canonical_url, url_key

__all__ = ["MAX_ITEMS", "FeedItem", "ParsedFeed", "html_text", "item_key", "parse_feed"]

# Items read from one feed, newest first: a feed of 100,000 entries costs what one of 500 does.
MAX_ITEMS = 500
# Characters of text kept per item from the feed itself (summary or content:encoded).
MAX_ITEM_TEXT_CHARS = 200_000
# feedparser flags these although every item was read: a charset header that disagrees with the
# XML declaration, a feed served as text/html. Not a broken feed.
_BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figure",
    ]
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str | None
    guid: str | None
    title: str | None
    text: str  # the feed's own text of the item (content or summary), as plain text; may be ""
    published: datetime | None  # UTC


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    items: tuple[FeedItem, ...]
    # Why the feed did not parse cleanly (its good items are still in `items`), or None.
    malformed: str | None


def html_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements and `<br>` become line breaks, entities are
    decoded, runs of spaces collapse. Text without markup is only unescaped and tidied."""
    if "<" in fragment:
        try:
            root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        except (ParserError, ValueError):
            text = html.unescape(re.sub(r"<[^>]*>", " ", fragment))
        else:
            for element in root.iter():
                tag = element.tag if isinstance(element.tag, str) else ""
                if tag == "br":
                    element.tail = "\n" + (element.tail or "")
                elif tag in _BLOCKS:
                    element.tail = "\n\n" + (element.tail or "")
            text = root.text_content()
    else:
        text = html.unescape(fragment)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _when(entry: Mapping[str, Any]) -> datetime | None:
    # feedparser gives every date it understood as a UTC struct_time, whatever the feed's zone.
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(field)
        if isinstance(value, struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except ValueError:
                continue
    return None


def _text(entry: Mapping[str, Any]) -> str:
    """The longest text the feed gives for the item: `content:encoded`/Atom content, or the summary."""
    candidates: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, Mapping) else None
        if isinstance(value, str):
            candidates.append(value)
    summary = entry.get("summary")
    if isinstance(summary, str):
        candidates.append(summary)
    texts = [html_text(c[: MAX_ITEM_TEXT_CHARS * 4]) for c in candidates if c.strip()]
    return max(texts, key=len, default="")[:MAX_ITEM_TEXT_CHARS]


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = html_text(value) if "<" in value or "&" in value else " ".join(value.split())
    return text or None


def _link(entry: Mapping[str, Any]) -> str | None:
    link = entry.get("link")
    if isinstance(link, str) and link.strip().lower().startswith(("http://", "https://")):
        return link.strip()
    return None


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Items of the feed in `body` (fetched from `url`, which resolves relative links), newest
    first as the feed lists them, at most MAX_ITEMS. Never raises: a document that is no feed at
    all gives no items and says so in `malformed`."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # Bytes, never a str: given a str, feedparser would treat it as a URL or file name to open.
    parsed = feedparser.parse(bytes(body), response_headers=headers)
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        guid = entry.get("id")
        items.append(
            FeedItem(
                link=_link(entry),
                guid=guid.strip() if isinstance(guid, str) and guid.strip() else None,
                title=_clean(entry.get("title")),
                text=_text(entry),
                published=_when(entry),
            )
        )
    malformed = None
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(problem, _BENIGN_BOZO):
        malformed = f"{type(problem).__name__}: {problem}" if problem is not None else "malformed feed"
    if not parsed.get("version") and not items:
        malformed = malformed or "not an RSS, RDF or Atom feed"
    return ParsedFeed(tuple(items), malformed)


def item_key(item: FeedItem, feed_url: str) -> str:
    """The seen-marker key of an item: its page (canonical link), else its guid when that is a URL,
    else a hash of what the feed says about it (a plain guid is only unique within its feed)."""
    if item.link:
        return url_key(item.link)
    if item.guid and item.guid.lower().startswith(("http://", "https://")):
        return url_key(item.guid)
    basis = "\n".join((canonical_url(feed_url), item.guid or "", item.title or "", item.text))
    return "i:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
