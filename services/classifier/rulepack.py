"""Rule packs: everything a language contributes to the classifier, as data, validated once at start-up.

A pack is a folder `services/classifier/rules/<language>/` (the same files for every language):

- `pack.yaml`: language code, spaCy language, the token attribute the lexicon matches on, lemmatiser;
- `*.jsonl` (but `places.jsonl`): lexicon records `{pattern, label, kind, weapon, designator, target,
  actor}`, read by the `strikewatch_lexicon` component;
- `places.jsonl`: this language's spellings of gazetteer places `{pattern, place}` ("Kiev" -> Kyiv);
- `slots.yaml`: named, trigger-gated regexes per slot (`Slots` below lists them and their stages);
- `numbers.yaml`, `dates.yaml`: number words, qualifiers, vague quantities; month, weekday and
  relative date words;
- `stoplists.yaml`: names that are never places, capitals that speak for a side;
- `glossary.yaml` (optional; none for English): the English term of each damage word the `critical`
  and `civil_damage` slots match, for the severity reasons read by an English-speaking desk;

plus `rules/severity.yaml`, the rubric's thresholds (docs/contract.md section 5), shared by every language.

`load_pack` validates every record with pydantic and raises `PackError` naming the file and the line of
the first bad rule (an unknown label, a regex that does not compile, an unknown fragment, a missing
slot), so a bad pack stops the service at start-up, never mid-stream.
"""

from __future__ import annotations

import json
import re
import re._constants as _sre  # type: ignore[import-not-found]  # op codes of a parsed pattern (`required_literals`)
import re._parser as _sre_parser  # type: ignore[import-not-found]  # no stubs; a stdlib module in 3.11
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Self, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from schemas.models import AttackType, Target
from services.common.severity import SeverityThresholds

RULES_DIR = Path(__file__).resolve().parent / "rules"
M = TypeVar("M", bound=BaseModel)

CueLabel = Literal[
    "ATTACK_TYPE",  # a kind of attack ("drone", "shelling"): `kind`
    "WEAPON",  # a named system ("Shahed"): `kind`, `weapon`, `designator`
    "TARGET",  # a target class word ("substation"): `target`
    "ACTOR",  # a side ("Russian forces"): `actor`
    "ENEMY",  # "the enemy": the side opposite the place attacked
    "EVENT",  # an attack word ("struck", "explosion")
    "DEFENCE",  # interception and air defence words
    "AIR_RAID",  # "air raid": aviation only when no other weapon is named
    "PLAN",  # plans, threats, warnings ("is planning", "air alert")
    "AGGREGATE",  # war-wide totals and retrospectives ("since the war began")
    "NOT_ATTACK",  # another domain that uses war words ("heart attack", "cyber attack", "drills")
]


class PackError(ValueError):
    """A rule pack that cannot be used, with the file and line of the first bad rule."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = path, line


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LexiconRecord(_Record):
    """One phrase of the lexicon, matched whole on the pack's token attribute (lower case for English)."""

    pattern: str = Field(min_length=1)
    label: CueLabel
    kind: AttackType | None = None
    weapon: str | None = None
    designator: bool = False  # the name holds a number that is never a count (Shahed-136, Kh-101)
    target: Target | None = None
    actor: str | None = None
    # An AGGREGATE word of a trend ("intensified"), also said of a battle going on now ("intensified
    # their offensive actions in the areas of A, B and C"): alone, it does not make a sentence that
    # names where the fighting is (the `fighting_near` slot) a summary (sentences.py).
    trend: bool = False

    @model_validator(mode="after")
    def _fields_fit_the_label(self) -> Self:
        needs = {
            "ATTACK_TYPE": {"kind"},
            "WEAPON": {"kind", "weapon"},
            "TARGET": {"target"},
            "ACTOR": {"actor"},
        }.get(self.label, set())
        given = {name for name in ("kind", "weapon", "target", "actor") if getattr(self, name) is not None}
        if given != needs:
            raise ValueError(
                f"a {self.label} record takes {sorted(needs) or 'no'} of kind/weapon/target/actor"
            )
        if self.designator and self.label != "WEAPON":
            raise ValueError("only a WEAPON record can be a designator")
        if self.trend and self.label != "AGGREGATE":
            raise ValueError("only an AGGREGATE record can be a trend")
        return self

    @property
    def key(self) -> str:
        """The match id: records that mean the same thing share it (one match per phrase and meaning)."""
        # A designator ("Kh-47M2") and a plain name ("Kinzhal") of one weapon differ: only one is masked.
        parts = (
            self.label,
            self.kind,
            self.weapon,
            self.target,
            self.actor,
            "trend" if self.trend else None,
            "designator" if self.designator else None,
        )
        return "|".join(str(x) for x in parts if x)


class PlaceSpelling(_Record):
    """A way this language writes a gazetteer place: `place` is its canonical English name."""

    pattern: str = Field(min_length=1)
    place: str = Field(min_length=1)


# --- regexes ---------------------------------------------------------------------------------------

_FRAGMENT = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_WORD_LIST = re.compile(r"\\b\(\?:([a-z][a-z ?|]*)\)\\b")


def expand(regex: str, fragments: Mapping[str, str]) -> str:
    """`regex` with its lines joined (each stripped) and every `{NAME}` replaced by its fragment."""
    joined = "".join(line.strip() for line in regex.splitlines())

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fragments:
            raise ValueError(f"unknown fragment {{{name}}}; known: {', '.join(sorted(fragments))}")
        return fragments[name]

    return _FRAGMENT.sub(sub, joined)


def word_list_regex(pattern: str) -> str:
    r"""A plain word list `\b(?:w1|w2|...)\b` rewritten with the same matches but faster to search.

    The words are grouped by first letter, `c(?<!\w\w)(?:rest|...)`: the pattern then starts with a set
    of literal characters, so `re` skips in C every position whose character starts no word, and the
    `\b` before a word is checked after its first letter. Words keep their order within a letter and
    words of different letters never match at one position, so every match is the one `pattern` finds.
    Any other pattern is returned as it is."""
    m = _WORD_LIST.fullmatch(pattern)
    if m is None:
        return pattern
    groups: dict[str, list[str]] = {}
    for word in m.group(1).split("|"):
        groups.setdefault(word[0], []).append(word[1:])
    alternation = "|".join(rf"{c}(?<!\w\w)(?:{'|'.join(rests)})" for c, rests in groups.items())
    return rf"(?:{alternation})\b"


def _top_alternatives(pattern: str) -> list[str]:
    """`pattern` split at its top-level `|` (outside groups and character sets)."""
    parts, _ = _scan(pattern, 0)
    return parts


def _scan(pattern: str, i: int) -> tuple[list[str], int]:
    """The `|`-separated alternatives of `pattern` from `i` up to the `)` that closes the level `i`
    is in (or the end), and the index of that `)` (`len(pattern)` at the end)."""
    parts: list[str] = []
    depth, start, n = 0, i, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:i])
    return parts, i


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def line_anchored(pattern: str) -> bool:
    """Whether every top-level alternative of `pattern` starts with `^`: it can match only at a line
    start (or at the text's start), so a caller may try it there alone."""
    flags = _GLOBAL_FLAGS.match(pattern)
    body = pattern[flags.end() :] if flags else pattern
    return all(alternative.startswith("^") for alternative in _top_alternatives(body))


