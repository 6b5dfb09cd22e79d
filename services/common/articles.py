"""Turning input records into `Article`s: the one JSON decoder every way in uses (HTTP, replay, a
raw XADD, `strikewatch classify`), validation and stable ids.

Every failure is a `ValueError` whose message says what is wrong with that record, so a bad record
is rejected alone, with its reason, on first sight; nothing here raises anything else.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from schemas import Article
from services.common.outcome import Rejected
from services.common.streams import DATA_FIELD_BYTES, entry_size

_WS = re.compile(r"\s+")
# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15.1): soft
# hyphen, combining grapheme joiner, zero-width space/non-joiner/joiner, bidi marks and embeddings,
# word joiner and invisible operators, variation selectors, the BOM, Hangul fillers, tags. They are
# not drawn, so a copy of a text that gained one (a CMS's soft hyphens, a BOM from a file) is the
# same text to a reader and must be the same article.
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# pydantic-core's JSON parser stops at this depth (a record nested deeper is refused, never
# recursed into: the stdlib parser raised RecursionError on `[` x 50,000).
MAX_JSON_DEPTH = 200
_KEPT_FIELDS = ("title", "published", "published_basis", "source", "url", "ingested_at", "language")


# The longest text the classifier reads (~30,000 words, far beyond any news page). In characters,
# not bytes: a Cyrillic text takes two bytes a character, so the byte limit alone
# (STRIKEWATCH_MAX_ARTICLE_BYTES) let through texts the classifier then refused.
MAX_ARTICLE_CHARS = 200_000


def normalise_text(text: str) -> str:
    """What an article's identity is computed over: `text` in Unicode normal form NFC, without
    default-ignorable code points (U+00AD, U+200B-U+200F, U+FEFF ...: see `_DEFAULT_IGNORABLE`),
    runs of whitespace as one space, stripped and case-folded. Two texts a reader cannot tell
    apart normalise alike."""
    text = unicodedata.normalize("NFC", _DEFAULT_IGNORABLE.sub("", text))
    return _WS.sub(" ", text).strip().casefold()


def article_id(text: str) -> str:
    """A stable id for an article's text (16 hex digits of the SHA-256 of `normalise_text(text)`),
    so replaying the same article twice is idempotent, whatever invisible characters or normal
    form a copy of it carries."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def fingerprint(article: Article) -> str:
    """What tells two articles under one id apart: `article_id` of the text (16 hex digits, the
    normalised text's SHA-256). Only the text counts: a resend of the same text with another
    `ingested_at`, title or spacing is the same article (the classifier reads the text), so it
    never looks like an id reused for a different article."""
    return article_id(article.text)


# The reason an article whose id was already classified for another text is refused, in the
# classifier's dead letter (services/classifier/app.py) and the producer's 409 / dead letter alike.
# Fields: id (the article id), earlier (the fingerprint its marker holds), fingerprint (this text's).
REUSED_ID_REASON = (
    "article id {id!r} was already classified for a different text (fingerprint {earlier}; this "
    "text's is {fingerprint}); give each article its own id and send this one again"
)
# The reason the second of two articles under one id in one request or batch is refused when their
# texts differ (the first is taken: it would be classified first, and the classifier would then
# dead-letter the second with REUSED_ID_REASON). Fields as REUSED_ID_REASON's; earlier: the first's.
REPEATED_ID_REASON = (
    "article id {id!r} came earlier in this batch with a different text (fingerprint {earlier}; this "
    "text's is {fingerprint}); give each article its own id and send this one again"
)
_HEX = re.compile("[0-9A-Fa-f]+")


def marker_holds_another_text(stored: str | None, fingerprint: str) -> bool:
    """Whether a classified-marker value `stored` (None: no marker) says its id was classified for
    another text than the one whose fingerprint is `fingerprint`. The same rule as the publish-once
    script (services/common/streams.py PUBLISH_ONCE_LUA): a marker from before fingerprints ('1',
    or anything not hex) counts as the same text."""
    if stored is None or stored in (fingerprint, "1"):
        return False
    return _HEX.fullmatch(stored) is not None


