"""Kinds fixed in round 6, from the red team's findings (sentences of our own): downward toll revisions,
a wave's figures told place by place, "up to N" as an upper bound, a hospital's city, a district of the
city named before it, a debunked strike claim, and a new strike told beside an anniversary."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


def _names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


# --- a downward revision: the figure it is revised to (LABELS.md rule 4) -----------------------------


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "Authorities revised the number of dead in the Odesa missile strike down from 21 to 19 after "
            "two people listed as missing were found alive.",
            19,
        ),
        (
            "The regional administration revised the death toll from Tuesday's Russian drone attack on "
            "Kherson down from 8 to 6.",
            6,
        ),
        (
            "Officials lowered the toll of the Russian shelling of Nikopol to 3, saying one victim had been "
            "counted twice.",
            3,
        ),
        (
            "Police corrected the number of people killed in the missile strike on Zaporizhzhia down from 14 "
            "to 13.",
            13,
        ),
    ],
)
def test_a_downward_revision_gives_the_figure_it_is_revised_to(
    classify: Callable[..., Classification], text: str, killed: int
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed == killed
    assert c.severity in ("Extreme", "Severe")


# --- a wave told place by place: its figures summed (LABELS.md rule 2) ------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "injured", "places"),
    [
        (
            "Russian missiles killed 4 people in Odesa and 3 in Mykolaiv on Tuesday night, the governors "
            "said.",
            7,
            None,
            {"Odesa", "Mykolaiv"},
        ),
        (
            "Overnight shelling injured 6 civilians in Kherson, 2 in Nikopol and 1 in Marhanets, local "
            "authorities reported.",
            None,
            9,
            {"Kherson", "Nikopol", "Marhanets"},
        ),
        (
            "A wave of Russian drones killed 2 people in Sumy and 1 in Konotop early on Monday.",
            3,
            None,
            {"Sumy", "Konotop"},
        ),
    ],
)
def test_a_wave_told_place_by_place_sums_its_places(
    classify: Callable[..., Classification],
    text: str,
    killed: int | None,
    injured: int | None,
    places: set[str],
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed == killed
    assert c.casualties.injured == injured
    assert places <= _names(c)


def test_a_figure_of_another_count_after_a_place_is_not_summed(
    classify: Callable[..., Classification],
) -> None:
    # "and injured 5 in Izium": another count, not the next place's deaths.
    c = classify("Russian shelling killed 2 people in Kupiansk and injured 5 in Izium on Sunday.")
    assert c.casualties.killed == 2
    assert c.casualties.injured == 5


# --- "up to N": an upper bound, no figure (LABELS.md rule 4: killed_max) ----------------------------


@pytest.mark.parametrize(
    ("text", "killed_max", "severity"),
    [
        (
            "Up to 15 people may have been killed in the Russian missile strike on Kramatorsk, police said.",
            15,
            "Extreme",
        ),
        (
            "Up to 4 civilians are feared dead after a Russian glide bomb hit a shop in Kostiantynivka.",
            4,
            "Severe",
        ),
        (
            "Rescuers fear that up to 30 people were killed when a Russian missile struck an apartment block "
            "in Dnipro.",
            30,
            "Extreme",
        ),
    ],
)
def test_up_to_n_killed_is_an_upper_bound(
    classify: Callable[..., Classification], text: str, killed_max: int, severity: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed is None
    assert c.casualties.killed_max == killed_max
    # Graded from the bound, as a range's upper end grades; the reason says it is a bound.
    assert c.severity == severity
    assert any("upper bound" in r for r in c.severity_reasons)


def test_an_exact_figure_beside_up_to_stays_the_figure(classify: Callable[..., Classification]) -> None:
    c = classify(
        "The Russian missile strike on Sloviansk killed 6 people, though officials said up to 10 people may "
        "have been killed."
    )
    assert c.casualties.killed == 6
    assert c.casualties.killed_max == 10


# --- a hospital's city is not a place attacked (LABELS.md rule 7) ----------------------------------


@pytest.mark.parametrize(
    ("text", "attacked", "not_attacked"),
    [
        (
            "Injured residents of Kupiansk were taken to a hospital in Kharkiv after Russian shelling on "
            "Monday wounded 5 people.",
            "Kupiansk",
            "Kharkiv",
        ),
        (
            "Five residents wounded in the Russian drone strike on Nikopol were evacuated to a clinic in "
            "Dnipro.",
            "Nikopol",
            "Dnipro",
        ),
        (
            "Two children hurt when a Russian missile struck Sumy were hospitalised in Kyiv on Wednesday.",
            "Sumy",
            "Kyiv",
        ),
    ],
)
def test_a_hospital_city_is_not_attacked(
    classify: Callable[..., Classification], text: str, attacked: str, not_attacked: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert attacked in _names(c)
    assert not_attacked not in _names(c)


def test_a_struck_hospital_city_is_attacked(classify: Callable[..., Classification]) -> None:
    # The guard is the verb of taking someone to care, not the word "hospital".
    c = classify("A Russian missile struck a hospital in Dnipro on Tuesday, injuring 4 people.")
    assert "Dnipro" in _names(c)


# --- "the city's X district": the district of the city named before it -------------------------------


@pytest.mark.parametrize(
    ("text", "city", "region"),
    [
        (
            "Kharkiv's governor said a Russian guided bomb hit a warehouse in the city's Kyivskyi district, "
            "injuring 3.",
            "Kharkiv",
            "Kharkiv Oblast",
        ),
        (
            "The mayor of Odesa said Russian drones damaged homes in the city's Kyivskyi district overnight.",
            "Odesa",
            "Odesa Oblast",
        ),
        (
            "Russian missiles struck Kharkiv on Friday; a school in the city's Kyivskyi district was damaged "
            "and 2 people were injured.",
            "Kharkiv",
            "Kharkiv Oblast",
        ),
    ],
)
def test_the_citys_district_is_of_the_city_named(
    classify: Callable[..., Classification], text: str, city: str, region: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert city in _names(c)
    assert all(loc.region == region for loc in c.locations)


# --- a debunked strike claim is no attack (LABELS.md rule 1) ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Reports that Russian drones struck Uzhhorod overnight are false, the regional administration said; "
        "the blasts were air defence at work.",
        "The governor said claims that a missile hit the port of Izmail were fake and the explosions heard "
        "were air defence working.",
        "Rumours that Russian missiles struck Chernivtsi on Monday were debunked by the city council.",
        "A strike on Lutsk airport did not happen, the air force said, calling the videos old footage.",
    ],
)
def test_a_debunked_strike_claim_is_not_an_attack(classify: Callable[..., Classification], text: str) -> None:
    assert not classify(text).is_attack


def test_explosions_while_air_defence_works_stay_an_attack(classify: Callable[..., Classification]) -> None:
    # kinds5's kind, with no denial word: still an attack.
    c = classify("Explosions were heard in Lviv on Sunday while air defence was at work, the governor said.")
    assert c.is_attack


# --- a new strike told beside an anniversary: an attack with the new figures -------------------------


@pytest.mark.parametrize(
    ("text", "place", "injured", "killed"),
    [
        (
            "On the second anniversary of the Russian missile strike on Chernihiv that killed 17 people, "
            "Russia again struck the city with drones on Tuesday, injuring 4.",
            "Chernihiv",
            4,
            None,
        ),
        (
            "On the anniversary of the attack on Sumy that killed 35, Russian forces launched another "
            "missile at the city on Sunday, wounding 11 people.",
            "Sumy",
            11,
            None,
        ),
        (
            "Marking the first anniversary of the strike on Uman that killed 23 civilians, Russia once again "
            "shelled the city on Thursday, killing 2 people.",
            "Uman",
            None,
            2,
        ),
    ],
)
def test_a_new_strike_beside_an_anniversary_is_an_attack(
    classify: Callable[..., Classification], text: str, place: str, injured: int | None, killed: int | None
) -> None:
    c = classify(text)
    assert c.is_attack
    assert place in _names(c)
    assert c.casualties.injured == injured
    assert c.casualties.killed == killed


def test_an_anniversary_alone_stays_no_attack(classify: Callable[..., Classification]) -> None:
    c = classify(
        "On the first anniversary of the Russian missile strike on Chernihiv that killed 17 people, "
        "residents laid flowers at the site."
    )
    assert not c.is_attack
