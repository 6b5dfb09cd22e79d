"""Kinds of issue 13 fixed in round 4 (sentences of our own): a date's day is never a count; "all of
them were shot down" after a launched figure (same clause, after a semicolon, next sentence); "of the
N drones, M were downed"; a passive list of downed kinds is summed; a subset "among" a total is not
the total; fullwidth Latin letters read as ASCII."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification
from services.classifier.normalise import normalise


def _names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


@pytest.mark.parametrize(
    "text",
    [
        "On 14 June 2025 Russian drones struck a warehouse in Kharkiv, injuring three workers.",
        "On 3 March Russian missiles hit an energy facility in Odesa region, officials said.",
        "On October 21, Ukrainian drones attacked an oil depot in Bryansk, the governor said.",
        "Early on 19/08/2025 Russian glide bombs hit the centre of Kostiantynivka.",
    ],
)
def test_a_date_is_never_a_count(classify: Callable[..., Classification], text: str) -> None:
    c = classify(text, published="2025-10-22")
    assert c.is_attack
    assert c.projectiles.launched is None
    assert c.projectiles.intercepted is None


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        (
            "Russia launched 52 drones at Ukraine overnight; all of them were shot down, the air force said.",
            52,
        ),
        ("Russian forces fired 18 drones at Odesa overnight. All were destroyed by air defence units.", 18),
        ("Overnight the enemy sent 27 Shahed drones towards Kyiv, and all of them were intercepted.", 27),
        ("Moscow launched nine missiles at Lviv on Sunday; they were all shot down over the region.", 9),
    ],
)
def test_all_of_them_downed_after_a_launched_figure(
    classify: Callable[..., Classification], text: str, launched: int
) -> None:
    c = classify(text)
    assert c.projectiles.launched == launched
    assert c.projectiles.intercepted == launched


WAVE_FIGURES: dict[str, list[tuple[str, int | None, int | None]]] = {
    "of the N drones, M were downed": [
        ("Of the 40 drones, 35 were downed by air defence over the Kyiv region on Monday.", 40, 35),
        ("Out of the 64 Shahed drones, 51 were shot down, the Ukrainian air force said.", 64, 51),
        ("Of the 12 missiles, 10 were intercepted over Dnipro overnight, officials said.", 12, 10),
    ],
    "a list of kinds is summed": [
        ("Ukrainian air defence says 90 drones and 6 missiles were shot down overnight.", None, 96),
        ("Air defence units said 47 drones and three cruise missiles were destroyed over Ukraine.", None, 50),
        ("Russia launched 70 drones and 5 missiles at Ukraine overnight, the air force said.", 75, None),
        ("Overnight 33 Shahed drones and two Iskander missiles were launched at Kharkiv region.", 35, None),
    ],
    "of which M were downed": [
        (
            "Russia fired 48 drones at Ukraine overnight, the air force said, of which 33 were destroyed.",
            48,
            33,
        ),
        (
            "The enemy launched 57 Shahed drones overnight, of which 41 were shot down over six regions.",
            57,
            41,
        ),
        ("Russia used 16 missiles in the attack; of these, 12 were intercepted by air defence.", 16, 12),
    ],
    "a downed figure ending its clause": [
        ("Russia launched more than 60 drones at Kyiv overnight; air defences shot down 52.", 60, 52),
        ("Russian forces launched 14 missiles at Lviv overnight; Ukraine said it intercepted 11.", 14, 11),
        ("Russia launched 44 drones at Kharkiv overnight; the air force said it shot down 39.", 44, 39),
    ],
    "a wave summary's clauses": [
        ("Russia attacked with 44 drones overnight: 27 were shot down, 13 lost locally.", 44, 27),
        ("The enemy used 61 Shahed drones overnight; 50 were destroyed over the south.", 61, 50),
        (
            "The air force said 27 drones were shot down and 13 were lost to jamming, out of 44 launched.",
            44,
            27,
        ),
    ],
}


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [pytest.param(*case, id=kind) for kind, cases in WAVE_FIGURES.items() for case in cases],
)
def test_launched_and_intercepted_figures(
    classify: Callable[..., Classification], text: str, launched: int | None, intercepted: int | None
) -> None:
    c = classify(text)
    assert c.projectiles.launched == launched
    assert c.projectiles.intercepted == intercepted


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("Two children were among four people killed when a missile hit Dnipro on Monday.", 4, None),
        ("Three teenagers were among 11 people wounded when shells hit Kherson on Friday.", None, 11),
        ("A nurse was among the six people killed in a drone strike on a clinic in Sumy on Monday.", 6, None),
    ],
)
def test_a_subset_among_a_total_is_not_the_total(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int | None
) -> None:
    c = classify(text)
    assert c.casualties.killed == killed
    assert c.casualties.injured == injured


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Drones struck \uff2b\uff48\uff41\uff52\uff4b\uff49\uff56 overnight, injuring two people.",
            "Kharkiv",
        ),
        ("A missile hit an apartment block in \uff2f\uff44\uff45\uff53\uff41 on Tuesday.", "Odesa"),
        ("Shelling of \uff2e\uff49\uff4b\uff4f\uff50\uff4f\uff4c killed one man on Sunday.", "Nikopol"),
    ],
)
def test_fullwidth_letters_read_as_ascii(
    classify: Callable[..., Classification], text: str, place: str
) -> None:
    assert place in _names(classify(text))


def test_fullwidth_folding_keeps_offsets() -> None:
    text = "Drones hit \uff2b\uff59\uff49\uff56 at \uff13 am."
    norm = normalise(text)
    assert norm.text == "Drones hit Kyiv at 3 am."
    assert len(norm.text) == len(text)


@pytest.mark.parametrize(
    ("text", "types"),
    [
        (
            "Russian forces struck Sumy with a ballistic missile on Monday, killing three people. Hours "
            "later the army shelled the city for the second time, using Grad rockets.",
            ["missile"],
        ),
        (
            "RSF shells hit a market in El Fasher on Tuesday, killing nine people. The army responded "
            "with retaliatory airstrikes on RSF positions east of the city.",
            ["artillery"],
        ),
        (
            "A Russian drone hit a bus in Kherson on Friday, injuring five. In a separate attack, "
            "mortars struck a farm near Beryslav.",
            ["drone"],
        ),
        # The other side's response, no side named in it.
        (
            "A drone struck a fire station in Kupiansk on Friday, officials said. Gunners hit back with "
            "HIMARS rockets at the launch positions.",
            ["drone"],
        ),
        (
            "Missiles struck a cargo ship in the Red Sea on Monday. The navy retaliated with airstrikes on "
            "radar sites near Hodeidah.",
            ["missile"],
        ),
        (
            "Missiles struck a tanker off Aden on Monday. The coalition responded with airstrikes on launch "
            "sites near Sanaa.",
            ["missile"],
        ),
        (
            "Iran launched a barrage of missiles and drones at Israel on Saturday in a retaliatory attack.",
            ["drone", "missile"],
        ),
    ],
)
def test_another_incidents_weapons_are_not_the_attacks(
    classify: Callable[..., Classification], text: str, types: list[str]
) -> None:
    assert classify(text).attack_types == types


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("The rocket slammed into a schoolyard in Kiryat Shmona on Sunday, wounding six people.", 1),
        ("The missile hit a five-storey building in Dnipro on Monday, killing four people.", 1),
        ("Officials said the guided bomb struck a warehouse in Kramatorsk on Thursday.", 1),
        # A larger figure elsewhere still wins.
        ("Russian forces launched 40 drones overnight. The missile hit an apartment block in Kyiv.", 40),
    ],
)
def test_the_one_weapon_that_struck_is_launched_one(
    classify: Callable[..., Classification], text: str, launched: int
) -> None:
    assert classify(text).projectiles.launched == launched


@pytest.mark.parametrize(
    ("text", "place", "inner"),
    [
        ("Artillery strikes on Velikaya Pysarivka, Sumy overnight.", "Velikaya Pysarivka", "Pysarivka"),
        ("Fighting in Novaya Husarivka, Kharkiv on Saturday.", "Novaya Husarivka", "Husarivka"),
        ("Shelling of Bolshaya Kamyshevakha, Kharkiv on Sunday.", "Bolshaya Kamyshevakha", "Komyshuvakha"),
    ],
)
def test_a_word_inside_a_town_region_name_is_no_second_place(
    classify: Callable[..., Classification], text: str, place: str, inner: str
) -> None:
    names = _names(classify(text))
    assert place in names
    assert inner not in names


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "Russian drones hit Sumy overnight, and shelling was reported across the Kharkiv and "
            "Donetsk regions.",
            {"Sumy", "Kharkiv Oblast", "Donetsk Oblast"},
        ),
        (
            "A missile struck Odesa on Monday; drones were also shot down over the Mykolaiv and "
            "Kherson regions.",
            {"Odesa", "Mykolaiv Oblast", "Kherson Oblast"},
        ),
        (
            "Ukrainian drones struck a refinery in Saratov overnight, and attacks on the Bryansk and Kursk "
            "regions were repelled.",
            {"Saratov", "Bryansk Oblast", "Kursk Oblast"},
        ),
        # One region alone beside the town is the speaker's, not a place attacked.
        ("Russian drones hit Sumy overnight, the governor of the Kharkiv region said.", {"Sumy"}),
    ],
)
def test_a_wave_keeps_its_regions_beside_a_town(
    classify: Callable[..., Classification], text: str, places: set[str]
) -> None:
    assert _names(classify(text)) == places


@pytest.mark.parametrize(
    "text",
    [
        "For the fourth month in a row, the number of glide bombs dropped on Ukrainian towns hit record "
        "levels, the air force said. It counted 3,100 bombs in October, up from 2,700 the month before.",
        "For the third month in a row, Russia launched drones at Ukraine at record levels, firing "
        "5,000 in July.",
        "Russian strikes on Ukrainian power plants have risen for six months in a row, the energy "
        "ministry said.",
        "Glide bomb attacks on Zaporizhzhia hit record levels in August, up by a third from the "
        "month before.",
    ],
)
def test_a_monthly_statistics_story_is_no_attack(classify: Callable[..., Classification], text: str) -> None:
    assert not classify(text).is_attack


def test_an_attack_beside_a_trend_is_still_an_attack(classify: Callable[..., Classification]) -> None:
    c = classify(
        "Russian drones hit Odesa overnight, injuring two people; attacks on the port have become "
        "more frequent."
    )
    assert c.is_attack
    assert c.casualties.injured == 2


@pytest.mark.parametrize(
    "text",
    [
        "Air defence units repelled a drone attack on Kyiv overnight. All detected air targets were "
        "destroyed by air defence, and debris damaged a house in the Holosiivskyi district.",
        "Air defence repelled a drone attack on Zhytomyr overnight. All air targets were destroyed by air "
        "defence, but debris damaged an office building.",
        "Air defence forces repelled a drone attack on Vinnytsia overnight. All detected targets were "
        "destroyed by air defence, and debris damaged the roof of a warehouse.",
    ],
)
def test_debris_damage_told_beside_the_interceptions_counts(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert c.severity == "Moderate"
    assert any("damage" in r.lower() for r in c.severity_reasons)


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        ("Israeli jets struck Beirut's southern suburbs late on Friday, killing two people.", "Israel"),
        ("Sudanese army jets hit a camp near Nyala on Monday, killing four people.", "Sudanese Armed Forces"),
        (
            "Syrian government jets bombed a market in Idlib province on Sunday, killing five civilians.",
            "Syria",
        ),
    ],
)
def test_jets_that_struck_are_an_airstrike(
    classify: Callable[..., Classification], text: str, attacker: str
) -> None:
    c = classify(text)
    assert c.attack_types == ["airstrike"]
    assert c.attacker == attacker


def test_jets_struck_by_a_drone_are_no_airstrike(classify: Callable[..., Classification]) -> None:
    assert classify(
        "A Ukrainian drone attack destroyed two jets at an airfield in Crimea on Monday."
    ).attack_types == ["drone"]


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Russia sent 35 drones against Odesa region on Sunday night, the governor said.", 35),
        ("The enemy sent about 20 Shaheds towards Kyiv overnight, officials said.", 20),
        ("Russian forces sent 18 drones at Sumy on Tuesday evening.", 18),
    ],
)
def test_drones_sent_against_a_place_are_an_attack(
    classify: Callable[..., Classification], text: str, launched: int
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.projectiles.launched == launched


@pytest.mark.parametrize(
    "text",
    [
        "Russia tested a hypersonic missile, firing it into the Barents Sea on Wednesday.",
        "North Korea test-launched two ballistic missiles into the sea off its east coast on Thursday.",
        "Iran said it had successfully tested a new cruise missile that struck a target in the Gulf of Oman.",
    ],
)
def test_a_missile_test_is_no_attack(classify: Callable[..., Classification], text: str) -> None:
    assert not classify(text).is_attack


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Positional battles continue near Chasiv Yar, the General Staff said on Monday.", "Chasiv Yar"),
        ("Fighting continues in Vovchansk after an overnight assault", "Vovchansk"),
        ("Heavy shelling continues on the outskirts of Kurakhove", "Kurakhove"),
    ],
)
def test_a_caption_of_fighting_that_continues_is_an_attack(
    classify: Callable[..., Classification], text: str, place: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert place in _names(c)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Ukrainian drone drops grenade on Russian trench near Bakhmut", "Bakhmut"),
        ("FPV drone drops munition onto a dugout near Robotyne", "Robotyne"),
        ("Quadcopter drops two grenades on soldiers near Krynky", "Krynky"),
    ],
)
def test_a_caption_of_a_drone_dropping_munitions_is_a_drone_attack(
    classify: Callable[..., Classification], text: str, place: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attack_types == ["drone"]
    assert place in _names(c)


def test_a_drone_dropping_aid_is_no_attack(classify: Callable[..., Classification]) -> None:
    assert not classify("Drone drops aid parcels to soldiers near Kupiansk").is_attack


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "A Russian missile killed 3 and injured 12 in Zaporizhzhia; 188 civilians have been killed in "
            "the region this year.",
            3,
            12,
        ),
        (
            "Two people were killed in a drone strike on Kherson on Monday; 57 residents have died in such "
            "attacks this year.",
            2,
            None,
        ),
        (
            "A glide bomb killed 5 people in Kostiantynivka on Friday, and 61 people have been wounded in "
            "the town this year.",
            5,
            None,
        ),
    ],
)
def test_a_total_of_the_year_in_the_same_sentence_is_no_count(
    classify: Callable[..., Classification], text: str, killed: int, injured: int | None
) -> None:
    c = classify(text)
    assert c.casualties.killed == killed
    assert c.casualties.injured == injured


@pytest.mark.parametrize(
    ("text", "place", "home"),
    [
        ("Two people from Lviv region were killed by shelling in Bakhmut.", "Bakhmut", "Lviv Oblast"),
        (
            "Two soldiers from Lviv region were killed by shelling near Bakhmut on Monday.",
            "Bakhmut",
            "Lviv Oblast",
        ),
        (
            "Three workers from Poltava region were wounded by a drone strike in Kherson.",
            "Kherson",
            "Poltava Oblast",
        ),
        (
            "A family from the Kyiv region was injured when a missile hit a hotel in Odesa on Friday.",
            "Odesa",
            "Kyiv Oblast",
        ),
        (
            "Russian forces fired Grad rockets from the Belgorod region at Vovchansk overnight.",
            "Vovchansk",
            "Belgorod Oblast",
        ),
    ],
)
def test_a_victims_home_region_or_a_launch_region_is_not_attacked(
    classify: Callable[..., Classification], text: str, place: str, home: str
) -> None:
    names = _names(classify(text))
    assert place in names
    assert home not in names


@pytest.mark.parametrize(
    ("text", "attacker"),
    [
        (
            "The Houthis claimed a missile attack on a Greek-owned tanker in the Red Sea on Tuesday.",
            "Houthis",
        ),
        (
            "Hezbollah claimed responsibility for a drone strike on an army base in the Galilee on Sunday.",
            "Hezbollah",
        ),
        ("Hamas claimed two rocket attacks on Ashkelon on Friday.", "Hamas"),
        # A claim about the other side is no claim of one's own.
        ("Russia claimed that Ukrainian drones attacked Belgorod on Monday.", "Ukraine"),
    ],
)
def test_the_side_that_claims_an_attack_fired(
    classify: Callable[..., Classification], text: str, attacker: str
) -> None:
    assert classify(text).attacker == attacker


@pytest.mark.parametrize(
    ("text", "place", "word"),
    [
        (
            "A rocket struck a pitch in the Druze village of Majdal Shams on Saturday, killing 12.",
            "Majdal Shams",
            "Druze",
        ),
        (
            "Shells hit the Bedouin village of Wadi Sabra on Monday, injuring two.",
            "Wadi Sabra",
            "Bedouin",
        ),
        (
            "Drones struck the Frontline town of Huliaipole on Tuesday, killing one man.",
            "Huliaipole",
            "Frontline",
        ),
    ],
)
def test_a_word_before_village_of_is_no_place(
    classify: Callable[..., Classification], text: str, place: str, word: str
) -> None:
    names = _names(classify(text))
    assert place in names
    assert word not in names


@pytest.mark.parametrize(
    "text",
    [
        "The attack on Sumy on Sunday killed 11 people. Officials said the toll had risen to 14.",
        "The attack on Sumy on Sunday killed 11 people. On Monday the death toll rose to 14.",
        "A missile strike on Sumy on Sunday killed 11 people. By Monday, the death toll had risen to 14, "
        "officials said.",
    ],
)
def test_a_later_toll_update_supersedes(classify: Callable[..., Classification], text: str) -> None:
    c = classify(text, published="2025-05-12")
    assert c.casualties.killed == 14
    assert str(c.event_date) == "2025-05-11"


def test_the_toll_from_a_named_days_strike_keeps_that_day(classify: Callable[..., Classification]) -> None:
    c = classify(
        "The death toll from Sunday's missile strike on Sumy has risen to 14.", published="2025-05-13"
    )
    assert c.casualties.killed == 14
    assert str(c.event_date) == "2025-05-11"


@pytest.mark.parametrize(
    ("text", "place", "other"),
    [
        (
            "Russian drones attacked Poltava overnight, damaging a storage building. No casualties were "
            "reported.\n\nEarlier this week, a missile strike on the city killed 7 people and injured 22.",
            "Poltava",
            None,
        ),
        (
            "Russian drones hit a dormitory in Odesa on Thursday night, injuring two students.\n\n"
            "Earlier, a missile strike on Mykolaiv on Tuesday killed 12 people.",
            "Odesa",
            "Mykolaiv",
        ),
        (
            "A Shahed drone struck a garage in Chernihiv overnight, injuring two men.\n\n"
            "In a separate attack, a ballistic missile hit Dnipro on Saturday, killing 9.",
            "Chernihiv",
            "Dnipro",
        ),
        (
            "Russian drones struck a farm near Sumy overnight, injuring two workers.\n\n"
            "Last week, a missile attack on Kharkiv killed 5 and wounded 30.",
            "Sumy",
            "Kharkiv",
        ),
    ],
)
def test_a_paragraph_opening_on_another_incident_lends_nothing(
    classify: Callable[..., Classification], text: str, place: str, other: str | None
) -> None:
    c = classify(text, published="2025-06-06")
    assert c.is_attack
    assert not c.casualties.killed
    assert place in _names(c)
    if other:
        assert other not in _names(c)
    assert "missile" not in c.attack_types


def test_an_earlier_report_of_the_same_attack_still_counts(classify: Callable[..., Classification]) -> None:
    c = classify(
        "A Russian missile hit an apartment block in Dnipro on Sunday, killing 4 people.\n\n"
        "Earlier, officials said 2 people had been killed; the toll later rose to 4.",
        published="2025-06-06",
    )
    assert c.casualties.killed == 4


@pytest.mark.parametrize(
    "text",
    [
        "Russia fired 1,350 drones at Ukraine over the past week, the president said.",
        "Moscow launched 640 drones and 40 missiles at Ukrainian cities this week, officials said.",
        "Ukraine sent 300 drones towards Russian regions during the last month, a monitoring group said.",
    ],
)
def test_a_weeks_or_months_total_is_no_launched_figure(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text, published="2025-06-06")
    assert c.projectiles.launched is None


@pytest.mark.parametrize(
    "text",
    [
        "A new documentary about the 2023 Russian missile strike on a Kramatorsk pizzeria, which killed 13, "
        "premiered in Kyiv on Friday.",
        "Firefighters in Rivne held a drill on Tuesday simulating a drone strike on a hospital, with 25 mock "
        "casualties.",
        "Rescuers in Uzhhorod rehearsed a missile strike on a kindergarten in a drill on Monday.",
        "Police staged a mock drone attack on a stadium in Ternopil, simulating 15 injured spectators.",
    ],
)
def test_a_film_or_a_drill_is_no_attack(classify: Callable[..., Classification], text: str) -> None:
    assert not classify(text, published="2025-06-06").is_attack


def test_a_days_wave_summary_still_counts(classify: Callable[..., Classification]) -> None:
    c = classify("Over the past 24 hours, Russia launched 85 drones at Ukraine; 70 were shot down.")
    assert c.is_attack
    assert (c.projectiles.launched, c.projectiles.intercepted) == (85, 70)


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        ("Of the 58 drones Russia launched overnight, 41 were shot down, the air force said.", 58, 41),
        ("Out of the 36 Shahed drones the enemy sent at Odesa, 30 were destroyed.", 36, 30),
        ("Of the 9 missiles fired at Lviv on Sunday, 7 were intercepted over the region.", 9, 7),
        ("All 14 drones launched at Kyiv overnight were shot down, the city administration said.", 14, 14),
        ("All the 6 missiles fired at Odesa on Monday were intercepted, the navy said.", 6, 6),
        ("All 23 Shahed drones sent towards Dnipro were successfully destroyed by air defence.", 23, 23),
    ],
)
def test_a_relative_clause_inside_a_wave_summary(
    classify: Callable[..., Classification], text: str, launched: int, intercepted: int
) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (launched, intercepted)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("A Russian missile strike on Sumy injured a hundred and twelve people on Friday.", None, 112),
        ("Russian glide bombs killed a hundred people in Kostiantynivka, the governor said.", 100, None),
        ("A Russian missile attack on Kharkiv wounded a hundred and five residents on Tuesday.", None, 105),
    ],
)
def test_a_hundred_written_with_an_article(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int | None
) -> None:
    c = classify(text)
    if killed is not None:
        assert c.casualties.killed == killed
    if injured is not None:
        assert c.casualties.injured == injured


@pytest.mark.parametrize(
    "text",
    [
        "A Russian drone injured a man in Nikopol on Monday, three days after a strike there killed 5.",
        "Shelling wounded two women in Kherson on Friday, a week after an attack on the street killed 7.",
        "A drone hit a bus in Kupiansk on Sunday, injuring a man, weeks after the shelling there killed 9.",
    ],
)
def test_an_earlier_strike_told_in_an_after_clause_lends_no_deaths(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert not c.casualties.killed
    assert c.casualties.injured


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        (
            "A Russian missile strike on Kryvyi Rih killed 9 people on Monday. Officials later corrected "
            "the figure to 7 killed.",
            7,
        ),
        (
            "Russian shelling of Kherson killed 5 civilians, the governor said. He later revised the death "
            "toll down to 4 killed.",
            4,
        ),
        (
            "A drone attack on Sumy killed 3 people on Friday. Police later corrected the number to 2 killed "
            "and 11 injured.",
            2,
        ),
    ],
)
def test_a_figure_corrected_to_replaces_the_first(
    classify: Callable[..., Classification], text: str, killed: int
) -> None:
    assert classify(text).casualties.killed == killed


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine's General Staff said 980 Russian soldiers were killed over the past day.",
        "Russian shelling over the past 24 hours killed 9 civilians and wounded 31 across Ukraine.",
        "Attacks killed 4 people and injured 19 across the country over the past day, officials said.",
        "The army said 1,050 enemy troops were killed in the last 24 hours.",
    ],
)
def test_a_days_toll_across_the_country_is_no_attacks_figure(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert c.casualties.killed is None
    assert c.casualties.injured is None
