"""Rules that must hold beyond the dev set, each checked with our own sentences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


# --- null vs 0 (LABELS.md rule 3) -------------------------------------------------------------


def test_wounded_only_news_leaves_killed_null(classify: Classify) -> None:
    c = classify("Russian missiles hit an apartment block in Sumy on Monday, wounding 14 residents.")
    assert c.casualties.injured == 14 and c.casualties.killed is None and c.severity == "Severe"


@pytest.mark.parametrize(
    "sentence",
    [
        "There were no casualties, the governor said.",
        "No one was killed, the mayor said.",
        "Nobody got killed, officials said.",
        "The strike passed without casualties.",
        "Police reported no deaths or injuries.",
    ],
)
def test_explicit_nobody_killed_is_zero(classify: Classify, sentence: str) -> None:
    c = classify(f"Russian drones hit a warehouse in Chernihiv overnight. {sentence}")
    assert c.is_attack and c.casualties.killed == 0


def test_no_one_is_not_a_count_of_one(classify: Classify) -> None:
    c = classify("Russian missiles hit Lviv overnight. No one was killed and not one person was hurt.")
    assert c.casualties.killed == 0 and c.severity == "Minor"


def test_dated_event_note_with_wounded_only_states_nobody_died(classify: Classify) -> None:
    c = classify(
        "On 4 June 2023, Russian forces shelled Vovchansk, Kharkiv. 3 civilians were wounded.",
        published="2023-06-10",
    )
    assert (c.casualties.killed, c.casualties.injured) == (0, 3)
    assert c.event_date == date(2023, 6, 4)


# --- attack types -----------------------------------------------------------------------------


def test_air_raid_with_drones_is_not_an_airstrike(classify: Classify) -> None:
    c = classify(
        "Russian air raids hit energy facilities in Poltava overnight. "
        "Air defences destroyed 12 of 16 drones, the air force said."
    )
    assert c.attack_types == ["drone"]


def test_air_raid_without_another_weapon_is_aviation(classify: Classify) -> None:
    c = classify("Israeli air raids hit a house in Deir al-Balah on Friday, killing three people.")
    assert "airstrike" in c.attack_types


def test_background_campaign_clause_adds_no_type(classify: Classify) -> None:
    c = classify(
        "Russian drones struck Odesa port on Tuesday. The president again asked for more air defences "
        "after weeks of Russian air strikes on the grid."
    )
    assert c.attack_types == ["drone"]


# --- shapes of real texts ---------------------------------------------------------------------


def test_acled_style_one_liner_with_unknown_village(classify: Classify) -> None:
    c = classify(
        "On 3 May 2023, Russian forces shelled Zelenyi Hai, Kherson. 2 civilians were killed.",
        published="2023-05-09",
    )
    assert c.is_attack and c.attacker == "Russia" and c.attack_types == ["artillery"]
    assert [(loc.name, loc.region) for loc in c.locations] == [("Zelenyi Hai", "Kherson Oblast")]
    assert c.casualties.killed == 2 and c.event_date == date(2023, 5, 3) and c.severity == "Severe"


def test_osint_title(classify: Classify) -> None:
    c = classify("15/03/2022 Missile strike on a school in Zhytomyr", published="2022-03-16")
    assert c.is_attack and c.attack_types == ["missile"]
    assert {loc.name for loc in c.locations} == {"Zhytomyr"} and c.event_date == date(2022, 3, 15)


def test_dateline_city_is_not_the_place_attacked(classify: Classify) -> None:
    c = classify("KYIV, Ukraine (AP) — Russian missiles hit Odesa on Monday, killing 3 and wounding 12.")
    assert {loc.name for loc in c.locations} == {"Odesa"}
    assert (c.casualties.killed, c.casualties.injured) == (3, 12)


def test_numbers_as_words_and_with_commas(classify: Classify) -> None:
    c = classify("Russian shelling of Nikopol killed five and wounded eleven on Monday.")
    assert (c.casualties.killed, c.casualties.injured) == (5, 11)
    c = classify("A Russian missile strike on Odesa injured 1,200 people on Sunday, officials said.")
    assert c.casualties.injured == 1200 and c.severity == "Extreme"


def test_dozens_and_hundreds_are_no_figure_but_grade_severity(classify: Classify) -> None:
    c = classify("Dozens of people were killed when Russian missiles hit Dnipro on Saturday.")
    assert c.casualties.killed is None and c.severity == "Extreme"
    c = classify("Hundreds were wounded in Israeli airstrikes on Khan Younis on Sunday.")
    assert c.casualties.injured is None and c.severity == "Extreme"


def test_death_toll_rises_latest_figure_stands(classify: Classify) -> None:
    c = classify(
        "Russian glide bombs hit Kupiansk on Tuesday; six people were reported killed. "
        "By evening the death toll rose to 11, the governor said."
    )
    assert c.casualties.killed == 11 and c.casualties.killed_max is None


def test_reported_death_later_found_alive(classify: Classify) -> None:
    c = classify(
        "A man reported killed in the Russian strike on Sumy on Monday was later found alive, "
        "officials said. Two people were injured."
    )
    assert c.casualties.killed == 0 and c.casualties.injured == 2 and c.severity == "Moderate"


@pytest.mark.parametrize(
    ("text", "attacker", "place"),
    [
        ("An Israeli airstrike on a school in Jabalia killed nine people on Sunday.", "Israel", "Jabalia"),
        (
            "Houthi rebels fired two ballistic missiles at a tanker in the Red Sea on Friday; none was hurt.",
            "Houthis",
            "Red Sea",
        ),
        ("RSF shelling killed 15 civilians in Omdurman on Thursday.", "Rapid Support Forces", "Omdurman"),
        ("A Syrian government airstrike on Idlib killed seven people on Wednesday.", "Syria", "Idlib"),
        ("Hezbollah fired rockets at Kiryat Shmona on Tuesday, damaging two houses.", "Hezbollah", None),
    ],
)
def test_conflicts_outside_ukraine(classify: Classify, text: str, attacker: str, place: str | None) -> None:
    c = classify(text)
    assert c.is_attack and c.attacker == attacker
    if place is not None:
        assert place in {loc.name for loc in c.locations}


@pytest.mark.parametrize(
    "text",
    [
        "The EU agreed a new package of sanctions against Russia over its missile attacks.",
        "Ukraine received a new aid package including air defence missiles from Germany.",
        "Russia held military drills with missile launches in the Baltic on Tuesday.",
        "The plant will produce 1,000 drones a month, the defence minister said.",
        "Ukraine marked the anniversary of the Russian missile strike on Kramatorsk station.",
        "The former soldier died of a heart attack in Kyiv on Monday.",
        "A dog attack injured two children in Odesa on Sunday.",
        "Russian hackers carried out a cyber attack on Ukrainian banks on Friday.",
        "Shakhtar's attack struck twice as they beat Dynamo Kyiv 2-1 on Saturday.",
        "A drone show lit up the sky over Kyiv on Independence Day.",
        "North Korea fired a ballistic missile in a test on Thursday, Seoul said.",
        "Air raid sirens sounded across Kyiv region for two hours on Monday night.",
    ],
)
def test_war_vocabulary_that_is_not_an_attack(classify: Classify, text: str) -> None:
    c = classify(text)
    assert not c.is_attack and c.severity is None


# (The trigger-gate and offset checks that lived here test the rule pack now:
# tests/classifier/test_rule_packs.py.)


# --- red-team round 2 (own sentences) ---------------------------------------------------------


def test_wave_listed_by_kind_sums_launched_and_intercepted(classify: Classify) -> None:
    c = classify(
        "Russia fired 30 attack drones and 4 cruise missiles at Ukraine overnight. Air defences shot down "
        "27 of the drones and all four missiles, the air force said."
    )
    assert (c.projectiles.launched, c.projectiles.intercepted) == (34, 31)


def test_downed_n_of_them_is_intercepted(classify: Classify) -> None:
    c = classify("Russia sent 60 Shahed drones against Kyiv on Sunday night. Air defence downed 58 of them.")
    assert c.projectiles.intercepted == 58 and c.projectiles.launched == 60


def test_death_toll_risen_after_long_subject(classify: Classify) -> None:
    c = classify(
        "The death toll from Friday's Russian missile attack on a shopping mall in central Dnipro has "
        "risen to 9, the mayor said."
    )
    assert c.casualties.killed == 9


@pytest.mark.parametrize(
    ("sentence", "killed", "injured"),
    [
        ("A Russian drone hit a bus in Marhanets, injuring a 52-year-old driver.", None, 1),
        ("Russian shelling of Beryslav on Monday killed an elderly woman.", 1, None),
    ],
)
def test_a_person_is_a_count_of_one(classify: Classify, sentence: str, killed: int, injured: int) -> None:
    c = classify(sentence)
    assert (c.casualties.killed, c.casualties.injured) == (killed, injured)


def test_no_injuries_is_zero_injured(classify: Classify) -> None:
    c = classify(
        "Houthi rebels fired two missiles at a tanker in the Red Sea on Monday. There were no injuries."
    )
    assert c.casualties.injured == 0


def test_aftermath_sentence_gives_place_and_damage(classify: Classify) -> None:
    c = classify(
        "Russian drones attacked the south overnight, the military said. Grain silos in Reni were damaged."
    )
    assert [loc.name for loc in c.locations] == ["Reni"] and c.severity == "Severe"


def test_destroyed_military_equipment_is_damage(classify: Classify) -> None:
    c = classify("A Ukrainian drone destroys a Russian tank near Tokmak, footage shows.")
    assert c.is_attack and c.severity == "Moderate"


def test_fighter_jets_as_targets_are_not_airstrike(classify: Classify) -> None:
    c = classify("Ukrainian missiles hit the Saky airbase in Crimea, destroying three fighter jets.")
    assert "airstrike" not in c.attack_types and "missile" in c.attack_types


def test_aerial_bombardment_by_missiles_is_not_airstrike(classify: Classify) -> None:
    c = classify("Russia struck Kharkiv with 20 missiles on Thursday in a heavy aerial bombardment.")
    assert c.attack_types == ["missile"]


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        (
            "Sudan's army bombed RSF positions in Omdurman on Saturday, killing 8 people.",
            "Sudanese Armed Forces",
        ),
        ("US and British warplanes struck Houthi radar sites near Hodeidah overnight.", "United States"),
        ("The enemy shelled Kupiansk with artillery in the morning, wounding two men.", "Russia"),
    ],
)
def test_more_attackers(classify: Classify, sentence: str, actor: str) -> None:
    assert classify(sentence).attacker == actor


@pytest.mark.parametrize(
    "sentence",
    [
        "A court in Kharkiv sentenced two Russian soldiers for shelling a school in 2022 that killed 4.",
        "Ukraine marked 1,000 days of war. Since February 2022 Russia has launched 9,000 missiles at it.",
    ],
)
def test_courts_and_war_totals_are_not_attacks(classify: Classify, sentence: str) -> None:
    assert not classify(sentence).is_attack


def test_ukrainian_transliterations_are_canonical(classify: Classify) -> None:
    c = classify("Russian forces shelled Kupyansk and Izyum, Kharkiv Oblast, on Monday.")
    assert {loc.name for loc in c.locations} == {"Kupiansk", "Izium"}


def test_the_enemy_is_the_side_opposite_the_place_attacked(classify: Classify) -> None:
    # Ukrainian officials call Russia "the enemy"; a Russian governor calls Ukraine so.
    ukrainian = classify("The enemy attacked Kharkiv with drones overnight, injuring two people.")
    russian = classify("The enemy shelled Belgorod this morning, damaging several houses.")
    assert ukrainian.attacker == "Russia"
    assert russian.attacker == "Ukraine"
