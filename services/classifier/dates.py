# ruff: noqa: E501  -- the regex tables below read better unwrapped.
"""Resolving the attack date from phrases like "on Monday", "overnight", "31 July 2022", "Dec 19"."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

DATE_RE = re.compile(
    rf"\b(?P<dmy>(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>(?:19|20)\d\d))?)\b"
    rf"|\b(?P<mdy>(?P<m2>{_MONTH})\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y2>(?:19|20)\d\d))?)\b"
    rf"|\b(?P<num>(?P<d3>[0-3]?\d)[/.](?P<m3>[01]?\d)[/.](?P<y3>(?:19|20)\d\d))\b"
    rf"|\b(?P<iso>(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d))\b"
    rf"|(?P<wd>(?:\b(?:on|last|this|early|late)\s+)?(?:{_WEEKDAY}\s+(?:and|to)\s+)?(?P<wday>{_WEEKDAY}))\b"
    r"|\b(?P<rel>overnight|last night|yesterday|today|this morning|tonight|earlier today|the previous night"
    r"|past 24 hours|new year['’]s day|new year['’]s eve|christmas day|christmas eve)\b",
)  # matched against lower-cased text (see patterns.lower)
# Every DATE_RE match holds one of these substrings or a digit followed by a date separator.
_TRIGGERS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "day", "night",
    "morning", "24 hours", " eve",
)  # fmt: skip
_NUMERIC = re.compile(r"\d[/.-]\d")


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(match: re.Match[str], published: date | None) -> date | None:
    """The date one DATE_RE match stands for, given the article's publication date (may be None)."""
    g = match.groupdict()
    if g["dmy"] or g["mdy"]:
        day = int(g["d1"] or g["d2"])
        month = MONTHS[(g["m1"] or g["m2"]).lower().rstrip(".")]
        year_text = g["y1"] or g["y2"]
        if year_text:
            return _safe(int(year_text), month, day)
        if published is None:
            return None
        found = _safe(published.year, month, day)
        # A month-day after the publication date belongs to the previous year.
        if found and found > published + timedelta(days=1):
            found = _safe(published.year - 1, month, day)
        return found
    if g["num"]:
        return _safe(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    if g["iso"]:
        return _safe(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    if published is None:
        return None
    if g["wday"]:
        target = WEEKDAYS[g["wday"].lower()]
        # Reports speak of the latest such weekday on or before publication.
        return published - timedelta(days=(published.weekday() - target) % 7)
    rel = (g["rel"] or "").lower().replace("’", "'")
    if rel in ("yesterday", "past 24 hours", "the previous night"):
        return published - timedelta(days=1)
    if rel in ("new year's day",):
        return _safe(published.year if published.month == 1 else published.year + 1, 1, 1)
    if rel == "new year's eve":
        return _safe(published.year - 1 if published.month == 1 else published.year, 12, 31)
    if rel in ("christmas day", "christmas eve"):
        return _safe(published.year, 12, 25 if rel == "christmas day" else 24)
    # overnight, last night, today, this morning, tonight: the night ending on the publication day.
    return published


def find_dates(low: str) -> list[re.Match[str]]:
    """Date phrases in lower-cased text; sentences without a trigger skip the (costly) scan."""
    for trigger in _TRIGGERS:
        if trigger in low:
            return list(DATE_RE.finditer(low))
    if _NUMERIC.search(low):
        return list(DATE_RE.finditer(low))
    return []
