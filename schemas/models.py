"""The public data contract of strikewatch (docs/contract.md sections 3, 4 and 6).

Every message that crosses Redis or a webhook is one of these models, serialised once with
`model_dump_json`. Field names and vocabularies here are the contract: renaming one breaks users.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal, get_args
from urllib.parse import urlsplit

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from schemas.regions import region_slugs, slug

AttackType = Literal[
    "drone", "missile", "rocket", "artillery", "airstrike", "glide_bomb", "ground_assault", "other"
]
ATTACK_TYPES: tuple[AttackType, ...] = get_args(AttackType)
Target = Literal[
    "energy",
    "residential",
    "military",
    "transport",
    "civilian_infrastructure",
    "government",
    "industrial",
    "medical",
    "education",
    "other",
]
TARGETS: tuple[Target, ...] = get_args(Target)
Severity = Literal["Extreme", "Severe", "Moderate", "Minor"]
# Ordered from least to most severe, so comparisons are index comparisons.
SEVERITIES: tuple[Severity, ...] = ("Minor", "Moderate", "Severe", "Extreme")
SeverityLevel = Literal["extreme", "severe", "moderate", "minor"]
MsgType = Literal["Alert", "Update", "Cancel"]
Urgency = Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
Certainty = Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]

NonEmptyText = Annotated[str, StringConstraints(min_length=1)]
# The longest article id taken (docs/contract.md section 3): ids are keys, log fields and metric
# exemplars; a sender's own ids (a URL, a CMS key) fit well within it.
MAX_ID_CHARS = 256
# The longest article title taken (docs/contract.md section 3; red team 8): a title is one line on the
# desk and is copied into every classification and alert of the article; a real headline is well
# under 300 characters, so 1,000 leaves room for a feed that puts its lead sentence there.
MAX_TITLE_CHARS = 1000
# A control character (C0, DEL, C1) or a line/paragraph separator in an id (red team 7 #16): an id
# is a key shown on one line of the desk and the logs, and a newline in it splits a log line.
_ID_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# Unicode letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern): an id made
# of them looks empty on the desk although its categories are L or S.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    """A character that draws a mark: a letter, digit, punctuation or symbol (Unicode general
    categories L*, N*, P*, S*) other than a blank filler. Spaces (Zs), format characters (Cf: U+200B
    zero-width space, U+200D joiner, U+FEFF), controls (Cc) and lone combining marks (M*) are not."""
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_GLYPHS


def _article_id(value: str) -> str:
    """`value` unchanged if it holds a visible character (`_visible`) and no control character or
    line separator; ValueError saying why otherwise (`"   "`, `"\\u200b\\u200b"`, `"a\\nb"`, `"a\\tb"`).
    Spaces and format characters inside an id (`"report 7"`) are kept: a sender's own keys may have
    them. Red team 7 #16 (whitespace, controls) and red team 8 (zero-width characters only)."""
    if _ID_UNSAFE.search(value):
        raise ValueError(
            "an article id may not contain a control character or a line break (newline, tab, U+2028 ...)"
        )
    if not any(_visible(char) for char in value):
        raise ValueError(
            "an article id may not be only whitespace or invisible characters (zero-width space U+200B, "
            "joiner U+200D, U+FEFF ...); it needs a letter, digit, punctuation mark or symbol"
        )
    return value


ArticleId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ID_CHARS),
    AfterValidator(_article_id),
    # The same rule for JSON Schema readers (ECMA-262 regex, no Unicode categories): no control
    # character, not only spaces. The schema cannot say "not only invisible characters"; the model does.
    Field(
        json_schema_extra={
            "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*\\S[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*$"
        }
    ),
]
# The years an article's `published` may fall in (docs/contract.md section 3).
PUBLISHED_YEARS = (1900, 2999)
# What an article's `published` is: the date its sender or feed gave ("source"), or, for a feed item
# that gave none, when strikewatch first saw the item ("first_seen"; docs/contract.md section 3).
PublishedBasis = Literal["source", "first_seen"]
# How the classifier found an `event_date` (docs/contract.md section 4): written in the text ("text":
# "on 5 March", "overnight into Monday", "on Sunday night"), a relative word resolved against the
# published date ("relative": "last night", "yesterday"), or only the published date ("published").
DateBasis = Literal["text", "relative", "published"]
# A figure a report states as a correction of an earlier figure (docs/contract.md sections 4 and 6).
CorrectedFigure = Literal["killed", "injured", "launched", "intercepted"]

