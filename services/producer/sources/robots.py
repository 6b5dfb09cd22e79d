"""robots.txt (RFC 9309), read with the standard library's `urllib.robotparser` and kept per site
for a while, so a poll costs no extra request.

What an answer means, per RFC 9309 section 2.3.1: a robots.txt that exists is obeyed (our group is
`strikewatch`, else `*`); a 4xx answer means no rules (everything allowed); a server error, a
network failure or a refused address means "assume everything is disallowed" until the next try,
which comes sooner than for a file that was read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

if TYPE_CHECKING:
    from services.producer.sources.fetch import Fetched

__all__ = ["ROBOTS_TTL_S", "RobotsCache", "RobotsVerdict", "rules_from"]

# RFC 9309 2.4: a cached robots.txt should not be used for more than 24 hours; an hour keeps a
# site's changes visible the same day.
ROBOTS_TTL_S = 3600.0
# After a server error or network failure: try again this soon (everything is disallowed meanwhile).
ROBOTS_RETRY_S = 60.0
# RFC 9309 2.5: crawlers must parse at least the first 500 KiB.
ROBOTS_MAX_BYTES = 512 * 1024
# Sites whose rules are kept before expired ones are dropped.
MAX_SITES = 1024
# The product token matched against `User-agent:` lines.
PRODUCT_TOKEN = "strikewatch"


@dataclass(frozen=True, slots=True)
class RobotsVerdict:
    allowed: bool
    crawl_delay: float | None = None
    reason: str | None = None  # why not allowed
    # Not allowed because robots.txt could not be read (server or network error): the site's failure,
    # not a rule, so the fetch counts as an error (and is retried with backoff).
    unavailable: bool = False


@dataclass(frozen=True, slots=True)
class _Rules:
    parser: RobotFileParser | None  # None: `allow_all` decides
    allow_all: bool
    expires: float  # time.monotonic()
    why_not: str | None = None

    def verdict(self, url: str) -> RobotsVerdict:
        if self.parser is None:
            if self.allow_all:
                return RobotsVerdict(True)
            return RobotsVerdict(False, reason=self.why_not, unavailable=True)
        if not self.parser.can_fetch(PRODUCT_TOKEN, url):
            return RobotsVerdict(
                False, reason=f"robots.txt of {_origin(url)} disallows {urlsplit(url).path or '/'}"
            )
        delay = self.parser.crawl_delay(PRODUCT_TOKEN)
        return RobotsVerdict(True, float(delay) if delay is not None else None)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def rules_from(fetched: Fetched, robots_url: str, *, now: float) -> _Rules:
    """What one robots.txt fetch says (pure: the fetch result and the time in)."""
    if fetched.outcome == "ok":
        parser = RobotFileParser(robots_url)
        text = fetched.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return _Rules(parser, True, now + ROBOTS_TTL_S)
    if fetched.outcome == "error" and fetched.status is not None and 400 <= fetched.status <= 499:
        return _Rules(None, True, now + ROBOTS_TTL_S)
    why = fetched.reason or fetched.outcome
    return _Rules(
        None, False, now + ROBOTS_RETRY_S, why_not=f"robots.txt of {_origin(robots_url)} unavailable ({why})"
    )


class RobotsCache:
    """Per-site robots.txt rules, fetched on first need and again after their time is up; one
    fetch at a time per site."""

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[Fetched]],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str) -> RobotsVerdict:
        """May `url` be fetched? (robots.txt itself always may.)"""
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return RobotsVerdict(True)
        origin = _origin(url)
        if len(self._rules) > MAX_SITES:
            self._forget_expired()
        async with self._locks.setdefault(origin, asyncio.Lock()):
            rules = self._rules.get(origin)
            if rules is None or rules.expires <= self._clock():
                robots_url = origin + "/robots.txt"
                rules = rules_from(await self._fetch(robots_url), robots_url, now=self._clock())
                self._rules[origin] = rules
        return rules.verdict(url)

    def _forget_expired(self) -> None:
        """Feeds that link to many sites would grow the cache forever; expired rules go."""
        now = self._clock()
        for origin in [o for o, rules in self._rules.items() if rules.expires <= now]:
            del self._rules[origin]
        for origin in [o for o, lock in self._locks.items() if not lock.locked() and o not in self._rules]:
            del self._locks[origin]
