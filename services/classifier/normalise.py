"""Input normalisation that keeps an offset map, so every evidence span still indexes the original text.

What a web page or a Telegram post carries and a reader does not see is mapped to plain forms before
any matching: HTML entities are decoded; NBSP, thin and other Unicode spaces become a space; soft
hyphens and zero-width characters vanish; runs of blanks become one blank (a run holding a line break
becomes one line break, or a paragraph break); curly quotes, dashes and fullwidth forms become ASCII; control
characters become blanks; a word mixing Latin and Cyrillic lookalike letters is written in the script
of the rest of the word ("Харкiв" with a Latin i, "Kyіv" with a Cyrillic і), one for one.
Hostile shapes are bounded here too (issue 10): a run of more than
`MAX_SYMBOL_RUN` symbols ("((((...", "!!!!...") keeps its first `MAX_SYMBOL_RUN`, and a run of
non-blank characters longer than `MAX_TOKEN_CHARS` (a 1 MB "word", 60,000 digits) keeps its first
`MAX_TOKEN_CHARS`, so no later stage meets a run whose cost grows faster than its length.

Every rule here is linear: each regex consumes what it matches without backtracking.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

# Longest run of symbols (not letters, digits or blanks) kept: "?!..." and "—»" survive, 20,000 "("
# do not. The tokenizer strips prefixes one at a time, so a long run costs it quadratic time.
MAX_SYMBOL_RUN = 8
# Longest run of non-blank characters kept. The longest words and names in news text are ~35
# characters; URLs are cut, which loses nothing the classifier reads.
MAX_TOKEN_CHARS = 64

# One-for-one replacements (offsets unchanged).
_SAME_LENGTH = {
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    # Fullwidth ASCII ("Ｋｈａｒｋｉｖ", "１２"): the ASCII character it is (NFKC's folding, one for one).
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if c != 0xFF0D},
}
# Blank characters on a line: ASCII space and tab, NBSP, the Unicode spaces, and control characters
# (which a reader never sees). Line breaks of every kind are kept apart: they end sentences.
_H_BLANK = "\t \x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_V_BLANK = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
# Characters that vanish: soft hyphen, zero-width space/joiners, word joiner, BOM, direction marks.
_INVISIBLE = "\u00ad\u200b-\u200f\u2060-\u2064\u2066-\u2069\u202a-\u202e\ufeff"


def _expand_class(spec: str) -> str:
    """The characters of a regex class body written as literals and `a-b` ranges."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_CRLF = re.compile(r"\r\n?")