def leading_words(pattern: str) -> str:
    r"""A pattern that opens on a list of words, `\b(?:w1...|w2...|...)` then anything, with the list
    grouped by first letter as `word_list_regex` does (`c(?<!\w\w)(?:rest|...)`): the same matches,
    and `re` skips in C every position whose character starts no word. Each alternative must start
    with a letter that no quantifier follows, and the list must not be quantified; any other pattern
    is returned as it is."""
    if not pattern.startswith(r"\b(?:") or "#" in pattern or "(?x" in pattern:
        return pattern
    words, end = _scan(pattern, 5)
    rest = pattern[end + 1 :]
    if end >= len(pattern) or rest[:1] in ("?", "*", "+", "{"):
        return pattern
    groups: dict[str, list[str]] = {}
    for word in words:
        if not word[:1].isalpha() or word[1:2] in ("?", "*", "+", "{"):
            return pattern
        groups.setdefault(word[0], []).append(word[1:])
    alternation = "|".join(rf"{c}(?<!\w\w)(?:{'|'.join(rests)})" for c, rests in groups.items())
    return rf"(?:{alternation}){rest}"


def shared_boundary(pattern: str) -> str:
    r"""`pattern` with each run of consecutive top-level alternatives that start with `\b` written
    `\b(?:X|Y|...)`: the same matches (a zero-width `\b` distributes over an alternation, and the
    alternatives keep their order), but `re` tests the word boundary once per position instead of
    once per alternative (`not_counts`, 12 alternatives: 2.7x faster). Patterns with comments or
    verbose mode, where `#` or blanks may hide a `|`, are returned as they are."""
    if "#" in pattern or "(?x" in pattern:
        return pattern
    out: list[str] = []
    run: list[str] = []  # consecutive alternatives after their leading \b

    def flush() -> None:
        if len(run) >= 2:
            out.append(rf"\b(?:{'|'.join(run)})")
        else:
            out.extend(rf"\b{rest}" for rest in run)
        run.clear()

    for alternative in _top_alternatives(pattern):
        if alternative.startswith(r"\b"):
            run.append(alternative[2:])
        else:
            flush()
            out.append(alternative)
    flush()
    return "|".join(out)


_QUANTIFIERS = ("?", "*", "+", "{")


def nested_leading_words(pattern: str) -> str:
    r"""`leading_words` for a list whose alternatives may themselves open on a group of words:
    `\b(?:(?:w1|w2)TAIL|w3...)REST` (what `shared_boundary` makes of `\b(?:w1|w2)\b|\bw3...`) becomes
    `(?:c(?<!\w\w)(?:(?:1|2)TAIL|3...)|...)REST`, grouped by first letter. The same matches: a group
    distributes over what follows it (`(?:a|b)t` tries `at`, then `bt`), entries keep their order
    within a letter, entries of different first letters never match at one position, and
    `c(?<!\w\w)` is `\bc` for a word character `c`. `re` then skips in C every position whose
    character starts no entry (strong_event: 3x faster). Anything else is returned as it is."""
    if not pattern.startswith(r"\b(?:") or "#" in pattern or "(?x" in pattern:
        return pattern
    alternatives, end = _scan(pattern, 5)
    rest = pattern[end + 1 :]
    if end >= len(pattern) or rest[:1] in _QUANTIFIERS:
        return pattern
    entries: list[tuple[str, str, int]] = []  # (first letter, what follows it, its alternative)
    tails: list[str] = []  # per alternative: what follows its group of words ("" for a plain one)
    for index, alternative in enumerate(alternatives):
        words, tail = [alternative], ""
        if alternative.startswith("(?:"):
            words, inner_end = _scan(alternative, 3)
            tail = alternative[inner_end + 1 :]
            if inner_end >= len(alternative) or tail[:1] in _QUANTIFIERS:
                return pattern
        tails.append(tail)
        for word in words:
            if not word[:1].isalpha() or word[1:2] in _QUANTIFIERS:
                return pattern
            entries.append((word[0], word[1:], index))
    if all(not a.startswith("(?:") for a in alternatives):
        return pattern  # a plain list: `leading_words` already decided
    by_letter: dict[str, list[tuple[str, int]]] = {}
    for letter, after, index in entries:
        by_letter.setdefault(letter, []).append((after, index))
    groups: list[str] = []
    for letter, items in by_letter.items():
        pieces: list[str] = []
        i = 0
        while i < len(items):
            j = i
            while j < len(items) and items[j][1] == items[i][1]:
                j += 1
            run, tail = [after for after, _ in items[i:j]], tails[items[i][1]]
            # The entries of one group share its tail, written once after them: `(?:1|2)TAIL`.
            pieces.extend([f"(?:{'|'.join(run)}){tail}"] if tail else run)
            i = j
        groups.append(rf"{letter}(?<!\w\w)(?:{'|'.join(pieces)})")
    return rf"(?:{'|'.join(groups)}){rest}"


# `\b`, then (inside at most one group) a character class of letters and digits alone.
_LEADING_CLASS = re.compile(r"\\b(\((?:\?P<\w+>|\?:)?)?(\[(?:[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9])+\])")


def boundary_after_class(pattern: str) -> str:
    r"""`\b[A-Z]...` written `[A-Z](?<!\w\w)...` (also inside a leading group: `\b(?P<d>[A-Z]...)`):
    the same matches, since every character of the class is a word character, so `\b` before it is
    "no word character before it", which the look-behind tests after it. The pattern then starts with
    a character set, and `re` skips in C every position outside it (region_mention: 2x faster). Only
    a class of ASCII letters and digits, not quantified, first in the pattern or in a group that holds
    one alternative and is not quantified; any other pattern is returned as it is."""
    m = _LEADING_CLASS.match(pattern)
    if m is None or "#" in pattern or "(?x" in pattern:
        return pattern
    after = pattern[m.end() :]
    if after[:1] in _QUANTIFIERS:
        return pattern
    if m.group(1) is not None:
        parts, end = _scan(pattern, m.end(1))
        # `\b([A-Z]x|y)`: the boundary belongs to `y` too; `\b([A-Z]x)?y`: to `y` when the group is skipped.
        if len(parts) != 1 or end >= len(pattern) or pattern[end + 1 : end + 2] in _QUANTIFIERS:
            return pattern
    return rf"{m.group(1) or ''}{m.group(2)}(?<!\w\w){after}"


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...]:
    r"""Strings of which every match of `pattern` holds one, when a short list of them is known
    (at most `_MAX_NEEDS`, each at least `_MIN_NEED_CHARS` long); else (). Read from the parsed
    pattern: a run of literal characters in sequence, a group, a repeat of at least one, and each
    alternative of a branch (their union) tell one; classes, look-arounds and optional parts tell
    nothing. A blank ends a run: the stages blank what they mask (`figures._masked`, page furniture)
    and may test the gate on the text before masking, which holds every literal without a blank
    that the masked text holds. `[A-Z]\w+\s+(?:[Rr]egion|[Oo]blast)` needs "egion" or "blast". A
    pattern matching without regard to case tells nothing (the text may write its literals otherwise)."""
    try:
        parsed = _sre_parser.parse(pattern, flags)
    except re.error:
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    found = _needs(parsed.data)
    if found is None or not _useful(found):
        return ()
    return tuple(sorted(found))


# A gate of more or shorter strings than this costs more than it saves.
_MAX_NEEDS = 4
_MIN_NEED_CHARS = 4