def parse_json(raw: bytes | str) -> Any:
    """One JSON value (strict: no NaN, no trailing data).

    Raises ValueError naming the problem: not UTF-8 (with the byte offset), not JSON (with the
    parser's message and position), nested deeper than MAX_JSON_DEPTH, or a `\\uD800`-style escape
    that is half a surrogate pair (it would decode to a string no encoder can write back).
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-8 (byte {exc.start})") from None
    try:
        return from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        message = str(exc)
        if "recursion limit" in message:
            raise ValueError(
                f"not accepted: nested deeper than {MAX_JSON_DEPTH} levels ({message})"
            ) from None
        if "surrogate" in message or "hex escape" in message:
            raise ValueError(
                f"not valid Unicode: a \\u escape is half a surrogate pair or cut short ({message})"
            ) from None
        raise ValueError(f"not JSON ({message})") from None


def _unicode_checked(field: str, value: str) -> str:
    """`value`, unless it holds a lone surrogate (possible when a caller decoded JSON with the
    standard library): it would validate here and fail later, when written out."""
    found = _SURROGATE.search(value)
    if found is not None:
        raise ValueError(
            f"{field!r} is not valid Unicode: a lone surrogate U+{ord(found.group()):04X} "
            f"at character {found.start()}"
        )
    return value


def article_from_record(record: Any, *, now: datetime | None = None) -> Article:
    """Validate a JSONL record (docs/contract.md section 3) into an Article.

    Raises ValueError with a message a user can act on, also for a text longer than
    `MAX_ARTICLE_CHARS` (the classifier would refuse it: refused here, the sender hears at once) and
    for a `published` date more than `MAX_PUBLISHED_AHEAD` after `now` (default: the current time).
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("record has no non-empty 'text' string")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ValueError(f"'text' is {len(text)} characters; the limit is {MAX_ARTICLE_CHARS}")
    # Only the contract's fields travel on; labelled data carries many others.
    fields = {k: record[k] for k in _KEPT_FIELDS if k in record}
    raw_id = record.get("id")
    if raw_id is not None and not isinstance(raw_id, str):
        # Never coerced: 42 and "42" would become one id, and a list's repr an id nobody sent.
        raise ValueError(f"'id' must be a string, not {type(raw_id).__name__} ({json_text(raw_id)})")
    fields["id"] = raw_id or article_id(text)
    fields["text"] = text
    if fields.get("published") in ("", None):
        fields.pop("published", None)
    for name, value in fields.items():
        if isinstance(value, str):
            _unicode_checked(name, value)
    try:
        article = Article.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"invalid article: {problems}") from None
    ahead = published_ahead(article.published, now or datetime.now(UTC))
    if ahead is not None:
        raise ValueError(ahead)
    return article


# How far after the time an article comes in its `published` may lie (red team 8): a day covers any
# time zone and a sender's clock a little fast; a later date (2199-05-05) is no publication date, and
# would become the event date of a text that names no day.
MAX_PUBLISHED_AHEAD = timedelta(days=1)


def published_ahead(published: date | datetime | None, now: datetime) -> str | None:
    """Why `published` cannot be taken at `now` (an aware time): the reason when it lies more than
    `MAX_PUBLISHED_AHEAD` after `now` (a time without an offset is read as UTC, a bare date compares
    by day), else None."""
    if published is None:
        return None
    latest = now + MAX_PUBLISHED_AHEAD
    if isinstance(published, datetime):
        aware = published if published.tzinfo is not None else published.replace(tzinfo=UTC)
        late = aware > latest
    else:
        late = published > latest.astimezone(UTC).date()
    if not late:
        return None
    return (
        f"published {published.isoformat()} is more than a day after the article came in "
        f"({now.astimezone(UTC).isoformat(timespec='seconds')}); give the date it was published"
    )


def json_text(value: Any, limit: int = 40) -> str:
    """`value` as JSON, cut to `limit` characters with "…" (for a reason that quotes a bad value)."""
    try:
        shown = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def article_from_json(raw: bytes | str) -> Article:
    """An Article from one JSON record; ValueError with the reason (see `parse_json`)."""
    return article_from_record(parse_json(raw))


def article_from_entry(fields: Mapping[bytes, bytes], *, max_bytes: int) -> Article | Rejected:
    """An Article from a stream entry: the JSON in its `__data__` field, or, for an entry written
    field by field (`XADD s * text "..." title "..."` from redis-cli), its fields as the record."""
    size = entry_size(fields)
    if size > max_bytes:
        return Rejected(f"{size} bytes is over the article size limit of {max_bytes} bytes")
    data = fields.get(DATA_FIELD_BYTES)
    try:
        if data is not None:
            return article_from_json(data)
        record: dict[str, str] = {}
        for key, value in fields.items():
            try:
                record[key.decode("utf-8")] = value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"field {key!r} is not valid UTF-8 (byte {exc.start})") from None
        return article_from_record(record)
    except ValueError as exc:
        return Rejected(f"payload is {exc}" if str(exc).startswith("not ") else str(exc))
