"""Provenance: which span of which report justifies each figure and decision of an alert. Pure.

Reports arrive with the classifier's evidence (`Classification.evidence`: `field`, `text`, `start`,
`end` into the article's own text). An incident keeps *claims*: a span of one report, tagged with
the value it supports (a figure, an attacker, a place key, a severity reason). A claim outlives its
report's merge only while the incident still holds the value it supports, so when a later report
raises the death toll the older, smaller figure's span goes and the new one's comes. The Alert's
`evidence` is read off the claims (`alert_evidence`), in the Alert's own terms:

| Alert `field`          | the span(s) of                                                     |
|------------------------|--------------------------------------------------------------------|
| `killed`, `injured`    | reports whose figure (or upper figure) is the alert's              |
| `launched`, `intercepted` | reports whose figure is the alert's                             |
| `attacker`             | reports that name the alert's attacker (the sentence voting for it) |
| `locations[i]`         | reports' mentions of the alert's i-th place                        |
| `severity_reasons[i]`  | reports' spans behind the alert's i-th severity reason             |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import Field

from schemas import AlertEvidence, Casualties, Classification, Evidence, Location, Projectiles
from services.common.names import slug
from services.common.severity import Basis, rests_on

# Spans kept per supported value: the first reports that said it. A figure repeated by hundreds of
# reports would otherwise make every alert, and every merge, grow without bound.
MAX_SPANS_PER_CLAIM = 3

FIGURES = ("killed", "injured", "launched", "intercepted")

# Words that make a place mention name a whole first-level unit ("Kyiv region", "Kyiv Regional").
_REGION_WORDS = ("oblast", "region", "regional", "province", "krai", "governorate", "republic")
# Letters two spellings of one place share at least ("Zaporizhia" and "Zaporizhzhia").
_STEM_LETTERS = 4

# Severity reasons are the rubric lines of services/common/severity.py (`grade`), in English
# whatever the article's language. A line that rests on a figure says which (`rests_on`, the rubric's
# own read-back); these are the evidence fields of those figures.
_BASIS_FIELDS: dict[Basis, str] = {"killed": "killed", "injured": "injured", "projectiles": "launched"}
# The damage and blackout lines rest on no figure: their words point at the classifier's severity span.
_DAMAGE_LINE = re.compile(r"critical infrastructure|without power|damage to")
# A reason whose fact left no span ("attack with no casualties or damage reported") is justified by
# the sentence that reports the attack.
_ATTACK_FIELD = "is_attack"


class Claim(AlertEvidence):
    """A span kept in an incident's state, with the value it supports (`str(figure)`, the attacker,
    `place_key(location)` or the reason's text)."""

    supports: str = Field(min_length=1)


def place_key(location: Location) -> str:
    """One place, as claims name it: `kyiv|kyiv-city`."""
    return f"{slug(location.name)}|{slug(location.region) if location.region else ''}"


def _claim(report: Classification, ev: Evidence, field: str, supports: str) -> Claim:
    return Claim(
        field=field,
        text=ev.text,
        start=ev.start,
        end=ev.end,
        article_id=report.id,
        source=report.source,
        url=report.url,
        supports=supports,
    )


def _words(text: str) -> list[str]:
    return [w for w in slug(text).split("-") if w]


def _mention_score(mention: str, location: Location) -> int:
    """How well a place mention names `location`: 0 not at all; 1 the first words share a stem
    (a spelling variant, an adjective form); +2 the whole name; +1 when both or neither name a
    whole region ("Kyiv region" for Kyiv Oblast rather than for Kyiv)."""
    said, name = _words(mention), _words(location.name)
    if not said or not name:
        return 0
    said_base = [w for w in said if w not in _REGION_WORDS] or said
    name_base = [w for w in name if w not in _REGION_WORDS] or name
    stem = min(_STEM_LETTERS, len(said_base[0]), len(name_base[0]))
    if said_base[0][:stem] != name_base[0][:stem]:
        return 0
    score = 1
    if said_base == name_base:
        score += 2
    said_region = len(said_base) < len(said)
    name_region = len(name_base) < len(name) or (
        location.region is not None and slug(location.region) == slug(location.name)
    )
    if said_region == name_region:
        score += 1
    return score


def _place_claims(report: Classification) -> list[Claim]:
    """Each place mention goes to the report's place(s) it names best, and each place keeps the
    mentions that name it best ("Kyiv" rather than "Kyiv region" for the city). A report with one
    place and mentions that name none of its places in English letters (a Ukrainian or Russian text)
    gives that place all its mentions: the classifier kept them as the names that justify it."""
    mentions = [ev for ev in report.evidence if ev.field == "locations"]
    locations = list({place_key(loc): loc for loc in report.locations}.values())
    named: dict[str, list[tuple[int, Evidence]]] = {}
    for ev in mentions:
        scores = [_mention_score(ev.text, loc) for loc in locations]
        best = max(scores, default=0)
        for loc, score in zip(locations, scores, strict=True):
            if best > 0 and score == best:
                named.setdefault(place_key(loc), []).append((score, ev))
    if len(locations) == 1 and mentions and not named:
        named[place_key(locations[0])] = [(0, ev) for ev in mentions]
    claims: list[Claim] = []
    for key, scored in named.items():
        top = max(score for score, _ in scored)
        claims.extend(_claim(report, ev, "locations", key) for score, ev in scored if score == top)
    return claims


def reason_field(reason: str, report: Classification) -> str:
    """The classifier evidence field whose span justifies a severity reason of `report`: the figure
    the rubric line rests on (`severity.rests_on`), a damage or blackout line's severity span, else
    the figure whose value it quotes ("killed corrected from 12 to 8"), else the sentence reporting the
    attack."""
    basis = rests_on(reason)
    if basis is not None:
        return _BASIS_FIELDS[basis]
    if _DAMAGE_LINE.search(reason.casefold()):
        return "severity"
    quoted = set(re.findall(r"\d+", reason))
    for field in FIGURES:
        if str(_figure_value(report, field)) in quoted:
            return field
    return _ATTACK_FIELD


