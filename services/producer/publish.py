"""Putting articles on the `{p}:articles` stream, and input the producer cannot accept on the
dead-letter stream.

The stream is capped (`STRIKEWATCH_ARTICLES_MAXLEN`), but never by cutting entries a consumer group
has not read and acknowledged yet: one script per request trims only below the oldest entry some
group still needs (`XTRIM MINID`), and when that leaves no room, refuses the articles that do not
fit, at once, instead of silently dropping unread ones (MAXLEN trimming did: a stopped classifier
lost everything past the cap, with no log and lag 0).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from schemas import Article
from services.common.articles import (
    REPEATED_ID_REASON,
    REUSED_ID_REASON,
    fingerprint,
    marker_holds_another_text,
)
from services.common.logs import log_event
from services.common.metrics import Metrics
from services.common.names import DATA_FIELD
from services.common.retry import retry_transient
from services.common.settings import Settings
from services.common.streams import CONSUMED_FLOOR_LUA, add_dead_letter, dead_letter, decode_id, encode

log = logging.getLogger("strikewatch.producer")

# What a dead letter keeps of one rejected input (its full size is recorded beside it).
DEADLETTER_KEEP_BYTES = 64 * 1024

# Append articles to a capped stream without ever trimming an entry a consumer group still needs.
# KEYS: the stream. ARGV: the cap, then one JSON payload per article.
# Returns {stream ids of the articles taken (the first ones, in order), how many were refused,
#          entries trimmed, entries trimmed that no group had read (only when no group exists)}.
ADD_CAPPED_LUA = (
    CONSUMED_FLOOR_LUA
    + """
local stream, cap = KEYS[1], tonumber(ARGV[1])
local n = #ARGV - 1
local length = redis.call('XLEN', stream)
local trimmed, unread = 0, 0
if length > 0 and length + n > cap then
  local floor = consumed_floor(stream)
  if floor == nil then
    -- nobody reads this stream: the cap alone decides, and what it cuts was never read
    unread = redis.call('XTRIM', stream, 'MAXLEN', math.max(cap - n, 0))
    trimmed = unread
  else
    trimmed = redis.call('XTRIM', stream, 'MINID', floor)
  end
  length = redis.call('XLEN', stream)
end
local ids = {}
for i = 1, math.min(n, math.max(cap - length, 0)) do
  ids[i] = redis.call('XADD', stream, '*', '__data__', ARGV[i + 1])
