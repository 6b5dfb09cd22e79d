"""Incident clustering: which reports describe one attack, and what a new report changes.

Pure: no Redis, no clock. The shell loads the candidate incidents, calls `assign`, and stores the
result atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas import (
    AttackType,
    Casualties,
    Classification,
    CorrectedFigure,
    Location,
    MsgType,
    Projectiles,
    Severity,
    SourceRef,
    Target,
    severity_rank,
)
from schemas.attack_types import COMBINED, families
from services.alerter.corrections import (
    CASUALTY_FIELDS,
    PROJECTILE_FIELDS,
    correct,
    first_figures,
    refreshed,
)
from services.alerter.provenance import Claim, kept_claims, report_claims
from services.common.names import slug

# Reports whose event dates differ by at most this many days can be one incident: reports of one
# overnight attack are dated either day ("overnight into Monday", "on Sunday night", or a publication
# date the next morning). Two days the texts themselves give (`night_of`) must agree instead
# (`days_agree`).
DATE_WINDOW_DAYS = 1
# Index "days" besides real dates: every incident is findable by place alone (for reports with no
# date at all), and incidents with no date yet are findable by dated reports.
ANY_DAY = "any"
UNDATED = "undated"

# A capital that is its own first-level unit, and the region around it: a report naming only
# the region ("drones over Kyiv region") may describe the attack on the capital and vice versa.
CAPITAL_REGION_PAIRS: tuple[tuple[str, str], ...] = (
    ("kyiv-city", "kyiv-oblast"),
    ("sevastopol", "crimea"),
    ("moscow", "moscow-oblast"),
    ("moscow-city", "moscow-oblast"),
    ("saint-petersburg", "leningrad-oblast"),
    ("minsk", "minsk-oblast"),
    ("minsk-city", "minsk-region"),
)

# Words that mark a location name as a whole first-level unit rather than a settlement.
_REGION_WORDS = ("oblast", "region", "province", "krai", "governorate", "republic")


def _compatible_regions() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for capital, region in CAPITAL_REGION_PAIRS:
        table.setdefault(capital, {capital}).add(region)
        table.setdefault(region, {region}).add(capital)
    return {key: frozenset(values) for key, values in table.items()}


_COMPATIBLE_REGIONS = _compatible_regions()


def compatible_regions(region_slug: str) -> frozenset[str]:
    """The region itself, plus its capital or surrounding region."""
    return _COMPATIBLE_REGIONS.get(region_slug, frozenset((region_slug,)))


@dataclass(frozen=True, slots=True)
class Place:
    """A location reduced to what matching needs."""

    settlement: str | None  # slug; None when the report names only the region
    region: str | None  # slug of the first-level unit

    @property
    def region_only(self) -> bool:
        return self.settlement is None


def _strip_region_word(text: str) -> tuple[str, bool]:
    for word in _REGION_WORDS:
        if text.endswith(f"-{word}"):
            return text[: -len(word) - 1], True
    return text, False


def place_of(location: Location) -> Place:
    name = slug(location.name)
    region = slug(location.region) if location.region else None
    base, has_region_word = _strip_region_word(name)
    if region is None:
        # "Kyiv Oblast" with no region field is still a region.
        return Place(None, name) if has_region_word else Place(name, None)
    region_base, _ = _strip_region_word(region)
    if name == region or (has_region_word and base == region_base):
        return Place(None, region)
    return Place(name, region)


def places_match(a: Place, b: Place) -> bool:
    """Same settlement, or one side names only a region that contains (or borders, for a capital)
    the other side's place."""
    if a.settlement is not None and b.settlement is not None:
        if a.settlement != b.settlement:
            return False
        return a.region is None or b.region is None or b.region in compatible_regions(a.region)
    if a.region is None or b.region is None:
        return False
    return b.region in compatible_regions(a.region)


def place_keys(place: Place) -> list[str]:
    """Index keys an incident at this place is stored under."""
    keys = []
    if place.settlement is not None:
        keys.append(f"s:{place.settlement}")
    if place.region is not None:
        keys.append(f"r:{place.region}")
    return keys


def lookup_place_keys(place: Place) -> list[str]:
    """Index keys under which an incident matching this place must be stored."""
    keys = [f"s:{place.settlement}"] if place.settlement is not None else []
    if place.region is not None:
        keys.extend(f"r:{region}" for region in sorted(compatible_regions(place.region)))
    return keys


