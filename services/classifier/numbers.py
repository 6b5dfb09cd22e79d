"""Numbers written as digits or words ("six", "1,500", "twenty-one", "a dozen")."""

from __future__ import annotations

import re

# Figures above this are not casualty or projectile counts of one attack (years, budgets, noise).
MAX_COUNT = 100_000

UNITS = {
    "zero": 0,
    "no": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a pair of": 2,
    "both": 2,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNIT_WORDS = "|".join(
    sorted((k for k in UNITS if k not in {"no", "a", "an", "both"}), key=len, reverse=True)
)
_TENS_WORDS = "|".join(TENS)

# One regex fragment for "a number" (used inside the extraction patterns).
NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+"
    rf"|(?:{_TENS_WORDS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    rf"|{_UNIT_WORDS})(?:\s+(?:hundred|thousand))?"
)
NUMBER_RE = re.compile(rf"^(?:{NUMBER})$", re.IGNORECASE)

_QUALIFIERS = re.compile(
    r"^(?:at least|more than|over|up to|about|around|roughly|nearly|almost|some|approximately|an estimated|"
    r"as many as|no fewer than|no less than|at most|a total of|another)\s+",
    re.IGNORECASE,
)


def parse_number(text: str) -> int | None:
    """The value of a number phrase, or None. Qualifiers are dropped: "more than 80" is 80."""
    s = text.strip().lower().replace("\u2009", "")
    while True:
        stripped = _QUALIFIERS.sub("", s)
        if stripped == s:
            break
        s = stripped
    if not s:
        return None
    multiplier = 1
    for word, factor in (("hundred", 100), ("thousand", 1000)):
        if s.endswith(" " + word):
            s, multiplier = s[: -len(word) - 1].strip(), factor
    value: int | None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        digits = s.replace(",", "")
        value = int(digits) if len(digits) <= 9 else None
    elif s in UNITS:
        value = UNITS[s]
    else:
        m = re.fullmatch(rf"({_TENS_WORDS})(?:[- ](\w+))?", s)
        if not m:
            return None
        value = TENS[m.group(1)]
        if m.group(2):
            unit = UNITS.get(m.group(2))
            if unit is None or unit > 9:
                return None
            value += unit
    if value is None:
        return None
    value *= multiplier
    return value if 0 <= value <= MAX_COUNT else None
