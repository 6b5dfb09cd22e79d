"""What users read: an `Alert` from an incident. Pure. (The same alert as CAP 1.2 XML: `cap.py`.)"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemas import Alert, Casualties, Certainty, Location, Projectiles, Urgency
from services.alerter.clustering import IncidentState
from services.alerter.provenance import alert_evidence

_MAX_PLACES_IN_HEADLINE = 3


# XML 1.0's Char production (section 2.2) leaves out the C0 controls but tab, LF and CR, the
# surrogates and U+FFFE/U+FFFF. A report's title may carry one (a BEL pasted from a feed), and lxml
# refuses the whole document for it: one such title made every CAP version of its incident a 500.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 cannot carry dropped (source: XML 1.0 section 2.2,
    Char); everything else, tab, LF and CR included, unchanged. Used for every string written into
    CAP and Atom documents."""
    return _NOT_XML_CHAR.sub("", text)


def urgency(state: IncidentState) -> Urgency:
    """CAP urgency relative to when the version is sent: an attack of the last day calls for
    action now; a report of an older attack is history."""
    if state.event_date is None:
        return "Unknown"
    age_days = (state.sent.date() - state.event_date).days
    return "Immediate" if age_days <= 1 else "Past"


def certainty(state: IncidentState) -> Certainty:
    if state.source_count >= 2 or state.attack_score >= 0.8:
        return "Observed"
    if state.attack_score >= 0.5:
        return "Likely"
    return "Possible"


def join_words(words: Sequence[str]) -> str:
    """English list: [] -> "", [a] -> "a", [a, b, c] -> "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _type_words(state: IncidentState) -> str:
    words = [t.replace("_", " ") for t in state.attack_types if t != "other"]
    return join_words(words) if words else ""


def _place_names(locations: Sequence[Location]) -> list[str]:
    return list(dict.fromkeys(loc.name for loc in locations))


def headline(state: IncidentState) -> str:
    names = _place_names(state.locations)
    shown = names[:_MAX_PLACES_IN_HEADLINE]
    if len(names) > len(shown):
        shown.append(f"{len(names) - len(shown)} more")
    where = f" on {join_words(shown)}" if shown else ""
    kind = _type_words(state)
    what = f"{kind} attack" if kind else "attack"
    when = f", {state.event_date.isoformat()}" if state.event_date else ""
    return f"{state.severity} {what}{where}{when}"


def figure_range(low: int | None, high: int | None) -> str | None:
    """A figure as people read it: "3", "63 to 400" (a range or competing claims), "up to 5";
    None when neither end is known."""
    if low is None and high is None:
        return None
    if low is None:
        return f"up to {high}"
    if high is not None and high > low:
        return f"{low} to {high}"
    return str(low)


def _casualty_sentence(casualties: Casualties) -> str:
    parts = []
    killed = figure_range(casualties.killed, casualties.killed_max)
    injured = figure_range(casualties.injured, casualties.injured_max)
    if killed is not None:
        parts.append(f"{killed} killed")
    if injured is not None:
        parts.append(f"{injured} injured")
    return (join_words(parts) + " reported.") if parts else "No casualty figures reported."


def _projectile_sentence(projectiles: Projectiles) -> str | None:
    if projectiles.launched is not None and projectiles.intercepted is not None:
        return f"{projectiles.launched} launched, {projectiles.intercepted} intercepted."
    if projectiles.launched is not None:
        return f"{projectiles.launched} launched."
    if projectiles.intercepted is not None:
        return f"{projectiles.intercepted} intercepted."
    return None


def summary(state: IncidentState) -> str:
    who = state.attacker or "An unidentified attacker"
    kind = _type_words(state)
    places = join_words(_place_names(state.locations)) or "an unspecified place"
    sentences = [
        f"{who} {kind + ' ' if kind else ''}attack on {places}"
        + (f" on {state.event_date.isoformat()}." if state.event_date else " (date not reported)."),
        _casualty_sentence(state.casualties),
    ]
    projectile = _projectile_sentence(state.projectiles)
    if projectile:
        sentences.append(projectile)
    if state.targets:
        sentences.append("Targets: " + ", ".join(t.replace("_", " ") for t in state.targets) + ".")
    count = state.source_count
    sentences.append(f"Based on {count} report{'s' if count != 1 else ''}.")
    return " ".join(sentences)


def alert_from_state(state: IncidentState) -> Alert:
    return Alert(
        alert_id=state.alert_id,
        version=state.version,
        msg_type=state.msg_type,
        sent=state.sent,
        severity=state.severity,
        urgency=urgency(state),
        certainty=certainty(state),
        headline=headline(state),
        summary=summary(state),
        event_date=state.event_date,
        attacker=state.attacker,
        attack_types=list(state.attack_types),
        weapons=list(state.weapons),
        targets=list(state.targets),
        locations=list(state.locations),
        casualties=state.casualties,
        projectiles=state.projectiles,
        source_count=state.source_count,
        sources=list(state.sources),
        severity_reasons=list(state.severity_reasons),
        references=list(state.references),
        first_ingested_at=state.first_ingested_at,
        evidence=alert_evidence(
            state.evidence, locations=state.locations, severity_reasons=state.severity_reasons
        ),
    )