def types_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two reports' attack types can be one attack: either names none or "other", they share
    a family (rocket and missile), or each names a weapon of a combined strike (drones in one report,
    missiles or bombs in another: `schemas.attack_types.COMBINED`). Artillery and ground fighting
    join only their own family."""
    fam_a, fam_b = families(a), families(b)
    if not fam_a or not fam_b or "other" in fam_a or "other" in fam_b:
        return True
    return bool(fam_a & fam_b) or bool(COMBINED.intersection(a) and COMBINED.intersection(b))


def report_day(report: Classification) -> date | None:
    """The attack's date, else the publication date; None when the report gives neither."""
    if report.event_date is not None:
        return report.event_date
    published = report.published
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    return None


def night_of(report: Classification) -> date | None:
    """The day (or night) of the attack as its text gives it, at day precision: a date written in
    the text, or a relative word ("last night", "yesterday", "уночі") resolved against the published
    time; None when the text gives neither (`event_date_basis` "published", or no date at all).

    Convention (docs/contract.md section 5): a night attack is keyed to the day its night ends on,
    the morning it is reported, as "overnight into Monday" is. So "on Sunday night", "late on Sunday"
    and "в ночь с воскресенья" (`event_date_evening`) give the Monday, as "overnight into Monday"
    does, and so does "last night" in a report published on Monday. A relative word is as precise
    as a written date here: "last night" in Monday's report and "last night" in Tuesday's are two
    nights (red team 4 F2), and a report about Sunday night published on Tuesday says "on Sunday
    night" or "the night before last", not "last night".

    Whether the day stands for a night or a whole day is `day_kind`; `days_agree` says which days are
    one attack's."""
    if report.event_date is None or report.event_date_basis not in ("text", "relative"):
        return None
    return report.event_date + timedelta(days=1) if report.event_date_evening else report.event_date


DayKind = Literal["night", "day", "relative"]


def day_kind(report: Classification) -> DayKind | None:
    """What the text's day (`night_of`) stands for: "night", one night ("overnight into Friday",
    `event_date_night`: the night that ends on it; "on Thursday night", `event_date_evening`: keyed to
    the Friday it ends on); "day", a whole written day ("on Friday", "Friday's attack": neither flag),
    which may be the night that ends on it or the one that starts on it; "relative", a relative word
    for a day ("yesterday", "today"), held as precise as a written date on both sides (red team 4 F2).
    A relative word for a night ("last night" with `event_date_night`) is a "night": "last night" in
    Saturday's report is "Friday's attack" (red team 9), and still not Sunday's "last night".
    None when `night_of` is None."""
    if night_of(report) is None:
        return None
    if report.event_date_night or report.event_date_evening:
        return "night"
    return "relative" if report.event_date_basis == "relative" else "day"


def days_agree(nights: Iterable[date], days: Iterable[date], report: Classification) -> bool:
    """Whether the report's day (`night_of`, `day_kind`) can be the attack of an incident whose
    reports' texts gave `nights` (keys of nights and relative words) and `days` (whole written days
    and relative words; IncidentState fields of the same names). Red team 7 #3:

    - two nights are one only when equal: "overnight into Sunday" (Sunday) and "on Sunday night"
      (Monday) are two attacks;
    - a whole day D and a night agree when the night is D's (keyed D) or starts on D (keyed D + 1):
      "Friday's drone attack" is "the attack on Friday night" (keyed Saturday);
    - two whole days, and a relative word with anything, only when equal.

    A report whose text gives no day agrees with every incident."""
    day, kind = night_of(report), day_kind(report)
    if day is None:
        return True
    if kind == "day":
        return all(d == day for d in days) and all(n in (day, day + timedelta(days=1)) for n in nights)
    if kind == "night":
        return all(n == day for n in nights) and all(day in (d, d + timedelta(days=1)) for d in days)
    return all(n == day for n in nights) and all(d == day for d in days)


def days_around(day: date) -> list[str]:
    return [(day + timedelta(days=d)).isoformat() for d in range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1)]


def new_alert_id(article_id: str) -> str:
    """Derived from the first report, so a retried first report creates the same incident."""
    return "sw-" + hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:16]


# How many sources an alert lists (source_count counts them all).
MAX_SOURCES = 50


