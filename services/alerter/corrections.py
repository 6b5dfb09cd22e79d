"""Corrections (docs/contract.md sections 4 and 6): what a joining report's figures do to an incident's.

Figures take the highest report, except through a correction (`Classification.corrections`): a
figure the report states as a correction replaces the incident's, even downward, unless the report was
published before the figure it would replace; severity is then re-graded when the corrected figure was
what set it (`regrade`), and the correction is said in the reasons ("killed corrected from 35 to 34")
while the corrected figure stands. A figure the report says was revised down to more than the
incident holds is refused (`refused`).

Pure: no Redis, no clock. `clustering.merge` calls `correct` with the incident it merges into."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from schemas import Casualties, Classification, CorrectedFigure, Projectiles, Severity, severity_rank
from services.alerter.provenance import Claim, report_claims
from services.common.severity import Basis, SeverityFacts, grade, rests_on

# The figures a correction replaces, each with its upper figure (a range's end or a competing claim).
FIGURE_NAMES: tuple[CorrectedFigure, ...] = ("killed", "injured", "launched", "intercepted")
CASUALTY_FIELDS = ("killed", "killed_max", "injured", "injured_max")
PROJECTILE_FIELDS = ("launched", "intercepted")
_PAIRS: dict[CorrectedFigure, tuple[str, ...]] = {
    "killed": ("killed", "killed_max"),
    "injured": ("injured", "injured_max"),
    "launched": ("launched",),
    "intercepted": ("intercepted",),
}

# The figures a rubric line on the projectiles rests on (`services.common.severity.rests_on`): it
# grades the larger of the two.
_PROJECTILES: frozenset[CorrectedFigure] = frozenset(("launched", "intercepted"))

AsOf = dict[CorrectedFigure, date | datetime]


class Held(Protocol):
    """What an incident holds that a correction reads (`clustering.IncidentState`)."""

    @property
    def severity(self) -> Severity: ...
    @property
    def severity_reasons(self) -> list[str]: ...
    @property
    def casualties(self) -> Casualties: ...
    @property
    def projectiles(self) -> Projectiles: ...
    @property
    def figures_as_of(self) -> AsOf: ...
    @property
    def corrected(self) -> list[CorrectedFigure]: ...


@dataclass(frozen=True, slots=True)
class Corrected:
    """An incident's figures after a report joins (`correct`), and what the report's corrections did.

    `severity`/`severity_reasons`: what the incident holds before the report's own grade is weighed
    (re-graded when a correction lowered the figure that set it); `notes`: the correction notes of
    this report, `standing`: those of earlier reports whose figure still stands; `claims`: the
    provenance of each note; `figures_as_of`/`corrected`: the incident's fields of the same names;
    `refused`: the report's figures that contradict its own text (`refused`), whose grade then counts
    for nothing."""

    casualties: Casualties
    projectiles: Projectiles
    notes: list[str]
    standing: list[str]
    severity: Severity
    severity_reasons: list[str]
    claims: list[Claim]
    figures_as_of: AsOf
    corrected: list[CorrectedFigure]
    refused: list[CorrectedFigure]

    def reasons(self, reasons: Sequence[str]) -> list[str]:
        """`reasons` (the merged rubric reasons) with the correction notes that stand: older ones of
        this incident dropped, the standing and new ones last."""
        kept = [r for r in reasons if correction_of(r) is None]
        return list(dict.fromkeys([*kept, *self.standing, *self.notes]))


def first_figures(report: Classification) -> tuple[AsOf, list[CorrectedFigure]]:
    """(`figures_as_of`, `corrected`) of an incident the report starts: the report's time
    (`report_time`) for each figure it gives, and the figures it gives as corrections."""
    given = [f for f in FIGURE_NAMES if value(report, f) is not None]
    return _as_of({}, report, given), [f for f in report.corrections if f in given]


def correct(held: Held, report: Classification) -> Corrected:
    """The incident's figures once `report` joins `held`: a figure the report corrects (and may,
    `correction_wins`) is the report's, even lower; any other the larger of the two
    (`corrected_figures`), except a figure `refused`, which changes nothing. Severity is re-graded
    only when a correction changed the figure that set it (`regrade`)."""
    no = refused(held, report)
    applied = [f for f in report.corrections if f not in no and correction_wins(held, report, f)]
    figures = corrected_figures(held, report, applied, no)
    casualties = Casualties(**{f: figures[f] for f in CASUALTY_FIELDS})
    projectiles = Projectiles(**{f: figures[f] for f in PROJECTILE_FIELDS})
    changed = [f for f in FIGURE_NAMES if held_pair(held, f) != figure_pair(casualties, projectiles, f)]
    # One note per corrected figure that changed, keyed by that figure for its provenance.
    noted = {
        f: correction_note(f, held_pair(held, f), figure_pair(casualties, projectiles, f))
        for f in applied
        if f in changed
    }
    notes = list(noted.values())
    severity, reasons = held.severity, list(held.severity_reasons)
    if notes:
        severity, reasons = regrade(held, [f for f in applied if f in changed], casualties, projectiles)
    # A note stays said while its corrected figure stands (docs/contract.md section 6).
    standing = [r for r in held.severity_reasons if correction_of(r) not in (None, *changed)]
    return Corrected(
        casualties=casualties,
        projectiles=projectiles,
        notes=notes,
        standing=standing,
        severity=severity,
        severity_reasons=reasons,
        claims=correction_claims(report, noted),
        figures_as_of=_as_of(held.figures_as_of, report, changed),
        corrected=sorted({*held.corrected, *applied}),
        refused=no,
    )


def refused(held: Held, report: Classification) -> list[CorrectedFigure]:
    """The report's figures its text says were revised down (`Classification.lowered`) to more than
    the incident holds (its figure or upper figure): "the toll was revised down to 35" after "killing
    12". The text says the figure fell, so 35 is no killed figure of this incident (likely a casualty
    total; red team 7 #2): neither a correction nor a rise, the incident keeps its own. A figure the
    incident does not hold yet is no contradiction."""
    out: list[CorrectedFigure] = []
    for name in report.lowered:
        theirs = value(report, name)
        held_values = [v for v in held_pair(held, name) if v is not None]
        if theirs is not None and held_values and theirs > max(held_values):
            out.append(name)
    return out


def report_time(report: Classification) -> date | datetime | None:
    """When a report was published (`published`), else when it was ingested; None when neither is
    known."""
    return report.published if report.published is not None else report.ingested_at


def published_before(a: date | datetime | None, b: date | datetime | None) -> bool:
    """Whether `a` is strictly earlier than `b`. Unknown times are never earlier; a bare date (no time
    of day) is compared by day, so a report dated 19 December is not before one stamped 19 December
    10:00; a naive datetime is UTC."""
    if a is None or b is None:
        return False
    if not isinstance(a, datetime) or not isinstance(b, datetime):
        day_a = a.date() if isinstance(a, datetime) else a
        day_b = b.date() if isinstance(b, datetime) else b
        return day_a < day_b
    aware_a = a if a.tzinfo is not None else a.replace(tzinfo=UTC)
    aware_b = b if b.tzinfo is not None else b.replace(tzinfo=UTC)
    return aware_a < aware_b


def value(report: Classification, name: CorrectedFigure) -> int | None:
    """The report's own figure `name` (its lower figure, for killed and injured)."""
    return figure_pair(report.casualties, report.projectiles, name)[0]