end
return {ids, n - #ids, trimmed, unread}
"""
)


@dataclass(frozen=True, slots=True)
class Published:
    """The outcome of one `publish_articles` call."""

    ids: list[str]  # stream ids of the articles taken: the first len(ids) of those given
    refused: int  # the rest, refused because the stream is full of entries not yet processed
    trimmed: int = 0
    trimmed_unread: int = 0


def stamped(article: Article) -> Article:
    """The article with the time it entered the pipeline, for end-to-end latency."""
    return article.model_copy(update={"ingested_at": datetime.now(UTC)})


async def publish_articles(
    redis: Redis,
    settings: Settings,
    articles: Sequence[Article],
    *,
    metrics: Metrics | None = None,
    give_up_after: float = 120.0,
) -> Published:
    """Append `articles` in one round trip; those that do not fit under the cap without cutting
    unprocessed entries are refused (counted in `strikewatch_articles_refused_total`). Retries
    while Redis is unreachable, for `give_up_after` seconds, then raises the Redis error."""
    if not articles:
        return Published([], 0)
    names = settings.names
    script = redis.register_script(ADD_CAPPED_LUA)
    payloads = [encode(stamped(article))[DATA_FIELD] for article in articles]

    async def write() -> Any:
        return await script(keys=[names.articles], args=[settings.articles_maxlen, *payloads])

    ids, refused, trimmed, unread = await retry_transient(write, give_up_after=give_up_after)
    result = Published([decode_id(i) for i in ids], int(refused), int(trimmed), int(unread))
    if result.refused:
        log.warning(
            "%s is full (cap %d) of entries not yet processed: refused %d article(s)",
            names.articles,
            settings.articles_maxlen,
            result.refused,
        )
        if metrics is not None:
            metrics.articles_refused.inc(result.refused)
    if result.trimmed_unread:
        log.error(
            "%s has no consumer group: trimming it to its cap dropped %d article(s) nobody had read",
            names.articles,
            result.trimmed_unread,
        )
        if metrics is not None:
            metrics.trimmed_unread.labels(names.articles).inc(result.trimmed_unread)
    return result


@dataclass(frozen=True, slots=True)
class Screened:
    """Articles sorted by what their id's classified marker says (see `screen_reused_ids`)."""

    # To publish, in the order given: new ids, and resends of the same text under their id (the
    # classifier counts those as duplicates and writes nothing twice).
    articles: list[Article]
    duplicates: list[str]  # ids of `articles` already classified for this same text
    # Already classified for another text, or taken earlier in this batch for another text: refused,
    # with the reason (each Refusal's `record_id` is the article's id).
    conflicts: list[Refusal]

    @property
    def conflict_ids(self) -> list[str]:
        """The ids of `conflicts`, in order."""
        return [r.record_id or "" for r in self.conflicts]


def screened(articles: Sequence[Article], stored: Sequence[str | None]) -> Screened:
    """Pure: `articles` sorted by `stored`, the value of each one's classified marker (None: none).
    A conflict's reason is the classifier's dead letter's (`REUSED_ID_REASON`); its payload the
    article's JSON, all a sender needs to send it again under its own id. An id that comes twice in
    `articles` with different texts is taken the first time and a conflict after
    (`REPEATED_ID_REASON`, red team 7 R5): both would have been published, and one incident fed by
    two texts under one id; the same text twice is taken twice (the classifier counts the copy)."""
    result = Screened([], [], [])
    taken: dict[str, str] = {}  # id -> fingerprint of the article taken under it in this batch
    for article, earlier in zip(articles, stored, strict=True):
        mine = fingerprint(article)
        first = taken.get(article.id, mine)
        reason = None
        if marker_holds_another_text(earlier, mine):
            reason = REUSED_ID_REASON.format(id=article.id, earlier=earlier, fingerprint=mine)
        elif first != mine:
            reason = REPEATED_ID_REASON.format(id=article.id, earlier=first, fingerprint=mine)
        if reason is not None:
            result.conflicts.append(Refusal(reason, article.model_dump_json().encode(), article.id))
            continue
        taken[article.id] = mine
        if earlier is not None:
            result.duplicates.append(article.id)
        result.articles.append(article)
    return result


async def screen_reused_ids(
    redis: Redis, settings: Settings, articles: Sequence[Article], *, give_up_after: float = 120.0
) -> Screened:
    """`articles` sorted by their ids' classified markers, read in one round trip (MGET), so an id
    already classified for another text is refused before it is published (HTTP 409) instead of
    dead-lettered later. The classifier's publish-once script stays the authority: an id classified
    between this read and the classification is still dead-lettered there. Retries while Redis is
    unreachable, for `give_up_after` seconds, then raises the Redis error."""
    if not articles:
        return Screened([], [], [])
    keys = [settings.names.classified_marker(article.id) for article in articles]

    async def read() -> Any:
        return await redis.mget(keys)

    values = await retry_transient(read, give_up_after=give_up_after)
    return screened(articles, [None if v is None else decode_id(v) for v in values])


async def reject_reused_ids(
    redis: Redis, settings: Settings, found: Screened, *, source: str, metrics: Metrics | None = None
) -> None:
    """Dead-letter (stage `producer`) and log the conflicts of `found`, as the classifier's stage
    does for an id reused for another text: counted in strikewatch_deadletter_total{stage="producer"},
    logged `record.dead_lettered` with the reason."""
    await reject(redis, settings, found.conflicts, source=source, metrics=metrics)
    for article_id, refusal in zip(found.conflict_ids, found.conflicts, strict=True):
        log_event(
            log,
            "record.dead_lettered",
            level=logging.WARNING,
            stage="producer",
            stream=source,
            record_id=article_id,
            outcome="dead_letter",
            reason=refusal.reason,
        )


@dataclass(frozen=True, slots=True)
class Refusal:
    """One input the producer cannot accept: why, and the input itself (a JSONL line, a file's
    head), of which the dead letter keeps the first DEADLETTER_KEEP_BYTES."""

    reason: str
    payload: bytes
    record_id: str | None = None  # the article's id, when the input was an article


async def reject(
    redis: Redis,
    settings: Settings,
    refusals: Sequence[Refusal],
    *,
    source: str,
    metrics: Metrics | None = None,
) -> None:
    """Dead-letter refused input in one round trip: one dead letter per refusal, up to
    `deadletters_per_request`; the rest summarised in one more (their count and reasons), so a
    request of thousands of bad lines cannot write thousands of copies of itself."""
    if not refusals:
        return
    limit = settings.deadletters_per_request
    letters = [
        dead_letter("producer", r.reason, r.payload, source_id=source, keep_bytes=DEADLETTER_KEEP_BYTES)
        for r in refusals[:limit]
    ]
    rest = refusals[limit:]
    if rest:
        summary = (
            f"{len(rest)} more rejected input(s) from {source} "
            f"(one dead letter each only for the first {limit}; their reasons are the payload)"
        )
        reasons = "\n".join(r.reason for r in rest).encode("utf-8", "replace")
        letters.append(
            dead_letter("producer", summary, reasons, source_id=source, keep_bytes=DEADLETTER_KEEP_BYTES)
        )
    async with redis.pipeline(transaction=False) as pipe:
        for letter in letters:
            add_dead_letter(pipe, settings.names, settings.deadletter_maxlen, letter)
        await pipe.execute()
    if metrics is not None:
        metrics.deadletter.labels("producer").inc(len(letters))