class IncidentState(BaseModel):
    """Everything known about one incident; stored as JSON in Redis, rendered into Alerts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alert_id: str
    version: int = Field(ge=1)
    msg_type: MsgType
    created: datetime
    updated: datetime = Field(description="When the last report joined.")
    sent: datetime = Field(description="When the current version was published.")
    references: list[str] = Field(default_factory=list)
    event_date: date | None = Field(description="First known date; `event_dates` holds all seen.")
    event_dates: list[date]
    nights: list[date] = Field(
        default_factory=list,
        description="The nights the joined reports' texts give (`night_of`, keyed to the morning each "
        'ends on: `day_kind` "night"), and their relative words\' days ("relative"). Stored before red '
        "team 7 #3: every day the texts gave.",
    )
    days: list[date] = Field(
        default_factory=list,
        description='The whole days the joined reports\' texts give (`day_kind` "day": "on Friday"), and '
        'their relative words\' days ("relative"). `days_agree` reads both lists.',
    )
    severity: Severity
    severity_reasons: list[str]
    attacker: str | None
    attack_types: list[AttackType]
    weapons: list[str]
    targets: list[Target]
    locations: list[Location]
    casualties: Casualties
    projectiles: Projectiles
    sources: list[SourceRef] = Field(
        description=f"The first report and the latest ones, {MAX_SOURCES} at most."
    )
    source_count: int = Field(default=1, ge=1, description="Every report that joined, listed or not.")
    attack_score: float
    first_ingested_at: datetime | None = None
    evidence: list[Claim] = Field(
        default_factory=list,
        description="Provenance: report spans, each kept while the incident holds the value it supports.",
    )
    figures_as_of: dict[CorrectedFigure, date | datetime] = Field(
        default_factory=dict,
        description="For each figure held, when the report that gave it was published (`report_time`): "
        "a correction published before it does not replace it.",
    )
    corrected: list[CorrectedFigure] = Field(
        default_factory=list,
        description="Figures a correction set: no report published before that correction raises them.",
    )

    def places(self) -> list[Place]:
        return [place_of(loc) for loc in self.locations]

    def index_keys(self) -> list[tuple[str, str]]:
        """(place key, day) pairs this incident is found under."""
        keys = sorted({key for place in self.places() for key in place_keys(place)})
        days = [day.isoformat() for day in self.event_dates] or [UNDATED]
        return [(key, day) for key in keys for day in [*days, ANY_DAY]]


def lookup_keys(report: Classification) -> list[tuple[str, str]]:
    """(place key, day) pairs under which any incident this report could join is indexed."""
    day = report_day(report)
    days = [*days_around(day), UNDATED] if day is not None else [ANY_DAY]
    keys = sorted({key for loc in report.locations for key in lookup_place_keys(place_of(loc))})
    return [(key, d) for key in keys for d in days]


def matches(state: IncidentState, report: Classification) -> bool:
    """Same place, compatible attack types and, when both sides have dates, a date within the
    window of every date the incident holds (so an incident spans at most DATE_WINDOW_DAYS + 1 days:
    nightly attacks on one city are not chained into one incident night after night). When the
    report's text gives its day (`night_of`) and the incident's reports' texts gave theirs, the days
    must agree (`days_agree`): "overnight into Monday" and "overnight into Tuesday" are two attacks,
    "Friday's attack" and "on Friday night" one, while a publication date keeps the window. A report
    (or incident) with no date at all is matched on place and type alone."""
    day = report_day(report)
    if (
        day is not None
        and state.event_dates
        and not all(abs((day - d).days) <= DATE_WINDOW_DAYS for d in state.event_dates)
    ):
        return False
    if not days_agree(state.nights, state.days, report):
        return False
    if not types_compatible(state.attack_types, report.attack_types):
        return False
    theirs = [place_of(loc) for loc in report.locations]
    return any(places_match(a, b) for a in state.places() for b in theirs)


DecisionKind = Literal["alert", "update", "source", "duplicate"]


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    state: IncidentState
    previous: IncidentState | None = None

    @property
    def publishes(self) -> bool:
        return self.kind in ("alert", "update")


def alertable(report: Classification) -> bool:
    return report.is_attack and report.severity is not None


def _source(report: Classification) -> SourceRef:
    return SourceRef(
        article_id=report.id,
        title=report.title,
        published=report.published,
        published_basis=report.published_basis,
        source=report.source,
        url=report.url,
        truncated=report.truncated,
        read_chars=report.read_chars,
    )


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _location_key(loc: Location) -> tuple[str, str | None]:
    return slug(loc.name), slug(loc.region) if loc.region else None


def cap_reference(sender: str, alert_id: str, version: int, sent: datetime) -> str:
    """CAP `references` entry: sender,identifier,sent."""
    return f"{sender},{cap_identifier(alert_id, version)},{cap_datetime(sent)}"


def cap_identifier(alert_id: str, version: int) -> str:
    return f"{alert_id}-v{version}"


def cap_datetime(moment: datetime) -> str:
    """CAP 1.2 date-time: whole seconds and a numeric offset, UTC written `-00:00` (section 3.3.2:
    "the UTC offset MUST be represented as -00:00", never `Z` or `+00:00`). A naive moment is UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    text = aware.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if aware.utcoffset() == timedelta(0) else text