def figure_pair(
    casualties: Casualties, projectiles: Projectiles, name: CorrectedFigure
) -> tuple[int | None, ...]:
    """The figure `name` with its upper figure (killed and injured: (figure, maximum)); launched and
    intercepted: (figure,)."""
    holder: Casualties | Projectiles = casualties if name in ("killed", "injured") else projectiles
    return tuple(getattr(holder, f) for f in _PAIRS[name])


def held_pair(held: Held, name: CorrectedFigure) -> tuple[int | None, ...]:
    """The incident's figure `name` (`figure_pair`)."""
    return figure_pair(held.casualties, held.projectiles, name)


def shown(pair: tuple[int | None, ...]) -> str:
    """A figure (and its upper figure) as a correction note says it: "35", "30-40", "up to 12"."""
    low, high = pair[0], pair[1] if len(pair) > 1 else None
    if low is None:
        return "unknown" if high is None else f"up to {high}"
    return str(low) if high is None or high <= low else f"{low}-{high}"


def correction_wins(held: Held, report: Classification, name: CorrectedFigure) -> bool:
    """A correction replaces the incident's figure when it gives one and was not published before
    the report whose figure it would replace."""
    if value(report, name) is None:
        return False
    return not published_before(report_time(report), held.figures_as_of.get(name))


