"""Hard cases from issue 3, each with our own sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from schemas.models import Classification
from services.classifier.numbers import parse_number
from services.classifier.rulepack import load_language
from services.common.severity import SeverityFacts, grade

Classify = Callable[..., Classification]


def test_conflicting_claims_keep_both_figures_and_grade_on_the_larger(classify: Classify) -> None:
    c = classify(
        "Ukrainian rockets hit a barracks in Horlivka on Sunday. Moscow admits more than 30 soldiers died, "
        "but Kyiv puts the figure at 200. Russian officials said only 34 troops were killed."
    )
    assert c.is_attack and c.attacker == "Ukraine"
    assert (c.casualties.killed, c.casualties.killed_max) == (34, 200)
    assert c.severity == "Extreme" and any("using the larger" in r for r in c.severity_reasons)


def test_plans_threats_and_warnings_are_not_attacks(classify: Classify) -> None:
    for text in (
        "Russia is planning to wear Ukraine down with drone attacks this winter, the president warned.",
        "Lviv region - air alert. Threat of a missile attack. Everyone go to shelters immediately.",
    ):
        c = classify(text)
        assert not c.is_attack and c.severity is None and c.locations == []


def test_retrospectives_and_politics_are_not_attacks(classify: Classify) -> None:
    c = classify(
        "Parliament debated the budget on Tuesday. Since the beginning of the war "
        "tens of thousands of people have been killed, the speaker said, "
        "calling for more aid for Ukraine's defence."
    )
    assert not c.is_attack


def test_attacker_is_the_side_that_fired(classify: Classify) -> None:
    ua = classify("Ukrainian forces shelled Horlivka, Donetsk on Monday, damaging two houses.")
    ru = classify(
        "Russian forces shelled Kharkiv on Monday. Ukrainian air defences shot down four Russian drones."
    )
    assert ua.attacker == "Ukraine" and {loc.name for loc in ua.locations} == {"Horlivka"}
    assert ru.attacker == "Russia" and "Kharkiv" in {loc.name for loc in ru.locations}


def test_relative_dates_resolve_against_the_published_date(classify: Classify) -> None:
    monday = classify("Russian drones struck Odesa on Monday, damaging a warehouse.", published="2024-03-06")
    overnight = classify("Russian drones attacked Dnipro overnight, damaging homes.", published="2024-03-06")
    yesterday = classify("Russian missiles hit Sumy yesterday, damaging homes.", published="2024-03-06")
    undated = classify("Russian missiles hit Sumy yesterday, damaging homes.", published=None)
    assert monday.event_date == date(2024, 3, 4)
    assert overnight.event_date == date(2024, 3, 6)
    assert yesterday.event_date == date(2024, 3, 5)
    assert undated.event_date is None


def test_page_noise_neither_breaks_nor_invents(classify: Classify) -> None:
    c = classify(
        "Skip to main content\n\nSubscribe\n\n"
        "Russian missiles struck Poltava on Friday, injuring five people."
        "\n\nRelated Articles\nBack to top button\nYou may be interested: vitamins and heart attacks"
    )
    assert c.is_attack and c.casualties.injured == 5 and {loc.name for loc in c.locations} == {"Poltava"}
    assert c.severity == "Moderate"


def test_number_words_and_x_of_y(classify: Classify) -> None:
    c = classify("Russia launched a night attack on Kyiv: 15 of 20 drones were destroyed, officials said.")
    assert (c.projectiles.launched, c.projectiles.intercepted) == (20, 15)
    c = classify("Air defences shot down six missiles over Lviv on Monday.")
    assert c.projectiles.intercepted == 6
    words = load_language("en").numbers
    assert (
        parse_number("more than 80", words) == 80
        and parse_number("twenty-one", words) == 21
        and parse_number("at least 22", words) == 22
    )
    assert parse_number(str(10**40), words) is None


def test_ages_are_not_casualty_counts(classify: Classify) -> None:
    c = classify("Russian shelling hit Kherson on Monday; two boys aged 14 and 16 were injured.")
    assert c.casualties.injured == 2 and c.severity == "Moderate"


def test_houthis_in_the_red_sea(classify: Classify) -> None:
    c = classify(
        "A cargo ship was hit by a missile launched by the Houthis in the Red Sea on Tuesday, "
        "and a US destroyer shot down two drones.",
        published="2024-01-10",
    )
    assert c.is_attack and c.attacker == "Houthis"
    assert [loc.name for loc in c.locations] == ["Red Sea"] and c.locations[0].region is None
    assert c.projectiles.intercepted == 2 and c.severity == "Moderate"


def test_rsf_in_el_fasher(classify: Classify) -> None:
    c = classify("RSF drone strikes killed at least 12 civilians in El Fasher, North Darfur on Wednesday.")
    assert c.attacker == "Rapid Support Forces" and c.casualties.killed == 12 and c.severity == "Extreme"
    loc = c.locations[0]
    assert (loc.name, loc.region, loc.country) == ("El Fasher", "North Darfur", "Sudan")


def test_gaza_airstrike(classify: Classify) -> None:
    c = classify("An Israeli airstrike hit a house in Rafah on Saturday, killing four people.")
    assert c.attacker == "Israel" and c.casualties.killed == 4 and c.severity == "Severe"
    assert {loc.name for loc in c.locations} == {"Rafah"} and "airstrike" in c.attack_types


def test_common_word_place_names_and_person_names_are_not_places(classify: Classify) -> None:
    c = classify(
        "Russian missiles hit Kharkiv on Monday. Vladimir Putin said the strikes were reading the March plan."
    )
    assert {loc.name for loc in c.locations} == {"Kharkiv"}


def test_severity_rubric_top_down() -> None:
    assert grade(SeverityFacts(killed=12))[0] == "Extreme"
    assert grade(SeverityFacts(injured=50))[0] == "Extreme"
    assert grade(SeverityFacts(deaths_unnumbered=True))[0] == "Severe"
    assert grade(SeverityFacts(projectiles=50))[0] == "Severe"
    assert grade(SeverityFacts(projectiles=20))[0] == "Moderate"
    assert grade(SeverityFacts(injured=3))[0] == "Moderate"
    assert grade(SeverityFacts(killed=0, killed_max=13, corrected=True))[0] == "Minor"
    assert grade(SeverityFacts())[0] == "Minor"


def test_output_is_valid_for_hostile_text(classify: Classify) -> None:
    for text in (
        "\x00\x01<script>x</script>",
        "9" * 60,
        f"Russian drones hit Kyiv: {10**40} killed",
        "¿" * 5000,
    ):
        c = classify(text)
        assert c.casualties.killed is None or c.casualties.killed <= 100_000
