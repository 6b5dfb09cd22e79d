"""The live sources file (`STRIKEWATCH_SOURCES_FILE`): a YAML list of feeds to poll, validated once
at start-up; a bad entry stops the start with one message naming the entry and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = ["DEFAULT_POLL_S", "DEFAULT_STALE_AFTER_S", "Source", "SourcesFileError", "load_sources"]

DEFAULT_POLL_S = 120.0
# Six hours without a new item: a news outlet covering a war has gone quiet, or its feed broke.
DEFAULT_STALE_AFTER_S = 6 * 3600.0

# Used in Redis keys and as a metric label: short, no spaces or colons.
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message names the file, the entry and the field."""


class Source(BaseModel):
    """One feed to poll (docs/contract.md section 9)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: SourceId
    url: str = Field(description="The feed's http(s) URL: RSS 0.9x/1.0 (RDF)/2.0 or Atom.")
    outlet: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)] = Field(
        description="Becomes Article.source."
    )
    language: str | None = Field(
        default=None, description="ISO 639-1 code of the feed's language: a hint; detection still runs."
    )
    poll_s: float = Field(default=DEFAULT_POLL_S, ge=1, description="Seconds between polls.")
    full_text: bool = Field(
        default=False, description="Fetch each item's page and take its main text as the article."
    )
    stale_after_s: float = Field(
        default=DEFAULT_STALE_AFTER_S,
        ge=60,
        description="No item newer than this many seconds means the source is stale (alert rule).",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not carry credentials")
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number in range
        except ValueError:
            raise ValueError("has an invalid port") from None
        return value.strip()

    @field_validator("language")
    @classmethod
    def _iso_639_1(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().lower()
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ValueError("must be an ISO 639-1 code such as en, uk or ru")
        return code

    @model_validator(mode="after")
    def _stale_after_a_poll(self) -> Source:
        if self.stale_after_s <= self.poll_s:
            raise ValueError("stale_after_s must be longer than poll_s")
        return self


def _entry_name(index: int, raw: Any) -> str:
    given = raw.get("id") if isinstance(raw, dict) else None
    return f"entry {index}" + (f" (id {given!r})" if isinstance(given, str) and given else "")


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
        for err in exc.errors(include_input=False, include_url=False)
    )


def parse_sources(data: Any, where: str) -> tuple[Source, ...]:
    """Sources from the YAML document `data`; SourcesFileError naming every bad entry (1-based)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise SourcesFileError(f"{where}: expected a YAML list of sources, got {type(data).__name__}")
    sources: list[Source] = []
    errors: list[str] = []
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            errors.append(f"{_entry_name(index, raw)}: expected a mapping, got {type(raw).__name__}")
            continue
        try:
            sources.append(Source.model_validate(raw))
        except ValidationError as exc:
            errors.append(f"{_entry_name(index, raw)}: {_problems(exc)}")
    if errors:
        raise SourcesFileError(f"invalid sources file {where}: " + "; ".join(errors))
    for field in ("id", "url"):
        values = [getattr(s, field) for s in sources]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise SourcesFileError(f"invalid sources file {where}: repeated {field} {repeated}")
    return tuple(sources)


def load_sources(path: Path) -> tuple[Source, ...]:
    """Read and validate the sources file once (at start-up). SourcesFileError when unreadable or
    invalid; an empty file means no sources."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise SourcesFileError(f"cannot read sources file {path}: {reason}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise SourcesFileError(f"invalid sources file {path}: not YAML{where} ({problem})") from None
    return parse_sources(data, str(path))
