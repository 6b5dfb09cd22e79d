"""Turning input records into `Article`s: validation and stable ids."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import ValidationError

from schemas import Article
from services.common.streams import entry_payload

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


def article_id(text: str) -> str:
    """A stable id for an article's text, so replaying the same article twice is idempotent."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def article_from_record(record: Any) -> Article:
    """Validate a JSONL record (docs/contract.md section 3) into an Article.

    Raises ValueError with a message a user can act on.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("record has no non-empty 'text' string")
    # Only the contract's fields travel on; labelled data carries many others.
    fields = {k: record[k] for k in ("title", "published", "source", "url", "ingested_at") if k in record}
    raw_id = record.get("id")
    fields["id"] = str(raw_id) if raw_id not in (None, "") else article_id(text)
    fields["text"] = text
    if fields.get("published") in ("", None):
        fields.pop("published", None)
    try:
        return Article.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"invalid article: {problems}") from None


# A stream entry as read: its id and its fields.
Entry = tuple[str, dict[bytes, bytes]]


def decode_batch(
    entries: list[Entry], *, max_bytes: int
) -> tuple[list[Article], list[tuple[str, dict[bytes, bytes], str]]]:
    """Articles from stream entries, and the entries that are not articles with the reason why."""
    articles: list[Article] = []
    rejects: list[tuple[str, dict[bytes, bytes], str]] = []
    for entry_id, fields in entries:
        size = sum(len(k) + len(v) for k, v in fields.items())
        if size > max_bytes:
            rejects.append(
                (entry_id, fields, f"{size} bytes is over the article size limit of {max_bytes} bytes")
            )
            continue
        payload = entry_payload(fields)
        try:
            record = json.loads(payload) if isinstance(payload, bytes) else payload
            articles.append(article_from_record(record))
        except UnicodeDecodeError:
            rejects.append((entry_id, fields, "payload is not valid UTF-8"))
        except json.JSONDecodeError as exc:
            rejects.append((entry_id, fields, f"payload is not JSON ({exc.msg} at position {exc.pos})"))
        except ValueError as exc:
            rejects.append((entry_id, fields, str(exc)))
    return articles, rejects