def _useful(found: frozenset[str]) -> bool:
    return len(found) <= _MAX_NEEDS and min(map(len, found)) >= _MIN_NEED_CHARS


def _needs(items: Any) -> frozenset[str] | None:
    """The most selective set of strings every match of the parsed sequence `items` holds one of."""
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found is None or not found or "" in found:
            return
        rank = (_useful(found), -len(found), min(map(len, found)))
        if best is None or rank > (_useful(best), -len(best), min(map(len, best))):
            best = found

    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and not chr(av).isspace():
            run.append(chr(av))
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, inner = av
            if not add_flags & re.IGNORECASE:
                consider(_needs(inner.data))
        elif op is _sre.BRANCH:
            branches = [_needs(p.data) for p in av[1]]
            if all(b is not None for b in branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _high, inner = av
            if low >= 1:
                consider(_needs(inner.data))
        elif op is _sre.ATOMIC_GROUP:
            consider(_needs(av.data))
        # Anything else (classes, anchors, look-arounds, back-references) tells nothing.
    consider(frozenset({"".join(run)}) if run else None)
    return best


# The pattern of a slot a pack leaves empty (`_never`): it matches nothing.
NEVER = r"(?!)"


def _always(_s: str) -> bool:
    return True


def _closed(_s: str) -> bool:
    return False


def _no_match(_s: str) -> None:
    return None


def _no_matches(_s: str) -> Iterator[re.Match[str]]:
    return iter(())


def started(
    rx: re.Pattern[str], starts: re.Pattern[str]
) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
    """(`search`, `finditer`) of `rx` tried only where `starts` matches, which it must at every position
    where a match of `rx` can start: the same matches as `rx.search` and `rx.finditer`. (`re` tries a
    pattern at every character; a long one of many branches, such as the English `date`, costs ~50 us
    a sentence so, and tried only where a pattern of its leading words matches, ~12 us.) An empty
    match hands over to `rx.finditer`, whose rule for what follows one this does not copy."""
    find, match, plain = starts.search, rx.match, rx.finditer

    def search(s: str) -> re.Match[str] | None:
        pos = 0
        while (c := find(s, pos)) is not None:
            m = match(s, c.start())
            if m is not None:
                return m
            pos = c.start() + 1
        return None

    def finditer(s: str) -> Iterator[re.Match[str]]:
        out: list[re.Match[str]] = []
        pos = 0
        while (c := find(s, pos)) is not None:
            at = c.start()
            m = match(s, at)
            if m is None:
                pos = at + 1
                continue
            if m.end() == at:
                return plain(s)
            out.append(m)
            pos = m.end()
        return iter(out)

    return search, finditer


def gated(
    rx: re.Pattern[str],
    literals: tuple[str, ...],
    gate: re.Pattern[str] | None,
    starts: re.Pattern[str] | None = None,
) -> dict[str, Callable[[str], Any]]:
    """`opens`, `opens_within`, `search` and `finditer` of a rule whose gate opens where `s` holds one
    of `literals` or `gate` finds a match (neither: always open; a `NEVER` pattern: never open): each
    one Python function, which the `Rule` methods of those names answer the same as, at a third of
    their calls. `starts`: where a match may start (`started`)."""
    search, finditer = started(rx, starts) if starts is not None else (rx.search, rx.finditer)
    if rx.pattern == NEVER:
        # An empty slot (six of them in English): `re` would still try it at every position.
        return {"opens": _closed, "opens_within": _closed, "search": _no_match, "finditer": _no_matches}
    if not literals and gate is None:
        return {"opens": _always, "opens_within": _always, "search": search, "finditer": finditer}
    gate_search = gate.search if gate is not None else None

    def opens(s: str) -> bool:
        for literal in literals:
            if literal in s:
                return True
        return gate_search is not None and gate_search(s) is not None

    def gated_search(s: str) -> re.Match[str] | None:
        for literal in literals:
            if literal in s:
                return search(s)
        if gate_search is not None and gate_search(s) is not None:
            return search(s)
        return None

    def gated_finditer(s: str) -> Iterator[re.Match[str]]:
        for literal in literals:
            if literal in s:
                return finditer(s)
        if gate_search is not None and gate_search(s) is not None:
            return finditer(s)
        return iter(())

    # A literal in a part of a text is in the text; a gate pattern's match in a part need not be one
    # in the whole text (anchors, look-arounds), so such a rule may open in any part.
    within = opens if gate is None else _always
    return {"opens": opens, "opens_within": within, "search": gated_search, "finditer": gated_finditer}


def _plus(groups: Mapping[str, int]) -> int:
    """What a count rule's empty (?P<plus1>) or (?P<plus2>) group adds to its figure (else 0)."""
    return 2 if "plus2" in groups else 1 if "plus1" in groups else 0


class Rule(_Record):
    """One named regex. `triggers`: substrings every match holds (the cheap gate); `gate`: a regex that
    also opens the gate; `on`: run on the lower-cased sentence (`lower`) or on the text as written."""

    regex: str
    triggers: tuple[str, ...] = ()
    gate: str | None = None
    on: Literal["lower", "text"] = "lower"
    dotall: bool = False
    # A count of one named weapon (LABELS.md rule 5, "a Kh-38 missile"): a match counts only where a
    # WEAPON lexicon record (a named system) lies inside it; "with a missile" is no count.
    named: bool = False
    # A regex that matches wherever a match of `regex` may start (its leading words): `search` and
    # `finditer` try `regex` only there (`started`; the same matches, checked in
    # tests/classifier/test_speed_equivalence.py).
    starts: str | None = None

    @model_validator(mode="after")
    def _compile(self, info: ValidationInfo) -> Self:
        fragments: Mapping[str, str] = (info.context or {}).get("fragments", {})
        try:
            source = word_list_regex(expand(self.regex, fragments))
            source = leading_words(shared_boundary(source))
            source = boundary_after_class(nested_leading_words(source))
            # Kept in the instance dict (as `cached_property` does): a plain attribute read on the hot
            # path, where a pydantic private attribute would cost a `__getattr__` call.
            self.__dict__["rx"] = re.compile(source, re.DOTALL if self.dotall else 0)
            self.__dict__["gate_rx"] = re.compile(self.gate) if self.gate else None
            self.__dict__["numbered"] = "{NUM}" in self.regex
            self.__dict__["line_start"] = line_anchored(source)
            # A count rule with an empty (?P<one>) group counts one ("a man was killed").
            self.__dict__["counts_one"] = "one" in self.__dict__["rx"].groupindex
            # ... and one with an empty (?P<two>) group counts two ("a girl and a man were injured").
            self.__dict__["counts_two"] = "two" in self.__dict__["rx"].groupindex
            # ... one with (?P<three>) three ("a man, his wife and their baby were killed"), and one with
            # (?P<plus1>) or (?P<plus2>) beside its figure counts the kin named before it too ("a mother
            # and her two children were killed": 2 + 1; red team 11).
            self.__dict__["counts_three"] = "three" in self.__dict__["rx"].groupindex
            self.__dict__["plus"] = _plus(self.__dict__["rx"].groupindex)
            # Ungated rules are gated on the literals every match holds, where a few are known
            # ("egion"/"blast"/"rovince" of region_mention): a few `in` tests skip most sentences.
            ungated = not self.triggers and self.gate is None
            self.__dict__["needs"] = required_literals(source, self.__dict__["rx"].flags) if ungated else ()
            # `opens`, `search` and `finditer` made for this rule's gate (~150 calls an article: one
            # Python call each instead of three); ungated, the compiled pattern's own.
            literals = self.triggers if not ungated else self.__dict__["needs"]
            starts = re.compile(expand(self.starts, fragments)) if self.starts else None
            self.__dict__.update(gated(self.__dict__["rx"], literals, self.__dict__["gate_rx"], starts))
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return self

    @cached_property
    def rx(self) -> re.Pattern[str]:  # set by `_compile`; this body never runs
        raise AssertionError("compiled at validation")

    @cached_property
    def gate_rx(self) -> re.Pattern[str] | None:
        raise AssertionError("compiled at validation")

    @cached_property
    def line_start(self) -> bool:
        """It matches only at a line start (set by `_compile`; see `line_anchored`)."""
        return line_anchored(self.rx.pattern)

    @cached_property
    def counts_one(self) -> bool:
        """Its match is a count of one (set by `_compile`)."""
        return "one" in self.rx.groupindex

    @cached_property
    def counts_two(self) -> bool:
        """Its match is a count of two (set by `_compile`)."""
        return "two" in self.rx.groupindex

    @cached_property
    def counts_three(self) -> bool:
        """Its match is a count of three (set by `_compile`)."""
        return "three" in self.rx.groupindex

    @cached_property
    def plus(self) -> int:
        """How many people its match names beside its figure, added to it (set by `_compile`)."""
        return _plus(self.rx.groupindex)

    @cached_property
    def numbered(self) -> bool:
        """Built on a figure: it can only match where a number is written (set by `_compile`)."""
        return "{NUM}" in self.regex

    @cached_property
    def needs(self) -> tuple[str, ...]:
        """For a rule without triggers or gate: strings of which every match holds one (set by
        `_compile`; see `required_literals`), or () when none is known."""
        return ()

    def opens(self, s: str) -> bool:
        """Whether `s` may hold a match (no triggers and no gate: a string it `needs`, or always).
        (The reference form: each rule's own, made by `gated`, answers the same.)"""
        triggers = self.triggers
        if not triggers and self.gate is None:
            needs = self.needs
            if not needs:
                return True
            for need in needs:  # noqa: SIM110 (a loop of `in` tests is faster than any())
                if need in s:
                    return True
            return False
        for trigger in triggers:
            if trigger in s:
                return True
        gate = self.gate_rx
        return gate is not None and gate.search(s) is not None

    def opens_within(self, whole: str) -> bool:
        """Whether the gate may open on some part of `whole` (a sentence of a page, given the page):
        False only when it opens on none, so a stage may skip every part at once. (The reference
        form, as `opens`.)"""
        if self.rx.pattern == NEVER:
            return False
        return self.gate is not None or self.opens(whole)

    def search(self, s: str) -> re.Match[str] | None:
        return self.rx.search(s) if self.opens(s) else None

    def finditer(self, s: str) -> Iterator[re.Match[str]]:
        return self.rx.finditer(s) if self.opens(s) else iter(())


class RuleSet(_Record):
    """Several regexes filling one slot; `triggers` gate them all (each may add its own)."""

    triggers: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = Field(min_length=1)

    def opens(self, s: str) -> bool:
        if not self.triggers:
            return True
        for trigger in self.triggers:  # noqa: SIM110
            if trigger in s:
                return True
        return False


def _never() -> Rule:
    """The default of an optional slot: a rule that matches nothing."""
    return Rule(regex=NEVER)


class Slots(_Record):
    """Every slot a stage reads, by name. A pack must fill all of them (a missing one fails at load),
    except the optional ones added in issue 13 (default: match nothing), so an older pack still loads."""

    fragments: dict[str, str] = {}
    # casualties (figures.py)
    killed: RuleSet
    injured: RuleSet
    ordinal_death: Rule
    victims: Rule
    no_casualties: Rule
    no_injuries: Rule
    no_deaths: Rule
    no_one: Rule
    correction: Rule
    # "later corrected the figure to 6": the figure after it replaces the earlier one (figures.py; optional).
    revised_to: Rule = Field(default_factory=_never)
    # "correcting an earlier toll of 35", "раніше повідомлялося про 8": the figure (group `n`) is one a
    # later figure superseded; it never counts, and the sentence's other figures correct it (figures.py;
    # optional, round 6).
    superseded: Rule = Field(default_factory=_never)
    # Red team 6 (figures.py; optional, round 7). `superseded_more`: a figure coordinated with a
    # superseded one ("said 9 were killed and 20 injured": 20), matched at the superseded figure's end;
    # `superseded_now`: the figure now after it ("раніше ... 3, тепер їх 7": 7); `revised_again`: a
    # revision that follows a revision ("revised down to 10, then raised to 11": 11), matched at its
    # end; `revised_down`: the words of a downward revision; `correction_subset`: a part of the victims
    # a corrected figure counts ("the number of injured children"); `past_period`: another day's strike
    # ("the strike on Odesa a week ago").
    superseded_more: Rule = Field(default_factory=_never)
    superseded_now: Rule = Field(default_factory=_never)
    revised_again: Rule = Field(default_factory=_never)
    revised_down: Rule = Field(default_factory=_never)
    correction_subset: Rule = Field(default_factory=_never)
    past_period: Rule = Field(default_factory=_never)
    # A forecast of the toll ("the toll could rise to 10", "is expected to climb"), with the speech tag
    # that closes it (", officials warned"): no figure, and its modal and warning words make no plan
    # (figures.py, sentences.py; optional, red team 7).
    forecast: Rule = Field(default_factory=_never)
    # A toll that names neither the dead nor the injured ("the toll was revised to 35"; "death toll" is
    # not one): a revision of it is no killed figure when the text states both (figures.py; optional,
    # red team 8 #4).
    bare_toll: Rule = Field(default_factory=_never)
    # A figure that adds to the one before it ("a further 3 died", "two more bodies", "ще 3"): the match
    # is the number (figures.py; optional, red team 8 #2).
    increment: Rule = Field(default_factory=_never)
    # A cause of death that is no attack ("earthquake", "fire", "crash", "collapse", "flood"): a toll
    # update in a text naming one is that disaster's, not an attack's (sentences.py `_toll_updates`;
    # optional, red team 8 #1).
    toll_cause: Rule = Field(default_factory=_never)
    # An accident by nature ("mine blast", "gas explosion", "road accident", "earthquake"): an event
    # sentence with no weapon and no side that names one tells of that accident (sentences.py
    # `_other_causes`; optional, red team 9). Fires and collapses are not here: attacks cause them.
    accident: Rule = Field(default_factory=_never)
    # The words of an attack act ("strike", "attacked", "shelling"): a sentence with one tells of an
    # attack, whatever accident it also names ("the strike caused a gas explosion"; red team 14 F1).
    attack_act: Rule = Field(default_factory=_never)
    # An accidental detonation of a mine or old ordnance ("ran over an anti-tank mine", "while clearing
    # unexploded ordnance"): with harm, no attack though it names a weapon (LABELS.md rule 1; red team 14).
    uxo_accident: Rule = Field(default_factory=_never)
    # An attack known only as explosions while air defence works ("blasts as air defences engaged
    # targets"): something came through the air, its kind unknown, so no type rather than the pack's
    # `untyped_attack_type` (classify.py; optional, red team 9 figures #3).
    unseen_weapon: Rule = Field(default_factory=_never)
    conflict: Rule
    vague_killed: Rule
    vague_injured: Rule
    lower_bound: Rule
    # "up to 12 killed": the figure is an upper bound only (figures.py; optional, round 6).
    upper_bound: Rule = Field(default_factory=_never)
    # "killed 3 people in A and 2 in B": after a figure, the next place's figure of the same count,
    # matched at the figure's end (figures.py; optional, round 6).
    place_more: Rule = Field(default_factory=_never)
    # ... and where such a chain ends: the words before the last place's name (optional, round 6).
    place_more_end: Rule = Field(default_factory=_never)
    # "Kharkiv's toll has since risen to 4, and Sumy's to 5": after a figure, another place's own figure
    # of the same count (group `p` the place, `n` the figure), matched at the figure's end (figures.py;
    # optional, red team 10 #2).
    place_next: Rule = Field(default_factory=_never)
    injured_rose: Rule
    not_counts: Rule
    # projectiles (figures.py)
    projectiles: Rule
    x_of_y: RuleSet
    intercepted: RuleSet
    launched: RuleSet
    wave: Rule
    wave_item: Rule
    # A place added to the attack as part of it ("Drones also hit Poltava, killing 3"): the text tells
    # a wave city by city, so its casualties are summed over the places (figures.py `resolve`;
    # optional, red team 9).
    wave_also: Rule = Field(default_factory=_never)
    wave_down: Rule
    # "The toll has risen to 14": a sentence counted though it names no attack (figures.py; optional).
    toll_update: Rule = Field(default_factory=_never)
    # sentence roles (sentences.py)
    strong_event: Rule
    harm: Rule
    event_noun: Rule
    military_words: Rule
    # Right after a place: an impersonal or passive attack verb ("Дніпро атакували", "Херсон був
    # атакований"): a war act on that place with no weapon or side named (sentences.py; optional,
    # red team uknight #1).
    place_attacked: Rule = Field(default_factory=_never)
    aftermath: Rule
    clause_cut: Rule
    # Before a place: "the city's" (its district of the city named before; places.py; optional, round 6).
    city_part_before: Rule = Field(default_factory=_never)
    # Before a place (lower-cased, up to 50 characters of its sentence): where someone spoke or met, or
    # where the wounded were taken ("Speaking in Lviv", "доставили до лікарні в Миколаєві"): not a place
    # attacked (places.py; optional, round 6 red team 4 F7/F8).
    not_attacked_before: Rule = Field(default_factory=_never)
    # An opening clause that recalls a past strike before a new one ("On the anniversary of the strike
    # on X that killed 20, Russia again struck the city"): the sentence is read from its end (sentences.py;
    # optional, round 6).
    lead_recall: Rule = Field(default_factory=_never)
    casualty_words: Rule = Field(default_factory=_never)  # optional (classify.py)
    not_attack_venue: Rule = Field(default_factory=_never)  # optional
    # An other-domain word that is the strike's target ("a drone hit a war memorial", "the memorial was
    # damaged"): in the match it names a place hit, as a venue does (sentences.py; optional, round 6).
    not_attack_target: Rule = Field(default_factory=_never)
    # Before a facility word: where victims were taken or treated ("taken to a hospital in X"): the place
    # of care, neither a target nor damage (kinds.py, harm.py; optional, red team 12).
    care_before: Rule = Field(default_factory=_never)
    # After a place: a sea word ("в Белом море", "у Білому морі"): the name read was the sea's adjective,
    # not a town (places.py; optional, red team 12).
    water_after: Rule = Field(default_factory=_never)
    caption_event: Rule = Field(default_factory=_never)  # optional
    caption_weapon_at: Rule = Field(default_factory=_never)  # optional
    caption_overrides: Rule = Field(default_factory=_never)  # optional
    # A later sentence that refers back to the attack ("the missile struck ... on Sunday night"): asked
    # for the attack's day when the lead gives none (classify.py; optional).
    same_attack: Rule = Field(default_factory=_never)
    terse_place: Rule = Field(default_factory=_never)  # optional (places.py)
    # A sentence that opens on another incident ("Ранее ...", "Як повідомлялося, ..."): it and the rest
    # of its paragraph tell of that incident, not the primary attack; matched at the sentence's start
    # (sentences.other_incidents; optional, issue 14).
    other_incident: Rule = Field(default_factory=_never)
    # An earlier night told with no marker word: a later paragraph opening on a night ("В ночь на
    # пятницу ...", "Минулої ночі ...") in a report the text before it sets in the evening or daytime
    # (`later_anchor`: "второй раз за вечер", "увечері") is another incident (sentences.other_incidents;
    # optional, issue 14).
    earlier_night: Rule = Field(default_factory=_never)
    later_anchor: Rule = Field(default_factory=_never)
    # A sentence that points back to the past event an anniversary, memorial, film or verdict sentence
    # just named ("Сьогодні минає рік від удару по X. Тоді загинули 60 людей", "В результате того удара
    # погибли 25"): it tells the same old story, so it is aggregate too (sentences.py; optional).
    retrospective: Rule = Field(default_factory=_never)
    # A sentence that opens on a week's or a month's total ("За тиждень росіяни випустили 1 200 дронів"):
    # beside another attack sentence it is background, not the attack (sentences.py; optional).
    period_total: Rule = Field(default_factory=_never)
    # "Юнаківська, Хотінська громади": towns named by their community's adjective (`list`), each
    # adjective's stem (`stem`) starting the town's name (places.py; optional, issue 14).
    community_list: Rule = Field(default_factory=_never)
    community_stem: Rule = Field(default_factory=_never)
    # A war-wide daily tally ("1,120 soldiers killed over the past day", "... over the past 24 hours
    # across Ukraine"): the sentence is aggregate, whatever its words (classify.py; optional, issue 13
    # round 5). A lexicon phrase cannot say it: the number and the period are apart.
    tally: Rule = Field(default_factory=_never)
    # who fired (actors.py)
    actor_then_verb: Rule
    actor_then_weapon: Rule
    by_from_before: Rule
    down_before: Rule
    downed_after: Rule
    # places (places.py)
    speech_after: Rule
    launch_site_before: Rule
    region_after: Rule
    region_word: Rule
    region_mention: Rule
    region_of_before: Rule
    region_pair_after: Rule
    region_pair_word: Rule
    place_comma_region: Rule
    list_follows: Rule
    person_after: Rule
    district_of_region: Rule
    district_list: Rule
    list_separator: Rule
    village: Rule
    # Shoot-downs over places, and ground fighting near a list of places: places attacked though the
    # sentence names no attack of its own (places.py; optional, issue 13 kinds 4 and 5).
    downed_over: Rule = Field(default_factory=_never)
    # A wave summary's hits ("Hits were recorded in Zhytomyr and Rivne regions", "зафіксовано влучання
    # на Житомирщині"): its places are attacked though the sentence names no attack (places.py;
    # optional, red team 4 F15).
    hits_in: Rule = Field(default_factory=_never)
    # Before a country named as an actor: the country is the place attacked when nothing else is named
    # (places.py; optional, issue 13 kind 7).
    country_target_before: Rule = Field(default_factory=_never)
    # Before a place: it only locates a place named just before it (places.py; optional, issue 13 kind 3).
    reference_before: Rule = Field(default_factory=_never)
    fighting_near: Rule = Field(default_factory=_never)
    # Before a place's name: the name is part of a ship's ("the tanker Marlin Luanda") or a street's
    # ("на вулиці Лесі Українки"), not a place (places.py; optional, issue 13 kind 6; red team, names11).
    vessel_before: Rule = Field(default_factory=_never)
    # Before a capital the pack calls a metonym (lower-cased): a place preposition, so the city itself
    # ("airstrikes hit buildings in Tehran", "strikes on Tehran"), not its government (places.py; optional).
    metonym_place_before: Rule = Field(default_factory=_never)
    # Before a name that is a person's and a place (stoplists `name_places`; lower-cased): a place
    # preposition or an attack verb ("struck Volodymyr", "in Vladimir"); after it (as written), a
    # surname: a person ("Volodymyr Zelensky"). Elsewhere the name is a person's (sentences.py;
    # optional: without them such a name is never a place; red team, places10).
    name_place_before: Rule = Field(default_factory=_never)
    name_person_after: Rule = Field(default_factory=_never)
    # After a place's name: the name only qualifies another place or a party ("the Darfur town of X",
    # "the Dniprovskyi district of Kherson", "Moscow-installed officials"; places.py; optional).
    qualifier_after: Rule = Field(default_factory=_never)
    # A list of villages or towns ("the villages of A, B and C"): each is a place (places.py; optional).
    village_list: Rule = Field(default_factory=_never)
    # A country that is no party, named as where strikes fell ("struck targets in Syria"): the place
    # when the text names nothing narrower (places.py; optional, group `c`).
    country_struck: Rule = Field(default_factory=_never)
    # Before a place in its sentence: named only where alerts sounded (places.py).
    alert_before: Rule = Field(default_factory=_never)
    # Before a place: a named camp or village placed by it without a comma (places.py; as
    # `reference_before`, group `w` the word that calls it a place).
    reference_near_before: Rule = Field(default_factory=_never)
    # After a place's name: a facility's word and the place it is in ("the Soroka hospital in
    # Beersheba"): the name is the facility's (places.py; optional).
    facility_after: Rule = Field(default_factory=_never)
    # A named area placed by a town ("the Al-Mawasi area west of Khan Younis"): group `a` is a place
    # (places.py; optional).
    named_area: Rule = Field(default_factory=_never)
    # After a town's name (lower-cased): the district named after it ("the Izmail district"), not a
    # city's neighbourhood (places.py; optional).
    raion_after: Rule = Field(default_factory=_never)
    # the page (page.py)
    dateline: Rule
    date_header: Rule
    event_note: Rule
    # kinds (kinds.py)
    explicit_artillery: Rule
    bombardment_word: Rule
    generic_rocket: Rule = Field(default_factory=_never)  # optional
    # A later sentence telling of another incident ("shelled the town for the second time"): its
    # weapons are not the primary attack's (kinds.py; optional).
    separate_incident: Rule = Field(default_factory=_never)
    # A side whose fire is rockets (`rocket_sides`, matched on the attacker's name, lower-cased): beside
    # a rocket word, a generic missile word (`generic_missile`) is loose wording for the same rocket
    # (kinds.py; optional, issue 13 round 5).
    rocket_sides: Rule = Field(default_factory=_never)
    generic_missile: Rule = Field(default_factory=_never)
    # harm (harm.py)
    critical: Rule
    outage: Rule
    whole_area_dark: Rule
    civil_damage: Rule
    damage_verb: Rule
    death_words: Rule
    negated_before: Rule
    # Before a death word, the words that make it point back at a toll already given ("most of those
    # killed were civilians"): no unnumbered death of its own (harm.py; optional).
    anaphoric_before: Rule = Field(default_factory=_never)
    # Weapons of one kind spoken of in the plural with no number ("guided bombs were launched at the
    # city"): a count of one read elsewhere is unclear, so no count (figures.py; optional).
    plural_launch: Rule = Field(default_factory=_never)
    # "...; all of them were shot down", "Усі збито", "все они были уничтожены": every projectile of
    # the launched count was shot down, so the intercepted figure is the launched one (figures.py;
    # optional, issues 13 and 14).
    all_down: Rule = Field(default_factory=_never)
    # "Russia fired missiles at Dnipro. Both were shot down.": a pronoun counting the downed (group `n`)
    # of weapons named just before without a figure (figures.py `_pronoun_down`; optional, red team
    # counts12 #1).
    pronoun_down: Rule = Field(default_factory=_never)
    # dates (dates.py)
    date: Rule
    speech_date_before: Rule = Field(default_factory=_never)  # optional
    # The date phrase names the evening or night that starts on its day ("on Sunday night", "late on
    # Sunday", "в ночь с воскресенья"): searched in the words around one `date` match (dates.py
    # EVENING_AROUND); the alerter counts such an attack as the night ending the next day (optional,
    # round 6).
    date_evening: Rule = Field(default_factory=_never)


class NumberWords(_Record):
    digits: str
    # text2num's language code for number words beyond the tables ("two hundred and fifty"), if any.
    library: str | None = None
    units: dict[str, int]
    not_alone: tuple[str, ...] = ()
    # Words that stand for "one" before a multiplier only ("a hundred and twelve"; optional).
    one_before_multiplier: tuple[str, ...] = ()
    tens: dict[str, int]
    tens_units: tuple[str, ...]
    multipliers: dict[str, int]
    qualifiers: tuple[str, ...]
    vague: dict[str, int]
    # A range written with words around its ends, low end first: (before, between) words, e.g.
    # Russian ("от", "до") for "от 5 до 7" (5, 7). Empty: only the language-neutral shapes ("5-7").
    range_words: tuple[tuple[str, str], ...] = ()

    @model_validator(mode="after")
    def _compile(self) -> Self:
        qualifiers = "|".join(re.escape(q) for q in sorted(self.qualifiers, key=len, reverse=True))
        self.__dict__["qualifier_rx"] = re.compile(rf"(?:(?:{qualifiers})\s+)+" if qualifiers else r"(?!)")
        shapes = "|".join(
            rf"{re.escape(a)}\s+(?P<lo{i}>.+?)\s+{re.escape(b)}" for i, (a, b) in enumerate(self.range_words)
        )
        self.__dict__["range_rx"] = re.compile(rf"^(?:{shapes})\s+(?P<hi>.+)$" if shapes else r"(?!)")
        return self

    @cached_property
    def range_rx(self) -> re.Pattern[str]:
        """A worded range ("от 5 до 7"): groups lo<i> (the low end) and hi (set by `_compile`)."""
        raise AssertionError("compiled at validation")

    @cached_property
    def qualifier_rx(self) -> re.Pattern[str]:
        """Leading qualifiers ("more than", "at least"), repeated (set by `_compile`)."""
        raise AssertionError("compiled at validation")

    def fragment(self) -> str:
        """The {NUMBER} fragment: a figure in digits (any thousands separator the pack's `digits` allows)
        or in words, with up to two multipliers and their remainders ("two hundred and fifty")."""
        units = sorted((k for k in self.units if k not in self.not_alone), key=len, reverse=True)
        word = (
            rf"(?:(?:{'|'.join(self.tens)})(?:[- ](?:{'|'.join(self.tens_units)}))?"
            rf"|{'|'.join(units)})"
        )
        multipliers = "|".join(self.multipliers)
        # "two hundred and fifty", "three thousand five hundred", "three dozen": up to two multipliers.
        remainder = rf"(?:\s+(?:and\s+)?{word}(?!\s+(?:{multipliers})))?"
        # "a hundred and twelve": the article counts one only with a multiplier after it.
        ones = "|".join(self.one_before_multiplier)
        article = rf"|(?:{ones})(?:\s+(?:{multipliers}){remainder}){{1,2}}" if ones else ""
        return rf"(?:{self.digits}|{word}(?:\s+(?:{multipliers}){remainder}){{0,2}}{article})"


class DateWords(_Record):
    months: dict[str, int]
    weekdays: tuple[str, ...] = Field(min_length=7, max_length=7)
    relative: dict[str, int]
    # Of `relative`, the words that name a night ("last night", "overnight", "уночі"): the attack is
    # the night that ends on the day they give, as "overnight into Monday" is (dates.py; red team 9).
    relative_nights: frozenset[str] = frozenset()
    # ... and those that name an evening and the night after it ("tonight", "yesterday evening"): the
    # night that starts on their day, as "on Sunday night" is (classification `event_date_evening`; red
    # team 14 F4).
    relative_evenings: frozenset[str] = frozenset()
    # Of `relative_nights`, those that name the night of their own day ("сьогодні вночі", "сегодня
    # ночью"): in a report published in the evening the night that starts on it, as `relative_evenings`
    # (dates.evening_report; red team uknight #2).
    relative_tonights: frozenset[str] = frozenset()
    holidays: dict[str, str]
    # The IANA time zone of the war the pack's reports mostly come from: an aware published time is
    # read as a calendar day there (dates.local_day).
    zone: str

    @model_validator(mode="after")
    def _valid_days(self) -> Self:
        try:
            ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"zone {self.zone!r} is not an IANA time zone") from None
        named = {"relative_nights": self.relative_nights, "relative_evenings": self.relative_evenings}
        for name, words in named.items():
            if unknown := sorted(words - set(self.relative)):
                raise ValueError(f"{name} {unknown} are not relative words of this pack")
        if unknown := sorted(self.relative_tonights - self.relative_nights):
            raise ValueError(f"relative_tonights {unknown} are not relative_nights of this pack")
        if both := sorted(self.relative_nights & self.relative_evenings):
            raise ValueError(f"{both} are both relative_nights and relative_evenings")
        for phrase, month_day in self.holidays.items():
            try:
                date.fromisoformat(f"2000-{month_day}")
            except ValueError:
                raise ValueError(f"holiday {phrase!r}: {month_day!r} is not MM-DD") from None
        return self

    def weekday_index(self, written: str) -> int:
        """0 (Monday) .. 6 of a matched weekday. An entry is a word or, for a language that inflects
        them (Ukrainian вівторок, у вівторка), a regex over its forms; ValueError if none matches."""
        low = written.lower()
        for i, entry in enumerate(self.weekdays):
            if low == entry or re.fullmatch(entry, low):
                return i
        raise ValueError(f"{written!r} is not a weekday of this pack")

    def fragments(self) -> dict[str, str]:
        def phrase(p: str) -> str:
            return re.escape(p).replace("'", "['’]")

        months = sorted(self.months, key=len, reverse=True)
        return {
            "MONTH": rf"(?:{'|'.join(months)})\.?",
            "WEEKDAY": rf"(?:{'|'.join(self.weekdays)})",
            # Longest first: "сьогодні вночі" before "сьогодні", "позапрошлой ночью" before "ночью".
            "RELATIVE": "|".join(phrase(p) for p in sorted([*self.relative, *self.holidays], key=len)[::-1]),
        }


