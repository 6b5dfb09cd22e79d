"""Red team 5 (round 7), places in English, Ukrainian and Russian: R19 (a town with a namesake on the
attacker's own side or a bigger namesake that only lists its name as a spelling: Dubno, not Russia's
Dubna; Bilhorod-Dnistrovskyi, not Belgorod), N6 (the speaker's seat in other wordings: "who was in",
"speaking to reporters in", "Перебуваючи в", "Находясь в"), N7 (the hospital's city in other wordings:
a list of hospital cities, "евакуювали до", "эвакуировали в") and a region capital's genitive that is
also its region's adjective (Хмельницького, Донецька: the city unless "область" follows). Every
sentence is our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Run = Callable[[str, str], Classification]


def _check(run: Run, text: str, lang: str, want: set[str]) -> None:
    result = run(text, lang)
    assert result.is_attack
    assert {loc.name for loc in result.locations} == want


# --- R19: a town whose name a namesake on the attacker's side (or a bigger one) also lists ----------

NAMESAKES = [
    ("Russian drones hit a warehouse in Dubno, injuring two workers.", "en", {"Dubno"}),
    ("Russian drones attacked Dubno overnight, the Rivne governor said.", "en", {"Dubno"}),
    (
        "A Russian missile strike on Bilhorod-Dnistrovskyi damaged port buildings and killed one person.",
        "en",
        {"Bilhorod-Dnistrovskyi"},
    ),
    ("Російський дрон влучив у склад у Дубні, поранено двох людей.", "uk", {"Dubno"}),
    ("Ракета влучила в порт Білгорода-Дністровського, загинула людина.", "uk", {"Bilhorod-Dnistrovskyi"}),
    ("Российский дрон попал в склад в Дубно, ранены два человека.", "ru", {"Dubno"}),
    ("Ракета попала в порт Белгорода-Днестровского, погиб человек.", "ru", {"Bilhorod-Dnistrovskyi"}),
    (
        "Российский дрон попал в склад во Владимире-Волынском, ранены два человека.",
        "ru",
        {"Volodymyr-Volynskyi"},
    ),
]


@pytest.mark.parametrize(("text", "lang", "want"), NAMESAKES)
def test_a_town_is_not_its_namesake_on_the_attackers_side(
    run: Run, text: str, lang: str, want: set[str]
) -> None:
    _check(run, text, lang, want)


# --- N6: where the speaker was is not attacked ------------------------------------------------

SPEAKERS = [
    (
        "The president, who was in Lviv, said a Russian missile strike on Sumy killed three people.",
        "en",
        {"Sumy"},
    ),
    (
        "Speaking to reporters in Kyiv, the minister said Russian shelling of Kherson killed two.",
        "en",
        {"Kherson"},
    ),
    (
        "While in Vilnius, the foreign minister said a Russian drone hit an apartment block in Odesa, "
        "injuring five.",
        "en",
        {"Odesa"},
    ),
    (
        "Speaking on Tuesday in Uzhhorod, the governor said a Russian glide bomb struck Kharkiv, "
        "wounding six.",
        "en",
        {"Kharkiv"},
    ),
    (
        "Перебуваючи у Львові, міністр розповів: ракета влучила в школу в Сумах, загинули двоє.",
        "uk",
        {"Sumy"},
    ),
    (
        "Президент, який перебував у Вінниці, заявив, що внаслідок удару дронів по Сумах загинули "
        "двоє людей.",
        "uk",
        {"Sumy"},
    ),
    (
        "Перебуваючи в Києві, губернатор повідомив, що ворог обстріляв Херсон, загинула жінка.",
        "uk",
        {"Kherson"},
    ),
    ("Находясь во Львове, министр рассказал: ракета попала в школу в Сумах, погибли двое.", "ru", {"Sumy"}),
    ("Находясь в Киеве, губернатор сообщил, что враг обстрелял Херсон, погибла женщина.", "ru", {"Kherson"}),
]


@pytest.mark.parametrize(("text", "lang", "want"), SPEAKERS)
def test_where_the_speaker_was_is_not_attacked(run: Run, text: str, lang: str, want: set[str]) -> None:
    _check(run, text, lang, want)


# --- N7: where the wounded were taken is not attacked, each city of a list included ----------------

HOSPITALS = [
    (
        "A Russian missile hit Nikopol; the wounded were taken to hospitals in Dnipro and Zaporizhzhia.",
        "en",
        {"Nikopol"},
    ),
    (
        "Russian drones struck Kupiansk, and the injured were evacuated to Kharkiv and Poltava.",
        "en",
        {"Kupiansk"},
    ),
    (
        "Shelling hit Kherson overnight; four wounded were transported to hospitals in Mykolaiv, "
        "Odesa and Dnipro.",
        "en",
        {"Kherson"},
    ),
    ("Ворог обстріляв Куп'янськ, поранених евакуювали до Харкова.", "uk", {"Kupiansk"}),
    (
        "Росіяни вдарили по Нікополю, поранених госпіталізували до лікарень Дніпра та Запоріжжя.",
        "uk",
        {"Nikopol"},
    ),
    ("Ворог атакував Херсон дронами; постраждалих евакуйовано до Миколаєва.", "uk", {"Kherson"}),
    ("Враг обстрелял Купянск, раненых эвакуировали в Харьков.", "ru", {"Kupiansk"}),
    ("Россияне ударили по Никополю, раненых госпитализировали в Днепр и Запорожье.", "ru", {"Nikopol"}),
    ("Враг атаковал Херсон дронами; пострадавшие эвакуированы в Николаев.", "ru", {"Kherson"}),
]


@pytest.mark.parametrize(("text", "lang", "want"), HOSPITALS)
def test_where_the_wounded_were_taken_is_not_attacked(run: Run, text: str, lang: str, want: set[str]) -> None:
    _check(run, text, lang, want)


def test_a_list_after_a_launch_site_shares_its_role(run: Run) -> None:
    # Contrast: the place struck after the list still counts.
    _check(run, "Missiles fired from Belgorod and Kursk struck Kharkiv, killing two.", "en", {"Kharkiv"})


# --- The capital's genitive that is also the region's adjective ------------------------------------

CITY_OR_REGION = [
    ("Дрон влучив у склад поблизу Хмельницького, поранено двох людей.", "uk", {"Khmelnytskyi"}),
    ("Внаслідок обстрілу Хмельницької області поранено двох людей.", "uk", {"Khmelnytskyi Oblast"}),
    ("Ворог атакував дронами Хмельницьку область, пошкоджено склад.", "uk", {"Khmelnytskyi Oblast"}),
    ("Дрон влучив у склад поблизу Донецька, поранено двох людей.", "uk", {"Donetsk"}),
    (
        "Ворог обстріляв 12 населених пунктів Донецької області, поранено двох людей.",
        "uk",
        {"Donetsk Oblast"},
    ),
    (
        "У Донецькій та Луганській областях ворог обстріляв 20 населених пунктів, поранено двох людей.",
        "uk",
        {"Donetsk Oblast", "Luhansk Oblast"},
    ),
    ("Дрон влучив у склад у Луганську, поранено двох людей.", "uk", {"Luhansk"}),
    ("Донецька ОВА повідомила, що ворог обстріляв Покровськ, загинула людина.", "uk", {"Pokrovsk"}),
    ("Дрон попал в склад возле Хмельницкого, ранены два человека.", "ru", {"Khmelnytskyi"}),
    ("При обстреле Хмельницкой области ранены два человека.", "ru", {"Khmelnytskyi Oblast"}),
]


@pytest.mark.parametrize(("text", "lang", "want"), CITY_OR_REGION)
def test_the_capitals_genitive_is_the_city_unless_oblast_follows(
    run: Run, text: str, lang: str, want: set[str]
) -> None:
    _check(run, text, lang, want)


# --- A fighting list keeps a village's former name as written ---------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Russian forces stepped up assaults in the areas of Avdiivka, Tonenke and Pervomaiske in "
            "Donetsk region; all were repelled.",
            {"Avdiivka", "Tonenke", "Pervomaiske"},
        ),
        (
            "Ukrainian troops repelled attacks near Pervomaiske and Nevelske in the Donetsk region.",
            {"Pervomaiske", "Nevelske"},
        ),
        (
            "Fighting continued near Tonenke, Pervomaiske and Vodiane, the General Staff said.",
            {"Tonenke", "Pervomaiske", "Vodiane"},
        ),
    ],
)
def test_a_fighting_lists_former_name_is_one_place(run: Run, text: str, want: set[str]) -> None:
    _check(run, text, "en", want)


# --- Other conflicts: a country's part, a sea located by a port, a town located by a city ----------

OTHER_CONFLICTS = [
    # "in southern Lebanon": the country is the place (LABELS.md rule 7), its direction word aside.
    (
        "An Israeli drone strike on a motorcycle in southern Lebanon killed one person, "
        "the health ministry said.",
        {"Lebanon"},
    ),
    ("Israeli warplanes carried out strikes in eastern Syria overnight, killing four fighters.", {"Syria"}),
    ("Israeli jets struck in south Lebanon on Monday, wounding three people.", {"Lebanon"}),
    # A sea located by its distance from a port: the port is a reference point.
    (
        "A Houthi missile struck the tanker in the Red Sea, "
        "about 77 nautical miles west of Hodeidah, UKMTO said.",
        {"Red Sea"},
    ),
    (
        "A Houthi drone hit a cargo ship in the Gulf of Aden, "
        "60 nautical miles southeast of Aden, setting it on fire.",
        {"Gulf of Aden"},
    ),
    (
        "The bulk carrier was hit by two missiles in the Red Sea, "
        "54 nm southwest of Hodeidah, the UKMTO said.",
        {"Red Sea"},
    ),
    # A town described by its size and where it lies from a city: the city is a reference point.
    (
        "The strike on Chernihiv, a city of about 280,000 people north of Kyiv, killed 17 people.",
        {"Chernihiv"},
    ),
    (
        "A Russian missile hit Izium, "
        "a town of some 45,000 residents southeast of Kharkiv, killing four people.",
        {"Izium"},
    ),
    (
        "Russian shelling of Kupiansk, a city of 27,000 people east of Kharkiv, injured three civilians.",
        {"Kupiansk"},
    ),
]


@pytest.mark.parametrize(("text", "want"), OTHER_CONFLICTS)
def test_a_reference_point_or_a_countrys_part(run: Run, text: str, want: set[str]) -> None:
    _check(run, text, "en", want)


# --- A summary's "under attack were A, B and C" names the places attacked (uk/ru) -------------------

UNDER_ATTACK = [
    (
        "Протягом доби ворог 15 разів обстріляв Запорізьку область. Під ударом були Гуляйполе, Оріхів, "
        "Степногірськ та Мала Токмачка.",
        "uk",
        {"Huliaipole", "Orikhiv", "Stepnohirsk", "Mala Tokmachka"},
    ),
    (
        "Ворог завдав 400 ударів по 12 населених пунктах Запорізької області. Під ударом були Гуляйполе, "
        "Оріхів та Степногірськ.",
        "uk",
        {"Huliaipole", "Orikhiv", "Stepnohirsk"},
    ),
    (
        "Протягом доби ворог 15 разів обстріляв Запорізьку область. Під ударом були Гуляйполе та Оріхів.",
        "uk",
        {"Huliaipole", "Orikhiv"},
    ),
    (
        "За сутки враг 15 раз обстрелял Запорожскую область. Под ударом были Гуляйполе, Орехов и "
        "Степногорск.",
        "ru",
        {"Huliaipole", "Orikhiv", "Stepnohirsk"},
    ),
]


@pytest.mark.parametrize(("text", "lang", "want"), UNDER_ATTACK)
def test_the_places_under_attack_are_attacked(run: Run, text: str, lang: str, want: set[str]) -> None:
    _check(run, text, lang, want)


# --- One region beside a town elsewhere: attacked when an attack's own sentence names it -------------

LONE_REGION = [
    (
        "Russian forces shelled 12 towns in the Sumy region, injuring four, "
        "and struck Kharkiv with guided bombs.",
        "en",
        {"Sumy Oblast", "Kharkiv"},
    ),
    (
        "Russian drones attacked the Odesa region overnight and a missile hit an apartment block in Kharkiv, "
        "killing two.",
        "en",
        {"Odesa Oblast", "Kharkiv"},
    ),
    (
        "По території Рівненської області завдано ракетного удару по об'єкту інфраструктури. На Вінниччині "
        "ППО збила ракету біля Немирова.",
        "uk",
        {"Rivne Oblast", "Nemyriv"},
    ),
    (
        "Враг нанес ракетный удар по Ровенской области, "
        "повреждена инфраструктура. Под Немировом ПВО сбила ракету.",
        "ru",
        {"Rivne Oblast", "Nemyriv"},
    ),
    # Contrasts: a shoot-down's region, a victim's home region, an official's title.
    (
        "Russian drones struck the port of Reni overnight. Air defences destroyed 13 drones over the "
        "Odesa and Mykolaiv regions.",
        "en",
        {"Reni"},
    ),
    (
        "A Russian drone hit Kharkiv; in the Poltava region, air defences shot down five drones.",
        "en",
        {"Kharkiv"},
    ),
    (
        "A man from the Sumy region was killed by Russian shelling in Kharkiv, officials said.",
        "en",
        {"Kharkiv"},
    ),
    (
        "Russian drones attacked Kyiv overnight; private homes were damaged in the wider Kyiv region.",
        "en",
        {"Kyiv"},
    ),
    ("Russian drones hit Sumy overnight, the governor of the Kharkiv region said.", "en", {"Sumy"}),
    (
        "The Sumy regional governor said a Russian drone hit a house in Kharkiv, injuring two.",
        "en",
        {"Kharkiv"},
    ),
]


@pytest.mark.parametrize(("text", "lang", "want"), LONE_REGION)
def test_a_lone_region_beside_a_town_when_the_attack_names_it(
    run: Run, text: str, lang: str, want: set[str]
) -> None:
    _check(run, text, lang, want)


# --- Other conflicts' camps and villages GeoNames lacks (geo/places.json) -----------------------------

CAMPS_AND_VILLAGES = [
    ("An Israeli strike on tents in al-Mawasi killed 19 people, the civil defence said.", {"Al-Mawasi"}),
    (
        "Israeli shelling of Zawaida and Bureij killed 14 people in central Gaza.",
        {"Zawaida", "Bureij", "Gaza Strip"},
    ),
    ("An Israeli strike on a house in Zawaida killed five people.", {"Zawaida"}),
    ("An Israeli strike on a house in Khiam killed three people, Lebanese media said.", {"Khiam"}),
    (
        "Israeli drones struck Aitaroun and Aita al-Shaab in southern Lebanon, killing two.",
        {"Aitaroun", "Aita al-Shaab"},
    ),
    ("The RSF shelled the Abu Shouk displacement camp near El Fasher, killing 11 people.", {"Abu Shouk"}),
    (
        "Israeli airstrikes hit the port of Ras Isa in Yemen, killing 38 people, Houthi media said.",
        {"Ras Isa"},
    ),
]


@pytest.mark.parametrize(("text", "want"), CAMPS_AND_VILLAGES)
def test_other_conflicts_camps_and_villages(run: Run, text: str, want: set[str]) -> None:
    _check(run, text, "en", want)


# --- A capital that stands for its government is the city after a place preposition -----------------

CAPITALS = [
    (
        "Israeli airstrikes hit residential buildings in Tehran overnight, killing dozens of people, "
        "Iranian state media said.",
        {"Tehran"},
    ),
    ("Israel struck Iran's state broadcaster in Tehran on Monday.", {"Tehran"}),
    ("Iranian-backed militias fired rockets at the US embassy in Baghdad, causing damage.", {"Baghdad"}),
    # Contrasts: the government, not the city.
    ("The Houthis, backed by Tehran, fired drones at a ship in the Red Sea.", {"Red Sea"}),
    ("Tehran condemned the Israeli strike on Isfahan that damaged a military site.", {"Isfahan"}),
    ("A drone attack on Erbil airport was blamed on militias backed by Tehran.", {"Erbil"}),
]


@pytest.mark.parametrize(("text", "want"), CAPITALS)
def test_a_capital_after_a_place_preposition_is_the_city(run: Run, text: str, want: set[str]) -> None:
    _check(run, text, "en", want)