# Whitespace or a control character anywhere in an address (browsers strip some of them, which
# is how "java\tscript:" used to slip past scheme checks).
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
# The sitemaps protocol's limit (sitemaps.org), which CDNs and browsers also honour in practice.
MAX_URL_CHARS = 2048


def _http_url(value: str) -> str:
    """`value` unchanged if it is an absolute http(s) URL with a host and a valid port, at most
    `MAX_URL_CHARS` characters (kept as written, for provenance); ValueError saying why otherwise
    (e.g. `javascript:alert(1)`, `/relative`, `ftp://x`, `https://x.org:99999/`, a bidi override).
    The desk renders an article's url as a link and every alert's evidence repeats it, so only
    web addresses of a bounded size are carried."""
    if len(value) > MAX_URL_CHARS:
        raise ValueError(f"not an http(s) URL: {len(value)} characters; the limit is {MAX_URL_CHARS}")
    if _URL_UNSAFE.search(value) or any(unicodedata.category(c) == "Cf" for c in value):
        raise ValueError(
            "not an http(s) URL: it contains whitespace, a control character or a format character "
            "(e.g. U+202E)"
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - urllib raises ValueError for a port out of 0-65535
    except ValueError as exc:
        raise ValueError(f"not an http(s) URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(
            f"not an http(s) URL: scheme {parts.scheme or 'missing'!r}; "
            "give an absolute http:// or https:// address"
        )
    if not host:
        raise ValueError("not an http(s) URL: no host")
    return value


# An absolute http(s) address, carried as the string the sender wrote.
WebUrl = Annotated[
    str,
    AfterValidator(_http_url),
    Field(
        json_schema_extra={
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+",
            "maxLength": MAX_URL_CHARS,
        }
    ),
]


def severity_rank(severity: Severity | None) -> int:
    """-1 for no severity, then 0 (Minor) .. 3 (Extreme)."""
    return -1 if severity is None else SEVERITIES.index(severity)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """One news article as it travels on the `{p}:articles` stream."""

    id: ArticleId
    text: NonEmptyText
    title: str | None = Field(
        default=None,
        max_length=MAX_TITLE_CHARS,
        description=f"The headline, at most {MAX_TITLE_CHARS} characters.",
    )
    published: date | datetime | None = Field(
        default=None,
        description=f"Publication date: YYYY-MM-DD or RFC 3339, in the years {PUBLISHED_YEARS[0]}–"
        f"{PUBLISHED_YEARS[1]}.",
    )
    published_basis: PublishedBasis = Field(
        default="source",
        description='What `published` is: "source", the date the sender or feed gave (null when none '
        'was given); "first_seen", the feed item gave no date and `published` is when strikewatch '
        "first saw it (relative dates in the text are resolved against that time).",
    )
    source: str | None = None
    url: WebUrl | None = Field(default=None, description="The article's address: an absolute http(s) URL.")
    ingested_at: datetime | None = Field(
        default=None, description="When the producer put the article on the stream (for latency)."
    )
    language: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}$",
        description="ISO 639-1 code of the text's language, if the sender knows it; else detected.",
    )

    @field_validator("published", mode="before")
    @classmethod
    def _published_is_no_number(cls, value: object) -> object:
        # A number is no date: pydantic would read 1764547200 as seconds since 1970, a guess the
        # contract (ISO 8601 text) never offered; refused rather than guessed (red team 7 R16).
        if isinstance(value, int | float):
            raise ValueError(
                f"published {value!r} is not a date string; give YYYY-MM-DD or RFC 3339 (ISO 8601)"
            )
        return value

    @field_validator("language")
    @classmethod
    def _language_is_iso_639_1(cls, value: str | None) -> str | None:
        # A code that names no language ("xx", a typo) would turn reading off for a language that
        # does not exist; a real code without a rule pack keeps its documented skipped_reason.
        if value is not None and pycountry.languages.get(alpha_2=value) is None:
            raise ValueError(
                f"language {value!r} is not an ISO 639-1 code (en, uk, ru ...); leave it out to have "
                "the language detected"
            )
        return value

    @field_validator("published")
    @classmethod
    def _published_in_range(cls, value: date | datetime | None) -> date | datetime | None:
        # A CMS's placeholder (0001-01-01, 9999-12-31) is no publication date, and the date arithmetic
        # a text's "yesterday" or the war's time zone needs would overflow at those ends.
        low, high = PUBLISHED_YEARS
        if value is not None and not low <= value.year <= high:
            raise ValueError(f"published {value.isoformat()} is outside the years {low}–{high}")
        return value

    @model_validator(mode="after")
    def _basis_needs_a_date(self) -> Article:
        if self.published_basis == "first_seen" and self.published is None:
            raise ValueError('published_basis "first_seen" needs `published` (when the item was first seen)')
        return self

    def published_date(self) -> date | None:
        if isinstance(self.published, datetime):
            return self.published.date()
        return self.published


