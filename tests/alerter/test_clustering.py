"""Incident clustering as a pure function."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from schemas import Classification, Location
from services.alerter.clustering import (
    Decision,
    IncidentState,
    assign,
    night_of,
    place_of,
    places_match,
)

from .factories import BILA_TSERKVA, KHARKIV, KYIV, KYIV_OBLAST, cluster, report, seed_reports

NOW = datetime(2022, 12, 19, 12, 0, tzinfo=UTC)


def run(reports: list, states: dict[str, IncidentState] | None = None) -> tuple[list[Decision], dict]:
    return cluster(reports, states, now=NOW)


def test_region_only_location_is_recognised() -> None:
    """ "Kyiv Oblast" is a region; Kyiv (Kyiv City) and Bila Tserkva are settlements."""
    assert place_of(KYIV_OBLAST).region_only
    assert place_of(Location(name="Kyiv region", region="Kyiv Oblast")).region_only
    assert place_of(Location(name="Donetsk Oblast")).region_only
    assert not place_of(KYIV).region_only
    assert not place_of(Location(name="Donetsk", region="Donetsk Oblast")).region_only


def test_capital_joins_its_surrounding_region_only_when_one_side_names_just_the_region() -> None:
    """Kyiv City and Kyiv Oblast pair up through the capital table, but two different settlements
    in the pair do not."""
    assert places_match(place_of(KYIV), place_of(KYIV_OBLAST))
    assert places_match(place_of(KYIV_OBLAST), place_of(KYIV))
    assert places_match(place_of(BILA_TSERKVA), place_of(KYIV_OBLAST))
    assert not places_match(place_of(KYIV), place_of(BILA_TSERKVA))
    assert not places_match(place_of(KHARKIV), place_of(KYIV_OBLAST))


def test_seeds_make_three_incidents_with_one_alert_for_kyiv() -> None:
    """Seeds 001, 002, 004 are one incident with three sources and exactly one `Alert`."""
    decisions, states = run(seed_reports())
    assert len(states) == 3
    kyiv = next(s for s in states.values() if any(src.article_id == "seed-001" for src in s.sources))
    assert len(kyiv.sources) == 3
    kyiv_decisions = [d for d in decisions if d.state.alert_id == kyiv.alert_id]
    assert [d.kind for d in kyiv_decisions].count("alert") == 1
    assert kyiv.event_date == date(2022, 12, 19)


def test_dates_within_one_day_join_and_two_days_apart_do_not() -> None:
    decisions, states = run(
        [
            report("a", day=date(2022, 12, 19)),
            report("b", day=date(2022, 12, 20)),
            report("c", day=date(2022, 12, 22)),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source", "alert"]
    assert len(states) == 2


def test_attacks_on_consecutive_nights_are_not_chained_into_one_incident() -> None:
    """Each report is within a day of the one before, but the third is two days after the first:
    it starts its own incident (an incident spans at most two days), and so does the fifth."""
    days = [date(2022, 12, d) for d in (19, 20, 21, 22, 23)]
    decisions, states = run([report(f"n{i}", day=day) for i, day in enumerate(days)])
    assert [d.kind for d in decisions] == ["alert", "source", "alert", "source", "alert"]
    assert sorted(s.event_dates for s in states.values()) == [days[0:2], days[2:4], days[4:5]]


def test_incompatible_attack_types_stay_apart_but_rocket_and_missile_join() -> None:
    decisions, _ = run(
        [
            report("a", types=["drone"]),
            report("b", types=["artillery"]),
            report("c", types=["missile"], locations=[KHARKIV]),
            report("d", types=["rocket"], locations=[KHARKIV]),
            report("e", types=["ground_assault"], locations=[KHARKIV]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "alert", "alert", "source", "alert"]


@pytest.mark.parametrize(
    ("first", "second"),
    [(["drone"], ["missile"]), (["missile"], ["drone"]), (["glide_bomb", "airstrike"], ["drone"])],
)
def test_one_combined_strike_reported_by_weapon_is_one_incident(first: list[str], second: list[str]) -> None:
    """Drones named in one report and missiles (or bombs) in another, same city and night: one
    combined strike, so one incident whose Update adds the new weapon family (red team 5, N15)."""
    decisions, _ = run([report("a", types=first), report("b", types=second)])
    assert [d.kind for d in decisions] == ["alert", "update"]
    assert decisions[1].state.alert_id == decisions[0].state.alert_id


def test_severity_never_drops_and_casualties_take_the_maximum() -> None:
    decisions, states = run(
        [
            report("a", severity="Extreme", killed=12, killed_max=40),
            report("b", severity="Moderate", killed=5, injured=3),
        ]
    )
    (state,) = states.values()
    assert state.severity == "Extreme"
    assert state.casualties.killed == 12
    assert state.casualties.killed_max == 40
    assert state.casualties.injured == 3
    assert decisions[1].kind == "update"  # injured appeared: a higher casualty figure
    assert state.severity_reasons == ["Extreme because of a"]


def test_update_only_on_material_change() -> None:
    """Higher severity, a new casualty figure or a new place make an Update with the next version;
    a report adding nothing only adds a source."""
    decisions, states = run(
        [
            report("a", killed=1),
            report("b", killed=1),
            report("c", killed=2),
            report("d", severity="Extreme", killed=2),
            report("e", locations=[KYIV, KYIV_OBLAST], killed=1),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source", "update", "update", "update"]
    (state,) = states.values()
    assert state.version == 4
    assert state.msg_type == "Update"
    assert len(state.sources) == 5
    assert len(state.references) == 3
    assert state.references[0].startswith(f"strikewatch,{state.alert_id}-v1,")
    assert [loc.name for loc in state.locations] == ["Kyiv", "Kyiv Oblast"]


def test_redelivered_report_changes_nothing() -> None:
    _decisions, states = run([report("a", killed=1), report("b", injured=4)])
    again, states = run([report("b", injured=4)], states)
    assert again[0].kind == "duplicate"
    (state,) = states.values()
    assert len(state.sources) == 2
    assert state.version == 2


def test_alert_id_is_stable_for_the_same_first_report() -> None:
    first, _ = run([report("a")])
    second, _ = run([report("a")])
    assert first[0].state.alert_id == second[0].state.alert_id


def test_undated_report_joins_the_incident_being_reported_now() -> None:
    """A report with neither event date nor publication date (seed 002) joins, on place and type,
    the matching incident most recently reported; it never forces a new dated incident."""
    decisions, _states = run(
        [
            report("older", locations=[KHARKIV, KYIV], day=date(2023, 12, 29), types=["drone", "missile"]),
            report("dated", locations=[KYIV_OBLAST], killed=3),
            report("undated", locations=[KYIV], day=None),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "alert", "update"]
    assert decisions[2].state.alert_id == decisions[1].state.alert_id
    assert decisions[2].state.event_date == date(2022, 12, 19)


def test_incident_started_undated_takes_the_first_date_it_learns() -> None:
    decisions, states = run([report("undated", day=None), report("dated", day=date(2022, 12, 19), injured=1)])
    assert [d.kind for d in decisions] == ["alert", "update"]
    (state,) = states.values()
    assert state.event_date == date(2022, 12, 19)
    assert ("s:kyiv", "undated") in decisions[0].state.index_keys()
    assert ("s:kyiv", "undated") not in state.index_keys()
    assert ("s:kyiv", "2022-12-19") in state.index_keys()


def test_more_projectiles_or_a_new_weapon_family_is_material_but_a_confirmed_zero_is_not() -> None:
    decisions, _ = run(
        [
            report("a"),
            report("b", killed=0, injured=0),
            report("c", projectiles={"launched": 50, "intercepted": 30}),
            report("d", types=["drone", "missile"]),
            report("e", types=["rocket"]),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "source", "update", "update", "source"]


def test_a_much_reported_incident_lists_the_first_and_latest_sources_but_counts_all() -> None:
    from services.alerter.clustering import MAX_SOURCES
    from services.alerter.render import alert_from_state

    state = assign([], report("a0"), now=NOW, sender="t").state
    for n in range(1, MAX_SOURCES + 10):
        state = assign([state], report(f"a{n}"), now=NOW, sender="t").state
    assert state.source_count == MAX_SOURCES + 10
    assert len(state.sources) == MAX_SOURCES
    assert state.sources[0].article_id == "a0"
    assert state.sources[-1].article_id == f"a{MAX_SOURCES + 9}"
    alert = alert_from_state(state)
    assert alert.source_count == MAX_SOURCES + 10
    assert f"Based on {MAX_SOURCES + 10} reports" in alert.summary


# One city, one night reported several ways, and the next night: what `event_date_basis` and
# `event_date_evening` let the alerter tell apart (docs/contract.md section 5).
SUNDAY, MONDAY, TUESDAY = date(2022, 12, 18), date(2022, 12, 19), date(2022, 12, 20)


def night_report(
    article_id: str,
    day: date,
    basis: str,
    *,
    evening: bool = False,
    night: bool = False,
    published: date,
) -> Classification:
    return report(
        article_id,
        day=day,
        event_date_basis=basis,
        event_date_evening=evening,
        event_date_night=night,
        published=published,
    )


def into_monday(article_id: str) -> Classification:
    """ "Overnight into Monday ..." published on Monday."""
    return night_report(article_id, MONDAY, "text", night=True, published=MONDAY)


def into_tuesday(article_id: str) -> Classification:
    """ "Overnight into Tuesday ..." published on Tuesday."""
    return night_report(article_id, TUESDAY, "text", night=True, published=TUESDAY)


def one_night_four_ways() -> list[Classification]:
    return [
        into_monday("overnight-into-monday"),
        night_report("on-sunday-night", SUNDAY, "text", evening=True, published=MONDAY),
        night_report("late-on-sunday", SUNDAY, "text", evening=True, published=MONDAY),
        night_report("last-night", MONDAY, "relative", published=MONDAY),
    ]


def test_night_of_keys_a_night_to_the_morning_it_ends_on() -> None:
    # "last night" in Monday's report is Monday's night too (a relative word counts as the text's
    # own day since red team 4 F2: it was None, and two "last night"s a day apart merged).
    assert [night_of(r) for r in one_night_four_ways()] == [MONDAY, MONDAY, MONDAY, MONDAY]
    assert night_of(night_report("p", MONDAY, "published", published=MONDAY)) is None
    # A report from before the basis existed keeps the day window.
    assert night_of(report("old", day=MONDAY)) is None


def test_two_consecutive_nights_on_one_city_are_two_incidents() -> None:
    """Night one (into Monday) and night two (into Tuesday, or "on Monday night"): within the day
    window, but both days are read from the texts and differ, so the second attack alerts."""
    for second in (
        into_tuesday("into-tuesday"),
        night_report("monday-night", MONDAY, "text", evening=True, published=TUESDAY),
        night_report("late-on-monday", MONDAY, "text", evening=True, published=TUESDAY),
    ):
        decisions, states = run([into_monday("into-monday"), second])
        assert [d.kind for d in decisions] == ["alert", "alert"], second.id
        assert sorted(s.nights for s in states.values()) == [[MONDAY], [TUESDAY]]


def test_last_night_in_two_mornings_reports_is_two_nights() -> None:
    """ "Drones attacked Sumy last night", published on Monday and again on Tuesday: two attacks
    (red team 4 F2); the same with a written day on one side ("overnight into Tuesday")."""
    for second in (
        night_report("last-night-tuesday", TUESDAY, "relative", published=TUESDAY),
        into_tuesday("into-tuesday"),
    ):
        decisions, states = run(
            [night_report("last-night-monday", MONDAY, "relative", published=MONDAY), second]
        )
        assert [d.kind for d in decisions] == ["alert", "alert"], second.id
        assert sorted(s.nights for s in states.values()) == [[MONDAY], [TUESDAY]]


def test_one_night_reported_four_ways_is_one_incident_in_any_order() -> None:
    for order in itertools.permutations(one_night_four_ways()):
        decisions, states = run(list(order))
        assert [d.kind for d in decisions] == ["alert", "source", "source", "source"], [r.id for r in order]
        (state,) = states.values()
        assert state.nights == [MONDAY]
        assert state.source_count == 4


def test_an_undated_follow_up_published_the_next_day_joins() -> None:
    """A report whose text names no day, published on Tuesday, is about the night into Monday when
    that is the only attack known; "last night" the same."""
    for follow_up in (
        night_report("undated", TUESDAY, "published", published=TUESDAY),
        night_report("no-date-at-all", TUESDAY, "published", published=TUESDAY).model_copy(
            update={"event_date": None, "event_date_basis": None, "published": None}
        ),
    ):
        decisions, states = run([into_monday("into-monday"), follow_up])
        assert [d.kind for d in decisions] == ["alert", "source"], follow_up.id
        assert len(states) == 1


def test_after_two_nights_a_next_morning_report_joins_the_nearer_night() -> None:
    """Both nights are known: "last night" on Tuesday morning is the night into Tuesday."""
    decisions, states = run(
        [
            into_monday("into-monday"),
            into_tuesday("into-tuesday"),
            night_report("last-night-tuesday", TUESDAY, "relative", published=TUESDAY),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "alert", "source"]
    tuesday = next(s for s in states.values() if s.nights == [TUESDAY])
    assert [src.article_id for src in tuesday.sources] == ["into-tuesday", "last-night-tuesday"]


# Red team 7 #3: a whole written day ("on Friday", "Friday's attack": neither flag) against a night.
THURSDAY, FRIDAY, SATURDAY = date(2022, 12, 15), date(2022, 12, 16), date(2022, 12, 17)


def whole_day(article_id: str, day: date) -> Classification:
    """ "The toll from Friday's drone attack ..." published the next day."""
    return night_report(article_id, day, "text", published=SATURDAY)


def test_a_whole_day_joins_the_night_that_ends_or_starts_on_it_in_any_order() -> None:
    """ "Drones hit the city on Friday night" (keyed Saturday) and "the toll from Friday's attack":
    one attack (two alerts before); so are "overnight into Friday" and "overnight into Saturday" with
    "Friday's attack"."""
    for night in (
        night_report("friday-night", FRIDAY, "text", evening=True, published=SATURDAY),
        night_report("into-friday", FRIDAY, "text", night=True, published=FRIDAY),
        night_report("into-saturday", SATURDAY, "text", night=True, published=SATURDAY),
    ):
        for order in ([night, whole_day("fridays", FRIDAY)], [whole_day("fridays", FRIDAY), night]):
            decisions, states = run(order)
            assert [d.kind for d in decisions] == ["alert", "source"], [r.id for r in order]
            (state,) = states.values()
            assert state.days == [FRIDAY]
            assert state.nights == [night_of(night)]


def test_a_whole_day_does_not_join_another_days_night_nor_chain_two_nights() -> None:
    # "Thursday's attack" is not the attack on Friday night (keyed Saturday), though within the window.
    decisions, _ = run(
        [
            night_report("friday-night", FRIDAY, "text", evening=True, published=SATURDAY),
            whole_day("thursdays", THURSDAY),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "alert"]
    # Two written days are two attacks, as before.
    decisions, _ = run([whole_day("thursdays", THURSDAY), whole_day("fridays", FRIDAY)])
    assert [d.kind for d in decisions] == ["alert", "alert"]
    # The nights into Friday and into Saturday stay two; "Friday's attack" joins one, chaining nothing.
    decisions, states = run(
        [
            night_report("into-friday", FRIDAY, "text", night=True, published=FRIDAY),
            night_report("friday-night", FRIDAY, "text", evening=True, published=SATURDAY),
            whole_day("fridays", FRIDAY),
        ]
    )
    assert [d.kind for d in decisions] == ["alert", "alert", "source"]
    assert sorted(s.nights for s in states.values()) == [[FRIDAY], [SATURDAY]]
    # A relative word stays as precise as a written date: "yesterday" (Friday) is not Thursday's.
    decisions, _ = run(
        [whole_day("thursdays", THURSDAY), night_report("yesterday", FRIDAY, "relative", published=SATURDAY)]
    )
    assert [d.kind for d in decisions] == ["alert", "alert"]


def test_an_incident_stored_before_days_were_kept_apart_is_still_read() -> None:
    """State written before `days` existed: readable, its `nights` holding every day the texts gave."""
    (decision,) = run([into_monday("into-monday")])[0]
    stored = decision.state.model_dump(mode="json")
    del stored["days"]
    assert IncidentState.model_validate(stored).days == []


def last_night(article_id: str, published: date) -> Classification:
    """ "Drones struck the city last night": the classifier's relative night (`event_date_night`)."""
    return night_report(article_id, published, "relative", night=True, published=published)