_INVISIBLE_RUN = re.compile(rf"[{_INVISIBLE}]+")
# The same characters one by one: `in` tests for each are 4x faster than a regex scan of a text
# outside Latin-1 (one with curly quotes), which `re` reads one character at a time.
_INVISIBLE_CHARS = tuple(_expand_class(_INVISIBLE))
# A mixed-script word holds a Cyrillic letter: a text without one has none (one C scan).
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# One-for-one: quotes and dashes to ASCII, blanks to a space, line separators to a line break.
_ONE_FOR_ONE_TABLE = {
    **_SAME_LENGTH,
    **{c: " " for c in _expand_class(_H_BLANK) if c != " "},
    **{c: "\n" for c in _expand_class(_V_BLANK) if c != "\n"},
}
_ONE_FOR_ONE = re.compile(f"[{re.escape(''.join(_ONE_FOR_ONE_TABLE))}]")
# Latin letters typed inside a Cyrillic word (a Ukrainian keyboard habit: "Харкiв" with the Latin i)
# read as the Cyrillic letters they look like; one for one, offsets unchanged. Only words that mix the
# two scripts are touched; the pattern looks ahead from word starts only (linear in the text).
_MIXED_WORD = re.compile(r"\b(?=\w*?(?:[\u0400-\u04ff][A-Za-z]|[A-Za-z][\u0400-\u04ff]))\w+")
# The reverse holds for a word that is otherwise Latin: "Kyіv" with the Cyrillic і, "Оdesa" with the
# Cyrillic О (copy-paste from a Cyrillic page, or spoofing) reads as the Latin word. Which way a mixed
# word goes: to Latin when every Cyrillic letter in it has a Latin lookalike and either one of its Latin
# letters has no Cyrillic lookalike or Latin letters are the majority; otherwise to Cyrillic (as before).
_LATIN_SIDE = "aceiopxyABCEHIKMOPTX"
_CYRILLIC_SIDE = (
    "\u0430\u0441\u0435\u0456\u043e\u0440\u0445\u0443\u0410\u0412\u0421\u0415\u041d"
    "\u0406\u041a\u041c\u041e\u0420\u0422\u0425"
)
_LATIN_LOOKALIKES = str.maketrans(_LATIN_SIDE, _CYRILLIC_SIDE)
_CYRILLIC_LOOKALIKES = str.maketrans(_CYRILLIC_SIDE, _LATIN_SIDE)
_LATIN_WITH_TWIN = frozenset(_LATIN_SIDE)
_CYRILLIC_WITH_TWIN = frozenset(_CYRILLIC_SIDE)
# A run of two or more blanks (after the one-for-one pass only " " and "\n" are left): most text has
# few, so the callback runs rarely; the leading class lets `re` skip to the next blank in C.
_BLANK_RUN = re.compile(r"[ \n](?=[ \n])[ \n]*")
# Is there anything to do at all? (Cheaper than the passes: most English text is plain.)
_SUSPECT = re.compile(r"[^\x21-\x7e \n]|&| [ \n]|\n |\n\n\n")
_SYMBOL_RUN = re.compile(rf"[^\w\s]{{{MAX_SYMBOL_RUN + 1},}}")
# The same test for ASCII text: a literal first set lets `re` skip to the next symbol in C (4x faster).
_ASCII_SYMBOLS = r"!-/:-@\[-`{-~"
_ASCII_SYMBOL_RUN = re.compile(rf"[{_ASCII_SYMBOLS}]{{{MAX_SYMBOL_RUN + 1}}}")
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
# Whether there is one: tried at the start of each run of non-blanks only (linear in the text).
_LONG_TOKEN_AT_WORD_START = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1}}}")


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in a rewritten string to offsets in the string it was made from.

    `starts[i]` is where the i-th rewritten piece starts in the new string; `pieces[i]` is
    (old start, old end, new length). Text between pieces was copied one for one."""

    starts: tuple[int, ...]
    pieces: tuple[tuple[int, int, int], ...]

    def start(self, pos: int) -> int:
        """The old offset of the character at new offset `pos` (a span's start)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return pos
        new_start = self.starts[i]
        old_start, old_end, new_len = self.pieces[i]
        if pos < new_start + new_len:
            return old_start
        return old_end + (pos - new_start - new_len)

    def end(self, pos: int) -> int:
        """The old offset just after the character before new offset `pos` (a span's end)."""
        i = bisect.bisect_left(self.starts, pos) - 1
        if i < 0:
            return pos
        new_start = self.starts[i]
        old_start, old_end, new_len = self.pieces[i]
        if pos <= new_start + new_len:
            return old_end if pos > new_start else old_start
        return old_end + (pos - new_start - new_len)


@dataclass(frozen=True, slots=True)
class Normalised:
    """The text the stages read, and the way back to the article's own characters."""

    text: str
    original: str
    maps: tuple[OffsetMap, ...] = ()  # applied last to first to reach `original`

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of `text[start:end]`."""
        for offsets in reversed(self.maps):
            start, end = offsets.start(start), offsets.end(end)
        return start, end

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]

    def cut(self, limit: int) -> Normalised:
        """The first `limit` characters, ended at the last line or sentence break before it."""
        if len(self.text) <= limit:
            return self
        head = self.text[:limit]
        line, sentence = head.rfind("\n"), head.rfind(". ")
        end = line if line >= sentence else sentence + 1
        if end <= limit // 2:  # no break in the second half: cut at the limit
            end = limit
        return Normalised(self.text[:end], self.original, self.maps)


def _rewrite(
    text: str, rx: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, OffsetMap]:
    """Apply `replace(match) -> str` to every match of `rx`, recording what changed length."""
    out: list[str] = []
    starts: list[int] = []
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    new_pos = 0
    for m in rx.finditer(text):
        s, e = m.span()
        out.append(text[pos:s])
        new_pos += s - pos
        new = replace(m)
        out.append(new)
        if len(new) != e - s:
            starts.append(new_pos)
            pieces.append((s, e, len(new)))
        new_pos += len(new)
        pos = e
    out.append(text[pos:])
    return "".join(out), OffsetMap(tuple(starts), tuple(pieces))


def _entity(m: re.Match[str]) -> str:
    decoded = html.unescape(m.group())
    # A decoded control character or an unknown name stays as written.
    return decoded if (decoded and decoded.isprintable()) or decoded in ("\n", "\t", "\xa0") else m.group()


def _blank_run(m: re.Match[str]) -> str:
    breaks = m.group().count("\n")
    return " " if breaks == 0 else "\n" if breaks == 1 else "\n\n"


def _one_for_one(m: re.Match[str]) -> str:
    return _ONE_FOR_ONE_TABLE[m.group()]


def _nothing(_m: re.Match[str]) -> str:
    return ""


def _crlf(_m: re.Match[str]) -> str:
    return "\n"


def normalise(original: str) -> Normalised:
    """`original` with the invisible differences removed (see the module docstring); linear in its length."""
    maps: list[OffsetMap] = []
    text = original
    if _SUSPECT.search(text) is not None:
        if "&" in text:
            text, offsets = _rewrite(text, _ENTITY, _entity)
            maps.append(offsets)
        if "\r" in text:
            text, offsets = _rewrite(text, _CRLF, _crlf)
            maps.append(offsets)
        if not text.isascii() and any(c in text for c in _INVISIBLE_CHARS):
            text, offsets = _rewrite(text, _INVISIBLE_RUN, _nothing)
            maps.append(offsets)
        text = _ONE_FOR_ONE.sub(_one_for_one, text)
        if "  " in text or " \n" in text or "\n " in text or "\n\n\n" in text:
            text, offsets = _rewrite(text, _BLANK_RUN, _blank_run)
            maps.append(offsets)
    if text.isascii():
        # Most English text. A run of symbols holds no blank, so the whole text holds one where its
        # long words do; the ASCII pattern's first set lets `re` skip letters in C, and the long-token
        # test is tried at word starts only: together half the cost of splitting the text into words.
        if _ASCII_SYMBOL_RUN.search(text) is not None:
            text, offsets = _rewrite(text, _SYMBOL_RUN, _first_symbols)
            maps.append(offsets)
        long_token = _LONG_TOKEN_AT_WORD_START.search(text) is not None
    else:
        words = text.split()
        longest = max(map(len, words), default=0)
        if longest > MAX_SYMBOL_RUN:
            # A run of symbols holds no blank (`str.split` and `\s` agree on blanks): only words longer
            # than the run may hold one, and searching those alone is 3x faster than the whole text.
            long_words = " ".join([w for w in words if len(w) > MAX_SYMBOL_RUN])
            runs = _ASCII_SYMBOL_RUN if long_words.isascii() else _SYMBOL_RUN
            if runs.search(long_words) is not None:
                text, offsets = _rewrite(text, _SYMBOL_RUN, _first_symbols)
                maps.append(offsets)
        # (Cutting symbol runs only shortens words: a word too long after it was too long before.)
        long_token = longest > MAX_TOKEN_CHARS
    if long_token:
        text, offsets = _rewrite(text, _LONG_TOKEN, _first_chars)
        maps.append(offsets)
    if not text.isascii() and _CYRILLIC.search(text) is not None:
        text = _MIXED_WORD.sub(_one_script, text)
    return Normalised(text, original, tuple(m for m in maps if m.starts))


def _one_script(m: re.Match[str]) -> str:
    """A word mixing Latin and Cyrillic letters, written in one script (one for one, same length)."""
    word = m.group()
    latin = [c for c in word if "A" <= c <= "z" and c.isalpha()]
    cyrillic = [c for c in word if "\u0400" <= c <= "\u04ff"]
    if all(c in _CYRILLIC_WITH_TWIN for c in cyrillic) and (
        len(latin) > len(cyrillic) or not all(c in _LATIN_WITH_TWIN for c in latin)
    ):
        return word.translate(_CYRILLIC_LOOKALIKES)
    return word.translate(_LATIN_LOOKALIKES)


def _first_symbols(m: re.Match[str]) -> str:
    return m.group()[:MAX_SYMBOL_RUN]


def _first_chars(m: re.Match[str]) -> str:
    return m.group()[:MAX_TOKEN_CHARS]
