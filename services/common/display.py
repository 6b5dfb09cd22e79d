"""Third-party text made safe to show: the one home of what a report's title, outlet, address or an
extracted span may not carry into a page, a feed, a chat message or a terminal. Pure."""

from __future__ import annotations

import re

from schemas import Alert, Location, SourceRef

# Characters dropped from every string shown to a user (the regular-expression source is also sent
# to the desk page, which applies the same expression in the browser: `new RegExp(source, "gu")`):
# - C0 controls but tab, LF and CR, DEL (U+007F) and the C1 controls (U+0080-U+009F): a terminal
#   acts on ESC and CSI (U+009B) sequences; XML 1.0 forbids the C0 ones (section 2.2, Char);
# - Unicode's Bidi_Control characters (PropList.txt; UAX #9 section 2): ALM U+061C, LRM/RLM
#   U+200E/U+200F, the embeddings and overrides U+202A-U+202E and the isolates U+2066-U+2069. An
#   override U+202E makes the rest of a headline read backwards, so a title could show another
#   place or figure than the one it holds;
# - lone surrogates and the noncharacters U+FFFE/U+FFFF, which no encoder writes.
UNSAFE_TEXT_PATTERN = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufffe\uffff]"
)
_UNSAFE = re.compile(UNSAFE_TEXT_PATTERN)
_SPACES = re.compile(r"\s+")
# The most characters of a report's title or outlet shown in one line (console panel, CAP, chat,
# feeds, the desk: page_config sends it there): a 5,000-character title pushed the figures of a
# panel off the screen (red team 7 R14). Headlines run to about 100 characters.
MAX_NAME_CHARS = 160


def display_text(text: str) -> str:
    """`text` without the characters of `UNSAFE_TEXT_PATTERN`; everything else (tab, LF and CR,
    every visible character, joiners needed by scripts) unchanged. Idempotent."""
    return _UNSAFE.sub("", text)


def json_escaped(json_text: str) -> str:
    """`json_text` (a JSON document) with each character of `UNSAFE_TEXT_PATTERN` written as a
    `\\uXXXX` escape: the same JSON value, lossless, but nothing a terminal acts on or that turns a
    line round. Such characters can only stand inside JSON strings, where any character may be
    escaped (RFC 8259 section 7)."""
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", json_text)


def _optional(text: str | None) -> str | None:
    return None if text is None else display_text(text)


def display_name(text: str | None, limit: int = MAX_NAME_CHARS) -> str | None:
    """A report's title or outlet for one line: `display_text`, runs of whitespace (line breaks too)
    as one space, stripped, and cut to at most `limit` characters, the last "…" when cut (at a word
    break in its last fifth when there is one). None for None or a text with nothing to show
    (blank: red team 7 R13), so the reader falls back to the outlet, address or id as for none."""
    if text is None:
        return None
    shown = _SPACES.sub(" ", display_text(text)).strip()
    if not shown:
        return None
    if len(shown) <= limit:
        return shown
    head = shown[: limit - 1]
    cut = head.rfind(" ")
    if cut >= limit * 4 // 5:
        head = head[:cut]
    return head.rstrip() + "…"


def _location(location: Location) -> Location:
    return location.model_copy(
        update={
            "name": display_text(location.name),
            "region": _optional(location.region),
            "country": _optional(location.country),
        }
    )


def _source(source: SourceRef) -> SourceRef:
    return source.model_copy(
        update={
            "article_id": display_text(source.article_id),
            "title": display_name(source.title),
            "source": display_name(source.source),
            "url": _optional(source.url),
        }
    )


def display_alert(alert: Alert) -> Alert:
    """A copy of `alert` to render for people (CAP, Atom, GeoJSON, chat messages, the console): its
    headline, summary, attacker, severity reasons, places and reports' addresses through
    `display_text`, reports' titles and outlets through `display_name` (one line, shortened, blank
    as none). Never stored or sent as the Alert itself. The evidence is left as it is:
    its `text` is `start`..`end` of the original article, and a page that shows it cleans what it
    shows after cutting it by those offsets (the desk page)."""
    return alert.model_copy(
        update={
            "headline": display_text(alert.headline),
            "summary": display_text(alert.summary),
            "attacker": _optional(alert.attacker),
            "severity_reasons": [display_text(reason) for reason in alert.severity_reasons],
            "locations": [_location(location) for location in alert.locations],
            "sources": [_source(source) for source in alert.sources],
        }
    )