def corrected_figures(
    held: Held,
    report: Classification,
    applied: Sequence[CorrectedFigure],
    refused: Sequence[CorrectedFigure] = (),
) -> dict[str, int | None]:
    """Every casualty and projectile field after the report joins: a corrected figure (`applied`)
    is the report's, with its upper figure; a `refused` one the incident's; any other takes the larger
    of the two (a later partial report, "two killed" after "five killed", lowers nothing), except that
    a figure a correction set is not raised by a report published before that correction. An upper
    figure the larger lower figure reaches is dropped ("30 to 40 killed", then "50 killed": 50, no
    upper figure of 40)."""
    out: dict[str, int | None] = {}
    for name in FIGURE_NAMES:
        fields = _PAIRS[name]
        theirs = figure_pair(report.casualties, report.projectiles, name)
        ours = held_pair(held, name)
        if name in applied:
            chosen = theirs
        elif name in refused or (
            name in held.corrected and published_before(report_time(report), held.figures_as_of.get(name))
        ):
            chosen = ours
        else:
            chosen = _ordered(tuple(larger(a, b) for a, b in zip(ours, theirs, strict=True)))
        out.update(zip(fields, chosen, strict=True))
    return out


def _ordered(pair: tuple[int | None, ...]) -> tuple[int | None, ...]:
    """A figure with its upper figure (`figure_pair`), the upper one dropped (None) when it is not
    above the figure: taken field by field from two reports, (50, 40) is 50 with no range."""
    if len(pair) < 2 or pair[0] is None or pair[1] is None or pair[1] > pair[0]:
        return pair
    return (pair[0], None)