class Location(_Model):
    name: str = Field(description="Canonical English name, e.g. Kyiv, Kharkiv, Zaporizhzhia.")
    region: str | None = Field(
        default=None, description='First-level unit: "<X> Oblast", "Kyiv City", "Crimea"; null for seas.'
    )
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Casualties(_Model):
    killed: int | None = Field(default=None, ge=0)
    killed_max: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    injured_max: int | None = Field(default=None, ge=0)


class Projectiles(_Model):
    launched: int | None = Field(default=None, ge=0)
    intercepted: int | None = Field(default=None, ge=0)


class Evidence(_Model):
    field: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Classification(_Model):
    """What the classifier says about one article (docs/contract.md section 4)."""

    id: str
    is_attack: bool
    attack_score: float = Field(ge=0.0, le=1.0)
    attacker: str | None = None
    attack_types: list[AttackType] = Field(default_factory=list)
    weapons: list[str] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    casualties: Casualties = Field(default_factory=Casualties)
    projectiles: Projectiles = Field(default_factory=Projectiles)
    event_date: date | None = None
    event_date_basis: DateBasis | None = Field(
        default=None,
        description='How `event_date` was found: "text" (a day written in the text: "on 5 March", '
        '"overnight into Monday", "on Sunday night"), "relative" (a word such as "last night" or '
        '"yesterday" resolved against `published`) or "published" (the text names no day; the '
        "published date stands in). Null when `event_date` is null. The alerter keeps two incidents "
        'at one place apart when both dates are "text" and differ (docs/contract.md section 5).',
    )
    event_date_evening: bool = Field(
        default=False,
        description="The text dates the attack to the evening or night that starts on `event_date` "
        '("on Sunday night", "late on Sunday", "в ніч з неділі на понеділок"): the attack may run '
        "past midnight, so the alerter counts it as the night that ends on the next day, as "
        '"overnight into Monday" does. So does a relative word that names an evening ("tonight", "yesterday '
        'evening", "вчера вечером": `event_date_basis` "relative"). Only with `event_date_basis` "text" or '
        '"relative".',
    )
    event_date_night: bool = Field(
        default=False,
        description='The text dates the attack to the night that ends on `event_date` ("overnight into '
        'Friday", "the night to 1 December", "в ніч на п\'ятницю", "в ночь на пятницу"), not to the whole '
        'day ("on Friday", "Friday\'s attack"): the alerter counts two such nights as one only when their '
        'days are equal (docs/contract.md section 6). Also a relative word that names a night ("last '
        'night", "overnight", "уночі": `event_date_basis` "relative", the night into the published '
        'day). Never with `event_date_evening`; only with `event_date_basis` "text" or "relative".',
    )
    corrections: list[CorrectedFigure] = Field(
        default_factory=list,
        description='The figures the text states as a correction of an earlier figure ("revised down from '
        '35 to 34", "corrected the toll to 7", "уточнили до 6"), never a plain rise ("the toll rose to '
        '14"). The alerter lets such a figure replace the one it holds, even downward (docs/contract.md '
        "section 6).",
    )
    lowered: list[CorrectedFigure] = Field(
        default_factory=list,
        description='Of `corrections`, the figures the text says were revised down ("revised down to 4", '
        '"lowered the death toll to 5"): the alerter never takes such a figure when it is above the one '
        "it holds, which the text says it lowered (docs/contract.md section 6).",
    )
    severity: Severity | None = None
    severity_reasons: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    # Carried from the article so the alerter needs no second lookup.
    title: str | None = None
    published: date | datetime | None = None
    published_basis: PublishedBasis = Field(
        default="source",
        description='The article\'s `published_basis`: "first_seen" when `published` (and so the date '
        'that relative words such as "yesterday" were resolved against) is when the feed item was '
        "first seen, not a date its source gave.",
    )
    source: str | None = Field(default=None, description="The article's outlet, carried for provenance.")
    url: str | None = Field(default=None, description="The article's address, carried for provenance.")
    ingested_at: datetime | None = None
    classifier_version: str | None = None
    language: str | None = Field(
        default=None, description='ISO 639-1 code of the language the text was read in, or "und".'
    )
    skipped_reason: str | None = Field(
        default=None,
        description='Why the text was not read (e.g. "language de not supported"); null when it was.',
    )
    truncated: bool = Field(
        default=False,
        description="True when the text was longer than the classifier reads (its first ~12,000 "
        "normalised characters) and the rest was not read: an attack told only after that is not seen.",
    )
    read_chars: int | None = Field(
        default=None,
        ge=0,
        description="When `truncated`: how many characters of the article's text, from its start, were "
        "read; null when the whole text was read.",
    )