def test_last_night_joins_the_whole_day_whose_night_it_is_in_any_order() -> None:
    """Red team 9: "last night" in Saturday's report and "the toll from Friday's attack" are one attack
    (two alerts before: a relative word agreed with another day only when equal)."""
    for order in (
        [last_night("last-night", SATURDAY), whole_day("fridays", FRIDAY)],
        [whole_day("fridays", FRIDAY), last_night("last-night", SATURDAY)],
    ):
        decisions, states = run(order)
        assert [d.kind for d in decisions] == ["alert", "source"], [r.id for r in order]
        (state,) = states.values()
        assert (state.nights, state.days) == ([SATURDAY], [FRIDAY])


def test_last_night_stays_one_night() -> None:
    # Not Thursday's attack, nor the next morning's "last night", nor the night into Sunday.
    decisions, _ = run([whole_day("thursdays", THURSDAY), last_night("last-night", SATURDAY)])
    assert [d.kind for d in decisions] == ["alert", "alert"]
    sunday = SATURDAY + timedelta(days=1)
    for second in (
        last_night("last-night-sunday", sunday),
        night_report("into-sunday", sunday, "text", night=True, published=sunday),
    ):
        decisions, _ = run([last_night("last-night-saturday", SATURDAY), second])
        assert [d.kind for d in decisions] == ["alert", "alert"], second.id
    # ... and it is the night that "on Friday night" and "overnight into Saturday" name.
    for night in (
        night_report("friday-night", FRIDAY, "text", evening=True, published=SATURDAY),
        night_report("into-saturday", SATURDAY, "text", night=True, published=SATURDAY),
    ):
        decisions, _ = run([night, last_night("last-night", SATURDAY)])
        assert [d.kind for d in decisions] == ["alert", "source"], night.id


def test_tonight_is_the_night_that_last_night_names_the_next_morning() -> None:
    """Red team 14 F4: "tonight" in Saturday evening's report (`event_date_evening`, keyed Sunday) and
    "last night" in Sunday's are one attack; Saturday's own "last night" is another."""
    sunday = SATURDAY + timedelta(days=1)
    tonight = night_report("tonight", SATURDAY, "relative", evening=True, published=SATURDAY)
    decisions, states = run([tonight, last_night("last-night-sunday", sunday)])
    assert [d.kind for d in decisions] == ["alert", "source"]
    (state,) = states.values()
    assert state.nights == [sunday]
    decisions, _ = run([tonight, last_night("last-night-saturday", SATURDAY)])
    assert [d.kind for d in decisions] == ["alert", "alert"]
