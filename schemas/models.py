"""The public data contract of strikewatch (docs/contract.md sections 3, 4 and 6).

Every message that crosses Redis or a webhook is one of these models, serialised once with
`model_dump_json`. Field names and vocabularies here are the contract: renaming one breaks users.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

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


def severity_rank(severity: Severity | None) -> int:
    """-1 for no severity, then 0 (Minor) .. 3 (Extreme)."""
    return -1 if severity is None else SEVERITIES.index(severity)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Article(_Model):
    """One news article as it travels on the `{p}:articles` stream."""

    id: NonEmptyText
    text: NonEmptyText
    title: str | None = None
    published: date | datetime | None = Field(
        default=None, description="Publication date: YYYY-MM-DD or RFC 3339."
    )
    source: str | None = None
    url: str | None = None
    ingested_at: datetime | None = Field(
        default=None, description="When the producer put the article on the stream (for latency)."
    )

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
    severity: Severity | None = None
    severity_reasons: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    # Carried from the article so the alerter needs no second lookup.
    title: str | None = None
    published: date | datetime | None = None
    ingested_at: datetime | None = None
    classifier_version: str | None = None


class ClassifyError(_Model):
    """`strikewatch classify` prints this for an input line it cannot classify."""

    id: str | None
    error: str


class SourceRef(_Model):
    article_id: str
    title: str | None = None
    published: date | datetime | None = None


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


class WebhookSubscription(_Model):
    """A webhook receiver (docs/contract.md section 6)."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
    url: HttpUrl
    secret: Annotated[str, StringConstraints(pattern=r"^whsec_[A-Za-z0-9+/=]+$")]
    min_severity: SeverityLevel | None = None
    regions: list[str] | None = None
    attack_types: list[AttackType] | None = None
