"""docs/contract.md section 5 as a pure function: facts in, (severity, reasons) out, highest tier first.

The one home of the rubric: the classifier grades each report with it (thresholds from the pack's
`rules/severity.yaml`), the alerter re-grades an incident with it when a correction lowers the
figure its severity rested on. Every reason names the figure and the threshold it passed, and says
which figure it rests on (`Reason.basis`, read back from a stored text by `rests_on`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from schemas.models import Severity


class Tier(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    killed: int | None = None
    injured: int | None = None
    projectiles: int | None = None


class SeverityThresholds(BaseModel):
    """docs/contract.md section 5: the lowest figure that reaches each tier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    extreme: Tier
    severe: Tier
    moderate: Tier


# The contract's rubric, for callers that grade without a pack (tests, tools).
RUBRIC = SeverityThresholds(
    extreme=Tier(killed=10, injured=50),
    severe=Tier(killed=1, injured=10, projectiles=50),
    moderate=Tier(injured=1, projectiles=20),
)


# What a rubric line rests on (`Reason.basis`): a casualty figure, or the projectiles (the larger of
# launched and intercepted); a note on how a figure was read ("competing claims 30 vs 40 killed; using
# the larger") rests on that figure. Damage, a blackout and the Minor line rest on none.
Basis = Literal["killed", "injured", "projectiles"]


@dataclass(frozen=True, slots=True)
class Reason:
    """One rubric line, as `Classification.severity_reasons` carries it (`text`), and the figure it
    rests on (`basis`, None for any other line). `rests_on(text) == basis` always."""

    text: str
    basis: Basis | None = None


# The lines that rest on one figure, as templates: `graded` writes them, `rests_on` reads a stored
# line back (an incident holds its reasons as text), so the wording and its basis have one home.
# `{noun}` is "killed" or "injured", each its own line (`_NOTE_LINES`).
_NOTE_LINES: dict[str, str] = {
    "upper_only": "up to {n} {noun} (an upper bound only); using it",
    "range": "a range of {low}–{n} {noun}; using the upper end",
    "competing": "competing claims {low} vs {n} {noun}; using the larger",
}
_LINES: dict[str, tuple[str, Basis]] = {
    **{
        f"{key}_{noun}": (template.replace("{noun}", noun), noun)
        for key, template in _NOTE_LINES.items()
        for noun in ("killed", "injured")
    },
    "killed_unnumbered": ("deaths given without a number (at least {n})", "killed"),
    "injured_unnumbered": ("injuries given without a number (at least {n})", "injured"),
    "killed_corrected": ("earlier figure of {max} killed corrected to {n}; using the correction", "killed"),
    "killed": ("{n} killed ({band}) → {tier}", "killed"),
    "deaths_unnumbered": ("deaths reported without a number (counted as 1+) → Severe", "killed"),
    "injured": ("{n} injured ({band}) → {tier}", "injured"),
    "injured_moderate": ("{n} injured ({band}), {deaths} → Moderate", "injured"),
    "mass_attack": ("mass attack of {n} missiles/drones ({band}) → Severe", "projectiles"),
    "projectiles": ("{n} missiles/drones ({band}) → Moderate", "projectiles"),
}


def _line(key: str, **fields: object) -> Reason:
    template, basis = _LINES[key]
    return Reason(template.format(**fields), basis)


def _read_back(template: str) -> re.Pattern[str]:
    """A template's fields ("{n}") as any text, its words as written."""
    return re.compile(".+?".join(re.escape(part) for part in re.split(r"\{\w+\}", template)))


_READ_BACK = tuple((_read_back(template), basis) for template, basis in _LINES.values())


def rests_on(reason: str) -> Basis | None:
    """The figure a rubric line rests on (`Reason.basis`), read back from its text ("35 killed (≥10)
    → Extreme": "killed"); None for any other line: damage, a blackout, a note, a correction note
    ("killed corrected from 12 to 8"), the Minor line."""
    for pattern, basis in _READ_BACK:
        if pattern.fullmatch(reason):
            return basis
    return None


@dataclass(frozen=True, slots=True)
class SeverityFacts:
    killed: int | None = None
    killed_max: int | None = None
    # A correction ("later found alive") replaces the earlier figure instead of competing with it.
    corrected: bool = False
    deaths_unnumbered: bool = False
    injured: int | None = None
    injured_max: int | None = None
    # The text gives a range ("30–40 killed"), not competing claims: the upper end grades.
    killed_range: bool = False
    injured_range: bool = False
    # Lower bounds from figures without a number ("dozens killed" ≥ 24, "hundreds wounded" ≥ 200): the
    # count stays null, the rubric uses the bound when no figure is given.
    killed_at_least: int | None = None
    injured_at_least: int | None = None
    projectiles: int | None = None
    whole_area_without_power: str | None = None  # the phrase that says so
    critical_damage: list[str] = field(default_factory=list)  # e.g. ["energy", "port"]
    civil_damage: list[str] = field(default_factory=list)  # e.g. ["homes", "vehicles"]


