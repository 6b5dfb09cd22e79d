"""`strikewatch replay`: read articles from files and folders and put them on the stream at a pace."""

from __future__ import annotations

import asyncio
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from schemas import Article
from services.common.retry import TRANSIENT, retry_transient
from services.common.settings import Settings
from services.common.streams import ensure_groups
from services.producer.parse import ArticleError, article_from_text_file, articles_from_jsonl
from services.producer.publish import (
    Refusal,
    publish_articles,
    reject,
    reject_reused_ids,
    screen_reused_ids,
)

SUFFIXES = (".txt", ".jsonl")
# How long replay waits for an unreachable Redis before it stops and says so (a restart or a
# failover takes seconds).
REDIS_WAIT_S = 30.0
# Reading a file larger than this is refused outright, before it is loaded into memory.
READ_LIMIT_FACTOR = 64


@dataclass
class ReplayReport:
    published: int = 0
    rejected: int = 0  # bad input, and articles refused because the stream was full
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The last line `strikewatch replay` writes on stderr (docs/contract.md section 9)."""
        return f"published {self.published} article(s); {self.rejected} rejected"


class ReplayInterrupted(Exception):
    """Redis went away for longer than replay waits: the message is one line for the user;
    `report` counts what was published (and rejected) before that."""

    def __init__(self, message: str, report: ReplayReport) -> None:
        super().__init__(message)
        self.report = report


def expand(paths: Sequence[Path]) -> Iterator[tuple[Path, ArticleError | None]]:
    """Each file to read, with None, or with the reason it is skipped unread (red team 7 R15). A
    folder gives its .txt and .jsonl files, recursively, in name order, but only those that resolve
    inside the folder: a link out of it (to /etc/passwd, to another user's files) is skipped, since
    whoever can write into a replayed folder must not be able to publish any file the replay can
    read. A file named on the command line is read where its link points (the user named it). Either
    way only a regular file is read: a FIFO would block the replay and a device never end."""
    for path in paths:
        if not path.is_dir():
            yield path, (_irregular(path) if path.exists() else None)
            continue
        root = path.resolve()
        for found in sorted(path.rglob("*")):
            if found.suffix not in SUFFIXES or found.is_dir():
                continue
            try:
                target = found.resolve(strict=True)
            except (OSError, RuntimeError):  # a dangling link, a loop of links
                yield found, ArticleError(f"{found}: a link to nothing readable", payload=b"")
                continue
            if not target.is_relative_to(root):
                yield (
                    found,
                    ArticleError(f"{found}: links outside {path} (to {target})", payload=b""),
                )
                continue
            yield found, _irregular(target, shown=found)


def _irregular(path: Path, shown: Path | None = None) -> ArticleError | None:
    """Why `path` is not read, when it is no regular file (a FIFO, a device, a socket); else None.
    The error's payload is empty: what such a path holds is never read, so never dead-lettered."""
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return None  # `load` says why it cannot be read
    if regular:
        return None
    return ArticleError(f"{shown or path}: not a regular file (a FIFO, device or socket)", payload=b"")


def load(path: Path, settings: Settings, today: date) -> Iterator[Article | ArticleError]:
    """Articles of one file, or the reasons they cannot be read (never raises)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield ArticleError(f"{path}: cannot read ({exc.strerror})")
        return
    limit = settings.max_article_bytes * (READ_LIMIT_FACTOR if path.suffix == ".jsonl" else 1)
    if size > limit:
        yield ArticleError(
            f"{path}: {size} bytes is over the limit of {limit} bytes for a {path.suffix or 'text'} file"
        )
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield ArticleError(f"{path}: cannot read ({exc.strerror})")
        return
    if path.suffix == ".jsonl":
        yield from articles_from_jsonl(raw, str(path), max_bytes=settings.max_article_bytes)
        return
    try:
        yield article_from_text_file(raw, path.name, max_bytes=settings.max_article_bytes, today=today)
    except ArticleError as exc:
        yield exc


def looped(article: Article, round_: int) -> Article:
    """Rounds after the first get distinct ids, so `--loop` offers new work instead of duplicates."""
    return article if round_ == 0 else article.model_copy(update={"id": f"{article.id}~{round_}"})


def realtime_delay(previous: Article | None, current: Article, speed: float) -> float:
    """Seconds to wait so articles arrive spaced as their publication times, sped up `speed` times."""
    before, now = _moment(previous), _moment(current)
    if before is None or now is None:
        return 0.0
    return max(0.0, (now - before).total_seconds() / speed)


def _moment(article: Article | None) -> datetime | None:
    published = article.published if article else None
    if published is None:
        return None
    if not isinstance(published, datetime):
        return datetime(published.year, published.month, published.day, tzinfo=UTC)
    return published if published.tzinfo else published.replace(tzinfo=UTC)


async def replay(
    redis: Redis,
    settings: Settings,
    paths: Sequence[Path],
    *,
    rate: float | None = None,
    realtime_speed: float | None = None,
    loops: int = 1,
    on_progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
    give_up_after: float = REDIS_WAIT_S,
) -> ReplayReport:
    """Publish the articles of `paths` (creating the consumer groups first); bad input is
    dead-lettered and counted as rejected, and so are articles the full stream refuses. Raises
    ReplayInterrupted (one-line message, with the counts so far) when Redis stays unreachable for
    `give_up_after` seconds or refuses a write; never another Redis error."""
    report = ReplayReport()
    try:
        await _replay(
            redis, settings, paths, report, rate, realtime_speed, loops, on_progress, warn, give_up_after
        )
    except TRANSIENT as exc:
        raise ReplayInterrupted(
            f"Redis unreachable ({type(exc).__name__}) for {give_up_after:.0f}s; stopped after "
            f"publishing {report.published} article(s)",
            report,
        ) from None
    except RedisError as exc:
        raise ReplayInterrupted(
            f"Redis refused the write ({exc}); stopped after publishing {report.published} article(s)",
            report,
        ) from None
    return report


async def _replay(
    redis: Redis,
    settings: Settings,
    paths: Sequence[Path],
    report: ReplayReport,
    rate: float | None,
    realtime_speed: float | None,
    loops: int,
    on_progress: Callable[[int, int], None] | None,
    warn: Callable[[str], None],
    give_up_after: float,
) -> None:
    # The consumer groups first, at id 0, so no article is published before its readers exist.
    await retry_transient(partial(ensure_groups, redis, settings.names), give_up_after=give_up_after)
    today = datetime.now(UTC).date()
    items: list[Article] = []
    for path, skipped in expand(paths):
        refusals: list[Refusal] = []
        for item in [skipped] if skipped is not None else load(path, settings, today):
            if isinstance(item, ArticleError):
                report.rejected += 1
                report.errors.append(str(item))
                warn(f"skipped: {item}")
                payload = item.payload if item.payload is not None else _snippet(path)
                refusals.append(Refusal(str(item), payload))
            else:
                items.append(item)
        await retry_transient(
            partial(reject, redis, settings, refusals, source=str(path)), give_up_after=give_up_after
        )
    if realtime_speed is not None:
        items.sort(key=lambda a: a.published_date() or date.min)
    total = len(items) * loops
    batch = 1 if (rate or realtime_speed) else 200
    started = time.monotonic()
    previous: Article | None = None
    offered = 0
    for round_ in range(loops):
        for start in range(0, len(items), batch):
            chunk = [looped(a, round_) for a in items[start : start + batch]]
            if realtime_speed is not None:
                await asyncio.sleep(realtime_delay(previous, chunk[0], realtime_speed))
                previous = chunk[0]
            elif rate:
                # Paced against the start time, so a slow publish does not lower the offered rate.
                due = started + offered / rate
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            # An id already classified for another text is refused here, with the classifier's reason
            # (dead-lettered, counted in `rejected`), instead of published to be dead-lettered there.
            found = await screen_reused_ids(redis, settings, chunk, give_up_after=give_up_after)
            if found.conflicts:
                await retry_transient(
                    partial(reject_reused_ids, redis, settings, found, source="replay"),
                    give_up_after=give_up_after,
                )
                report.rejected += len(found.conflicts)
                for refusal in found.conflicts:
                    report.errors.append(refusal.reason)
                    warn(f"skipped: {refusal.reason}")
            published = await publish_articles(redis, settings, found.articles, give_up_after=give_up_after)
            offered += len(chunk)
            report.published += len(published.ids)
            if published.refused:
                report.rejected += published.refused
                message = (
                    f"refused: {published.refused} article(s); {settings.names.articles} is full of "
                    "articles not yet classified (is the classifier running?)"
                )
                report.errors.append(message)
                warn(message)
            if on_progress:
                on_progress(offered, total)


def _snippet(path: Path) -> bytes:
    """What of a rejected file goes to the dead-letter stream (it stays on disk too)."""
    try:
        with path.open("rb") as handle:
            return handle.read(64 * 1024)
    except OSError:
        return b""
