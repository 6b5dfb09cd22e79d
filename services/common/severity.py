"""docs/contract.md section 5 as a pure function: facts in, (severity, reasons) out, highest tier first.

The one home of the rubric: the classifier grades each report with it (thresholds from the pack's
`rules/severity.yaml`), the alerter re-grades an incident with it when a correction lowers the
figure its severity rested on. Every reason names the figure and the threshold it passed."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    value: int | None, maximum: int | None, corrected: bool, ranged: bool = False
) -> tuple[int | None, str]:
    if value is None and maximum is None:
        return None, ""
    if corrected or maximum is None or (value is not None and maximum <= value):
        return value, ""
    if value is None:
        # "Up to 12 killed": only the upper bound is given; it grades, as a range's upper end does.
        return maximum, f"up to {maximum} (an upper bound only); using it"
    if ranged:
        return maximum, f"a range of {value}–{maximum}; using the upper end"
    return maximum, f"competing claims {value} vs {maximum}; using the larger"


def _band(low: int | None, high: int | None) -> str:
    """ "1–9" for a tier from 1 below a next tier at 10; "≥50" for a top tier."""
    if low is None:
        return ""
    return f"≥{low}" if high is None else f"{low}–{high - 1}"


def grade(facts: SeverityFacts, rubric: SeverityThresholds = RUBRIC) -> tuple[Severity, list[str]]:
    """Apply the rubric from Extreme down; every reason names the figure and the threshold it passed."""
    x, s, m = rubric.extreme, rubric.severe, rubric.moderate
    killed, killed_note = _figure(facts.killed, facts.killed_max, facts.corrected, facts.killed_range)
    injured, injured_note = _figure(facts.injured, facts.injured_max, False, facts.injured_range)
    notes = [n for n in (killed_note, injured_note) if n]
    if killed is None and facts.killed_at_least is not None:
        killed = facts.killed_at_least
        notes.append(f"deaths given without a number (at least {killed})")
    if injured is None and facts.injured_at_least is not None:
        injured = facts.injured_at_least
        notes.append(f"injuries given without a number (at least {injured})")
    if facts.corrected and facts.killed_max is not None:
        notes.append(
            f"earlier figure of {facts.killed_max} killed corrected to {facts.killed}; using the correction"
        )

    def reaches(value: int | None, threshold: int | None) -> bool:
        return value is not None and threshold is not None and value >= threshold

    extreme: list[str] = []
    if reaches(killed, x.killed):
        extreme.append(f"{killed} killed ({_band(x.killed, None)}) → Extreme")
    if reaches(injured, x.injured):
        extreme.append(f"{injured} injured ({_band(x.injured, None)}) → Extreme")
    if facts.whole_area_without_power:
        extreme.append(
            f"{facts.whole_area_without_power!r} (whole area or 1M+ people without power) → Extreme"
        )
    if extreme:
        return "Extreme", notes + extreme
    severe: list[str] = []
    if reaches(killed, s.killed):
        severe.append(f"{killed} killed ({_band(s.killed, x.killed)}) → Severe")
    elif killed is None and facts.deaths_unnumbered:
        severe.append("deaths reported without a number (counted as 1+) → Severe")
    if reaches(injured, s.injured):
        severe.append(f"{injured} injured ({_band(s.injured, x.injured)}) → Severe")
    if facts.critical_damage:
        severe.append(f"damage to critical infrastructure ({', '.join(facts.critical_damage)}) → Severe")
    if reaches(facts.projectiles, s.projectiles):
        severe.append(
            f"mass attack of {facts.projectiles} missiles/drones ({_band(s.projectiles, None)}) → Severe"
        )
    if severe:
        return "Severe", notes + severe
    moderate: list[str] = []
    if reaches(injured, m.injured):
        # "Nobody killed" only when the text says so (killed 0); a text silent on deaths (killed
        # unknown) says nothing of the kind (red team 7 #12).
        deaths = "nobody killed" if killed == 0 else "no deaths reported"
        moderate.append(f"{injured} injured ({_band(m.injured, s.injured)}), {deaths} → Moderate")
    if facts.civil_damage:
        moderate.append(f"damage to {', '.join(facts.civil_damage)} → Moderate")
    if reaches(facts.projectiles, m.projectiles):
        moderate.append(
            f"{facts.projectiles} missiles/drones ({_band(m.projectiles, s.projectiles)}) → Moderate"
        )
    if moderate:
        return "Moderate", notes + moderate
    return "Minor", [*notes, "attack with no casualties or damage reported → Minor"]