# The last word before a place and the blank after it (`Stoplists.given_name_before`).
_LAST_WORD_BEFORE = re.compile(r"(?<![\w'’-])([\w'’-]+)\s+$")


class Stoplists(_Record):
    # Capitalised words that are never places in this language's text (common words, first names).
    not_places: tuple[str, ...] = ()
    # Names of `not_places` that are a person's and a place attacked (Volodymyr, Vladimir): a place
    # only after the pack's `name_place_before` and never before `name_person_after` (sentences.py;
    # red team, places10). Written as the places matcher reads them: the dictionary form, any case.
    name_places: tuple[str, ...] = ()
    # Given names as written before their case ending (Володимир, Серг, Микол; en: the whole name), and
    # the pack's case endings (a regex; "" in English): a capitalised word right after one, in any case
    # form, is the person's surname, never a place ("повідомив Володимир Мельник" is no village
    # Мельники; places.py; red team, names11).
    given_names: tuple[str, ...] = ()
    given_name_endings: str = ""
    # Capitals that stand for their governments ("Washington and Brussels"): never a place attacked.
    metonyms: tuple[str, ...] = ()
    # A capital named as the speaker is a side ("Kyiv said ..."): surface as written → actor.
    capital_speakers: dict[str, str] = {}
    # Words that never end a sentence (prepositions, articles, conjunctions; lower case): a line break
    # after one is inside the sentence (sentences.split).
    line_joiners: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sets(self) -> Self:
        stray = sorted(set(self.name_places) - set(self.not_places))
        if stray:
            # Every other reader (villages, lists, captions) keeps such a name out as `not_places` says.
            raise ValueError(f"name_places {stray} are not in not_places")
        self.__dict__["not_place_set"] = frozenset(self.not_places)  # read per place match
        self.__dict__["name_place_keys"] = frozenset(w.lower() for w in self.name_places)
        self.__dict__["metonym_set"] = frozenset(self.metonyms)
        self.__dict__["line_joiner_set"] = frozenset(self.line_joiners)
        stems = "|".join(re.escape(n) for n in sorted(self.given_names, key=len, reverse=True))
        self.__dict__["given_name"] = re.compile(
            rf"(?:{stems})(?:{self.given_name_endings})?" if stems else "(?!)"
        )
        return self

    @cached_property
    def given_name(self) -> re.Pattern[str]:
        """Fully matches one word that is a given name in any case form ("Володимира")."""
        raise AssertionError("set at validation")

    def given_name_before(self, before: str) -> bool:
        """Whether the text before a place (as written) ends in a given name and a space: its last
        word alone is tried (a `$`-anchored search tried the names at every character: uk 11% slower)."""
        last = _LAST_WORD_BEFORE.search(before[-40:])
        return last is not None and self.given_name.fullmatch(last.group(1)) is not None

    @cached_property
    def line_joiner_set(self) -> frozenset[str]:
        raise AssertionError("set at validation")

    @cached_property
    def metonym_set(self) -> frozenset[str]:
        raise AssertionError("set at validation")

    @cached_property
    def not_place_set(self) -> frozenset[str]:
        raise AssertionError("set at validation")

    @cached_property
    def name_place_keys(self) -> frozenset[str]:
        """`name_places` lower-cased: the places matcher's keys they are found under."""
        raise AssertionError("set at validation")

    @property
    def never_places(self) -> tuple[str, ...]:
        """`not_places` less `name_places`: the surfaces the gazetteer and the lemmatiser drop."""
        return tuple(w for w in self.not_places if w not in self.name_places)