def larger(a: int | None, b: int | None) -> int | None:
    """The larger of two figures, either of which may be unknown (None)."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _as_of(as_of: AsOf, report: Classification, changed: Sequence[CorrectedFigure]) -> AsOf:
    """`figures_as_of` after the report: its time for each figure it changed (when known)."""
    when = report_time(report)
    if when is None:
        return dict(as_of)
    return {**as_of, **dict.fromkeys(changed, when)}


def correction_note(
    name: CorrectedFigure, before: tuple[int | None, ...], after: tuple[int | None, ...]
) -> str:
    """The note a correction adds to the reasons ("killed corrected from 35 to 34", "injured corrected
    from 30-40 to 14"): `before`/`after` are the figure with its upper figure (`figure_pair`), shown by
    `shown`. `correction_of` reads the figure back."""
    return f"{name} corrected from {shown(before)} to {shown(after)}"


def correction_of(reason: str) -> str | None:
    """The figure a correction note ("killed corrected from 35 to 34") names; None for a rubric reason."""
    name, _, rest = reason.partition(" corrected from ")
    return name if rest and name in FIGURE_NAMES else None


def _rests_on(reason: str, names: Sequence[CorrectedFigure]) -> bool:
    """Whether a rubric line rests on one of the figures `names` (`severity.rests_on`)."""
    basis = rests_on(reason)
    if basis == "projectiles":
        return bool(_PROJECTILES.intersection(names))
    return basis is not None and basis in names


# The incident figures each basis of a rubric line (`severity.Basis`) reads.
_BASIS_FIGURES: dict[Basis, tuple[CorrectedFigure, ...]] = {
    "killed": ("killed",),
    "injured": ("injured",),
    "projectiles": ("launched", "intercepted"),
}


def refreshed(
    reasons: Sequence[str],
    held: Held,
    report: Classification,
    casualties: Casualties,
    projectiles: Projectiles,
) -> list[str]:
    """`reasons` without the lines that quote a figure the report raised: for each basis
    (`severity.rests_on`: killed, injured, projectiles) whose incident figures rose (the largest of
    them, a range's upper end included) and now are the report's own (`figure_pair`), the held
    lines on that basis ("3 killed (1–9) → Severe") give way to the report's lines on it ("5 killed
    (1–9) → Severe"), in the place of the first one. A basis the report has no line on keeps its
    lines, so a severity is never left without its reason (red team 8: a toll that rose to 5 still
    showed "3 killed" beside "5 killed"). Likewise a report's own line on a figure lower than the
    incident's ("3 killed" joining an incident of 5) is not added."""
    fresh: dict[Basis, list[str]] = {}
    stale: set[str] = set()
    for basis, names in _BASIS_FIGURES.items():
        now = [figure_pair(casualties, projectiles, n) for n in names]
        theirs = [figure_pair(report.casualties, report.projectiles, n) for n in names]
        top, before, own = _top(now), _top(held_pair(held, n) for n in names), _top(theirs)
        lines = [r for r in report.severity_reasons if rests_on(r) == basis]
        if now == theirs and top is not None and (before is None or top > before) and lines:
            fresh[basis] = lines
        elif own is not None and top is not None and own < top:
            stale.update(r for r in lines if r not in held.severity_reasons)
    out: list[str] = []
    for reason in reasons:
        line_basis = rests_on(reason)
        if reason in stale:
            continue
        if line_basis is None or line_basis not in fresh or reason in fresh[line_basis]:
            out.append(reason)
        else:
            out.extend(fresh[line_basis])  # in the place of the outdated line (repeats dropped below)
    return list(dict.fromkeys(out))


def _top(pairs: Iterable[tuple[int | None, ...]]) -> int | None:
    """The largest figure of `pairs` (figures and their upper figures); None when none is known."""
    known = [n for pair in pairs for n in pair if n is not None]
    return max(known) if known else None


def figure_severity(casualties: Casualties, projectiles: Projectiles) -> tuple[Severity, list[str]]:
    """The contract's rubric (docs/contract.md section 5, `services.common.severity.grade`, the same
    function the classifier grades a report with) over the incident's figures alone: the upper figure
    grades (a range's end, a competing claim); projectiles the larger of launched and intercepted.
    What a re-grade falls back on when a correction lowers the figure that set the severity."""
    return grade(
        SeverityFacts(
            killed=casualties.killed,
            killed_max=casualties.killed_max,
            injured=casualties.injured,
            injured_max=casualties.injured_max,
            projectiles=larger(projectiles.launched, projectiles.intercepted),
        )
    )


def regrade(
    held: Held,
    applied: Sequence[CorrectedFigure],
    casualties: Casualties,
    projectiles: Projectiles,
) -> tuple[Severity, list[str]]:
    """(severity, reasons) the incident holds after a correction changed the figures `applied`, before
    the report's own grade is weighed. When every reason the incident's severity rests on names a
    corrected figure ("35 killed (≥10) → Extreme"), the severity is graded again from the corrected
    figures (`figure_severity`), never above what it was: the only way an incident's severity goes
    down. Any other reason (damage, a blackout, another figure) keeps the severity and those reasons;
    a reason resting on a corrected figure is dropped, as it quotes the replaced one (red team 7 #14:
    "7 killed (1–9) → Severe" beside "4 killed (1–9) → Severe")."""
    # The rubric's tier lines ("... → Extreme"); its notes ("competing claims 30 vs 40; using the
    # larger") and correction notes grade nothing.
    tiers = [r for r in held.severity_reasons if "→" in r and correction_of(r) is None]
    if not tiers:
        return held.severity, list(held.severity_reasons)
    if not all(_rests_on(r, applied) for r in tiers):
        return held.severity, [r for r in held.severity_reasons if not _rests_on(r, applied)]
    severity, reasons = figure_severity(casualties, projectiles)
    if severity_rank(severity) > severity_rank(held.severity):
        return held.severity, list(held.severity_reasons)
    return severity, reasons


def correction_claims(report: Classification, noted: Mapping[CorrectedFigure, str]) -> list[Claim]:
    """Provenance of each correction note (`noted`: corrected figure -> its note): the correcting
    report's claims (`provenance.report_claims`) of that figure, re-filed as supporting the note in
    `severity_reasons`."""
    claims = report_claims(report)
    return [
        claim.model_copy(update={"field": "severity_reasons", "supports": note})
        for name, note in noted.items()
        for claim in claims
        if claim.field == name
    ]
