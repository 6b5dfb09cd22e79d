"""A feed item (and its page's main text) to an Article. Pure: the item, the texts and the time in.

The article id stays the content hash of the normalised text (services/common/articles.py), so the
same text reached through two feeds, two replicas or a restart is one article downstream too."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from schemas import Article
from services.common.articles import article_from_record, published_ahead
from services.producer.sources.config import Source
from services.producer.sources.extract import MIN_PAGE_TEXT_CHARS
from services.producer.sources.feeds import FeedItem
from services.producer.sources.urls import canonical_url

__all__ = ["TextOrigin", "article_from_item", "bounded", "choose_text"]

TextOrigin = Literal["page", "summary"]


def choose_text(item: FeedItem, page_text: str | None) -> tuple[str, TextOrigin]:
    """The article text: the page's main text when it was extracted (at least MIN_PAGE_TEXT_CHARS),
    else the feed's own text with the headline first (a summary alone often leaves out the facts
    its headline states). "" when the item has no text at all."""
    if page_text and len(page_text) >= MIN_PAGE_TEXT_CHARS:
        return page_text, "page"
    parts = [item.text] if item.text else []
    if item.title and not item.text.startswith(item.title):
        parts.insert(0, item.title)
    text = "\n\n".join(parts)
    if not text and page_text:
        return page_text, "page"
    return text, "summary"


def bounded(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, at the last paragraph or word break before the
    limit (an article larger than the pipeline accepts is kept in part rather than lost)."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text
    head = raw[:max_bytes].decode("utf-8", "ignore")
    for sep in ("\n\n", "\n", " "):
        cut = head.rfind(sep)
        if cut > len(head) // 2:
            return head[:cut].rstrip()
    return head


def article_from_item(
    item: FeedItem, source: Source, text: str, *, first_seen: datetime, max_bytes: int
) -> Article:
    """The Article for one item: `text` (from `choose_text`, non-empty), the item's title, its
    canonical link as `url`, the source's outlet as `source`, its publication time in UTC as
    `published`. When the feed gives no date (or one more than a day after `first_seen`), `published`
    is `first_seen` and `published_basis`
    says so ("first_seen"): a report's event date still needs a day to resolve "last night" against
    and to tell incidents apart, and the time an item first appeared in a feed polled every few
    minutes is close to its publication, but the desk must be able to tell it is not the outlet's
    date (docs/contract.md section 3). ValueError when `text` is empty."""
    # A pubDate more than a day after the item was first seen is a feed's clock or template error, not
    # its publication: the item is still news, dated like an undated one (red team 8; a record sent
    # with such a date is refused instead, `published_ahead`).
    dated = item.published if published_ahead(item.published, first_seen) is None else None
    record: dict[str, Any] = {
        "text": bounded(text, max_bytes),
        "title": item.title,
        "source": source.outlet,
        "published": dated or first_seen,
    }
    if dated is None:
        record["published_basis"] = "first_seen"
    if item.link:
        record["url"] = canonical_url(item.link)
    article = article_from_record(record)
    # The source's language hint travels once Article has the field (docs/contract.md section 9).
    if source.language and "language" in Article.model_fields:
        article = Article.model_validate({**article.model_dump(), "language": source.language})
    return article
