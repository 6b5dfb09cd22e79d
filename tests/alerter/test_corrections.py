"""A correction lowers a published figure (docs/contract.md section 6): the figure a report states as
a correction (`Classification.corrections`) replaces the incident's, even downward, unless the report
was published before the figure it would replace; it makes an Update with a note in the reasons,
re-grades severity when the corrected figure set it, and its span is the evidence. Pure, no Redis."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from schemas import Classification, Evidence, Projectiles
from services.alerter.cap import description
from services.alerter.clustering import Decision, IncidentState
from services.alerter.corrections import figure_severity, published_before
from services.alerter.feeds import features
from services.alerter.render import alert_from_state
from services.common.severity import SeverityFacts, grade

from .factories import cluster, report

NOW = datetime(2022, 12, 19, 18, 0, tzinfo=UTC)
DAY = date(2022, 12, 19)


def at(hour: int) -> datetime:
    return datetime(2022, 12, 19, hour, 0, tzinfo=UTC)


def told(
    article_id: str, hour: int, killed: int, reasons: list[str], *, severity: str, **extra: Any
) -> Classification:
    """A report published at `hour` that gives `killed`, with its figure's span as evidence."""
    text = f"{killed} people were killed"
    return report(
        article_id,
        day=DAY,
        killed=killed,
        severity=severity,
        severity_reasons=reasons,
        published=at(hour),
        evidence=[Evidence(field="killed", text=text, start=0, end=len(text))],
        **extra,
    )


def run(reports: list[Classification]) -> tuple[list[Decision], IncidentState]:
    decisions, states = cluster(reports, now=NOW)
    (state,) = states.values()
    return decisions, state


THIRTY_FIVE = ["35 killed (≥10) → Extreme"]
TWELVE = ["12 killed (≥10) → Extreme"]