def _figure(
    noun: Literal["killed", "injured"],
    value: int | None,
    maximum: int | None,
    corrected: bool,
    ranged: bool = False,
) -> tuple[int | None, Reason | None]:
    """(the figure that grades, the note on how it was read, if any)."""
    if value is None and maximum is None:
        return None, None
    if corrected or maximum is None or (value is not None and maximum <= value):
        return value, None
    if value is None:
        # "Up to 12 killed": only the upper bound is given; it grades, as a range's upper end does.
        return maximum, _line(f"upper_only_{noun}", n=maximum)
    if ranged:
        return maximum, _line(f"range_{noun}", low=value, n=maximum)
    return maximum, _line(f"competing_{noun}", low=value, n=maximum)


def _band(low: int | None, high: int | None) -> str:
    """ "1–9" for a tier from 1 below a next tier at 10; "≥50" for a top tier."""
    if low is None:
        return ""
    return f"≥{low}" if high is None else f"{low}–{high - 1}"


def grade(facts: SeverityFacts, rubric: SeverityThresholds = RUBRIC) -> tuple[Severity, list[str]]:
    """Apply the rubric from Extreme down: (severity, reasons' texts); `graded` gives their basis."""
    severity, reasons = graded(facts, rubric)
    return severity, [r.text for r in reasons]


def graded(facts: SeverityFacts, rubric: SeverityThresholds = RUBRIC) -> tuple[Severity, list[Reason]]:
    """Apply the rubric from Extreme down; every reason names the figure and the threshold it passed,
    and the figure it rests on (`Reason.basis`); the notes come first."""
    x, s, m = rubric.extreme, rubric.severe, rubric.moderate
    killed, killed_note = _figure(
        "killed", facts.killed, facts.killed_max, facts.corrected, facts.killed_range
    )
    injured, injured_note = _figure("injured", facts.injured, facts.injured_max, False, facts.injured_range)
    notes = [n for n in (killed_note, injured_note) if n is not None]
    if killed is None and facts.killed_at_least is not None:
        killed = facts.killed_at_least
        notes.append(_line("killed_unnumbered", n=killed))
    if injured is None and facts.injured_at_least is not None:
        injured = facts.injured_at_least
        notes.append(_line("injured_unnumbered", n=injured))
    if facts.corrected and facts.killed_max is not None:
        notes.append(_line("killed_corrected", max=facts.killed_max, n=facts.killed))

    def reaches(value: int | None, threshold: int | None) -> bool:
        return value is not None and threshold is not None and value >= threshold

    extreme: list[Reason] = []
    if reaches(killed, x.killed):
        extreme.append(_line("killed", n=killed, band=_band(x.killed, None), tier="Extreme"))
    if reaches(injured, x.injured):
        extreme.append(_line("injured", n=injured, band=_band(x.injured, None), tier="Extreme"))
    if facts.whole_area_without_power:
        extreme.append(
            Reason(f"{facts.whole_area_without_power!r} (whole area or 1M+ people without power) → Extreme")
        )
    if extreme:
        return "Extreme", notes + extreme
    severe: list[Reason] = []
    if reaches(killed, s.killed):
        severe.append(_line("killed", n=killed, band=_band(s.killed, x.killed), tier="Severe"))
    elif killed is None and facts.deaths_unnumbered:
        severe.append(_line("deaths_unnumbered"))
    if reaches(injured, s.injured):
        severe.append(_line("injured", n=injured, band=_band(s.injured, x.injured), tier="Severe"))
    if facts.critical_damage:
        severe.append(
            Reason(f"damage to critical infrastructure ({', '.join(facts.critical_damage)}) → Severe")
        )
    if reaches(facts.projectiles, s.projectiles):
        severe.append(_line("mass_attack", n=facts.projectiles, band=_band(s.projectiles, None)))
    if severe:
        return "Severe", notes + severe
    moderate: list[Reason] = []
    if reaches(injured, m.injured):
        # "Nobody killed" only when the text says so (killed 0); a text silent on deaths (killed
        # unknown) says nothing of the kind (red team 7 #12).
        deaths = "nobody killed" if killed == 0 else "no deaths reported"
        moderate.append(_line("injured_moderate", n=injured, band=_band(m.injured, s.injured), deaths=deaths))
    if facts.civil_damage:
        moderate.append(Reason(f"damage to {', '.join(facts.civil_damage)} → Moderate"))
    if reaches(facts.projectiles, m.projectiles):
        moderate.append(_line("projectiles", n=facts.projectiles, band=_band(m.projectiles, s.projectiles)))
    if moderate:
        return "Moderate", notes + moderate
    return "Minor", [*notes, Reason("attack with no casualties or damage reported → Minor")]