class ClassifyError(_Model):
    """`strikewatch classify` prints this in place of an input line it cannot classify (a blank line
    too), so output line N always answers input line N."""

    id: str | None = Field(description="The line's article id, when it gave one.")
    error: str = Field(description='"line N: reason", N the 1-based input line number.')


class SourceRef(_Model):
    """One report behind an alert."""

    article_id: str
    title: str | None = None
    published: date | datetime | None = None
    published_basis: PublishedBasis = Field(
        default="source",
        description='"first_seen" when the report\'s feed gave no date and `published` is when '
        "strikewatch first saw it.",
    )
    source: str | None = Field(default=None, description="The outlet that published the report.")
    url: str | None = Field(default=None, description="Where the report can be read.")
    truncated: bool = Field(
        default=False, description="True when only the first `read_chars` characters of the report were read."
    )
    read_chars: int | None = Field(
        default=None,
        ge=0,
        description="When `truncated`: the characters of the report's text that were read.",
    )


class AlertEvidence(Evidence):
    """A span of one report that justifies a figure or decision of an alert (`start`/`end` are
    character offsets into that article's original text)."""

    article_id: str
    source: str | None = None
    url: str | None = None


class Alert(_Model):
    """One incident as users receive it on channels, the alert log and webhooks (section 6)."""

    alert_id: str = Field(description="Stable id of the incident; the same on every version.")
    version: int = Field(ge=1)
    msg_type: MsgType
    sent: datetime
    severity: Severity
    urgency: Urgency
    certainty: Certainty
    headline: str
    summary: str
    event_date: date | None
    attacker: str | None
    attack_types: list[AttackType]
    weapons: list[str]
    targets: list[Target]
    locations: list[Location]
    casualties: Casualties
    projectiles: Projectiles
    source_count: int = Field(ge=1)
    sources: list[SourceRef]
    severity_reasons: list[str]
    references: list[str] = Field(
        default_factory=list, description="Identifiers of earlier versions of this alert (CAP references)."
    )
    first_ingested_at: datetime | None = Field(
        default=None, description="When the first report of this incident entered the pipeline."
    )
    evidence: list[AlertEvidence] = Field(
        default_factory=list,
        description="Provenance: for each figure and decision (killed, injured, launched, intercepted, "
        "attacker, each place, each severity reason) the span(s) of the report(s) it came from.",
    )


class DeadLetter(_Model):
    """A message that could not be processed, kept with the reason so nothing is lost."""

    stage: Literal["producer", "classifier", "alerter", "webhook"]
    reason: str
    payload: str = Field(description="The original message: UTF-8 text, or base64 when it was not UTF-8.")
    payload_encoding: Literal["utf-8", "base64"] = "utf-8"
    payload_bytes: int = Field(ge=0, description="Size of the original message; payload keeps at most 4 MiB.")
    source_stream: str | None = None
    source_id: str | None = None
    at: datetime
    attempts: int | None = None
    subscription_id: str | None = None