def start(report: Classification, *, alert_id: str, now: datetime) -> IncidentState:
    assert report.severity is not None, "only alertable reports start incidents"
    day = report_day(report)
    as_of, corrected = first_figures(report)
    return IncidentState(
        alert_id=alert_id,
        version=1,
        msg_type="Alert",
        created=now,
        updated=now,
        sent=_whole_seconds(now),
        event_date=day,
        event_dates=[day] if day is not None else [],
        nights=_nights([], report),
        days=_days([], report),
        severity=report.severity,
        severity_reasons=list(report.severity_reasons),
        attacker=report.attacker,
        attack_types=list(report.attack_types),
        weapons=list(report.weapons),
        targets=list(report.targets),
        locations=list(report.locations),
        casualties=report.casualties,
        projectiles=report.projectiles,
        sources=[_source(report)],
        source_count=1,
        attack_score=report.attack_score,
        first_ingested_at=report.ingested_at,
        figures_as_of=as_of,
        corrected=corrected,
        evidence=kept_claims(
            report_claims(report),
            casualties=report.casualties,
            projectiles=report.projectiles,
            attacker=report.attacker,
            locations=report.locations,
            severity_reasons=report.severity_reasons,
        ),
    )


def merge(state: IncidentState, report: Classification, *, now: datetime, sender: str) -> Decision:
    """Add a report to an incident. Figures take the highest report, and severity never drops,
    except through a correction (`services.alerter.corrections.correct`: a figure the report states
    as a correction replaces the incident's, even downward, and re-grades the severity it set). A
    report that changes something material makes the next version: higher severity,
    a higher casualty or projectile figure, a corrected figure, a new place or a new attack type.
    Anything else only adds the source."""
    if any(src.article_id == report.id for src in state.sources):
        return Decision("duplicate", state, state)

    old = state.casualties
    fix = correct(state, report)
    casualties, projectiles = fix.casualties, fix.projectiles
    known = {_location_key(loc) for loc in state.locations}
    new_locations = [loc for loc in report.locations if _location_key(loc) not in known]
    # Keep one entry per place even when one report repeats it.
    new_locations = list({_location_key(loc): loc for loc in new_locations}.values())

    base_severity, base_reasons = fix.severity, fix.severity_reasons
    # A report whose figure contradicts its own text (`corrections.refused`) grades nothing: its grade
    # may rest on that figure ("revised down to 35" → Extreme; red team 7 #2).
    rises = not fix.refused and severity_rank(report.severity) > severity_rank(base_severity)
    severity: Severity = report.severity if rises and report.severity else base_severity
    if rises:
        reasons = list(report.severity_reasons)
    elif report.severity == base_severity and not fix.refused:
        reasons = _union(base_reasons, report.severity_reasons)
    else:
        reasons = base_reasons
    if not rises and not fix.refused:
        # A figure the report raised is graded by the report's line on it, not the held one.
        reasons = refreshed(reasons, state, report, casualties, projectiles)
    # The correction is news, said where every output shows the reasons (docs/contract.md section 6),
    # and stays said while the corrected figure stands.
    reasons = fix.reasons(reasons)

    day = report_day(report)
    figures_rose = any(_rose(getattr(old, f), getattr(casualties, f)) for f in CASUALTY_FIELDS) or any(
        _rose(getattr(state.projectiles, f), getattr(projectiles, f)) for f in PROJECTILE_FIELDS
    )
    # "rocket" after "missile" is the same weapon family reported in other words, not news.
    new_types = bool(families(report.attack_types) - families(state.attack_types))
    material = rises or figures_rose or bool(fix.notes) or bool(new_locations) or new_types
    version, msg_type, sent, references = state.version, state.msg_type, state.sent, state.references
    if material:
        references = [*references, cap_reference(sender, state.alert_id, state.version, state.sent)]
        version, msg_type, sent = state.version + 1, "Update", _whole_seconds(now)

    attacker = state.attacker or report.attacker
    locations = [*state.locations, *new_locations]
    evidence = kept_claims(
        [*state.evidence, *report_claims(report), *fix.claims],
        casualties=casualties,
        projectiles=projectiles,
        attacker=attacker,
        locations=locations,
        severity_reasons=reasons,
    )
    merged = state.model_copy(
        update={
            "version": version,
            "msg_type": msg_type,
            "sent": sent,
            "references": references,
            "updated": now,
            "event_date": state.event_date or day,
            "event_dates": sorted({*state.event_dates, *([day] if day is not None else [])}),
            "nights": _nights(state.nights, report),
            "days": _days(state.days, report),
            "severity": severity,
            "severity_reasons": reasons,
            "attacker": attacker,
            "attack_types": _union(state.attack_types, report.attack_types),
            "weapons": _union(state.weapons, report.weapons),
            "targets": _union(state.targets, report.targets),
            "locations": locations,
            "casualties": casualties,
            "projectiles": projectiles,
            "sources": _bounded([*state.sources, _source(report)]),
            "source_count": state.source_count + 1,
            "attack_score": max(state.attack_score, report.attack_score),
            "first_ingested_at": _earliest(state.first_ingested_at, report.ingested_at),
            "evidence": evidence,
            "figures_as_of": fix.figures_as_of,
            "corrected": fix.corrected,
        }
    )
    return Decision("update" if material else "source", merged, state)


