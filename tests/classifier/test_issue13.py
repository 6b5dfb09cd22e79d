"""Issue 13, classifier generalisation: the six kinds, each with sentences of our own (never copied
from the labelled data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


# --- kind 4: is it an attack that just happened? Terse captions and titles ----------------------


@pytest.mark.parametrize(
    "caption",
    [
        "03/09/2023 Aftermath of shelling near the bus depot",
        "11/10/2023 Artillery strike at a maternity ward",
        "17/08/2023 Remains of a cruise missile in a sunflower field",
        "02/02/2023 Cluster submunitions scattered across a schoolyard",
        "21/06/2023 Positional fighting near a village outside the town",
        "09/04/2023 Crater in a courtyard after the night's barrage",
        "14/05/2023 Rocket lodged in the roof of a garage",
        "05/05/2023 Unexploded submunition by the playground",
    ],
)
def test_terse_caption_naming_an_attack_is_one(classify: Classify, caption: str) -> None:
    assert classify(caption, published=None).is_attack


@pytest.mark.parametrize(
    "caption",
    [
        "03/09/2023 Convoy of trucks moving towards the border",
        "11/10/2023 Self-propelled guns parked behind a warehouse",
        "17/08/2023 Damage to the roof of the town library",
        "02/02/2023 Fire at a furniture factory",
        "21/06/2023 Soldiers seen patrolling the central square",
        "09/04/2023 Satellite image of helicopters stationed at an airfield",
    ],
)
def test_terse_caption_without_an_attack_is_not_one(classify: Classify, caption: str) -> None:
    assert not classify(caption, published=None).is_attack


def test_caption_date_prefix_is_the_event_date(classify: Classify) -> None:
    c = classify("14/05/2023 Strike on a grain terminal in Izmail", published=None)
    assert c.is_attack and str(c.event_date) == "2023-05-14"
    assert {loc.name for loc in c.locations} == {"Izmail"}


# --- kind 6: places -----------------------------------------------------------------------------


def test_landmark_after_a_town_keeps_the_town(classify: Classify) -> None:
    c = classify("Russian missiles struck the Zmiiv Thermal Power Plant in Kharkiv region overnight.")
    assert "Zmiiv" in {loc.name for loc in c.locations}


def test_place_attacked_by_is_a_place_not_a_speaker(classify: Classify) -> None:
    c = classify("02/09/2023 Fuel depot in Belgorod attacked by drones", published=None)
    assert c.is_attack and {loc.name for loc in c.locations} == {"Belgorod"}


def test_unknown_hamlet_in_a_caption_is_the_place(classify: Classify) -> None:
    c = classify("02/09/2023 Shelling in Zaporozhnivka-Horishni", published=None)
    assert [loc.name for loc in c.locations] == ["Zaporozhnivka-Horishni"]


def test_weapon_name_is_not_a_place(classify: Classify) -> None:
    c = classify("02/09/2023 Pantsir booster rocket lodged above a shop in Kursk", published=None)
    assert {loc.name for loc in c.locations} == {"Kursk"}


# --- kind 1: numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "killed_max", "injured"),
    [
        ("Three dozen people were injured when Russian missiles hit Poltava on Sunday.", None, None, 36),
        ("Russian drones hit Sumy on Monday; two hundred and fifty people were injured.", None, None, 250),
        (
            "A Russian missile strike on Odesa injured 1 500 people on Sunday, officials said.",
            None,
            None,
            1500,
        ),
        ("Between 8 and 12 people were killed when Russian bombs hit Kupiansk on Tuesday.", 8, 12, None),
        ("Russian shelling killed 30–40 civilians in Vovchansk on Monday.", 30, 40, None),
        ("Twenty-one people were killed in an Israeli airstrike on Rafah on Friday.", 21, None, None),
    ],
)
def test_number_words_spaces_and_ranges(
    classify: Classify, text: str, killed: int | None, killed_max: int | None, injured: int | None
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.killed_max, c.casualties.injured) == (
        killed,
        killed_max,
        injured,
    )


def test_a_range_grades_severity_from_its_upper_end(classify: Classify) -> None:
    c = classify("Russian shelling killed between 5 and 12 people in Kherson on Monday.")
    assert (c.casualties.killed, c.casualties.killed_max) == (5, 12) and c.severity == "Extreme"
    assert any("range of 5–12" in r for r in c.severity_reasons)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Tens of people were wounded in a Russian strike on Zaporizhzhia on Friday.", 10),
        ("Dozens were wounded when Russian missiles hit Lviv on Thursday.", 12),
        ("Scores of people were injured in the Israeli strike on Jabalia on Sunday.", 20),
        ("Hundreds were injured when Iranian missiles struck Haifa on Tuesday.", 100),
    ],
)
def test_vague_quantities_give_no_figure_but_a_stated_lower_bound(
    classify: Classify, text: str, bound: int
) -> None:
    c = classify(text)
    assert c.is_attack and c.casualties.injured is None
    assert any(f"at least {bound}" in r for r in c.severity_reasons)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("A Russian Kh-101 missile hit a factory in Dnipro on Monday, injuring four workers.", 1),
        ("A Shahed-136 drone struck a warehouse in Odesa overnight, injuring two guards.", 1),
        ("A Russian KAB-500 glide bomb hit a school in Kharkiv on Tuesday, injuring seven.", 1),
        ("Russian Tu-95 bombers fired cruise missiles at Lviv overnight; Su-34 jets dropped bombs.", None),
        ("Russian BM-21 and M777-style guns shelled Nikopol on Monday, wounding three people.", None),
    ],
)
def test_designators_are_never_counts(classify: Classify, text: str, launched: int | None) -> None:
    c = classify(text)
    assert c.is_attack and c.projectiles.launched == launched
    assert c.casualties.killed is None or c.casualties.killed < 20
    assert c.casualties.injured is None or c.casualties.injured < 20


# --- kind 2: the primary attack's figures only ----------------------------------------------------


@pytest.mark.parametrize(
    "background",
    [
        "The health ministry said the toll from the ongoing war had risen to 31,412 killed.",
        "In March, Russian forces shelled the district 70 times, injuring 143 people, the mayor said.",
        "Since the start of the year, 204 civilians have been killed in the region.",
        "During August, 96 people were wounded in strikes on the city.",
    ],
)
def test_war_wide_and_period_totals_are_never_counted(classify: Classify, background: str) -> None:
    c = classify(
        "A Russian missile hit a clinic in Kherson on Monday, killing two nurses and wounding five. "
        + background
    )
    assert (c.casualties.killed, c.casualties.injured) == (2, 5)


def test_figures_do_not_jump_across_another_figure(classify: Classify) -> None:
    c = classify(
        "Russian missiles hit a mall in Kremenchuk on Monday; 20 people were killed. "
        "Of the 58 brought to hospital, 30 were admitted and 1 person died there."
    )
    assert c.casualties.killed == 20


def test_toll_risen_with_injured_after_it(classify: Classify) -> None:
    c = classify(
        "The toll from Sunday's Russian strike on Sumy has risen to seven, with 15 people injured, "
        "the governor said."
    )
    assert (c.casualties.killed, c.casualties.injured) == (7, 15)


# --- kind 5: dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        (
            "Russian drones hit Odesa overnight into Sunday, injuring three people.",
            "2024-03-05",
            "2024-03-03",
        ),
        ("Russian missiles struck Lviv late on Friday, damaging a school.", "2024-03-04", "2024-03-01"),
        (
            "A glide bomb struck Kharkiv on Wednesday night, officials said Thursday.",
            "2024-03-07",
            "2024-03-06",
        ),
        ("Russian shelling hit Nikopol on 5 March, wounding two people.", "2024-03-09", "2024-03-05"),
        ("Ukrainian drones attacked a refinery in Ryazan, the governor said.", "2024-03-04", "2024-03-04"),
    ],
)
def test_event_dates(classify: Classify, text: str, published: str, day: str) -> None:
    c = classify(text, published=published)
    assert c.is_attack and str(c.event_date) == day


# --- kind 4: news stories about something else --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a missile test that "hit its target"
        "Pakistan test-fired a new cruise missile on Tuesday, the army said. The missile was launched from "
        "a mobile platform and hit its designated target in the sea. The test validated the guidance "
        "system, officials said. The weapon is expected to enter service next year.",
        # plans and threats
        "Kyiv expects Russia to plan new strikes on substations this winter, the energy minister said. "
        "Engineers are preparing shelters for transformers, he said. There is a threat of more attacks "
        "on the grid, and Ukraine will need more air defence. Air defences shot down most drones "
        "last winter.",
        # monthly statistics
        "Russia launched a record 2,100 drones at Ukraine in July, according to an analysis. In June the "
        "figure was 1,800, the analysts said. Since the start of the year the number has grown every "
        "month. Air defences destroyed 1,700 drones during July.",
    ],
)
def test_stories_on_another_topic_are_not_attacks(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


def test_an_attack_on_a_football_ground_is_still_an_attack(classify: Classify) -> None:
    c = classify(
        "A rocket attack on a football ground in a border village killed nine teenagers on Saturday, "
        "officials said. The match had just begun when the rocket hit the pitch."
    )
    assert c.is_attack and c.casualties.killed == 9


def test_where_victims_were_taken_is_not_attacked(classify: Classify) -> None:
    c = classify(
        "A Russian missile hit a market in Selydove on Monday, injuring nine people. Two of them were "
        "transported to Dnipro for treatment, the governor said."
    )
    assert {loc.name for loc in c.locations} == {"Selydove"}


def test_a_named_village_the_gazetteer_lacks_is_still_the_place(classify: Classify) -> None:
    c = classify(
        "A rocket attack on the village of Ein Qiniyye in the Golan Heights killed two people on Friday."
    )
    assert "Ein Qiniyye" in {loc.name for loc in c.locations}


def test_a_refugee_camp_is_the_place(classify: Classify) -> None:
    c = classify(
        "An Israeli airstrike on the Zawaida refugee camp killed six people on Tuesday, medics said."
    )
    assert "Zawaida" in {loc.name for loc in c.locations}


def test_follow_up_rubble_sentence_names_the_place(classify: Classify) -> None:
    c = classify(
        "Rescuers searched for survivors of a Russian missile strike that killed 11 people over the weekend. "
        "Some 20 people were feared buried under the rubble in Toretsk in Donetsk province."
    )
    assert {loc.name for loc in c.locations} == {"Toretsk"}


# --- kind 3: who fired ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "attacker", "place"),
    [
        ("Washington says Russian drones struck a power plant in Burshtyn overnight.", "Russia", "Burshtyn"),
        ("Tehran said Israeli jets struck a military base near Isfahan on Friday.", "Israel", "Isfahan"),
        ("Kyiv said Russian missiles hit a hospital in Zaporizhzhia on Monday, killing two.", "Russia", None),
        (
            "Russian-installed officials in Nova Kakhovka blamed Ukrainian shelling for a fire at a depot "
            "on Sunday that injured three workers.",
            "Ukraine",
            None,
        ),
        ("Iran launched a barrage of ballistic missiles at Israel on Tuesday night.", "Iran", None),
        (
            "An attack claimed by Yemen's Houthis set a cargo ship ablaze in the Red Sea on Monday.",
            "Houthis",
            None,
        ),
        (
            "A rocket hit a school in the north on Saturday, killing four pupils, the army said, blaming "
            "Hezbollah.",
            "Hezbollah",
            None,
        ),
    ],
)
def test_who_fired(classify: Classify, text: str, attacker: str, place: str | None) -> None:
    c = classify(text)
    assert c.is_attack and c.attacker == attacker
    names = {loc.name for loc in c.locations}
    assert not names & {"Washington", "Tehran", "Kyiv"}
    if place is not None:
        assert place in names


def test_an_earlier_days_incident_is_not_counted(classify: Classify) -> None:
    c = classify(
        "A Russian missile hit the regional administration in Sumy on Tuesday, injuring 14 people. "
        "On Saturday, Russian rockets killed six people in the city, the mayor said.",
        published="2024-03-05",
    )
    assert (c.casualties.killed, c.casualties.injured) == (None, 14)
    assert str(c.event_date) == "2024-03-05"


# --- attack types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "A Russian Iskander missile hit Odesa port on Friday; the rocket destroyed a warehouse.",
            ["missile"],
        ),
        ("Russian rocket strikes and an Iskander missile hit Kharkiv; Grad launchers fired too.", None),
        (
            "A Houthi unmanned boat and two missiles hit a tanker in the Red Sea on Monday.",
            ["drone", "missile"],
        ),
    ],
)
def test_rocket_beside_a_named_missile_is_that_missile(
    classify: Classify, text: str, types: list[str] | None
) -> None:
    c = classify(text)
    if types is None:
        assert {"missile", "rocket"} <= set(c.attack_types)
    else:
        assert sorted(c.attack_types) == types


def test_shot_down_all_n(classify: Classify) -> None:
    c = classify("Air defences shot down all 23 Russian drones launched overnight, the air force said.")
    assert c.projectiles.intercepted == 23


def test_one_badly_hurt_and_no_other_casualties(classify: Classify) -> None:
    c = classify(
        "Russian drones hit a farm in Chernihiv region overnight. A 67-year-old man was seriously injured, "
        "but there were no other casualties, the governor said."
    )
    assert (c.casualties.killed, c.casualties.injured) == (0, 1)


def test_two_spellings_of_one_town_are_one_place(classify: Classify) -> None:
    c = classify(
        "A Russian missile hit a market in Kostiantynivka on Wednesday, killing 16 people. "
        "Russian terrorists hit a market in Kostantinivka with a ballistic missile, the president said."
    )
    assert [loc.name for loc in c.locations] == ["Kostiantynivka"]


def test_a_place_named_in_solidarity_is_not_attacked(classify: Classify) -> None:
    c = classify(
        "Houthi missiles hit a bulk carrier in the Red Sea on Tuesday. The group said it acted in "
        "solidarity with Palestinians in Gaza."
    )
    assert {loc.name for loc in c.locations} == {"Red Sea"}


def test_a_named_town_word_after_the_name(classify: Classify) -> None:
    c = classify(
        "Suspected Russian airstrikes targeted houses in the Kafr Nabudah town on Tuesday, killing five."
    )
    assert "Kafr Nabudah" in {loc.name for loc in c.locations}


def test_a_month_header_gives_the_year_of_a_day_month_date(classify: Classify) -> None:
    c = classify(
        "date 2023-08\nRescuers found 9 bodies after the Russian missile strike on a hotel in Kramatorsk "
        "on August 14, the governor said.",
        published=None,
    )
    assert str(c.event_date) == "2023-08-14"
    c = classify("date 2023-08\nRussian drones hit Odesa overnight, injuring two.", published=None)
    assert c.event_date is None  # a month is no day


def test_the_side_that_says_it_struck(classify: Classify) -> None:
    c = classify("The Israeli military said it struck a weapons depot in Nabatieh on Sunday.")
    assert c.attacker == "Israel"
    c = classify("Russia's overnight drone attack damaged a substation in Sumy, the governor said.")
    assert c.attacker == "Russia"
    c = classify("The Houthis said they had targeted a container ship in the Gulf of Aden on Friday.")
    assert c.attacker == "Houthis"


def test_another_weekdays_incident_is_not_counted_without_a_published_date(classify: Classify) -> None:
    c = classify(
        "Russian missiles hit the city hall in Mykolaiv on Tuesday morning, injuring 22 people. "
        "On Monday, nine people were killed in a Russian rocket attack on the city, the mayor said.",
        published=None,
    )
    assert (c.casualties.killed, c.casualties.injured) == (None, 22)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Russian forces attacked Pokrovsk with a Kh-59 missile on Monday, injuring five people.", 1),
        ("Russian troops struck Kupiansk with a guided bomb on Tuesday, wounding two.", 1),
        ("Russian forces attacked the town with a missile strike on Friday, injuring four.", None),
    ],
)
def test_attacked_with_one_named_weapon_is_launched_one(
    classify: Classify, text: str, launched: int | None
) -> None:
    assert classify(text).projectiles.launched == launched


def test_a_wave_sums_its_places(classify: Classify) -> None:
    c = classify(
        "Russia launched 70 drones and 9 missiles at Ukraine overnight, the air force said. In Kharkiv, "
        "two people were killed and 11 injured. In Odesa, one person was killed and four were wounded. "
        "Air defences shot down 61 drones."
    )
    assert (c.casualties.killed, c.casualties.injured) == (3, 15)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (79, 61)


def test_one_attack_on_one_place_does_not_sum_updates(classify: Classify) -> None:
    c = classify(
        "Russian missiles hit Dnipro on Monday; four people were killed. By evening the death toll in "
        "Dnipro rose to seven, the governor said."
    )
    assert c.casualties.killed == 7


# --- kind 4 again: what is and is not an attack that just happened --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Two years since the Russian missile strike on the Kramatorsk station, families laid flowers "
        "on Monday.",
        "A year ago today, Russian missiles hit a shopping centre in Kremenchuk; the city held a memorial "
        "service.",
        "A court in Lviv sentenced a Russian pilot in absentia for the 2022 bombing of a theatre in "
        "Mariupol.",
        "A donor conference in Berlin pledged money to rebuild schools damaged by Russian strikes.",
        "Pro-Russian hackers claimed a cyberattack on the websites of Polish airports on Tuesday.",
        "North Korea fired two ballistic missiles into the sea in a test on Wednesday, Seoul said.",
    ],
)
def test_not_an_attack_that_just_happened(classify: Classify, text: str) -> None:
    assert not classify(text).is_attack


@pytest.mark.parametrize(
    "text",
    [
        "Positional battles continued near Chasiv Yar on Tuesday, the General Staff said.",
        "Ukrainian forces repelled a Russian assault near Robotyne on Sunday, the military said.",
        "Russian troops stormed Ukrainian positions near Avdiivka on Friday; the assault was repelled.",
    ],
)
def test_ground_fighting_is_a_ground_assault(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack and "ground_assault" in c.attack_types


def test_launch_site_is_not_the_place_attacked(classify: Classify) -> None:
    c = classify("Russian MLRS fired from Belgorod region at Kharkiv on Monday, wounding three people.")
    assert {loc.name for loc in c.locations} == {"Kharkiv"}


def test_air_force_wave_summary(classify: Classify) -> None:
    c = classify(
        "Overnight Russia attacked Ukraine with 88 Shahed drones and 6 Iskander-M ballistic missiles. "
        "Air defences shot down 71 drones and 2 missiles, the Air Force said."
    )
    assert (c.projectiles.launched, c.projectiles.intercepted) == (94, 73)


def test_a_shoot_down_is_an_attack(classify: Classify) -> None:
    c = classify("Air defences shot down a Russian cruise missile over Vinnytsia region on Thursday.")
    assert c.is_attack and c.projectiles.intercepted == 1