class GlossEntry(_Record):
    pattern: str  # a regex over one lower-cased matched word ("підстанці\\w*")
    term: str = Field(min_length=1)  # its English ("substation"), in the English pack's vocabulary

    @model_validator(mode="after")
    def _compile(self) -> Self:
        try:
            self.__dict__["rx"] = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return self

    @cached_property
    def rx(self) -> re.Pattern[str]:
        raise AssertionError("compiled at validation")


class Glossary(_Record):
    """English terms of a language's damage words (`glossary.yaml`): entries in order, the first
    whose pattern fullmatches a word gives its term."""

    terms: tuple[GlossEntry, ...] = ()

    def english(self, word: str) -> str:
        """The English term of `word` (a lower-cased slot match: "житловий будинок" -> "homes");
        `word` itself when no entry fullmatches it (an English pack, a word the glossary lacks)."""
        for entry in self.terms:
            if entry.rx.fullmatch(word):
                return entry.term
        return word


class PackMeta(_Record):
    language: str = Field(pattern=r"^[a-z]{2}$")
    spacy_lang: str
    match_attr: Literal["LOWER", "NORM", "LEMMA"] = "LOWER"
    # Name of a lemmatiser for inflected languages, applied to candidate tokens only (None for English).
    lemmatiser: str | None = None
    # Whether a name written all lower (or all upper) case may be a place when its sentence has no
    # other capitals (English OSINT captions are written so). False for a language whose sentences
    # often hold no capital after the first word (Ukrainian, Russian): there only a capitalised name is.
    caseless_names: bool = True
    # The attack type of an attack whose text names no weapon (LABELS.md rule 8: "anything else ->
    # other"; the labelled attacks that name none are typed so). None: no type. An attack seen only as
    # explosions while air defence works is left untyped (`unseen_weapon`).
    untyped_attack_type: AttackType | None = None
    # Latin letters for a name the gazetteer lacks (a village written in Cyrillic): keys are one or two
    # lower-case letters (two-letter keys win: "ье" -> "ye"); `transliteration_initial` applies at the
    # start of a word. Empty for a Latin-script language (names stay as written).
    transliteration: dict[str, str] = {}
    transliteration_initial: dict[str, str] = {}

    def transliterate(self, name: str) -> str:
        """`name` in Latin letters by the pack's table (Запесочье -> Zapesochye); unchanged without one."""
        table, initial = self.transliteration, self.transliteration_initial
        if not table:
            return name
        out: list[str] = []
        low = name.lower()
        i, start = 0, True
        while i < len(low):
            pair = low[i : i + 2]
            if len(pair) == 2 and pair in table:
                piece, step = table[pair], 2
            else:
                ch = low[i]
                piece = (initial.get(ch) if start else None) or table.get(ch, ch)
                step = 1
            if piece and name[i].isupper():
                piece = piece[0].upper() + piece[1:]
            out.append(piece)
            start = not low[i + step - 1].isalpha()
            i += step
        return "".join(out)


