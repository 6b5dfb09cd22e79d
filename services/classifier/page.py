"""The page stage: the normalised text with page furniture blanked, its lower-case copy, and the date
the text itself gives when the article carries none."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from schemas.models import PUBLISHED_YEARS

from .rulepack import RulePack


@dataclass(frozen=True, slots=True)
class Page:
    text: str  # same length as the normalised text: masked furniture is blanked, not removed
    low: str  # `text` lower-cased, same length (what `lower` patterns read)
    published: date | None
    # `published` is only the last day of the month a "date YYYY-MM" header gives: good for the year
    # of "on June 27", not for weekdays, "overnight" or as the event's date itself.
    approximate: bool = False


def lower(text: str) -> str:
    """`text.lower()`, but always of the same length so offsets into it index `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def blank_matches(matches: Iterable[re.Match[str]], text: str) -> str:
    """`text` with each of `matches` (non-overlapping, in order, found in `text`) blanked: what
    `rx.sub(blank, text)` gives for the matches `rx.finditer(text)` yields (so a rule tried only where
    its matches may start, `rulepack.started`, blanks what its pattern's `sub` would)."""
    out: list[str] = []
    pos = 0
    for m in matches:
        start, end = m.span()
        out.append(text[pos:start])
        out.append(" " * (end - start))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def blank_at_line_starts(rx: re.Pattern[str], text: str) -> str:
    """`rx.sub(blank, text)` for a pattern that can match only at a line start (`Rule.line_start`):
    tried at each line start alone instead of at every character (a third of the cost on news text)."""
    out: list[str] = []
    pos = at = 0
    match, find = rx.match, text.find
    while True:
        m = match(text, at)
        if m is not None:
            start, at = m.span()
            if start == at:  # an empty match: `sub` has its own rule for what follows one
                return rx.sub(blank, text)
            out.append(text[pos:start])
            out.append(" " * (at - start))
            pos = at
            if at > 0 and text[at - 1] == "\n":
                continue  # the match ended a line: the next one starts here
        line = find("\n", at)
        if line < 0:
            break
        at = line + 1
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def read_page(text: str, published: date | None, pack: RulePack) -> Page:
    """Blank a leading `date YYYY-MM-DD` header (taking its date when `published` is None) and
    datelines ("KYIV, Ukraine (AP) -"), whose city is where the report was filed, not a place attacked."""
    slots = pack.slots
    header = slots.date_header.rx.match(text)
    approximate = False
    if header:
        if published is None:
            published, approximate = _header_date(header.group(1))
        text = " " * header.end() + text[header.end() :]
    dateline = slots.dateline
    text = blank_at_line_starts(dateline.rx, text) if dateline.line_start else dateline.rx.sub(blank, text)
    return Page(text=text, low=lower(text), published=published, approximate=approximate)


def _header_date(value: str) -> tuple[date | None, bool]:
    """The date a header gives ("2024-03-04"), or the last day of its month ("2022-06", approximate);
    (None, False) for no date or one outside PUBLISHED_YEARS (a placeholder such as "0001-01-01", the
    bound an article's own `published` has, and the room "yesterday" needs)."""
    try:
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            first_of_next = date(year + month // 12, month % 12 + 1, 1)
            found, approximate = date.fromordinal(first_of_next.toordinal() - 1), True
        else:
            found, approximate = date.fromisoformat(value), False
    except ValueError:
        return None, False
    low, high = PUBLISHED_YEARS
    return (found, approximate) if low <= found.year <= high else (None, False)
