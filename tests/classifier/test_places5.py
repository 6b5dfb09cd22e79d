"""Issue 13, kind 6 of the places brief (round 5): places generalise. Every sentence here is our own
(never copied from the labelled data); each kind has at least three."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification

Classify = Callable[..., Classification]


def names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


# --- a place of a separate incident in the same text is not the primary attack's -----------------


@pytest.mark.parametrize(
    ("text", "primary", "other"),
    [
        (
            "Russian glide bombs struck Kharkiv on Tuesday, killing two people and injuring nine. "
            "Kherson also became the target of attacks in the evening, where a woman was hurt.",
            "Kharkiv",
            "Kherson",
        ),
        (
            "A Ukrainian drone hit an apartment block in Belgorod, injuring four, the governor said. "
            "Later, he reported that the Ukrainian side also fired at the village of Shebekino.",
            "Belgorod",
            "Shebekino",
        ),
        (
            "Rebel shells struck a crowded market in Omdurman on Sunday, killing eight civilians. "
            "The army responded to the shelling with airstrikes on rebel positions in Bahri.",
            "Omdurman",
            "Bahri",
        ),
    ],
)
def test_a_separate_incidents_place_is_left_out(
    classify: Classify, text: str, primary: str, other: str
) -> None:
    found = names(classify(text))
    assert primary in found
    assert other not in found


def test_a_separate_incidents_place_named_again_later_stays_out(classify: Classify) -> None:
    c = classify(
        "Shelling hit the centre of Belgorod on Saturday, killing three people. Later, the governor "
        "said Ukrainian forces also fired at the village of Shebekino. The governor also reported "
        "damage to a school in Shebekino."
    )
    assert names(c) == {"Belgorod"}


@pytest.mark.parametrize(
    "text",
    [
        # a repeat strike on the same place, and a town of the same wave, are the attack's places
        "Russian drones hit Odesa overnight. The city administration said Kyiv was targeted for the "
        "third time in a week, and all drones over the capital were destroyed.",
        "Russian missiles struck Odesa overnight, injuring five. Dnipro also came under attack, with "
        "debris damaging two houses.",
        "Shelling hit Odesa on Friday, injuring three. Russian troops also shelled Dnipro for the third "
        "time in two days, damaging a school.",
    ],
)
def test_a_repeat_strike_or_another_town_of_the_wave_stays(classify: Classify, text: str) -> None:
    found = names(classify(text))
    assert "Odesa" in found
    assert found & {"Kyiv", "Dnipro"}


# --- spelling variants one letter off the gazetteer's name are the canonical place ----------------


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a doubled letter written for a single one
        ("An airstrike hit a house in the Nusseirat refugee camp, killing six people.", "Nuseirat"),
        # a letter left out, in a caption
        ("12/03/2023 Shelling aftermath in Komyshuvaka", "Komyshuvakha"),
        # two letters swapped, in a caption
        ("12/03/2023 Artillery strike on Popsana", "Popasna"),
        # a letter left out, as "Town, Region"
        ("Artillery shelled houses in Vovchnsk, Kharkiv region, injuring two.", "Vovchansk"),
    ],
)
def test_a_spelling_one_letter_off_is_the_canonical_place(classify: Classify, text: str, place: str) -> None:
    found = names(classify(text, published=None))
    assert place in found
    assert len(found) == 1


# --- shoot-downs over regions: each region is a place attacked ------------------------------------


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        (
            "Ukrainian drones attacked Russia overnight, the ministry said. Two were destroyed over the "
            "Bryansk region, three over the Kursk region and one over the Oryol region.",
            {"Bryansk Oblast", "Kursk Oblast", "Oryol Oblast"},
        ),
        (
            "Ukrainian drones hit a fuel depot in Tula overnight, the governor said. Four drones "
            "were shot down over the Belgorod region and two over the Voronezh region.",
            {"Belgorod Oblast", "Voronezh Oblast"},
        ),
        (
            "Ukrainian drones hit a refinery in Tula overnight, local officials said. Nine were downed "
            "over the Bryansk and Kaluga regions.",
            {"Bryansk Oblast", "Kaluga Oblast"},
        ),
    ],
)
def test_regions_a_shoot_down_was_over_are_places(classify: Classify, text: str, regions: set[str]) -> None:
    assert regions <= names(classify(text))


# --- ground fighting near several villages: each village is a place ------------------------------


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "Russian assaults were repelled near Bakhmut, Klishchiivka and Andriivka in Donetsk region on "
            "Tuesday, the General Staff said.",
            {"Bakhmut", "Klishchiivka", "Andriivka"},
        ),
        (
            "Ukrainian forces repelled 14 Russian attacks near Robotyne, Verbove and Novoprokopivka, the "
            "military said.",
            {"Robotyne", "Verbove", "Novoprokopivka"},
        ),
        (
            "Heavy fighting continued near Kreminna, Dibrova and Bilohorivka in Luhansk region, where "
            "Russian troops attacked Ukrainian positions.",
            {"Kreminna", "Dibrova", "Bilohorivka"},
        ),
    ],
)
def test_each_village_of_a_fighting_list_is_a_place(classify: Classify, text: str, places: set[str]) -> None:
    c = classify(text)
    assert names(c) == places
    # a village named in a region the text names is not a namesake elsewhere
    assert all(
        loc.region in (None, "Donetsk Oblast", "Luhansk Oblast", "Zaporizhzhia Oblast") for loc in c.locations
    )


# --- a place introduced as one is taken; the place that only locates it is not --------------------


@pytest.mark.parametrize(
    ("text", "place", "reference"),
    [
        (
            "Russian shelling struck Kozacha Lopan, a village near Kharkiv, injuring two people on Monday.",
            "Kozacha Lopan",
            "Kharkiv",
        ),
        (
            "Artillery fire hit Staryi Saltiv, a town north of Chuhuiv, killing one woman.",
            "Staryi Saltiv",
            "Chuhuiv",
        ),
        (
            "Drones struck the coastal Zatoka area, south of Bilhorod-Dnistrovskyi, injuring three.",
            "Zatoka",
            None,
        ),
        (
            "A drone hit a house in Velykyi Burluk, 20 km north of Kupiansk, killing one man.",
            "Velykyi Burluk",
            "Kupiansk",
        ),
    ],
)
def test_a_place_located_by_another_is_the_place(
    classify: Classify, text: str, place: str, reference: str | None
) -> None:
    found = names(classify(text))
    assert found == {place}
    assert reference not in found


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # introduced as an area the gazetteer does not know
        (
            "Mortar rounds hit tents in the coastal Wadi Sabar area, killing four displaced people.",
            "Wadi Sabar",
        ),
        # named only outside the attack's sentences (a photo caption), as "the town of X"
        (
            "Rescuers work at a collapsed home in the town of Tal Hamid, which lies in the hills. / "
            "A rocket hit the house on Friday night, killing four members of one family.",
            "Tal Hamid",
        ),
        (
            "Neighbours clear glass from a street in the village of Kamenka Dalnya, far from any base. / "
            "The missile struck at dawn, killing three people, officials said.",
            "Kamenka Dalnya",
        ),
    ],
)
def test_a_place_introduced_as_one_is_taken(classify: Classify, text: str, place: str) -> None:
    assert names(classify(text)) == {place}


# --- the gazetteer build: national spellings and soft-sign-less surfaces --------------------------


@pytest.mark.parametrize(
    ("primary", "alternates", "expected"),
    [
        ("Kadiyivka", ["Kadievka", "Kadiivka"], "Kadiivka"),
        ("Makiyivka", ["Makeyevka", "Makiivka"], "Makiivka"),
        # GeoNames lists no such alternate: no name is made up
        ("Kadiyivka", ["Kadievka"], None),
        # no inner "yi" after a vowel
        ("Pokrovsk", ["Pokrovske"], None),
    ],
)
def test_national_alternate(primary: str, alternates: list[str], expected: str | None) -> None:
    from services.classifier.gazetteer_build import _national_alternate

    assert _national_alternate(primary, alternates) == expected


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("12/07/2022 Strike on a depot in Kadiyivka", "Kadiivka"),
        ("31/05/2022 Shelling of the village of Vysokopolye", "Vysokopillia"),
        ("Russian artillery shelled Kadiivka overnight, damaging a school.", "Kadiivka"),
    ],
)
def test_spellings_from_the_gazetteer_build(classify: Classify, text: str, place: str) -> None:
    assert names(classify(text, published=None)) == {place}


# --- only a country named: the country is the place ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "Iran launched a barrage of more than 200 missiles and drones at Israel on Saturday night.",
            "Israel",
        ),
        (
            "Russia fired 40 missiles at Ukraine overnight, most of them shot down, the air force said.",
            "Ukraine",
        ),
        (
            "Houthi forces launched two ballistic missiles towards Israel late on Friday, the army said.",
            "Israel",
        ),
    ],
)
def test_a_country_alone_is_the_place(classify: Classify, text: str, country: str) -> None:
    c = classify(text)
    assert [(loc.name, loc.region) for loc in c.locations] == [(country, None)]


def test_a_country_is_not_the_place_beside_a_town(classify: Classify) -> None:
    c = classify("Russia fired 40 missiles at Ukraine overnight; one struck a warehouse in Lviv.")
    assert names(c) == {"Lviv"}
