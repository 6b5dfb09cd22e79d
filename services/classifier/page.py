"""The page stage: the normalised text with page furniture blanked, its lower-case copy, and the date
the text itself gives when the article carries none."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .rulepack import RulePack


@dataclass(frozen=True, slots=True)
class Page:
    text: str  # same length as the normalised text: masked furniture is blanked, not removed
    low: str  # `text` lower-cased, same length (what `lower` patterns read)
    published: date | None


def lower(text: str) -> str:
    """`text.lower()`, but always of the same length so offsets into it index `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def read_page(text: str, published: date | None, pack: RulePack) -> Page:
    """Blank a leading `date YYYY-MM-DD` header (taking its date when `published` is None) and
    datelines ("KYIV, Ukraine (AP) -"), whose city is where the report was filed, not a place attacked."""
    slots = pack.slots
    header = slots.date_header.rx.match(text)
    if header:
        if published is None:
            try:
                published = date.fromisoformat(header.group(1))
            except ValueError:
                published = None
        text = " " * header.end() + text[header.end() :]
    text = slots.dateline.rx.sub(blank, text)
    return Page(text=text, low=lower(text), published=published)