def _nights(nights: Sequence[date], report: Classification) -> list[date]:
    night = night_of(report) if day_kind(report) in ("night", "relative") else None
    return sorted({*nights, *([night] if night is not None else [])})


def _days(days: Sequence[date], report: Classification) -> list[date]:
    day = night_of(report) if day_kind(report) in ("day", "relative") else None
    return sorted({*days, *([day] if day is not None else [])})


def _rose(before: int | None, after: int | None) -> bool:
    """A figure rose. "0" confirming an unknown (None) is not news worth an Update."""
    return (after or 0) > (before or 0)


def _bounded(sources: list[SourceRef]) -> list[SourceRef]:
    """The first report, which established the incident, and the latest ones. An incident covered by
    hundreds of articles would otherwise make every alert, and every merge, grow without bound."""
    if len(sources) <= MAX_SOURCES:
        return sources
    return [sources[0], *sources[-(MAX_SOURCES - 1) :]]


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _preference(report: Classification) -> Callable[[IncidentState], tuple[object, ...]]:
    if report_day(report) is None:
        # A report with no date most likely describes the incident being reported right now.
        return lambda s: (-s.updated.timestamp(), s.alert_id)
    day = report_day(report)
    assert day is not None

    def preference(s: IncidentState) -> tuple[object, ...]:
        # A dated report prefers an incident with a matching date over one with none, then the one
        # whose dates lie nearest (an undated follow-up on Tuesday morning is about the night into
        # Tuesday, when one is known, not the night before), then the oldest.
        distance = max((abs((day - d).days) for d in s.event_dates), default=0)
        return (not s.event_dates, distance, s.created, s.alert_id)

    return preference


def assign(
    candidates: Sequence[IncidentState], report: Classification, *, now: datetime, sender: str
) -> Decision:
    """Join the report to the best matching incident, or start a new one. `now` is the time of
    processing; versions carry it in whole seconds, as CAP does."""
    for state in candidates:
        if any(src.article_id == report.id for src in state.sources):
            return merge(state, report, now=now, sender=sender)
    for state in sorted(candidates, key=_preference(report)):
        if matches(state, report):
            return merge(state, report, now=now, sender=sender)
    return Decision("alert", start(report, alert_id=new_alert_id(report.id), now=now))


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)
