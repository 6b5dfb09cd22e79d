"""Kinds of issue 13 fixed in round 5 (sentences of our own): explosions heard while air defence works
during an alert are an attack in progress; ..."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas import Classification


def _names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


# --- explosions heard while air defence works: an attack in progress (LABELS.md rule 1) -------------


@pytest.mark.parametrize(
    ("text", "place", "types", "attacker"),
    [
        (
            "Blasts heard in Lviv, air defence at work\n\nSeveral explosions were heard in Lviv during an "
            "air raid alert, local media reported.\nAn alert was declared across the country because of "
            "the threat of a Russian missile attack.",
            "Lviv",
            ["missile"],
            "Russia",
        ),
        (
            "Explosions rang out in Odesa on Thursday night as air defence was activated, the regional "
            "governor said. The air force had warned of attack drones heading for the city.",
            "Odesa",
            ["drone"],
            None,
        ),
        (
            "Loud explosions were heard over Kharkiv while an air alert was in force; the mayor said air "
            "defences were engaging targets.",
            "Kharkiv",
            [],
            None,
        ),
        (
            "Air defence units are working over Dnipro, the governor wrote, after a series of blasts shook "
            "the city during the alert.",
            "Dnipro",
            [],
            None,
        ),
    ],
)
def test_explosions_while_air_defence_works_are_an_attack(
    classify: Callable[..., Classification],
    text: str,
    place: str,
    types: list[str],
    attacker: str | None,
) -> None:
    c = classify(text)
    assert c.is_attack
    assert place in _names(c)
    assert c.attack_types == types
    assert c.attacker == attacker
    assert c.severity == "Minor"


# --- attack types by kind ----------------------------------------------------------------------------

# Attack types by kind: a rocket group's "missile attack" is rockets (LABELS.md rule 8); another
# incident's barrage adds no type; "bombed" is an airstrike only when no other type is named.
TYPES: dict[str, list[tuple[str, list[str]]]] = {
    "rocket fire called a missile attack": [
        (
            "Missile attack on a village in northern Israel kills two, officials say\nTwo people were "
            "killed when a rocket fired by Hezbollah hit a house in the village of Shlomi on Tuesday, "
            "Israeli officials said.",
            ["rocket"],
        ),
        (
            "Hamas fired a barrage of rockets at Ashkelon on Sunday, injuring four people. The missile "
            "attack set cars on fire, police said.",
            ["rocket"],
        ),
        (
            "Islamic Jihad fired rockets at Sderot on Friday, Israeli police said. The missile strike "
            "damaged a school and injured a guard.",
            ["rocket"],
        ),
        # A kind of missile named as well: both.
        (
            "Hezbollah said it fired anti-tank missiles and rockets at an Israeli army post near Metula "
            "on Monday.",
            ["missile", "rocket"],
        ),
        # A state's "rocket" beside "missile" stays the missile (translated Ukrainian wording).
        (
            "Russian missile attack on Dnipro: a rocket hit an apartment block, killing three people on "
            "Friday.",
            ["missile"],
        ),
    ],
    "a barrage on other cities adds no type": [
        (
            "Russian shelling of Kherson kills one\nOne resident was killed overnight when Russian artillery "
            "shelled a district of Kherson, the regional administration said. Moscow also fired a new "
            "barrage of missiles against Ukrainian cities early on Monday, most of which were shot down.",
            ["artillery"],
        ),
        (
            "Mortar fire hit homes in a border village of the Kharkiv region on Sunday, killing a man. "
            "Russia launched cruise missiles on other cities overnight, the air force said.",
            ["artillery"],
        ),
        (
            "Russian artillery shelled Nikopol on Tuesday, wounding two residents. Russian forces also "
            "launched drones at several towns in the Sumy region, the governor said.",
            ["artillery"],
        ),
    ],
    "bombed is an airstrike only when no other type is named": [
        (
            "Russian shelling kills two in Nikopol\nTwo residents were killed by Russian shelling "
            "overnight in Nikopol, the governor said, adding that the town had been bombed six times "
            "since the morning.",
            ["artillery"],
        ),
        (
            "Shelling of Kupiansk wounds a woman; the town was bombed again in the evening, officials said.",
            ["artillery"],
        ),
        ("A house in Deir al-Balah was bombed overnight, killing four people, medics said.", ["airstrike"]),
        ("Syrian government aircraft bombed the town of Ariha on Monday, killing three.", ["airstrike"]),
    ],
}


@pytest.mark.parametrize(
    ("text", "types"),
    [
        pytest.param(text, types, id=f"{kind}: {text[:40]}")
        for kind, cases in TYPES.items()
        for text, types in cases
    ],
)
def test_attack_types(classify: Callable[..., Classification], text: str, types: list[str]) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.attack_types == types


# --- red-team misreads (issue 13, kind 4) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "A Russian missile struck an apartment block in Dnipro on Friday, killing 4 people, the "
            "governor said. Officials later corrected the figure to 6.",
            6,
            None,
        ),
        (
            "A Russian glide bomb hit a school in Kostiantynivka on Monday, killing three people, the "
            "governor said. The figure was later revised to five.",
            5,
            None,
        ),
        (
            "Russian drones hit Odesa overnight, injuring 7 people. Authorities later adjusted the number "
            "to 9.",
            None,
            9,
        ),
        (
            "Officials corrected the death toll to 6 after a Russian missile hit a shopping centre in "
            "Kharkiv on Sunday; earlier reports said 4 people were killed.",
            6,
            None,
        ),
    ],
)
def test_a_corrected_figure_with_no_casualty_word_supersedes(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int | None
) -> None:
    c = classify(text)
    assert c.casualties.killed == killed
    assert c.casualties.injured == injured


def test_a_corrected_time_is_no_figure(classify: Callable[..., Classification]) -> None:
    c = classify(
        "A Russian drone hit a car in Nikopol on Monday, the governor said. Police later corrected the "
        "time of the strike to 10 pm."
    )
    assert c.casualties.killed is None
    assert c.casualties.injured is None


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        (
            "Over the past week Russia has launched more than 1,200 drones against Ukraine, Zelensky "
            "said. Overnight a Russian drone hit a house in Poltava, injuring a child.",
            1,
        ),
        (
            "A Russian drone hit a house in Sumy overnight, injuring two. This week alone Russia launched "
            "1,200 drones, 40 missiles and 800 glide bombs at Ukraine.",
            1,
        ),
        (
            "Russia launched 1,200 drones at Ukraine this week, the president said. On Tuesday night a "
            "Russian drone hit a house in Sumy, injuring two people.",
            1,
        ),
        (
            "In the past seven days Russia fired about 900 drones and 50 missiles at Ukraine, officials "
            "said. Russian drones attacked Kharkiv overnight, injuring three people.",
            None,
        ),
    ],
)
def test_a_weeks_total_is_not_the_attacks_launched_figure(
    classify: Callable[..., Classification], text: str, launched: int | None
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.projectiles.launched == launched


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces shelled Kherson on Monday, injuring a woman. Ukraine's General Staff said 1,120 "
        "Russian soldiers had been killed over the past day.",
        "A Russian drone struck a bus in Nikopol on Sunday, injuring two passengers. Over the past day "
        "the enemy lost 1,300 soldiers, according to the General Staff.",
        "Russian artillery hit a village near Kupiansk on Friday, wounding one man. The General Staff "
        "said 1,050 Russian troops were put out of action over the past 24 hours.",
    ],
)
def test_a_daily_tally_beside_an_attack_gives_no_figure(
    classify: Callable[..., Classification], text: str
) -> None:
    c = classify(text)
    assert c.is_attack
    assert c.casualties.killed is None
    assert c.severity == "Moderate"


def test_a_regions_daily_report_is_still_an_attack(classify: Callable[..., Classification]) -> None:
    c = classify(
        "Russian troops shelled the Kherson region 80 times over the past day, killing two civilians and "
        "injuring five, the governor said."
    )
    assert c.is_attack
    assert (c.casualties.killed, c.casualties.injured) == (2, 5)


# --- "a total of", "in total" in a night's wave summary: the wave's figure (LABELS.md rule 5) -------


@pytest.mark.parametrize(
    ("text", "launched", "intercepted"),
    [
        (
            "Russia fired a total of 35 missiles and 47 drones at Ukraine overnight, of which 30 missiles "
            "and 40 drones were destroyed.",
            82,
            70,
        ),
        (
            "Ukraine's air defence destroyed 56 Shahed drones overnight; another 20 drones were lost to "
            "electronic jamming. Russia had launched 80 drones in total, the air force said.",
            80,
            56,
        ),
        (
            "In total, the enemy launched 64 attack drones at Ukraine overnight, the air force said; 51 of "
            "them were shot down.",
            64,
            51,
        ),
    ],
)
def test_a_total_in_a_nights_wave_is_its_launched_figure(
    classify: Callable[..., Classification], text: str, launched: int, intercepted: int
) -> None:
    c = classify(text)
    assert c.is_attack
    assert (c.projectiles.launched, c.projectiles.intercepted) == (launched, intercepted)


# --- "the number of people injured/killed ... has risen to N" -------------------------------------


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        (
            "The number of people injured in Monday's Russian strike on Odesa has risen to 31, while the "
            "death toll stands at 8.",
            8,
            31,
        ),
        (
            "The number of wounded in the Russian missile attack on Lviv on Thursday has climbed to 42, "
            "the mayor said.",
            None,
            42,
        ),
        (
            "A Russian drone struck a bus in Kherson on Friday, killing one. The number of injured stands "
            "at 12, the regional administration said.",
            1,
            12,
        ),
        (
            "The number of people killed in the Russian strike on Sumy on Sunday has risen to 35.",
            35,
            None,
        ),
    ],
)
def test_the_number_of_people_hurt_has_risen_to(
    classify: Callable[..., Classification], text: str, killed: int | None, injured: int | None
) -> None:
    c = classify(text)
    assert (c.casualties.killed, c.casualties.injured) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "both"),
    [
        ("Ukraine's air force said it shot down all 12 missiles Russia fired at the capital.", 12),
        ("Air defence destroyed all of the 9 drones launched at Odesa overnight, the governor said.", 9),
        ("Israeli air defences intercepted all 4 rockets fired from Lebanon at Kiryat Shmona on Monday.", 4),
    ],
)
def test_all_n_downed_is_the_launched_figure_too(
    classify: Callable[..., Classification], text: str, both: int
) -> None:
    c = classify(text)
    assert (c.projectiles.launched, c.projectiles.intercepted) == (both, both)


# --- not attacks: an alert with no explosion, war-wide tallies and period totals, retold strikes ------

NOT_ATTACKS: dict[str, list[str]] = {
    "an alert with no explosion": [
        "An air raid alert was declared in Kyiv on Monday evening; residents were urged to take shelter.",
        "The air force warned of a missile threat to Zaporizhzhia and an alert sounded across the region.",
        "Air defence units were working in the Sumy region, the governor warned, asking people to stay "
        "in shelters until the alert is over.",
    ],
    "a General Staff daily tally": [
        "Russian losses: 1,120 soldiers killed over the past 24 hours across Ukraine, the General Staff "
        "said on Monday. The total includes 9,500 tanks since the start of the full-scale invasion.",
        "Over the past day Russia lost 1,240 troops, Ukraine's General Staff said. Russia's losses since "
        "the beginning of the war now exceed 600,000 personnel.",
        "Ukraine's military said 980 Russian soldiers were killed or wounded over the last 24 hours. "
        "Since the start of the invasion Russia has lost more than 9,000 tanks.",
    ],
    "a film or exhibition about an old strike": [
        "An exhibition in Kyiv recalls the Russian missile strike that killed 59 people in Hroza in "
        "October 2023.",
        "A film about the bombing of the Mariupol drama theatre, in which hundreds were killed, was shown "
        "at a festival in Berlin on Saturday.",
        "A British documentary on the 2022 strike on the Kremenchuk shopping centre premiered in London on "
        "Thursday. The missile strike killed 22 people.",
        "A photo exhibition about the shelling of Kharkiv opened in Warsaw. Russian shelling of the city "
        "killed hundreds of civilians.",
    ],
    "a total over a period": [
        "In total, Russia has launched more than 30,000 drones at Ukraine since the start of the "
        "full-scale invasion.",
        "A total of 1,500 drones were fired at Ukraine this month, the air force said.",
        "Russia launched a total of 4,200 drones during November, up from 3,100 the month before.",
    ],
}


@pytest.mark.parametrize(
    "text",
    [pytest.param(text, id=f"{kind}: {text[:40]}") for kind, texts in NOT_ATTACKS.items() for text in texts],
)
def test_not_an_attack(classify: Callable[..., Classification], text: str) -> None:
    assert not classify(text).is_attack
