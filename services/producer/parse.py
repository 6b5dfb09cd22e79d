"""Turning files into Articles: `.txt` pages (title, date, body without page chrome) and `.jsonl` records.

Pure functions over bytes and strings; reading files and publishing happen in the shell.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas import Article
from services.common.articles import article_from_json, article_from_record

# ` date 2022-12-19 ` at the very start of a scraped page: the crawler's record of the publication date.
_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# News-agency datelines: "KYIV, Dec 19, 2022 (Reuters) -", "Lviv/Moscow, Dec 19 (EFE).-",
# "Thursday, 2 March 2023, 06:10".
_DATELINE = re.compile(
    r"^(?:[A-Z][\w'’./ -]{1,40},\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+)?"
    r"(?:"
    + _MONTH_RE
    + r"\s+(?P<day>\d{1,2})|(?P<day2>\d{1,2})\s+"
    + _MONTH_RE.replace("month", "month2")
    + r")(?:,?\s+(?P<year>(?:19|20)\d{2}))?\s*(?:\(|,|-|–|—)",
    re.MULTILINE,
)
_WEEKDAY = re.compile(r"\bon\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.IGNORECASE)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Lines that are page furniture, never article text.
_CHROME_LINE = re.compile(
    r"""^(?:
        related\ articles?|read\ (?:more|also|full\ article).*|back\ to\ top(?:\ button)?
        |skip\ to\ (?:main\ )?content
        |no\ menu\ items!?|spot_img|advertisement|share(?:\ this)?(?:\ article)?|print|menu|search|home
        |source:\ read\ full\ article|accessibility\ links|breaking\ news|site\ icon.*|top\ of\ page
        |-?\d+\s*°?\s*[cf]|[\w-]+/[\w-]+|[a-z]{2,4}-[a-z]{2,4}/[a-z]{2}
        |(?:luni|marți|miercuri|joi|vineri|sâmbătă|duminică),\ .*\d{4}.*
        |copyright\ .*|©.*|all\ rights\ reserved.*|subscribe.*|sign\ up.*|follow\ us.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_CONSENT = re.compile(
    r"\b(cookies?|consent(?:ed)?|sign-up|unsubscribe|privacy policy|adverts? from us|newsletter)\b",
    re.IGNORECASE,
)


class ArticleError(ValueError):
    """The input cannot become an Article; the message says why, for the user. `payload` is the
    offending input when it is a part of a larger one (a JSONL line), for its dead letter."""

    def __init__(self, message: str, *, payload: bytes | None = None) -> None:
        super().__init__(message)
        self.payload = payload


@dataclass(frozen=True)
class Page:
    title: str | None
    body: str
    published: date | None


def decode_text(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise ArticleError(f"{name}: empty file")
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name}: binary file (NUL bytes), not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})"
        ) from None


def _is_chrome(line: str) -> bool:
    stripped = line.strip()
    if _CHROME_LINE.match(stripped):
        return True
    # Consent banners are whole paragraphs about cookies/ads; real reporting rarely says "consent" twice.
    return len(_CONSENT.findall(stripped)) >= 2


def _year_for(month: int, day: int, text: str, today: date) -> int | None:
    """A dateline without a year: the most recent year in which the weekday the article names
    ("on Monday") falls on that date; without a weekday, the latest such date not in the future."""
    weekday = _WEEKDAY.search(text)
    for year in range(today.year, today.year - 12, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate > today:
            continue
        if weekday is None or _WEEKDAYS[candidate.weekday()] == weekday.group(1).lower():
            return year
    return None


def dateline_date(text: str, today: date) -> date | None:
    """The date of a news-agency dateline in the first lines of the body, if there is one."""
    head = "\n".join(text.splitlines()[:12])
    match = _DATELINE.search(head)
    if not match:
        return None
    month_name = (match.group("month") or match.group("month2") or "").lower().rstrip(".")
    month = _MONTHS.get(month_name) or _MONTHS.get(month_name[:3])
    day = int(match.group("day") or match.group("day2"))
    if month is None or not 1 <= day <= 31:
        return None
    year = int(match.group("year")) if match.group("year") else _year_for(month, day, text, today)
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_page(text: str, today: date) -> Page:
    """Title, publication date and body of a scraped news page."""
    published: date | None = None
    header = _DATE_HEADER.match(text)
    if header:
        # An impossible header date (0000-00-00) is dropped like a missing one; the text stays.
        with contextlib.suppress(ValueError):
            published = date.fromisoformat(header.group(1))
        text = text[header.end() :]
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not _is_chrome(line)]
    # Section labels, city names of a weather widget and the like sit above the headline.
    while len(kept) > 1 and len(kept[0].split()) < 4:
        kept.pop(0)
    if not kept:
        raise ArticleError("no article text left after removing page furniture")
    title: str | None = None
    first = kept[0]
    # A headline is a short line that is not a sentence; a page that opens with a paragraph has none.
    if (
        len(first) <= 160
        and len(first.split()) >= 4
        and not first.endswith((".", "”", '"'))
        and len(kept) > 1
    ):
        title = first
    body = "\n\n".join(kept)
    if published is None:
        published = dateline_date(body, today)
    return Page(title=title, body=body, published=published)


def article_from_text_file(raw: bytes, name: str, *, max_bytes: int, today: date) -> Article:
    if len(raw) > max_bytes:
        raise ArticleError(f"{name}: {len(raw)} bytes is over the article size limit of {max_bytes} bytes")
    page = parse_page(decode_text(raw, name), today)
    record: dict[str, Any] = {"text": page.body, "title": page.title, "source": name}
    if page.published:
        record["published"] = page.published.isoformat()
    try:
        return article_from_record(record)
    except ValueError as exc:
        raise ArticleError(f"{name}: {exc}") from None


def articles_from_jsonl(raw: bytes, name: str, *, max_bytes: int) -> Iterator[Article | ArticleError]:
    """One Article per line, or an ArticleError saying what is wrong with that line (never raises)."""
    if b"\x00" in raw[:8192]:
        yield ArticleError(f"{name}: binary file (NUL bytes), not JSONL", payload=raw[:65536])
        return
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        if len(line) > max_bytes:
            yield ArticleError(
                f"{where}: {len(line)} bytes is over the article size limit of {max_bytes} bytes",
                payload=line[:65536],
            )
            continue
        try:
            yield article_from_json(line)
        except ValueError as exc:
            yield ArticleError(f"{where}: {exc}", payload=line)