@dataclass(frozen=True, slots=True)
class RulePack:
    meta: PackMeta
    lexicon: tuple[LexiconRecord, ...]
    place_spellings: tuple[PlaceSpelling, ...]
    slots: Slots
    numbers: NumberWords
    dates: DateWords
    stoplists: Stoplists
    glossary: Glossary
    severity: SeverityThresholds
    directory: Path
    number_word: re.Pattern[str]  # a figure written as a whole word or in digits ("six", "1,500")

    @property
    def language(self) -> str:
        return self.meta.language


# --- loading ---------------------------------------------------------------------------------------


def _yaml_with_lines(path: Path) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    """The YAML document and, for each path to a value, the line it starts on (1-based)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackError(path, mark.line + 1 if mark else None, f"not valid YAML: {exc}") from None
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(n: yaml.Node | None, where: tuple[str | int, ...]) -> Any:
        if n is None:
            return None
        lines[where] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                key = key_node.value
                lines[(*where, key)] = key_node.start_mark.line + 1
                out[key] = walk(value_node, (*where, key))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [walk(v, (*where, i)) for i, v in enumerate(n.value)]
        return yaml.SafeLoader("").construct_object(n)

    return walk(node, ()), lines


def _line_of(loc: tuple[str | int, ...], lines: Mapping[tuple[str | int, ...], int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _explain(exc: ValidationError) -> tuple[tuple[str | int, ...], str]:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    where = ".".join(str(x) for x in loc)
    return loc, f"{where}: {err['msg']}" if where else err["msg"]


def _load_yaml(path: Path, model: type[M], context: dict[str, Any] | None = None) -> M:
    if not path.exists():
        raise PackError(path, None, "missing file")
    data, lines = _yaml_with_lines(path)
    try:
        return model.model_validate(data or {}, context=context)
    except ValidationError as exc:
        loc, message = _explain(exc)
        # A rule's regex error is reported on the rule as a whole: point at its `regex` line.
        line = lines.get((*loc, "regex")) if "regex" in message else None
        if exc.errors()[0]["type"] == "missing":  # a missing slot has no line: name the file
            raise PackError(path, None, message) from None
        raise PackError(path, line or _line_of(loc, lines), message) from None


def _load_jsonl(path: Path, model: type[M]) -> list[M]:
    out: list[M] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise PackError(path, number, f"not JSON: {exc.msg}") from None
        except ValidationError as exc:
            raise PackError(path, number, _explain(exc)[1]) from None
    return out


def load_pack(directory: Path | str) -> RulePack:
    """Read and validate the pack in `directory` (raises PackError with file and line)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise PackError(folder, None, "no rule pack here")
    meta = _load_yaml(folder / "pack.yaml", PackMeta)
    numbers = _load_yaml(folder / "numbers.yaml", NumberWords)
    dates = _load_yaml(folder / "dates.yaml", DateWords)
    slots_path = folder / "slots.yaml"
    raw, lines = _yaml_with_lines(slots_path) if slots_path.exists() else ({}, {})
    fragments = _fragments(slots_path, raw.get("fragments") or {}, lines, numbers, dates)
    slots = _load_yaml(slots_path, Slots, context={"fragments": fragments})
    lexicon: list[LexiconRecord] = []
    for path in sorted(folder.glob("*.jsonl")):
        if path.name != "places.jsonl":
            lexicon.extend(_load_jsonl(path, LexiconRecord))
    spellings_path = folder / "places.jsonl"
    spellings = _load_jsonl(spellings_path, PlaceSpelling) if spellings_path.exists() else []
    glossary_path = folder / "glossary.yaml"
    return RulePack(
        meta=meta,
        lexicon=tuple(lexicon),
        place_spellings=tuple(spellings),
        slots=slots,
        numbers=numbers,
        dates=dates,
        stoplists=_load_yaml(folder / "stoplists.yaml", Stoplists),
        glossary=_load_yaml(glossary_path, Glossary) if glossary_path.exists() else Glossary(),
        severity=_load_yaml(folder.parent / "severity.yaml", SeverityThresholds),
        directory=folder,
        number_word=re.compile(rf"\b(?:{numbers.fragment()})\b"),
    )


def _fragments(
    path: Path,
    declared: Mapping[str, str],
    lines: Mapping[tuple[str | int, ...], int],
    numbers: NumberWords,
    dates: DateWords,
) -> dict[str, str]:
    """Generated fragments plus the pack's own, each expanded (fragments may use earlier ones)."""
    out = {"NUMBER": numbers.fragment(), **dates.fragments()}
    for name, body in declared.items():
        try:
            out[name] = expand(str(body), out)
            re.compile(out[name])
        except (ValueError, re.error) as exc:
            raise PackError(path, lines.get(("fragments", name)), f"fragment {name}: {exc}") from None
    return out


def load_language(language: str = "en") -> RulePack:
    """The pack shipped for `language` (services/classifier/rules/<language>/)."""
    return load_pack(RULES_DIR / language)