# What a webhook body is: `standard`, the signed Alert JSON of docs/contract.md section 6; `slack`, a
# Slack incoming-webhook message (Mattermost and Rocket.Chat take it too); `teams`, a Teams message card.
WebhookFormat = Literal["standard", "slack", "teams"]
WEBHOOK_FORMATS: tuple[WebhookFormat, ...] = get_args(WebhookFormat)
SECRET_PREFIX = "whsec_"
SECRET_MIN_BYTES, SECRET_MAX_BYTES = 24, 64
# 24 random bytes repeat few values; a key made of a handful of distinct bytes was typed, not drawn.
_SECRET_MIN_DISTINCT_BYTES = 8
# Validation context for subscriptions read back from storage: made before secrets and region
# filters were checked, they keep working (their owners are told to rotate) instead of vanishing.
STORED: dict[str, bool] = {"stored": True}
_SECRET_PATTERN = r"^whsec_[A-Za-z0-9+/]+={0,2}$"


def secret_problem(secret: str) -> str | None:
    """Why `secret` cannot sign webhooks, or None when it can. Never includes the secret itself.

    A Standard Webhooks secret is `whsec_` + the standard base64 (RFC 4648 section 4, padded) of the
    key; we require 24 to 64 random bytes (the specification's range; 24 is what common senders
    generate). The decoding is strict because `standardwebhooks` decodes leniently: a URL-safe or
    unpadded secret would otherwise sign with a different key than other libraries derive."""
    hint = f"a secret is '{SECRET_PREFIX}' + the base64 of {SECRET_MIN_BYTES}-{SECRET_MAX_BYTES} random bytes"
    if not secret.startswith(SECRET_PREFIX):
        return f"it does not start with '{SECRET_PREFIX}'; {hint}"
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return (
            f"the part after '{SECRET_PREFIX}' is not standard base64 (A-Z, a-z, 0-9, '+', '/', "
            f"padded with '='); {hint}"
        )
    if not SECRET_MIN_BYTES <= len(key) <= SECRET_MAX_BYTES:
        return f"its key is {len(key)} byte(s) long; {hint}"
    if len(set(key)) < _SECRET_MIN_DISTINCT_BYTES:
        return f"its key has only {len(set(key))} distinct byte values, so it is not random; {hint}"
    return None


def region_problem(value: str, known: Sequence[str]) -> str:
    """The error for a region filter that names no known region: a close match, else every choice."""
    close = difflib.get_close_matches(slug(value), known, n=3, cutoff=0.6)
    if close:
        return f"unknown region {value!r} (did you mean {' or '.join(map(repr, close))}?)"
    return f"unknown region {value!r}; regions are slugs of first-level regions: {', '.join(known)}"


class WebhookSubscription(_Model):
    """A webhook receiver (docs/contract.md section 6): the YAML file's entries and the API's body.

    Without a secret, `POST /subscriptions` generates one; the webhooks file must give it."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
    url: HttpUrl
    # The pattern is documentation for schema readers; `secret_problem` decides, and says why.
    secret: Annotated[str, Field(json_schema_extra={"pattern": _SECRET_PATTERN})] | None = Field(
        default=None,
        description=(
            "Standard Webhooks secret: 'whsec_' + standard base64 of 24 to 64 random bytes. "
            "Generated when omitted in POST /subscriptions (and returned once)."
        ),
    )
    format: WebhookFormat = Field(
        default="standard",
        description="How the alert is rendered in the body: 'standard' (the Alert JSON), 'slack' (a Slack "
        "incoming-webhook message; Mattermost and Rocket.Chat accept it) or 'teams' (a Teams message card).",
    )
    min_severity: SeverityLevel | None = None
    regions: list[str] | None = Field(
        default=None, description="Region slugs (schemas/data/regions.json), e.g. kyiv-city, kharkiv-oblast."
    )
    attack_types: list[AttackType] | None = None

    @field_validator("secret")
    @classmethod
    def _strong_secret(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not _stored(info):
            problem = secret_problem(value)
            if problem is not None:
                raise ValueError(f"secret refused: {problem}")
        return value

    @field_validator("regions")
    @classmethod
    def _known_regions(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        """Names or slugs of known regions, kept as slugs (`Kyiv City` -> `kyiv-city`)."""
        if value is None or _stored(info):
            return value
        known = region_slugs()
        problems = [region_problem(v, known) for v in value if slug(v) not in known]
        if problems:
            raise ValueError("; ".join(problems))
        return list(dict.fromkeys(slug(v) for v in value))


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))
