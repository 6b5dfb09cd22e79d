"""Red team 6 R1-R3 end to end: texts through the real classifier, then the alerter's clustering. A
later report on the same attack that tells of another strike's correction (R1), corrects a subset of
the victims (R2) or a "toll" the text makes implausible as the killed figure (R3) changes neither the
alert's figures nor its severity nor its places. Sentences of our own."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas import Classification
from schemas.models import Article
from services.classifier.engine import Classifier

from .factories import cluster

NOW = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)
DAY = date(2026, 11, 19)


def classified(engine: Classifier, article_id: str, text: str) -> Classification:
    return engine.classify([Article(id=article_id, text=text, published=DAY)])[0]


@pytest.mark.parametrize(
    ("first", "later"),
    [
        # R1: another day's strike on another city, its toll revised.
        (
            "A Russian missile struck Kharkiv on Monday, killing 3 people.",
            "Separately, the toll from the strike on Odesa a week ago was revised to 10.",
        ),
        # R2: a subset of the injured corrected.
        (
            "A Russian missile hit Dnipro on Monday, killing 5 and injuring 60.",
            "The number of injured children was corrected to 3.",
        ),
        # R3: "the toll" revised down to more than the killed figure.
        (
            "Russian missiles hit Kharkiv on Monday, killing 12 and injuring 40.",
            "The toll was later revised down to 35.",
        ),
    ],
)
def test_a_later_report_with_anothers_or_a_subsets_correction_changes_no_figure(
    engine: Classifier, first: str, later: str
) -> None:
    reports = [classified(engine, "first", first), classified(engine, "later", f"{first} {later}")]
    decisions, states = cluster(reports, now=NOW)
    (state,) = states.values()
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert state.casualties == reports[0].casualties
    assert state.severity == reports[0].severity
    assert state.locations == reports[0].locations
    assert not any("corrected" in r for r in state.severity_reasons)


def test_a_later_report_lowering_the_toll_to_more_than_the_killed_figure_changes_nothing(
    engine: Classifier,
) -> None:
    """Red team 7 #2 across two reports: the second says only that the toll was "revised down to 28",
    above the 9 killed the first gave. It was an impossible downward correction (9 → 28, Extreme)."""
    reports = [
        classified(
            engine, "first", "A Russian missile struck Zaporizhzhia on Tuesday, killing 9 and wounding 30."
        ),
        classified(
            engine,
            "later",
            "The toll from Tuesday's missile strike on Zaporizhzhia was revised down to 28, officials said.",
        ),
    ]
    assert reports[1].lowered == ["killed"]
    decisions, states = cluster(reports, now=NOW)
    (state,) = states.values()
    assert [d.kind for d in decisions] == ["alert", "source"]
    assert state.casualties == reports[0].casualties
    assert state.severity == reports[0].severity == "Severe"
    assert not any("28" in r for r in state.severity_reasons)


@pytest.mark.parametrize(
    "night",
    [
        "Russian drones hit Poltava on Tuesday night, killing 4 people, the governor said.",
        "Russian drones hit Poltava overnight into Tuesday, killing 4 people, the governor said.",
        "Russian drones hit Poltava overnight into Wednesday, killing 4 people, the governor said.",
    ],
)
def test_a_whole_day_and_its_night_are_one_incident(engine: Classifier, night: str) -> None:
    """Red team 7 #3: "on Tuesday night" (the night into Wednesday) and "Tuesday's drone attack" were
    two alerts; both nights that touch Tuesday are Tuesday's attack."""
    later = "The death toll from Tuesday's drone attack on Poltava rose to 6, officials said."
    reports = [classified(engine, "night", night), classified(engine, "later", later)]
    decisions, states = cluster(reports, now=NOW)
    assert [d.kind for d in decisions] == ["alert", "update"]
    (state,) = states.values()
    assert state.casualties.killed == 6


def test_two_nights_touching_one_day_stay_two_incidents(engine: Classifier) -> None:
    reports = [
        classified(engine, "into", "Russian drones hit Poltava overnight into Tuesday, killing 4 people."),
        classified(engine, "evening", "Russian drones hit Poltava again on Tuesday night, killing 2 people."),
    ]
    decisions, states = cluster(reports, now=NOW)
    assert [d.kind for d in decisions] == ["alert", "alert"]
    assert len(states) == 2


@pytest.mark.parametrize(
    ("first", "later"),
    [
        (
            "Russian drones struck Zhytomyr overnight, killing 8 people.",
            "The death toll in Zhytomyr was revised down to 5.",
        ),
        (
            "Уночі російські дрони атакували Житомир, загинули 8 людей.",
            "Кількість загиблих у Житомирі уточнили до 5.",
        ),
        (
            "Ночью российские дроны атаковали Житомир, погибли 8 человек.",
            "Число погибших в Житомире снизилось до 5.",
        ),
    ],
)
def test_a_toll_revision_told_alone_corrects_its_alert(engine: Classifier, first: str, later: str) -> None:
    """Red team 8 #1: a follow-up that gives only the revised toll was no attack, so its correction never
    reached the alert. It is a death-toll update (LABELS.md rule 1): an Update with the lowered figure."""
    reports = [classified(engine, "first", first), classified(engine, "later", later)]
    assert reports[1].is_attack
    decisions, states = cluster(reports, now=NOW)
    (state,) = states.values()
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert state.casualties.killed == 5
    assert "killed corrected from 8 to 5" in state.severity_reasons