def test_a_later_correction_lowers_the_figure_in_a_new_version_with_a_note() -> None:
    decisions, state = run(
        [
            told("first", 9, 35, THIRTY_FIVE, severity="Extreme"),
            told("fix", 11, 34, ["34 killed (≥10) → Extreme"], severity="Extreme", corrections=["killed"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.version == 2 and state.msg_type == "Update"
    assert state.casualties.killed == 34
    assert state.severity == "Extreme"
    assert "killed corrected from 35 to 34" in state.severity_reasons
    alert = alert_from_state(state)
    assert "34 killed" in alert.summary and "35 killed" not in alert.summary
    # Provenance: the killed figure and the note point at the correcting report only.
    killed = [e for e in alert.evidence if e.field == "killed"]
    assert [(e.article_id, e.text) for e in killed] == [("fix", "34 people were killed")]
    note = alert.severity_reasons.index("killed corrected from 35 to 34")
    # CAP and the GeoJSON feed carry the corrected figure, and CAP's description the note.
    assert "killed corrected from 35 to 34" in description(alert)
    (feature,) = features(alert)
    assert feature["properties"]["figures"]["killed"] == 34
    assert [e.article_id for e in alert.evidence if e.field == f"severity_reasons[{note}]"] == ["fix"]


def test_a_partial_later_report_without_a_correction_still_lowers_nothing() -> None:
    decisions, state = run(
        [
            told("five", 9, 5, ["5 killed (1–9) → Severe"], severity="Severe"),
            told("two", 11, 2, [], severity="Severe"),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert state.casualties.killed == 5
    assert not any("corrected" in r for r in state.severity_reasons)


def test_a_correction_published_before_the_figure_it_would_replace_does_not_win() -> None:
    decisions, state = run(
        [
            told("latest", 11, 35, THIRTY_FIVE, severity="Extreme"),
            told(
                "stale-fix", 9, 34, ["34 killed (≥10) → Extreme"], severity="Extreme", corrections=["killed"]
            ),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert state.casualties.killed == 35
    assert not any("corrected" in r for r in state.severity_reasons)


def test_severity_goes_down_only_when_the_corrected_figure_set_it() -> None:
    decisions, state = run(
        [
            told("twelve", 9, 12, TWELVE, severity="Extreme"),
            told("eight", 11, 8, ["8 killed (1–9) → Severe"], severity="Severe", corrections=["killed"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.severity == "Severe"
    assert state.severity_reasons == ["8 killed (1–9) → Severe", "killed corrected from 12 to 8"]
    # A blackout also set the severity: the correction lowers the figure, not the severity.
    blackout = "'the whole region' (whole area or 1M+ people without power) → Extreme"
    _, kept = run(
        [
            told("twelve", 9, 12, [*TWELVE, blackout], severity="Extreme"),
            told("eight", 11, 8, ["8 killed (1–9) → Severe"], severity="Severe", corrections=["killed"]),
        ]
    )
    assert kept.casualties.killed == 8
    assert kept.severity == "Extreme"
    assert blackout in kept.severity_reasons


def test_the_regrade_keeps_other_figures_the_incident_holds() -> None:
    """Twelve killed (Extreme) corrected to none: the 20 injured another report gave still grade."""
    decisions, state = run(
        [
            told("twelve", 9, 12, TWELVE, severity="Extreme"),
            report(
                "hurt",
                day=DAY,
                injured=20,
                severity="Severe",
                severity_reasons=["20 injured (10–49) → Severe"],
                published=at(10),
            ),
            told(
                "none",
                11,
                0,
                ["attack with no casualties or damage reported → Minor"],
                severity="Minor",
                corrections=["killed"],
            ),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update", "update"]
    assert state.casualties.killed == 0 and state.casualties.injured == 20
    assert state.severity == "Severe"
    assert "killed corrected from 12 to 0" in state.severity_reasons


def test_after_a_correction_an_older_report_does_not_raise_the_figure_but_a_newer_rise_does() -> None:
    first, fix = (
        told("first", 9, 35, THIRTY_FIVE, severity="Extreme"),
        told("fix", 11, 34, ["34 killed (≥10) → Extreme"], severity="Extreme", corrections=["killed"]),
    )
    decisions, state = run([first, fix, told("late-copy", 10, 35, THIRTY_FIVE, severity="Extreme")])
    assert [d.kind for d in decisions] == ["alert", "update", "source"]
    assert state.casualties.killed == 34
    assert "killed corrected from 35 to 34" in state.severity_reasons
    decisions, state = run(
        [first, fix, told("rose", 14, 40, ["40 killed (≥10) → Extreme"], severity="Extreme")]
    )
    assert [d.kind for d in decisions] == ["alert", "update", "update"]
    assert state.casualties.killed == 40
    # The note no longer describes the figure held.
    assert not any("corrected" in r for r in state.severity_reasons)


def test_a_correction_to_the_figure_already_held_is_not_news() -> None:
    decisions, state = run(
        [
            told("first", 9, 34, ["34 killed (≥10) → Extreme"], severity="Extreme"),
            told("same", 11, 34, ["34 killed (≥10) → Extreme"], severity="Extreme", corrections=["killed"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert not any("corrected" in r for r in state.severity_reasons)


def test_a_correction_replaces_a_competing_upper_claim_too() -> None:
    decisions, state = run(
        [
            told(
                "claims",
                9,
                30,
                ["competing claims 30 vs 40; using the larger", "40 killed (≥10) → Extreme"],
                severity="Extreme",
                killed_max=40,
            ),
            told("fix", 11, 28, ["28 killed (≥10) → Extreme"], severity="Extreme", corrections=["killed"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert (state.casualties.killed, state.casualties.killed_max) == (28, None)
    assert "killed corrected from 30-40 to 28" in state.severity_reasons
    assert "28 killed" in alert_from_state(state).summary
    # Corrected below the Extreme band: the tier line rested on the corrected figure, the note on
    # competing claims grades nothing, so severity is graded again.
    _, lowered = run(
        [
            told(
                "claims",
                9,
                6,
                ["competing claims 6 vs 12; using the larger", "12 killed (≥10) → Extreme"],
                severity="Extreme",
                killed_max=12,
            ),
            told("fix", 11, 6, ["6 killed (1–9) → Severe"], severity="Severe", corrections=["killed"]),
        ]
    )
    assert (lowered.casualties.killed, lowered.casualties.killed_max) == (6, None)
    assert lowered.severity == "Severe"
    assert lowered.severity_reasons == ["6 killed (1–9) → Severe", "killed corrected from 6-12 to 6"]


def test_published_before_compares_bare_dates_by_day() -> None:
    assert published_before(at(9), at(10))
    assert not published_before(at(10), at(10))
    assert not published_before(DAY, at(10))
    assert published_before(date(2022, 12, 18), at(0))
    assert not published_before(None, at(10)) and not published_before(at(10), None)
    assert published_before(datetime(2022, 12, 19, 9), at(10))  # a naive time is UTC


def test_figure_severity_follows_the_rubric() -> None:
    from schemas import Casualties, Projectiles

    assert figure_severity(Casualties(killed=10), Projectiles())[0] == "Extreme"
    assert figure_severity(Casualties(killed=8, killed_max=12), Projectiles())[0] == "Extreme"
    assert figure_severity(Casualties(injured=50), Projectiles())[0] == "Extreme"
    assert figure_severity(Casualties(killed=1), Projectiles())[0] == "Severe"
    assert figure_severity(Casualties(injured=10), Projectiles())[0] == "Severe"
    assert figure_severity(Casualties(), Projectiles(launched=50))[0] == "Severe"
    assert figure_severity(Casualties(injured=1), Projectiles())[0] == "Moderate"
    assert figure_severity(Casualties(), Projectiles(intercepted=20))[0] == "Moderate"
    assert figure_severity(Casualties(killed=0), Projectiles(launched=19))[0] == "Minor"


def graded(article_id: str, hour: int, figures: dict[str, int | None], **extra: Any) -> Classification:
    """A report published at `hour` giving `figures` (killed, injured, launched), graded by the rubric
    itself (`services.common.severity.grade`): its severity and reasons are the rubric's own words."""
    severity, reasons = grade(
        SeverityFacts(killed=figures["killed"], injured=figures["injured"], projectiles=figures["launched"])
    )
    return report(
        article_id,
        killed=figures["killed"],
        injured=figures["injured"],
        projectiles=Projectiles(launched=figures["launched"], intercepted=0),
        severity=severity,
        severity_reasons=reasons,
        published=at(hour),
        **extra,
    )


@pytest.mark.parametrize(
    ("first", "fix", "severity"),
    [
        # The first report's one figure set its severity; the correction lowers that figure.
        ({"killed": 12}, {"killed": 2}, "Severe"),
        ({"killed": 3}, {"killed": 0}, "Minor"),
        ({"injured": 60}, {"injured": 5}, "Moderate"),
        ({"injured": 20}, {"injured": 3}, "Moderate"),
        ({"launched": 80}, {"launched": 25}, "Moderate"),
    ],
)
def test_a_regrade_reads_the_reasons_the_rubric_itself_writes(
    first: dict[str, int], fix: dict[str, int], severity: str
) -> None:
    """The incident's reasons are `grade`'s own words (not hand-written here), so a change of the
    rubric's wording that the re-grade no longer recognises (`severity.rests_on`) fails."""
    before = {**dict.fromkeys(["killed", "injured", "launched"], None), **first}
    opening = graded("first", 9, before)
    assert opening.severity in ("Extreme", "Severe")
    decisions, state = run([opening, graded("fix", 11, {**before, **fix}, corrections=list(fix))])
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.severity == severity
    (name,) = fix
    held = state.casualties if name in ("killed", "injured") else state.projectiles
    assert getattr(held, name) == fix[name]
    assert [r for r in state.severity_reasons if "corrected from" in r] == [
        f"{name} corrected from {first[name]} to {fix[name]}"
    ]


def test_a_higher_figure_beyond_a_ranges_end_leaves_no_upper_figure_below_it() -> None:
    """ "30 to 40 killed", then "50 killed": the incident holds 50 with no upper figure, not 50 with an
    upper figure of 40 (which the feeds would publish as `killed_max` 40 under `killed` 50)."""
    ranged = report(
        "range",
        killed=30,
        killed_max=40,
        severity="Extreme",
        severity_reasons=["a range of 30–40; using the upper end", "40 killed (≥10) → Extreme"],
        published=at(9),
    )
    higher = told("higher", 10, 50, ["50 killed (≥10) → Extreme"], severity="Extreme")
    decisions, state = run([ranged, higher])
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert (state.casualties.killed, state.casualties.killed_max) == (50, None)
    # A higher range's end still stands.
    _, wider = run([ranged, told("wider", 10, 35, [], severity="Extreme", killed_max=60)])
    assert (wider.casualties.killed, wider.casualties.killed_max) == (35, 60)


def test_the_moderate_reason_says_nobody_killed_only_when_the_text_says_so() -> None:
    """Red team 7 #12: "2 injured ..., nobody killed" for a text silent on deaths (killed unknown)."""
    from schemas import Casualties, Projectiles

    assert figure_severity(Casualties(injured=2), Projectiles())[1] == [
        "2 injured (1–9), no deaths reported → Moderate"
    ]
    assert figure_severity(Casualties(killed=0, injured=2), Projectiles())[1] == [
        "2 injured (1–9), nobody killed → Moderate"
    ]


def test_a_figure_revised_down_to_more_than_the_incident_holds_changes_nothing() -> None:
    """Red team 7 #2: "killing 12", then "the toll was revised down to 35": the text says the figure
    fell, so 35 is not the killed figure lowered; neither a correction nor a rise, only a source."""
    down = told(
        "down",
        11,
        35,
        THIRTY_FIVE,
        severity="Extreme",
        corrections=["killed"],
        lowered=["killed"],
    )
    decisions, state = run([told("twelve", 9, 12, TWELVE, severity="Extreme"), down])
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert state.casualties.killed == 12
    assert state.severity_reasons == TWELVE
    assert [e.article_id for e in alert_from_state(state).evidence if e.field == "killed"] == ["twelve"]
    # Nor does its grade raise the incident's severity.
    decisions, state = run([told("five", 9, 5, ["5 killed (1–9) → Severe"], severity="Severe"), down])
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert (state.casualties.killed, state.severity) == (5, "Severe")
    assert state.severity_reasons == ["5 killed (1–9) → Severe"]


def test_a_figure_revised_down_below_the_incidents_is_a_correction() -> None:
    eight = told(
        "eight",
        11,
        8,
        ["8 killed (1–9) → Severe"],
        severity="Severe",
        corrections=["killed"],
        lowered=["killed"],
    )
    decisions, state = run([told("twelve", 9, 12, TWELVE, severity="Extreme"), eight])
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert (state.casualties.killed, state.severity) == (8, "Severe")
    assert "killed corrected from 12 to 8" in state.severity_reasons
    # An incident with no killed figure yet has nothing the revision contradicts.
    decisions, state = run([report("hurt", injured=20, published=at(9)), eight])
    assert state.casualties.killed == 8


def test_after_a_correction_no_reason_quotes_the_replaced_figure() -> None:
    """Red team 7 #14: killed 7 corrected to 4 while 25 injured keep the incident Severe: the reasons
    said "7 killed (1–9) → Severe" beside "4 killed (1–9) → Severe"."""
    injured = ["25 injured (10–49) → Severe"]
    decisions, state = run(
        [
            told("seven", 9, 7, ["7 killed (1–9) → Severe", *injured], severity="Severe", injured=25),
            told(
                "four",
                11,
                4,
                ["4 killed (1–9) → Severe", *injured],
                severity="Severe",
                injured=25,
                corrections=["killed"],
            ),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.severity == "Severe"
    assert state.severity_reasons == [*injured, "4 killed (1–9) → Severe", "killed corrected from 7 to 4"]
    # The same when the report that corrects grades lower than the incident (a blackout keeps it Extreme).
    blackout = "'the whole region' (whole area or 1M+ people without power) → Extreme"
    _, kept = run(
        [
            told("twelve", 9, 12, [*TWELVE, blackout], severity="Extreme"),
            told("eight", 11, 8, ["8 killed (1–9) → Severe"], severity="Severe", corrections=["killed"]),
        ]
    )
    assert kept.severity_reasons == [blackout, "killed corrected from 12 to 8"]


def test_every_rubric_line_says_the_figure_it_rests_on() -> None:
    """The re-grade reads which figure a stored reason rests on from the rubric's own templates
    (`severity.rests_on`), not from words the alerter keeps: each line `graded` writes reads back to
    its basis."""
    from services.common.severity import SeverityFacts, graded, rests_on

    cases = [
        SeverityFacts(killed=12, injured=60, whole_area_without_power="the whole region"),
        SeverityFacts(killed=3, injured=20, projectiles=60, critical_damage=["energy"]),
        SeverityFacts(killed=5, killed_max=12, injured=1, injured_max=4, injured_range=True),
        SeverityFacts(deaths_unnumbered=True),
        SeverityFacts(injured=2),
        SeverityFacts(killed=0, injured=2, projectiles=25, civil_damage=["homes"]),
        SeverityFacts(killed_at_least=24, corrected=True, killed_max=3),
        SeverityFacts(),
    ]
    for facts in cases:
        for reason in graded(facts)[1]:
            assert rests_on(reason.text) == reason.basis, reason
    severe = SeverityFacts(killed=3, injured=20, projectiles=60, critical_damage=["energy"])
    assert [r.basis for r in graded(severe)[1]] == ["killed", "injured", None, "projectiles"]
    assert rests_on("killed corrected from 12 to 8") is None
    assert rests_on("competing claims 30 vs 40 killed; using the larger") == "killed"
    assert rests_on("a range of 3–5 injured; using the upper end") == "injured"
    # The notes' wording before: it named no figure, so it rests on none.
    assert rests_on("competing claims 30 vs 40; using the larger") is None
    # The wording before red team 7 #12, still held by incidents stored then.
    assert rests_on("2 injured (1–9), nobody killed → Moderate") == "injured"


def test_after_a_correction_no_note_reads_the_replaced_figure() -> None:
    """Competing claims of 30 and 40 killed corrected to 28 while 60 injured keep the incident Extreme:
    the note on the claims (and the 40 killed line) went with the figure they read."""
    from services.common.severity import SeverityFacts, grade

    _, before = grade(SeverityFacts(killed=30, killed_max=40, injured=60))
    _, after = grade(SeverityFacts(killed=28, injured=60))
    assert before[0] == "competing claims 30 vs 40 killed; using the larger"
    decisions, state = run(
        [
            told("claims", 9, 30, before, severity="Extreme", killed_max=40, injured=60),
            told("fix", 11, 28, after, severity="Extreme", injured=60, corrections=["killed"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.severity == "Extreme"
    assert state.severity_reasons == [
        "60 injured (≥50) → Extreme",
        "28 killed (≥10) → Extreme",
        "killed corrected from 30-40 to 28",
    ]


def test_when_a_toll_rises_no_reason_quotes_the_earlier_figure() -> None:
    """Red team 8: 3 killed, then a report that the toll rose to 5 (same tier): the reasons kept
    "3 killed (1–9) → Severe" beside "5 killed (1–9) → Severe"."""
    decisions, state = run(
        [
            told("three", 9, 3, ["3 killed (1–9) → Severe"], severity="Severe"),
            told("five", 14, 5, ["5 killed (1–9) → Severe"], severity="Severe"),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert (state.casualties.killed, state.severity) == (5, "Severe")
    assert state.severity_reasons == ["5 killed (1–9) → Severe"]
    # A report that grades lower (a blackout keeps the incident Extreme) still replaces the line on
    # the figure it raised, and the blackout line stays.
    blackout = "'the whole region' (whole area or 1M+ people without power) → Extreme"
    _, kept = run(
        [
            told("three", 9, 3, [blackout, "3 killed (1–9) → Severe"], severity="Extreme"),
            told("five", 14, 5, ["5 killed (1–9) → Severe"], severity="Severe"),
        ]
    )
    assert kept.severity == "Extreme"
    assert kept.severity_reasons == [blackout, "5 killed (1–9) → Severe"]
    # A report whose figure is not higher changes no line: 5 then 3 keeps "5 killed".
    _, lower = run(
        [
            told("five", 9, 5, ["5 killed (1–9) → Severe"], severity="Severe"),
            told("three", 14, 3, ["3 killed (1–9) → Severe"], severity="Severe"),
        ]
    )
    assert lower.casualties.killed == 5
    assert lower.severity_reasons == ["5 killed (1–9) → Severe"]
