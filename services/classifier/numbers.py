"""Figures written as digits or words ("six", "1,500", "1 500", "twenty-one", "two hundred and fifty",
"three dozen"), and ranges ("between 8 and 12", "30–40"), by the pack's words.

Number words beyond the pack's tables are read by text2num (a well-kept library for exactly this) in
the pack's `library` language; "N dozen" is a small grammar of our own (text2num does not read it)."""

from __future__ import annotations

import re

from text_to_num import text2num  # type: ignore[import-untyped]  # no stubs shipped

from .rulepack import NumberWords

# Figures above this are not casualty or projectile counts of one attack (years, budgets, noise).
MAX_COUNT = 100_000
# At most four groups after the first, as the packs' `digits` (a longer run is no count anyway).
_DIGITS = re.compile(r"\d{1,3}(?:[, ]\d{3}){1,4}|\d+")
_SEPARATORS = re.compile(r"[, ]")
# A range: "between 8 and 12", "8 to 12", "8-12", "30–40", "two or three" (the text is normalised).
_RANGE = re.compile(r"^(?:between\s+)?(?P<lo>.+?)\s*(?:\band\b|\bto\b|\bor\b|[-–—])\s*(?P<hi>[^-–—]+)$")


def _words(s: str, words: NumberWords) -> int | None:
    """A number written in words, or None."""
    if s in words.units:
        return words.units[s]
    for word, factor in words.multipliers.items():
        # "three dozen", "a dozen": the tables' unit times the multiplier (not text2num's grammar).
        if s.endswith(" " + word) and factor not in (100, 1000):
            head = _words(s[: -len(word) - 1].strip(), words)
            return None if head is None else head * factor
    tens, _, unit = s.replace("-", " ").partition(" ")
    if tens in words.tens and (not unit or unit in words.tens_units):
        return words.tens[tens] + (words.units[unit] if unit else 0)
    if words.library is None:
        return None
    phrase = s.replace("-", " ")
    first, _, rest = phrase.partition(" ")
    if first in ("a", "an") and rest:
        phrase = f"one {rest}"  # "a hundred"
    try:
        return int(text2num(phrase, words.library))
    except ValueError:
        return None


def parse_number(text: str, words: NumberWords) -> int | None:
    """The value of a number phrase, or None. Qualifiers are dropped: "more than 80" is 80; a range
    gives its lower end ("between 8 and 12" is 8; `parse_range` gives both).

    Values above MAX_COUNT (and digit strings of more than 9 digits) are None: no single attack's
    figure, so never a count."""
    return parse_range(text, words)[0]


def parse_range(text: str, words: NumberWords) -> tuple[int | None, int | None]:
    """(low, high) of a number phrase: (8, 12) for "between 8 and 12" or "8–12", (5, None) for "5".
    (None, None) when it is no number. High is None unless it is a larger second figure."""
    s = text.strip().lower().replace("\u2009", "")
    worded = words.range_rx.match(s)
    if worded:
        low = next(v for k, v in worded.groupdict().items() if k != "hi" and v is not None)
        lo, hi = parse_range(low, words)[0], parse_range(worded.group("hi"), words)[0]
        return (lo, hi) if lo is not None and hi is not None and hi > lo else (lo, None)
    qualified = words.qualifier_rx.match(s)
    if qualified:
        s = s[qualified.end() :]
    if not s:
        return None, None
    single = _single(s, words)
    if single is not None:
        return single, None
    m = _RANGE.match(s)
    if m:
        lo, hi = _single(m.group("lo").strip(), words), _single(m.group("hi").strip(), words)
        if lo is not None and hi is not None and hi > lo:
            return lo, hi
        return lo, None
    return None, None


def _single(s: str, words: NumberWords) -> int | None:
    value: int | None
    if _DIGITS.fullmatch(s):
        digits = _SEPARATORS.sub("", s)
        value = int(digits) if len(digits) <= 9 else None
    else:
        value = _words(s, words)
    if value is None:
        return None
    return value if 0 <= value <= MAX_COUNT else None
