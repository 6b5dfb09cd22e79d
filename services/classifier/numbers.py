"""Figures written as digits or words ("six", "1,500", "twenty-one", "a dozen"), by the pack's words."""

from __future__ import annotations

import re

from .rulepack import NumberWords

# Figures above this are not casualty or projectile counts of one attack (years, budgets, noise).
MAX_COUNT = 100_000
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def parse_number(text: str, words: NumberWords) -> int | None:
    """The value of a number phrase, or None. Qualifiers are dropped: "more than 80" is 80.

    Values above MAX_COUNT (and digit strings of more than 9 digits) are None: no single attack's
    figure, so never a count."""
    s = text.strip().lower().replace("\u2009", "")
    qualified = words.qualifier_rx.match(s)
    if qualified:
        s = s[qualified.end() :]
    if not s:
        return None
    multiplier = 1
    for word, factor in words.multipliers.items():
        if s.endswith(" " + word):
            s, multiplier = s[: -len(word) - 1].strip(), factor
            break
    value: int | None
    if _DIGITS.fullmatch(s):
        digits = s.replace(",", "")
        value = int(digits) if len(digits) <= 9 else None
    elif s in words.units:
        value = words.units[s]
    else:
        tens, _, unit = s.replace("-", " ").partition(" ")
        if tens not in words.tens:
            return None
        value = words.tens[tens]
        if unit:
            unit_value = words.units.get(unit)
            if unit_value is None or unit_value > 9:
                return None
            value += unit_value
    if value is None:
        return None
    value *= multiplier
    return value if 0 <= value <= MAX_COUNT else None