def _reason_claims(report: Classification) -> list[Claim]:
    by_field: dict[str, list[Evidence]] = {}
    for ev in report.evidence:
        by_field.setdefault(ev.field, []).append(ev)
    claims: list[Claim] = []
    for reason in report.severity_reasons:
        field = reason_field(reason, report)
        spans = by_field.get(field, [])
        upper = by_field.get(f"{field}_max")
        if upper and field in ("killed", "injured"):
            # A reason quoting the upper of competing figures ("400 killed") is the upper's span.
            quoted = set(re.findall(r"\d+", reason))
            if str(_figure_value(report, f"{field}_max")) in quoted:
                in_low = str(_figure_value(report, field)) in quoted
                spans = [*spans, *upper] if in_low else upper
        spans = spans or by_field.get(_ATTACK_FIELD, [])
        claims.extend(_claim(report, ev, "severity_reasons", reason) for ev in spans)
    return claims


def _figure_value(report: Classification, field: str) -> int | None:
    holder: Casualties | Projectiles = (
        report.casualties if field.startswith(("killed", "injured")) else report.projectiles
    )
    return getattr(holder, field)  # type: ignore[no-any-return]


def report_claims(report: Classification) -> list[Claim]:
    """Every claim one report makes: its figure, attacker, place and severity-reason spans, each
    tagged with what it supports and where the report can be read (`source`, `url`)."""
    claims: list[Claim] = []
    for ev in report.evidence:
        if ev.field in FIGURES or ev.field in ("killed_max", "injured_max"):
            value = _figure_value(report, ev.field)
            if value is not None:  # an upper figure's span is the alert's `killed`/`injured` too
                claims.append(_claim(report, ev, ev.field.removesuffix("_max"), str(value)))
        elif ev.field == "attacker" and report.attacker:
            claims.append(_claim(report, ev, "attacker", report.attacker))
    return [*claims, *_place_claims(report), *_reason_claims(report)]


def _supported(
    *,
    casualties: Casualties,
    projectiles: Projectiles,
    attacker: str | None,
    locations: Sequence[Location],
    severity_reasons: Sequence[str],
) -> dict[str, set[str]]:
    """The values an incident holds, by claim field."""

    def figures(*values: int | None) -> set[str]:
        return {str(v) for v in values if v is not None}

    return {
        "killed": figures(casualties.killed, casualties.killed_max),
        "injured": figures(casualties.injured, casualties.injured_max),
        "launched": figures(projectiles.launched),
        "intercepted": figures(projectiles.intercepted),
        "attacker": {attacker} if attacker else set(),
        "locations": {place_key(loc) for loc in locations},
        "severity_reasons": set(severity_reasons),
    }


def kept_claims(
    claims: Iterable[Claim],
    *,
    casualties: Casualties,
    projectiles: Projectiles,
    attacker: str | None,
    locations: Sequence[Location],
    severity_reasons: Sequence[str],
) -> list[Claim]:
    """The claims (older first) that still support a value the incident holds, at most
    `MAX_SPANS_PER_CLAIM` per value, and per value and report only the first span with a given text
    (a place named five times in one article is one claim)."""
    held = _supported(
        casualties=casualties,
        projectiles=projectiles,
        attacker=attacker,
        locations=locations,
        severity_reasons=severity_reasons,
    )
    kept: list[Claim] = []
    seen: set[tuple[str, str, str, str]] = set()
    per_value: dict[tuple[str, str], int] = {}
    for claim in claims:
        if claim.supports not in held.get(claim.field, set()):
            continue
        key = (claim.field, claim.supports, claim.article_id, claim.text.casefold())
        if key in seen or per_value.get((claim.field, claim.supports), 0) >= MAX_SPANS_PER_CLAIM:
            continue
        seen.add(key)
        per_value[(claim.field, claim.supports)] = per_value.get((claim.field, claim.supports), 0) + 1
        kept.append(claim)
    return kept


def alert_evidence(
    claims: Sequence[Claim], *, locations: Sequence[Location], severity_reasons: Sequence[str]
) -> list[AlertEvidence]:
    """The Alert's `evidence` from an incident's claims: figures and the attacker under their own
    names, places as `locations[i]` and reasons as `severity_reasons[i]` (indexes into the Alert's
    lists), in that order."""
    place_index: dict[str, int] = {}
    for i, loc in enumerate(locations):
        place_index.setdefault(place_key(loc), i)
    reason_index: dict[str, int] = {}
    for i, reason in enumerate(severity_reasons):
        reason_index.setdefault(reason, i)
    order = {
        field: rank for rank, field in enumerate((*FIGURES, "attacker", "locations", "severity_reasons"))
    }
    out: list[tuple[tuple[int, int], AlertEvidence]] = []
    for claim in claims:
        field, position = claim.field, 0
        if claim.field == "locations":
            if claim.supports not in place_index:
                continue
            position = place_index[claim.supports]
            field = f"locations[{position}]"
        elif claim.field == "severity_reasons":
            if claim.supports not in reason_index:
                continue
            position = reason_index[claim.supports]
            field = f"severity_reasons[{position}]"
        evidence = AlertEvidence.model_validate({**claim.model_dump(exclude={"supports"}), "field": field})
        out.append(((order.get(claim.field, len(order)), position), evidence))
    # Stable: within one field and position, claims keep their order (first reports first).
    return [evidence for _, evidence in sorted(out, key=lambda item: item[0])]
